#include "gui/panels/slotform.h"

#include "gui/panels/specwidgets.h"
#include "ui_configpanel.h"

#include <QCoreApplication>

namespace qmt::slotform {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(qmt::ConfigPanel)
};
} // namespace

void bind(Ui::ConfigPanel &ui)
{
    specwidgets::fillSlots(ui.slotCombo);
    specwidgets::bind(ui.hostEdit, Param::HostName);
    specwidgets::bind(ui.portSpin, Param::Port);
    ui.portSpin->setValue(1883);
    specwidgets::bind(ui.clientIdEdit, Param::ClientId);
    specwidgets::bind(ui.userEdit, Param::UserName);
    specwidgets::bind(ui.passwordEdit, Param::Password);
    specwidgets::bind(ui.willQosSpin, Param::WillQos);
    specwidgets::bind(ui.willTopicEdit, Param::WillTopic);
    specwidgets::bind(ui.willMessageEdit, Param::WillMessage);
    specwidgets::bind(ui.keepAliveSpin, Param::KeepAliveTime);
    specwidgets::bind(ui.productKeyEdit, Param::ProductKey);
    specwidgets::bind(ui.deviceNameEdit, Param::DeviceName);
    specwidgets::bind(ui.deviceSecretEdit, Param::DeviceSecret);
    specwidgets::bind(ui.sslContextSpin, Param::SslContextId);
    specwidgets::bind(ui.sslConnectSpin, Param::SslConnectId);
    specwidgets::bind(ui.pktTimeoutSpin, Param::PktTimeout);
    specwidgets::bind(ui.retrySpin, Param::RetryTimes);
    ui.versionCombo->addItem(Tr::tr("MQTT 3.1"), 0);
    ui.versionCombo->addItem(Tr::tr("MQTT 3.1.1"), 1);
    for (QComboBox *format : {ui.sendFormatCombo, ui.recvFormatCombo}) {
        format->addItem(Tr::tr("Text"), int(DataFormat::Text));
        format->addItem(Tr::tr("Hex"), int(DataFormat::Hex));
    }
}

void show(Ui::ConfigPanel &ui, const SlotConfig &c)
{
    ui.hostEdit->setText(QString::fromUtf8(c.host));
    ui.portSpin->setValue(c.port);
    ui.clientIdEdit->setText(QString::fromUtf8(c.clientId));
    ui.userEdit->setText(QString::fromUtf8(c.userName));
    ui.passwordEdit->setText(QString::fromUtf8(c.password));
    ui.willCheck->setChecked(c.will.enabled);
    ui.willQosSpin->setValue(c.will.qos);
    ui.willRetainCheck->setChecked(c.will.retain);
    ui.willTopicEdit->setText(QString::fromUtf8(c.will.topic));
    ui.willMessageEdit->setText(QString::fromUtf8(c.will.message));
    ui.cleanSessionCheck->setChecked(c.cleanSession);
    ui.keepAliveSpin->setValue(c.keepAliveS);
    ui.versionCombo->setCurrentIndex(ui.versionCombo->findData(c.version));
    ui.aliAuthCheck->setChecked(c.aliAuthEnabled);
    ui.productKeyEdit->setText(QString::fromUtf8(c.productKey));
    ui.deviceNameEdit->setText(QString::fromUtf8(c.deviceName));
    ui.deviceSecretEdit->setText(QString::fromUtf8(c.deviceSecret));
    ui.sslCheck->setChecked(c.sslEnabled);
    ui.sslContextSpin->setValue(c.sslContextId);
    ui.sslConnectSpin->setValue(c.sslConnectId);
    ui.pktTimeoutSpin->setValue(c.pktTimeoutS);
    ui.retrySpin->setValue(c.retryTimes);
    ui.timeoutNoticeCheck->setChecked(c.timeoutNotice);
    ui.showRecvLenCheck->setChecked(c.showRecvLen);
    ui.echoModeCheck->setChecked(c.echoMode);
    ui.sendFormatCombo->setCurrentIndex(ui.sendFormatCombo->findData(int(c.sendFormat)));
    ui.recvFormatCombo->setCurrentIndex(ui.recvFormatCombo->findData(int(c.recvFormat)));
}

SlotConfig read(const Ui::ConfigPanel &ui)
{
    SlotConfig c;
    c.host = ui.hostEdit->text().trimmed().toUtf8();
    c.port = ui.portSpin->value();
    c.clientId = ui.clientIdEdit->text().toUtf8();
    c.userName = ui.userEdit->text().toUtf8();
    c.password = ui.passwordEdit->text().toUtf8();
    c.will = WillConfig{ui.willCheck->isChecked(), ui.willQosSpin->value(), ui.willRetainCheck->isChecked(),
                        ui.willTopicEdit->text().toUtf8(), ui.willMessageEdit->text().toUtf8()};
    c.cleanSession = ui.cleanSessionCheck->isChecked();
    c.keepAliveS = ui.keepAliveSpin->value();
    c.version = ui.versionCombo->currentData().toInt();
    c.aliAuthEnabled = ui.aliAuthCheck->isChecked();
    c.productKey = ui.productKeyEdit->text().toUtf8();
    c.deviceName = ui.deviceNameEdit->text().toUtf8();
    c.deviceSecret = ui.deviceSecretEdit->text().toUtf8();
    c.sslEnabled = ui.sslCheck->isChecked();
    c.sslContextId = ui.sslContextSpin->value();
    c.sslConnectId = ui.sslConnectSpin->value();
    c.pktTimeoutS = ui.pktTimeoutSpin->value();
    c.retryTimes = ui.retrySpin->value();
    c.timeoutNotice = ui.timeoutNoticeCheck->isChecked();
    c.showRecvLen = ui.showRecvLenCheck->isChecked();
    c.echoMode = ui.echoModeCheck->isChecked();
    c.sendFormat = DataFormat(ui.sendFormatCombo->currentData().toInt());
    c.recvFormat = DataFormat(ui.recvFormatCombo->currentData().toInt());
    return c;
}

} // namespace qmt::slotform
