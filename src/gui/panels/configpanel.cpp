#include "configpanel.h"

#include "asyncdialogs.h"
#include "specwidgets.h"
#include "ui_configpanel.h"

#include "dialogs/certificatesdialog.h"
#include "models/slotadvice.h"
#include "module/profilestore.h"
#include "secrets/profilesecrets.h"
#include "secrets/secretstore.h"
#include "tls/seclevelkeeper.h"
#include "tls/tlsmaterialcheck.h"
#include "wizards/certificatewizard.h"
#include "wizards/tlsuploadpage.h"

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>

#include <utility>

namespace qmt {

ConfigPanel::ConfigPanel(ModuleController &controller, ProfileStore &store, SecretStore &secrets, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ConfigPanel>())
    , m_controller(controller)
    , m_store(store)
    , m_secrets(secrets)
    , m_keeper(new SecLevelKeeper(controller, this))
{
    m_ui->setupUi(this);
    specwidgets::fillSlots(m_ui->slotCombo);
    specwidgets::bind(m_ui->hostEdit, Param::HostName);
    specwidgets::bind(m_ui->portSpin, Param::Port);
    m_ui->portSpin->setValue(1883);
    specwidgets::bind(m_ui->clientIdEdit, Param::ClientId);
    specwidgets::bind(m_ui->userEdit, Param::UserName);
    specwidgets::bind(m_ui->passwordEdit, Param::Password);
    specwidgets::bind(m_ui->willQosSpin, Param::WillQos);
    specwidgets::bind(m_ui->willTopicEdit, Param::WillTopic);
    specwidgets::bind(m_ui->willMessageEdit, Param::WillMessage);
    specwidgets::bind(m_ui->keepAliveSpin, Param::KeepAliveTime);
    specwidgets::bind(m_ui->productKeyEdit, Param::ProductKey);
    specwidgets::bind(m_ui->deviceNameEdit, Param::DeviceName);
    specwidgets::bind(m_ui->deviceSecretEdit, Param::DeviceSecret);
    specwidgets::bind(m_ui->sslContextSpin, Param::SslContextId);
    specwidgets::bind(m_ui->sslConnectSpin, Param::SslConnectId);
    specwidgets::bind(m_ui->pktTimeoutSpin, Param::PktTimeout);
    specwidgets::bind(m_ui->retrySpin, Param::RetryTimes);
    m_ui->versionCombo->addItem(tr("MQTT 3.1"), 0);
    m_ui->versionCombo->addItem(tr("MQTT 3.1.1"), 1);
    for (QComboBox *format : {m_ui->sendFormatCombo, m_ui->recvFormatCombo}) {
        format->addItem(tr("Text"), int(DataFormat::Text));
        format->addItem(tr("Hex"), int(DataFormat::Hex));
    }
    m_ui->errorLabel->setStyleSheet(QStringLiteral("color: #b00020"));

    connect(m_ui->slotCombo, &QComboBox::currentIndexChanged, this, [this] { loadSlot(currentSlot()); });
    // Any edit goes to the controller at once, so Start uses what the form shows.
    const auto changed = [this] {
        if (!m_loading)
            storeSlot();
    };
    for (QLineEdit *e : findChildren<QLineEdit *>())
        connect(e, &QLineEdit::textEdited, this, changed);
    for (QSpinBox *s : findChildren<QSpinBox *>())
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (QCheckBox *c : findChildren<QCheckBox *>())
        connect(c, &QCheckBox::toggled, this, changed);
    for (QComboBox *c : {m_ui->versionCombo, m_ui->sendFormatCombo, m_ui->recvFormatCombo})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    connect(m_ui->willCheck, &QCheckBox::toggled, this, &ConfigPanel::updateLocks);
    connect(m_ui->aliAuthCheck, &QCheckBox::toggled, this, &ConfigPanel::updateLocks);
    connect(m_ui->sslCheck, &QCheckBox::toggled, this, &ConfigPanel::updateLocks);
    connect(m_ui->sslCheck, &QCheckBox::toggled, this, [this](bool on) {
        // A slot switched to TLS by hand gets its own SSL index, unless one was chosen: 0,0 is the untouched
        // default, and sharing it would let another slot's upload replace this slot's material.
        const int slot = currentSlot();
        if (on && !m_loading && m_ui->sslContextSpin->value() == 0 && m_ui->sslConnectSpin->value() == 0)
            m_ui->sslConnectSpin->setValue(SslIndex::defaultFor(slot).connectId);
    });

    connect(m_ui->applyButton, &QPushButton::clicked, this, [this] {
        storeSlot();
        const int s = currentSlot();
        if (m_controller.runsWithOtherSettings(s))
            applyToRunningSlot(s);
        else
            showResult(m_controller.applyConfig(s), tr("Settings sent to slot %1.").arg(s));
    });
    connect(m_ui->startButton, &QPushButton::clicked, this, [this] {
        storeSlot();
        const int s = currentSlot();
        if (m_controller.runsWithOtherSettings(s))
            applyToRunningSlot(s); // Start on a running slot: the form's settings reach it only this way
        else if (startSlot(s, tr("Starting slot %1.").arg(s)))
            follow(s, Following::Start);
    });
    connect(m_ui->stopButton, &QPushButton::clicked, this, [this] {
        const int s = currentSlot();
        const Validated<quint64> stopped = m_controller.stop(s);
        showResult(stopped, tr("Stopping slot %1.").arg(s));
        if (stopped)
            follow(s, Following::Stop);
    });
    connect(&m_controller, &ModuleController::slotChanged, this, [this](int slot) {
        if (m_following != Following::Nothing && slot == m_followedSlot)
            showProgress(slot);
        if (slot == currentSlot())
            updateLocks();
        // The lines about a slot that runs with its own settings go when it stops or starts; a message
        // received changes neither (and comes often), so only a move of the slot is looked at.
        const auto where = std::pair(m_controller.status(slot).state, m_controller.status(slot).wanted);
        if (std::exchange(m_slotWhere[size_t(slot)], where) != where)
            showProfileState();
    });
    m_ui->profileNoticeLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_ui->profileNoticeLabel->hide();
    m_ui->slotNoticeLabel->hide();

    connect(m_ui->profileCombo, &QComboBox::textActivated, this, &ConfigPanel::switchProfile);
    connect(m_ui->saveProfileButton, &QPushButton::clicked, this, [this] { saveProfile(false); });
    auto *profileMenu = new QMenu(this);
    profileMenu->addAction(tr("Save &as…"), this, [this] { saveProfile(true); });
    profileMenu->addAction(tr("&Delete"), this, &ConfigPanel::deleteProfile);
    profileMenu->addSeparator();
    profileMenu->addAction(tr("&Import from JSON…"), this, &ConfigPanel::importProfile);
    profileMenu->addAction(tr("&Export as JSON…"), this, &ConfigPanel::exportProfile);
    m_ui->profileMenuButton->setMenu(profileMenu);
    connect(m_ui->certificatesButton, &QPushButton::clicked, this, &ConfigPanel::openCertificates);
    connect(m_keeper, &SecLevelKeeper::notice, this, [this](const QString &text) { showResult(quint64(0), text); });

    // Scrolling the form must not turn the wheel of a spin box or a combo box under the pointer: values
    // change only when the user is in the field.
    for (QWidget *w : findChildren<QWidget *>()) {
        if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w)) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(this);
        }
    }

    reloadProfileNames();
    loadSlot(0);
    m_saved = profile();
}

ConfigPanel::~ConfigPanel() = default;

int ConfigPanel::currentSlot() const
{
    return m_ui->slotCombo->currentData().toInt();
}

void ConfigPanel::setProfile(const Profile &profile)
{
    m_profile = profile;
    for (int s = 0; s < SlotCount; ++s) {
        // A profile's secrets come from the keychain (loadSecrets() below), never from the profile that was
        // loaded before: another profile's password must not go to this profile's broker.
        Profile::SlotSetup &setup = m_profile.slots[size_t(s)];
        setup.hasPassword = setup.hasPassword || !setup.config.password.isEmpty();
        setup.hasDeviceSecret = setup.hasDeviceSecret || !setup.config.deviceSecret.isEmpty();
        setup.config.password.clear();
        setup.config.deviceSecret.clear();
        m_controller.setConfig(s, setup.config);
        // A running slot goes on as it was started; the others take the profile's subscriptions now.
        const SlotStatus &status = m_controller.status(s);
        m_keepsItsSession[size_t(s)] = status.wanted || status.state != SlotState::Closed;
        if (!m_keepsItsSession[size_t(s)])
            syncSubscriptions(s, setup.subscriptions);
    }
    if (profile.autoRecovery)
        m_controller.setAutoRecovery(*profile.autoRecovery);
    m_tls.clear();
    m_reportedLengths.clear();
    m_keeper->clear();
    for (const Profile::TlsReference &t : profile.tls) {
        m_tls[t.index].secLevel = t.secLevel;
        m_keeper->setLevel(t.index, t.secLevel);
    }
    reloadProfileNames();
    loadSlot(currentSlot());
    m_saved = this->profile();
    Q_EMIT profileChanged(profile.name);
    loadSecrets();
}

Profile ConfigPanel::profile() const
{
    Profile p = m_profile;
    for (int s = 0; s < SlotCount; ++s) {
        if (!m_keepsItsSession[size_t(s)])
            p.slots[size_t(s)].subscriptions = liveSubscriptions(s);
    }
    p.autoRecovery = m_controller.autoRecovery();
    return p;
}

bool ConfigPanel::hasUnsavedChanges() const
{
    return profile() != m_saved;
}

void ConfigPanel::keepAsSaved()
{
    m_saved = profile();
}

QList<QPair<QByteArray, int>> ConfigPanel::liveSubscriptions(int s) const
{
    QList<QPair<QByteArray, int>> subscriptions;
    for (const Subscription &sub : m_controller.status(s).subscriptions)
        subscriptions.append({sub.filter, sub.requestedQos});
    return subscriptions;
}

void ConfigPanel::syncSubscriptions(int s, const QList<QPair<QByteArray, int>> &subscriptions)
{
    const QList<QPair<QByteArray, int>> live = liveSubscriptions(s);
    for (const auto &[filter, qos] : live) {
        if (!subscriptions.contains(QPair<QByteArray, int>{filter, qos}))
            m_controller.unsubscribe(s, filter);
    }
    for (const auto &[filter, qos] : subscriptions) {
        if (!live.contains(QPair<QByteArray, int>{filter, qos}))
            m_controller.subscribe(s, filter, qos);
    }
}

QString ConfigPanel::displayName() const
{
    return m_profile.name.isEmpty() ? tr("(unnamed)") : m_profile.name;
}

void ConfigPanel::settleUnsavedChanges(const QString &question, std::function<void()> proceed)
{
    if (!hasUnsavedChanges()) {
        proceed();
        return;
    }
    asyncdialogs::askToSave(
        this, tr("Unsaved changes"), tr("The profile \"%1\" has changes that are not saved.").arg(displayName()),
        question, [this, proceed] { saveProfile(false, proceed); }, proceed);
}

void ConfigPanel::showProfileState()
{
    QStringList lines;
    if (!m_secretsLoading) {
        QStringList missing;
        for (const Profile::MissingSecret &m : m_profile.missingSecrets()) {
            missing.append(m.kind == Profile::MissingSecret::Password ? tr("the password of slot %1").arg(m.slot)
                                                                      : tr("the device secret of slot %1").arg(m.slot));
        }
        if (!missing.isEmpty()) {
            lines.append(tr("Not in %1: %2. Type them, then save the profile.")
                             .arg(m_secrets.description(), missing.join(QStringLiteral(", "))));
        }
    }
    QStringList keeping;
    for (int s = 0; s < SlotCount; ++s) {
        if (m_keepsItsSession[size_t(s)] && m_controller.runsWithOtherSettings(s))
            keeping.append(QString::number(s));
    }
    if (!keeping.isEmpty()) {
        lines.append(tr("Running as they were started, not as this profile says: slot %1. Apply reconnects a slot "
                        "with this profile.")
                         .arg(keeping.join(QStringLiteral(", "))));
    }
    m_ui->profileNoticeLabel->setText(lines.join(u'\n'));
    m_ui->profileNoticeLabel->setVisible(!lines.isEmpty());

    const int s = currentSlot();
    QString slotLine;
    if (m_controller.needsReconnectToApply(s)) {
        slotLine = tr("Slot %1 is %2 with the settings it was started with, not these: Apply reconnects it with "
                      "these.")
                       .arg(s)
                       .arg(SlotStateText::name(m_controller.status(s).state).toLower());
    } else if (m_controller.runsWithOtherSettings(s)) {
        slotLine = tr("Slot %1 runs with other settings than these: Apply sends them.").arg(s);
    }
    m_ui->slotNoticeLabel->setText(slotLine);
    m_ui->slotNoticeLabel->setVisible(!slotLine.isEmpty());
    m_ui->applyButton->setText(m_controller.needsReconnectToApply(s) ? tr("&Apply and reconnect")
                                                                     : tr("&Apply settings"));
    markSecretFields();
}

void ConfigPanel::markSecretFields()
{
    const Profile::SlotSetup &setup = m_profile.slots[size_t(currentSlot())];
    const std::pair<QLineEdit *, bool> fields[] = {
        {m_ui->passwordEdit, !m_secretsLoading && setup.passwordMissing()},
        {m_ui->deviceSecretEdit, !m_secretsLoading && setup.deviceSecretMissing()}};
    for (const auto &[edit, missing] : fields) {
        edit->setPlaceholderText(missing ? tr("not in %1: type it").arg(m_secrets.description()) : QString());
        edit->setToolTip(missing ? tr("The profile \"%1\" was saved with one, but %2 does not have it.")
                                       .arg(displayName(), m_secrets.description())
                                 : QString());
        const QString style = missing ? QStringLiteral("border: 1px solid #b00020") : QString();
        if (edit != m_marked && edit->styleSheet() != style) // a style sheet set again restyles the field
            edit->setStyleSheet(style);
    }
}

void ConfigPanel::loadSecrets()
{
    const int generation = ++m_secretsGeneration;
    if (m_profile.name.isEmpty()) { // never saved: the store has nothing under no name
        m_secretsLoading = false;
        showProfileState();
        Q_EMIT secretsLoaded(true);
        return;
    }
    m_secretsLoading = true;
    ProfileSecrets(m_secrets).load(
        m_profile.name, m_profile.tlsIndices(), this,
        [this, generation](const ProfileSecretValues &values, const SecretBatchOutcome &outcome) {
            if (generation != m_secretsGeneration)
                return; // another profile was chosen meanwhile
            m_secretsLoading = false;
            for (int s = 0; s < SlotCount; ++s) {
                SlotConfig &config = m_profile.slots[size_t(s)].config;
                // What the store has for this profile, and nothing else.
                config.password = values.passwords[size_t(s)];
                config.deviceSecret = values.deviceSecrets[size_t(s)];
                SlotConfig live = m_controller.config(s);
                live.password = config.password;
                live.deviceSecret = config.deviceSecret;
                m_controller.setConfig(s, live);
                // Read back is not an edit.
                m_saved.slots[size_t(s)].config.password = config.password;
                m_saved.slots[size_t(s)].config.deviceSecret = config.deviceSecret;
                // The same profile loaded again over its running slot: the slot follows it as before.
                if (m_keepsItsSession[size_t(s)] && !m_controller.runsWithOtherSettings(s) &&
                    liveSubscriptions(s) == m_profile.slots[size_t(s)].subscriptions)
                    m_keepsItsSession[size_t(s)] = false;
            }
            for (auto it = values.tls.cbegin(); it != values.tls.cend(); ++it) {
                const int level = m_tls[it.key()].secLevel; // not secret: from the profile
                m_tls[it.key()] = it.value();
                m_tls[it.key()].secLevel = level;
            }
            loadSlot(currentSlot());
            if (!outcome.ok()) {
                showError(tr("The passwords, secrets and keys of \"%1\" could not be read from %2: %3")
                              .arg(m_profile.name, m_secrets.description(), outcome.problems.first()));
            }
            Q_EMIT secretsLoaded(outcome.ok());
            if (std::exchange(m_startWhenLoaded, false))
                startProfile();
        });
}

QString ConfigPanel::whyNotStartable(int s)
{
    if (m_secretsLoading) {
        return tr("The passwords and secrets of \"%1\" are still being read from %2; start again in a moment.")
            .arg(displayName(), m_secrets.description());
    }
    const Profile::SlotSetup &setup = m_profile.slots[size_t(s)];
    QLineEdit *field = setup.passwordMissing()       ? m_ui->passwordEdit
                       : setup.deviceSecretMissing() ? m_ui->deviceSecretEdit
                                                     : nullptr;
    if (!field)
        return {};
    if (s == currentSlot())
        field->setFocus();
    return tr("Slot %1 cannot start: the profile \"%2\" was saved with its %3, and %4 does not have it. Type it "
              "in %5 (and save the profile to keep it).")
        .arg(s)
        .arg(displayName(), field == m_ui->passwordEdit ? tr("password") : tr("device secret"), m_secrets.description(),
             field == m_ui->passwordEdit ? tr("Password") : tr("Device secret"));
}

bool ConfigPanel::startSlot(int s, const QString &starting)
{
    if (const QString why = whyNotStartable(s); !why.isEmpty()) {
        showError(why);
        return false;
    }
    // The slot starts as the profile says, its subscriptions included.
    syncSubscriptions(s,
                      m_keepsItsSession[size_t(s)] ? m_profile.slots[size_t(s)].subscriptions : liveSubscriptions(s));
    m_keepsItsSession[size_t(s)] = false;
    const Validated<quint64> started = m_controller.start(s);
    showResult(started, starting);
    return started.ok();
}

void ConfigPanel::applyToRunningSlot(int s)
{
    if (!m_controller.needsReconnectToApply(s)) {
        showResult(m_controller.applyConfig(s), tr("Settings sent to slot %1.").arg(s));
        return;
    }
    if (const QString why = whyNotStartable(s); !why.isEmpty()) {
        showError(why);
        return;
    }
    const QString state = SlotStateText::name(m_controller.status(s).state).toLower();
    asyncdialogs::confirm(this, tr("Apply and reconnect"),
                          tr("Slot %1 is %2 with the settings it was started with. Applying these reconnects it: it "
                             "disconnects, and is configured, opened, connected and subscribed again with them.\n\n"
                             "Reconnect slot %1 now?")
                              .arg(s)
                              .arg(state),
                          [this, s] {
                              const auto subscriptions = m_keepsItsSession[size_t(s)]
                                                             ? m_profile.slots[size_t(s)].subscriptions
                                                             : liveSubscriptions(s);
                              const Validated<quint64> reconnecting = m_controller.reconnectWithConfig(s);
                              showResult(reconnecting, tr("Slot %1 reconnects with these settings.").arg(s));
                              if (!reconnecting)
                                  return;
                              // Down now: the profile's filters go out when it is connected again.
                              m_keepsItsSession[size_t(s)] = false;
                              syncSubscriptions(s, subscriptions);
                              follow(s, Following::Start);
                              showProfileState();
                          });
}

void ConfigPanel::startProfile()
{
    if (m_secretsLoading) {
        // Starting now would connect without the passwords still on their way from the keychain.
        m_startWhenLoaded = true;
        return;
    }
    QString refusal;
    for (int s = 0; s < SlotCount; ++s) {
        const Profile::SlotSetup &setup = m_profile.slots[size_t(s)];
        if (!setup.enabled)
            continue;
        const bool started = startSlot(s, tr("Starting the profile's slots."));
        if (!started && refusal.isEmpty())
            refusal = m_ui->errorLabel->text();
        // The line follows the slot on show if it is one of the profile's, else the first one started.
        if (started && (s == currentSlot() || m_following == Following::Nothing))
            follow(s, Following::Start);
    }
    // The other slots start; the line keeps saying why one did not.
    if (!refusal.isEmpty())
        showError(refusal);
}

void ConfigPanel::unmarkField()
{
    if (m_marked)
        m_marked->setStyleSheet(QString());
    m_marked = nullptr;
    disconnect(m_unmarkOnEdit);
    markSecretFields(); // a missing secret stays marked
}

void ConfigPanel::loadSlot(int slot)
{
    unmarkField(); // another slot's values: the mark was about this one's
    m_loading = true;
    const SlotConfig &c = m_controller.config(slot);
    m_ui->enabledCheck->setChecked(m_profile.slots[size_t(slot)].enabled);
    m_ui->hostEdit->setText(QString::fromUtf8(c.host));
    m_ui->portSpin->setValue(c.port);
    m_ui->clientIdEdit->setText(QString::fromUtf8(c.clientId));
    m_ui->userEdit->setText(QString::fromUtf8(c.userName));
    m_ui->passwordEdit->setText(QString::fromUtf8(c.password));
    m_ui->willCheck->setChecked(c.will.enabled);
    m_ui->willQosSpin->setValue(c.will.qos);
    m_ui->willRetainCheck->setChecked(c.will.retain);
    m_ui->willTopicEdit->setText(QString::fromUtf8(c.will.topic));
    m_ui->willMessageEdit->setText(QString::fromUtf8(c.will.message));
    m_ui->cleanSessionCheck->setChecked(c.cleanSession);
    m_ui->keepAliveSpin->setValue(c.keepAliveS);
    m_ui->versionCombo->setCurrentIndex(m_ui->versionCombo->findData(c.version));
    m_ui->aliAuthCheck->setChecked(c.aliAuthEnabled);
    m_ui->productKeyEdit->setText(QString::fromUtf8(c.productKey));
    m_ui->deviceNameEdit->setText(QString::fromUtf8(c.deviceName));
    m_ui->deviceSecretEdit->setText(QString::fromUtf8(c.deviceSecret));
    m_ui->sslCheck->setChecked(c.sslEnabled);
    m_ui->sslContextSpin->setValue(c.sslContextId);
    m_ui->sslConnectSpin->setValue(c.sslConnectId);
    m_ui->pktTimeoutSpin->setValue(c.pktTimeoutS);
    m_ui->retrySpin->setValue(c.retryTimes);
    m_ui->timeoutNoticeCheck->setChecked(c.timeoutNotice);
    m_ui->showRecvLenCheck->setChecked(c.showRecvLen);
    m_ui->echoModeCheck->setChecked(c.echoMode);
    m_ui->sendFormatCombo->setCurrentIndex(m_ui->sendFormatCombo->findData(int(c.sendFormat)));
    m_ui->recvFormatCombo->setCurrentIndex(m_ui->recvFormatCombo->findData(int(c.recvFormat)));
    m_loading = false;
    m_ui->errorLabel->clear();
    updateLocks();
    showProfileState();
}

SlotConfig ConfigPanel::formConfig() const
{
    SlotConfig c;
    c.host = m_ui->hostEdit->text().trimmed().toUtf8();
    c.port = m_ui->portSpin->value();
    c.clientId = m_ui->clientIdEdit->text().toUtf8();
    c.userName = m_ui->userEdit->text().toUtf8();
    c.password = m_ui->passwordEdit->text().toUtf8();
    c.will = WillConfig{m_ui->willCheck->isChecked(), m_ui->willQosSpin->value(), m_ui->willRetainCheck->isChecked(),
                        m_ui->willTopicEdit->text().toUtf8(), m_ui->willMessageEdit->text().toUtf8()};
    c.cleanSession = m_ui->cleanSessionCheck->isChecked();
    c.keepAliveS = m_ui->keepAliveSpin->value();
    c.version = m_ui->versionCombo->currentData().toInt();
    c.aliAuthEnabled = m_ui->aliAuthCheck->isChecked();
    c.productKey = m_ui->productKeyEdit->text().toUtf8();
    c.deviceName = m_ui->deviceNameEdit->text().toUtf8();
    c.deviceSecret = m_ui->deviceSecretEdit->text().toUtf8();
    c.sslEnabled = m_ui->sslCheck->isChecked();
    c.sslContextId = m_ui->sslContextSpin->value();
    c.sslConnectId = m_ui->sslConnectSpin->value();
    c.pktTimeoutS = m_ui->pktTimeoutSpin->value();
    c.retryTimes = m_ui->retrySpin->value();
    c.timeoutNotice = m_ui->timeoutNoticeCheck->isChecked();
    c.showRecvLen = m_ui->showRecvLenCheck->isChecked();
    c.echoMode = m_ui->echoModeCheck->isChecked();
    c.sendFormat = DataFormat(m_ui->sendFormatCombo->currentData().toInt());
    c.recvFormat = DataFormat(m_ui->recvFormatCombo->currentData().toInt());
    return c;
}

void ConfigPanel::storeSlot()
{
    const int s = currentSlot();
    const SlotConfig c = formConfig();
    m_controller.setConfig(s, c);
    Profile::SlotSetup &setup = m_profile.slots[size_t(s)];
    // An edit of a secret decides whether the profile has one; other edits leave a missing one missing.
    if (c.password != setup.config.password)
        setup.hasPassword = !c.password.isEmpty();
    if (c.deviceSecret != setup.config.deviceSecret)
        setup.hasDeviceSecret = !c.deviceSecret.isEmpty();
    setup.config = c;
    setup.enabled = m_ui->enabledCheck->isChecked();
    showProfileState();
}

void ConfigPanel::updateLocks()
{
    // The note: "will", "session", "keepalive", "aliauth", "version" and "ssl" count only when set before
    // AT+QMTOPEN. While the slot is open, they are locked and the box says why.
    const bool closed = m_controller.status(currentSlot()).state == SlotState::Closed;
    m_ui->beforeOpenBox->setEnabled(closed);
    m_ui->orderRuleLabel->setVisible(true);
    m_ui->beforeOpenBox->setToolTip(closed ? QString()
                                           : tr("Slot %1 is %2: these settings would not take effect. Stop the slot "
                                                "to change them.")
                                                 .arg(currentSlot())
                                                 .arg(SlotStateText::name(m_controller.status(currentSlot()).state)));
    const bool will = m_ui->willCheck->isChecked();
    for (QWidget *w : {static_cast<QWidget *>(m_ui->willQosSpin), static_cast<QWidget *>(m_ui->willRetainCheck),
                       static_cast<QWidget *>(m_ui->willTopicEdit), static_cast<QWidget *>(m_ui->willMessageEdit)})
        w->setEnabled(will);
    const bool ali = m_ui->aliAuthCheck->isChecked();
    for (QWidget *w : {m_ui->productKeyEdit, m_ui->deviceNameEdit, m_ui->deviceSecretEdit})
        w->setEnabled(ali);
    const bool ssl = m_ui->sslCheck->isChecked();
    for (QWidget *w : {m_ui->sslContextSpin, m_ui->sslConnectSpin})
        w->setEnabled(ssl);
}

void ConfigPanel::follow(int slot, Following what)
{
    m_following = what;
    m_followedSlot = slot;
    showProgress(slot); // it may be there already, or get there without another change
}

void ConfigPanel::showProgress(int slot)
{
    // Until the slot gets where Start or Stop sends it (or gives up), the line under the buttons says where
    // it stands, so a "Starting…" or "Stopping…" never stays behind after the fact.
    const SlotStatus &status = m_controller.status(slot);
    if (m_following == Following::Stop) {
        if (!status.lastError.isEmpty()) {
            m_following = Following::Nothing;
            setStatusLine(tr("Slot %1: %2").arg(slot).arg(status.lastError), true);
        } else if (status.state == SlotState::Closed) {
            m_following = Following::Nothing;
            setStatusLine(tr("Slot %1 stopped.").arg(slot), false);
        } else {
            setStatusLine(tr("Slot %1: %2…").arg(slot).arg(SlotStateText::name(status.state)), false);
        }
        return;
    }
    if (status.state == SlotState::Connected) {
        m_following = Following::Nothing;
        setStatusLine(tr("Slot %1 connected.").arg(slot), false);
    } else if (!status.lastError.isEmpty()) {
        m_following = Following::Nothing;
        // The failure, then what to do about it here; the note's advice, in AT terms, as the detail.
        const SlotConfig &tried = m_controller.sessionConfig(slot).value_or(m_controller.config(slot));
        const SlotAdvice advice =
            SlotAdvice::forFailure(status.lastFailure, tried.sslEnabled, m_controller.autoRecovery());
        QString line = tr("Slot %1: %2").arg(slot).arg(status.lastError);
        if (!advice.action.isEmpty())
            line += (line.endsWith(QLatin1Char('.')) ? QStringLiteral(" ") : QStringLiteral(". ")) + advice.action;
        setStatusLine(line, true, advice.detail);
    } else if (status.state == SlotState::Closed) {
        setStatusLine(tr("Starting slot %1: configuring…").arg(slot), false); // AT+QMTCFG goes first
    } else {
        setStatusLine(tr("Slot %1: %2…").arg(slot).arg(SlotStateText::name(status.state)), false);
    }
}

void ConfigPanel::showResult(const Validated<quint64> &result, const QString &done)
{
    if (result) {
        m_following = Following::Nothing;
        unmarkField();
        setStatusLine(done, false);
    } else {
        showInvalidField(result.error());
    }
}

bool ConfigPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        if (auto *w = qobject_cast<QWidget *>(watched); w && !w->hasFocus()) {
            // The wheel scrolls the form the field sits in, as it would anywhere else in it.
            for (QWidget *p = w->parentWidget(); p; p = p->parentWidget()) {
                if (auto *area = qobject_cast<QAbstractScrollArea *>(p)) {
                    QCoreApplication::sendEvent(area->verticalScrollBar(), event);
                    break;
                }
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ConfigPanel::showInvalidField(const ValidationError &error)
{
    // The message names the note's parameter; the user looks for a field: name it by its label, mark it and
    // put the cursor in it. The mark goes with the next edit.
    const std::pair<const char *, QLineEdit *> fields[] = {{"host_name", m_ui->hostEdit},
                                                           {"clientID", m_ui->clientIdEdit},
                                                           {"username", m_ui->userEdit},
                                                           {"password", m_ui->passwordEdit},
                                                           {"will_topic", m_ui->willTopicEdit},
                                                           {"will_msg", m_ui->willMessageEdit},
                                                           {"product_key", m_ui->productKeyEdit},
                                                           {"device_name", m_ui->deviceNameEdit},
                                                           {"device_secret", m_ui->deviceSecretEdit}};
    for (const auto &[parameter, edit] : fields) {
        if (error.parameter != QLatin1String(parameter))
            continue;
        QString label;
        if (const auto *form = qobject_cast<QFormLayout *>(edit->parentWidget()->layout())) {
            if (const auto *caption = qobject_cast<QLabel *>(form->labelForField(edit)))
                label = caption->text().remove(QLatin1Char('&'));
        }
        unmarkField();
        edit->setStyleSheet(QStringLiteral("border: 1px solid #b00020"));
        m_marked = edit;
        m_unmarkOnEdit = connect(edit, &QLineEdit::textEdited, this, [this] {
            unmarkField();
            setStatusLine(QString(), false); // the message was about what is being fixed
        });
        edit->setFocus();
        showError(label.isEmpty() ? error.message() : label + QStringLiteral(": ") + error.message());
        return;
    }
    showError(error.message());
}

void ConfigPanel::showError(const QString &text)
{
    m_following = Following::Nothing;
    setStatusLine(text, true);
}

void ConfigPanel::setStatusLine(const QString &text, bool isError, const QString &detail)
{
    m_ui->errorLabel->setToolTip(detail);
    m_ui->errorLabel->setStyleSheet(isError ? QStringLiteral("color: #b00020") : QString());
    m_ui->errorLabel->setText(text);
}

void ConfigPanel::reloadProfileNames()
{
    const QSignalBlocker block(m_ui->profileCombo);
    m_ui->profileCombo->clear();
    QStringList names = m_store.names();
    if (!names.contains(displayName()))
        names.prepend(displayName());
    m_ui->profileCombo->addItems(names);
    m_ui->profileCombo->setCurrentText(displayName());
}

void ConfigPanel::switchProfile(const QString &name)
{
    if (name == displayName())
        return;
    settleUnsavedChanges(tr("Save them before switching to \"%1\"?").arg(name), [this, name] {
        if (auto loaded = m_store.load(name))
            setProfile(*loaded);
    });
    reloadProfileNames(); // the list shows the profile in use until the question is answered
}

void ConfigPanel::saveProfile(bool asNew, std::function<void()> saved)
{
    storeSlot();
    if (asNew || m_profile.name.isEmpty()) {
        asyncdialogs::askText(this, asNew ? tr("Save profile as") : tr("Save profile"), tr("Profile name:"),
                              m_profile.name, [this, saved](const QString &name) {
                                  m_profile.name = name;
                                  saveProfile(false, saved);
                              });
        return;
    }
    const Profile saving = profile();
    m_store.save(saving);
    m_saved = saving;
    reloadProfileNames();
    showResult(quint64(0), tr("Profile \"%1\" saved; saving its secrets…").arg(m_profile.name));
    saveSecrets(std::move(saved));
}

void ConfigPanel::saveSecrets(std::function<void()> saved)
{
    const QString name = m_profile.name;
    ProfileSecrets(m_secrets).save(
        name, ProfileSecretValues::of(m_profile, m_tls), this,
        [this, name, saved = std::move(saved)](const SecretBatchOutcome &outcome) {
            QString message;
            if (!outcome.ok()) {
                message = tr("Profile \"%1\" saved, but not its passwords, secrets and keys: %2")
                              .arg(name, outcome.problems.first());
                showError(message);
            } else {
                message = m_secrets.persistent()
                              ? tr("Profile \"%1\" saved; its passwords, secrets and keys are in %2.")
                                    .arg(name, m_secrets.description())
                              : tr("Profile \"%1\" saved; its passwords, secrets and keys are kept in %2.")
                                    .arg(name, m_secrets.description());
                showResult(quint64(0), message);
            }
            Q_EMIT secretsSaved(outcome.ok(), message);
            if (outcome.ok() && saved)
                saved();
        });
}

void ConfigPanel::deleteProfile()
{
    const QString name = m_profile.name;
    if (name.isEmpty())
        return; // never saved
    asyncdialogs::confirm(this, tr("Delete profile"), tr("Delete the profile \"%1\"?").arg(name), [this, name] {
        m_store.remove(name);
        ProfileSecrets(m_secrets).remove(
            name, m_profile.tlsIndices(), this, [this, name](const SecretBatchOutcome &outcome) {
                if (!outcome.ok()) {
                    showError(tr("The passwords, secrets and keys of \"%1\" could not be removed from %2: %3")
                                  .arg(name, m_secrets.description(), outcome.problems.first()));
                }
            });
        reloadProfileNames();
    });
}

void ConfigPanel::importProfile()
{
    settleUnsavedChanges(tr("Save them before importing another profile?"), [this] {
        asyncdialogs::openFile(this, tr("Import profile"), tr("Profiles (*.json)"),
                               [this](const QString &path) { importProfileFrom(path); });
    });
}

void ConfigPanel::importProfileFrom(const QString &path)
{
    const auto imported = ProfileStore::importFrom(path);
    if (!imported) {
        showResult(imported.error(), {});
        return;
    }
    setProfile(*imported);
    m_saved = Profile{}; // imported, not saved: quitting or switching asks
    showResult(quint64(0), tr("Imported \"%1\". Passwords and secrets are not part of profiles.").arg(imported->name));
}

void ConfigPanel::exportProfile()
{
    storeSlot();
    const QString suggested = m_profile.name.isEmpty() ? tr("profile") : m_profile.name;
    asyncdialogs::saveFile(this, tr("Export profile"), suggested + QStringLiteral(".json"), tr("Profiles (*.json)"),
                           [this](const QString &path) {
                               QString error;
                               if (ProfileStore::exportTo(profile(), path, &error))
                                   showResult(quint64(0),
                                              tr("Exported to %1 (without passwords, secrets and keys).").arg(path));
                               else
                                   showError(tr("Cannot write %1: %2").arg(path, error));
                           });
}

CertificateWizard *ConfigPanel::certificateWizard() const
{
    return m_wizard;
}

void ConfigPanel::openCertificateWizard()
{
    if (m_wizard) {
        m_wizard->raise();
        m_wizard->activateWindow();
        return;
    }
    storeSlot();
    const int slot = currentSlot();
    m_wizard = new CertificateWizard(m_controller, this);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    m_wizard->setStart(m_tls, slot, m_controller.config(slot));
    connect(m_wizard, &CertificateWizard::tested, this, [this](bool ok) {
        if (m_wizard)
            takeTested(m_wizard->state().index, ok);
    });
    m_wizard->setSaveOffer(tr("Save the profile \"%1\": its certificates, key and passwords go to %2")
                               .arg(displayName(), m_secrets.description()));
    connect(m_wizard, &CertificateWizard::uploaded, this,
            [this](const TlsMaterial &material, const TlsCheckReport &report, int uploadedSlot) {
                if (m_wizard)
                    takeUploaded(material, report, uploadedSlot, m_wizard->state().index);
            });
    connect(m_wizard, &QDialog::accepted, this, [this] {
        if (m_wizard && m_wizard->saveRequested())
            saveProfile(false);
    });
    m_wizard->show();
}

void ConfigPanel::takeUploaded(const TlsMaterial &material, const TlsCheckReport &report, int slot, SslIndex index)
{
    m_tls[index] = material;
    m_profile.setTls(Profile::TlsReference{
        index, material.secLevel, report.caCertificates.isEmpty() ? QString() : report.caCertificates.first().sha256,
        report.clientCertificates.isEmpty() ? QString() : report.clientCertificates.first().sha256,
        !material.clientKey.isEmpty(), !material.keyPassphrase.isEmpty(), Profile::TlsReference::Test::Untested});
    m_keeper->setLevel(index, material.secLevel);
    QMap<SslItem, int> &reported = m_reportedLengths[index];
    reported.clear();
    if (m_wizard) {
        for (const SslItem item : {SslItem::CaCert, SslItem::ClientCert, SslItem::ClientKey}) {
            if (const auto length = m_wizard->uploadPage().uploader().reportedLength(item))
                reported.insert(item, *length);
        }
    }
    // The wizard set the slot's broker, client ID and SSL in the controller: the form and profile follow.
    m_profile.slots[size_t(slot)].config = m_controller.config(slot);
    if (slot == currentSlot())
        loadSlot(slot);
    else
        m_ui->slotCombo->setCurrentIndex(m_ui->slotCombo->findData(slot));
}

void ConfigPanel::takeTested(SslIndex index, bool ok)
{
    if (Profile::TlsReference *t = m_profile.tlsAt(index))
        t->lastTest = ok ? Profile::TlsReference::Test::Passed : Profile::TlsReference::Test::Failed;
}

void ConfigPanel::openCertificates()
{
    if (!m_certificates) {
        m_certificates = new CertificatesDialog(m_controller, this);
        connect(m_certificates, &CertificatesDialog::wizardRequested, this, [this] {
            m_certificates->close();
            openCertificateWizard();
        });
    }
    const QString storage = m_secrets.persistent() ? tr("%1 when the profile is saved").arg(m_secrets.description())
                                                   : m_secrets.description();
    QList<CertificatesDialog::IndexMaterial> entries;
    for (auto it = m_tls.cbegin(); it != m_tls.cend(); ++it) {
        CertificatesDialog::IndexMaterial e{it.key(), it.value(), {}, m_reportedLengths.value(it.key()), {}};
        if (const Profile::TlsReference *t = m_profile.tlsAt(it.key()))
            e.lastTest = t->lastTest;
        for (int s = 0; s < SlotCount; ++s) {
            const SlotConfig &config = m_controller.config(s);
            if (config.sslEnabled && SslIndex::of(config) == it.key())
                e.slots.append(s);
        }
        entries.append(e);
    }
    const int slot = currentSlot();
    m_certificates->showMaterial(displayName(), entries, slot, SslIndex::proposedFor(slot, m_controller.config(slot)),
                                 storage);
}

} // namespace qmt
