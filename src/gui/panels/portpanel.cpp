#include "portpanel.h"

#include "ui_portpanel.h"

#include "models/serialportlistmodel.h"
#include "module/moduleprobe.h"
#include "module/serialportprovider.h"

namespace qmt {

namespace {
constexpr qint32 BaudRates[] = {9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600};
}

PortPanel::PortPanel(ModuleController &controller, SerialPortListModel &ports, ProviderFactory factory, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::PortPanel>())
    , m_controller(controller)
    , m_ports(ports)
    , m_factory(std::move(factory))
    , m_probe(new ModuleProbe(this))
{
    m_ui->setupUi(this);
    m_ui->portCombo->setModel(&ports);
    for (qint32 baud : BaudRates)
        m_ui->baudCombo->addItem(QString::number(baud), baud);
    m_ui->baudCombo->setCurrentIndex(m_ui->baudCombo->findData(SerialPortProvider::DefaultBaudRate));
    connect(m_ui->openButton, &QPushButton::clicked, this, &PortPanel::toggleOpen);
    connect(m_ui->findButton, &QPushButton::clicked, this, &PortPanel::findModule);
    connect(&controller, &ModuleController::portStateChanged, this, &PortPanel::showPortState);
    connect(&controller, &ModuleController::infoChanged, this, &PortPanel::showIdentity);
    connect(m_probe, &ModuleProbe::probing, this,
            [this](const QString &port) { m_ui->statusLabel->setText(tr("Asking %1…").arg(port)); });
    connect(m_probe, &ModuleProbe::finished, this, [this](const QStringList &found) {
        m_ui->findButton->setEnabled(true);
        if (found.isEmpty()) {
            // Said with what was asked, and without losing sight of the port that is open.
            QString text = tr("None of the %n free serial port(s) answered AT at %1 baud. Check the cable, the power "
                              "and the baud rate.",
                              nullptr, int(m_probedCount))
                               .arg(m_probedBaud);
            if (m_controller.portState() == ModuleController::PortState::Open && m_controller.portProvider())
                text = tr("Open: %1. ").arg(m_controller.portProvider()->displayName()) + text;
            m_ui->statusLabel->setText(text);
            return;
        }
        for (int row = 0; row < m_ports.rowCount(); ++row) {
            const QModelIndex index = m_ports.index(row);
            if (index.data(SerialPortListModel::SystemLocationRole).toString() == found.front() ||
                index.data(SerialPortListModel::PortNameRole).toString() == found.front())
                m_ui->portCombo->setCurrentIndex(row);
        }
        m_ui->statusLabel->setText(tr("A module answered on %1.").arg(found.join(QStringLiteral(", "))));
    });
    showPortState(controller.portState(), {});
}

PortPanel::~PortPanel() = default;

QString PortPanel::selectedPort() const
{
    return m_ui->portCombo->currentData(SerialPortListModel::PortNameRole).toString();
}

bool PortPanel::openPort(const QString &portName, qint32 baud)
{
    for (int row = 0; row < m_ports.rowCount(); ++row) {
        if (m_ports.index(row).data(SerialPortListModel::PortNameRole).toString() == portName)
            m_ui->portCombo->setCurrentIndex(row);
    }
    m_ui->baudCombo->setCurrentIndex(std::max(0, m_ui->baudCombo->findData(baud)));
    m_controller.setPortProvider(m_factory(portName, baud));
    QString error;
    if (!m_controller.openPort(&error)) {
        m_ui->statusLabel->setText(error);
        return false;
    }
    return true;
}

void PortPanel::toggleOpen()
{
    if (m_controller.portState() != ModuleController::PortState::Closed) {
        m_controller.closePort();
        return;
    }
    const QString port = selectedPort();
    if (port.isEmpty()) {
        m_ui->statusLabel->setText(tr("Choose a port first."));
        return;
    }
    openPort(port, m_ui->baudCombo->currentData().toInt());
}

void PortPanel::findModule()
{
    QStringList candidates;
    for (int row = 0; row < m_ports.rowCount(); ++row) {
        const QModelIndex index = m_ports.index(row);
        if (!index.data(SerialPortListModel::IsVirtualRole).toBool() &&
            !index.data(SerialPortListModel::BusyRole).toBool())
            candidates.append(index.data(SerialPortListModel::SystemLocationRole).toString());
    }
    if (candidates.isEmpty()) {
        m_ui->statusLabel->setText(tr("No free serial port to ask. The built-in virtual module needs no search."));
        return;
    }
    m_ui->findButton->setEnabled(false);
    m_probedCount = candidates.size();
    m_probedBaud = m_ui->baudCombo->currentData().toInt();
    m_probe->start(candidates, m_ui->baudCombo->currentData().toInt());
}

void PortPanel::showPortState(ModuleController::PortState state, const QString &reason)
{
    const bool closed = state == ModuleController::PortState::Closed;
    m_ui->openButton->setText(closed ? tr("&Open") : tr("&Close"));
    m_ui->portCombo->setEnabled(closed);
    m_ui->baudCombo->setEnabled(closed);
    const QString name = m_controller.portProvider() ? m_controller.portProvider()->displayName() : QString();
    switch (state) {
    case ModuleController::PortState::Closed:
        m_ui->statusLabel->setText(reason.isEmpty() ? tr("Closed.") : tr("Closed: %1").arg(reason));
        break;
    case ModuleController::PortState::Open:
        m_ui->statusLabel->setText(tr("Open: %1").arg(name));
        break;
    case ModuleController::PortState::Lost:
        m_ui->statusLabel->setText(tr("Lost: %1 — waiting for it to come back.").arg(reason));
        break;
    }
}

void PortPanel::showIdentity()
{
    const ModuleInfo &info = m_controller.info();
    m_ui->modelValue->setText(QString::fromUtf8(info.model));
    m_ui->revisionValue->setText(QString::fromUtf8(info.revision));
    m_ui->imeiValue->setText(QString::fromUtf8(info.imei));
    m_ui->iccidValue->setText(QString::fromUtf8(info.iccid));
}

} // namespace qmt
