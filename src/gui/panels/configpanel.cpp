#include "gui/panels/configpanel.h"

#include "gui/panels/asyncdialogs.h"
#include "gui/panels/slotform.h"
#include "ui_configpanel.h"

#include "core/secrets/secretstore.h"
#include "core/tls/seclevelkeeper.h"
#include "core/tls/tlsmaterialcheck.h"
#include "gui/models/slotadvice.h"
#include "gui/wizards/tlsmaterialwindows.h"

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

ConfigPanel::ConfigPanel(ModuleController &controller, ProfileManager &profiles, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ConfigPanel>())
    , m_controller(controller)
    , m_profiles(profiles)
    , m_tlsWindows(new TlsMaterialWindows(controller, profiles, this))
{
    m_ui->setupUi(this);
    slotform::bind(*m_ui);
    m_ui->errorLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_ui->profileNoticeLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_ui->profileNoticeLabel->hide();
    m_ui->slotNoticeLabel->hide();
    connectForm();
    connectButtons();
    connectProfiles();
    buildProfileMenu();
    keepWheelOffFields();
    reloadProfileNames();
    loadSlot(0);
}

void ConfigPanel::connectForm()
{
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
}

void ConfigPanel::connectButtons()
{
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
    connect(m_ui->certificatesButton, &QPushButton::clicked, this, &ConfigPanel::openCertificates);
    connect(m_tlsWindows, &TlsMaterialWindows::uploaded, this, [this](int slot) {
        // The form follows the slot's configuration as the wizard left it.
        if (slot == currentSlot())
            loadSlot(slot);
        else
            m_ui->slotCombo->setCurrentIndex(m_ui->slotCombo->findData(slot));
    });
    connect(m_tlsWindows, &TlsMaterialWindows::saveRequested, this, [this] { saveProfile(false); });
    connect(m_tlsWindows, &TlsMaterialWindows::wizardRequested, this, &ConfigPanel::openCertificateWizard);
}

void ConfigPanel::connectProfiles()
{
    connect(&m_profiles, &ProfileManager::profileChanged, this, [this] {
        reloadProfileNames();
        loadSlot(currentSlot());
    });
    connect(&m_profiles, &ProfileManager::configsChanged, this, [this] { loadSlot(currentSlot()); });
    connect(&m_profiles, &ProfileManager::stateChanged, this, &ConfigPanel::showProfileState);
    connect(&m_profiles, &ProfileManager::problem, this, &ConfigPanel::showError);
    connect(&m_profiles, &ProfileManager::secretsSaved, this, [this](bool ok, const QString &message) {
        if (ok)
            showResult(quint64(0), message);
        else
            showError(message);
    });
    connect(&m_profiles, &ProfileManager::profileStarted, this, &ConfigPanel::showProfileStarted);
    connect(&m_profiles.secLevelKeeper(), &SecLevelKeeper::notice, this,
            [this](const QString &text) { showResult(quint64(0), text); });
}

void ConfigPanel::buildProfileMenu()
{
    connect(m_ui->profileCombo, &QComboBox::textActivated, this, &ConfigPanel::switchProfile);
    connect(m_ui->saveProfileButton, &QPushButton::clicked, this, [this] { saveProfile(false); });
    auto *profileMenu = new QMenu(this);
    profileMenu->addAction(tr("Save &as…"), this, [this] { saveProfile(true); });
    profileMenu->addAction(tr("&Delete"), this, &ConfigPanel::deleteProfile);
    profileMenu->addSeparator();
    profileMenu->addAction(tr("&Import from JSON…"), this, &ConfigPanel::importProfile);
    profileMenu->addAction(tr("&Export as JSON…"), this, &ConfigPanel::exportProfile);
    m_ui->profileMenuButton->setMenu(profileMenu);
}

void ConfigPanel::keepWheelOffFields()
{
    // Scrolling the form must not turn the wheel of a spin box or a combo box under the pointer: values
    // change only when the user is in the field.
    for (QWidget *w : findChildren<QWidget *>()) {
        if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w)) {
            w->setFocusPolicy(Qt::StrongFocus);
            w->installEventFilter(this);
        }
    }
}

ConfigPanel::~ConfigPanel() = default;

int ConfigPanel::currentSlot() const
{
    return m_ui->slotCombo->currentData().toInt();
}

void ConfigPanel::settleUnsavedChanges(const QString &question, std::function<void()> proceed)
{
    if (!m_profiles.hasUnsavedChanges()) {
        proceed();
        return;
    }
    asyncdialogs::askToSave(
        this, tr("Unsaved changes"),
        tr("The profile \"%1\" has changes that are not saved.").arg(m_profiles.displayName()), question,
        [this, proceed] { saveProfile(false, proceed); }, proceed);
}

void ConfigPanel::showProfileState()
{
    QStringList lines;
    if (!m_profiles.secretsLoading()) {
        QStringList missing;
        for (const Profile::MissingSecret &m : m_profiles.current().missingSecrets()) {
            missing.append(m.kind == Profile::MissingSecret::Password ? tr("the password of slot %1").arg(m.slot)
                                                                      : tr("the device secret of slot %1").arg(m.slot));
        }
        if (!missing.isEmpty()) {
            lines.append(tr("Not in %1: %2. Type them, then save the profile.")
                             .arg(m_profiles.secrets().description(), missing.join(QStringLiteral(", "))));
        }
    }
    QStringList keeping;
    for (int s = 0; s < SlotCount; ++s) {
        if (m_profiles.keepsItsSession(s) && m_controller.runsWithOtherSettings(s))
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
    const Profile::SlotSetup &setup = m_profiles.current().slots[size_t(currentSlot())];
    const bool loading = m_profiles.secretsLoading();
    const QString store = m_profiles.secrets().description();
    const std::pair<QLineEdit *, bool> fields[] = {{m_ui->passwordEdit, !loading && setup.passwordMissing()},
                                                   {m_ui->deviceSecretEdit, !loading && setup.deviceSecretMissing()}};
    for (const auto &[edit, missing] : fields) {
        edit->setPlaceholderText(missing ? tr("not in %1: type it").arg(store) : QString());
        edit->setToolTip(missing ? tr("The profile \"%1\" was saved with one, but %2 does not have it.")
                                       .arg(m_profiles.displayName(), store)
                                 : QString());
        const QString style = missing ? QStringLiteral("border: 1px solid #b00020") : QString();
        if (edit != m_marked && edit->styleSheet() != style) // a style sheet set again restyles the field
            edit->setStyleSheet(style);
    }
}

bool ConfigPanel::startSlot(int s, const QString &starting)
{
    const ProfileManager::SlotStart start = m_profiles.startSlot(s);
    if (start.refused) {
        showRefusal(s, *start.refused);
        return false;
    }
    showResult(start.result, starting);
    return start.result.ok();
}

void ConfigPanel::showRefusal(int s, const ProfileManager::Refusal &refusal)
{
    if (refusal.missing && s == currentSlot()) {
        (*refusal.missing == Profile::MissingSecret::Password ? m_ui->passwordEdit : m_ui->deviceSecretEdit)
            ->setFocus();
    }
    showError(refusal.text);
}

void ConfigPanel::showProfileStarted(const QList<ProfileManager::SlotStart> &starts)
{
    QString refusal;
    for (const ProfileManager::SlotStart &start : starts) {
        const int s = start.slot;
        if (start.refused)
            showRefusal(s, *start.refused);
        else
            showResult(start.result, tr("Starting the profile's slots."));
        const bool started = !start.refused && start.result.ok();
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

void ConfigPanel::applyToRunningSlot(int s)
{
    if (!m_controller.needsReconnectToApply(s)) {
        showResult(m_controller.applyConfig(s), tr("Settings sent to slot %1.").arg(s));
        return;
    }
    if (const auto refusal = m_profiles.refusal(s)) {
        showRefusal(s, *refusal);
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
                              const Validated<quint64> reconnecting = m_profiles.reconnect(s);
                              showResult(reconnecting, tr("Slot %1 reconnects with these settings.").arg(s));
                              if (!reconnecting)
                                  return;
                              follow(s, Following::Start);
                              showProfileState();
                          });
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
    m_ui->enabledCheck->setChecked(m_profiles.current().slots[size_t(slot)].enabled);
    slotform::show(*m_ui, m_controller.config(slot));
    m_loading = false;
    m_ui->errorLabel->clear();
    updateLocks();
    showProfileState();
}

void ConfigPanel::storeSlot()
{
    m_profiles.editSlot(currentSlot(), slotform::read(*m_ui), m_ui->enabledCheck->isChecked());
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
    QStringList names = m_profiles.names();
    const QString shown = m_profiles.displayName();
    if (!names.contains(shown))
        names.prepend(shown);
    m_ui->profileCombo->addItems(names);
    m_ui->profileCombo->setCurrentText(shown);
}

void ConfigPanel::switchProfile(const QString &name)
{
    if (name == m_profiles.displayName())
        return;
    settleUnsavedChanges(tr("Save them before switching to \"%1\"?").arg(name),
                         [this, name] { m_profiles.switchTo(name); });
    reloadProfileNames(); // the list shows the profile in use until the question is answered
}

void ConfigPanel::saveProfile(bool asNew, std::function<void()> saved)
{
    storeSlot();
    const QString name = m_profiles.current().name;
    if (asNew || name.isEmpty()) {
        asyncdialogs::askText(this, asNew ? tr("Save profile as") : tr("Save profile"), tr("Profile name:"), name,
                              [this, saved](const QString &newName) {
                                  m_profiles.setName(newName);
                                  saveProfile(false, saved);
                              });
        return;
    }
    m_profiles.save(std::move(saved));
    reloadProfileNames();
    showResult(quint64(0), tr("Profile \"%1\" saved; saving its secrets…").arg(name));
}

void ConfigPanel::deleteProfile()
{
    const QString name = m_profiles.current().name;
    if (name.isEmpty())
        return; // never saved
    asyncdialogs::confirm(this, tr("Delete profile"), tr("Delete the profile \"%1\"?").arg(name), [this] {
        m_profiles.remove();
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
    const Validated<QString> imported = m_profiles.importFrom(path);
    if (!imported) {
        showResult(imported.error(), {});
        return;
    }
    showResult(quint64(0), tr("Imported \"%1\". Passwords and secrets are not part of profiles.").arg(*imported));
}

void ConfigPanel::exportProfile()
{
    storeSlot();
    const QString suggested = m_profiles.current().name.isEmpty() ? tr("profile") : m_profiles.current().name;
    asyncdialogs::saveFile(this, tr("Export profile"), suggested + QStringLiteral(".json"), tr("Profiles (*.json)"),
                           [this](const QString &path) {
                               QString error;
                               if (m_profiles.exportTo(path, &error))
                                   showResult(quint64(0),
                                              tr("Exported to %1 (without passwords, secrets and keys).").arg(path));
                               else
                                   showError(tr("Cannot write %1: %2").arg(path, error));
                           });
}

CertificateWizard *ConfigPanel::certificateWizard() const
{
    return m_tlsWindows->wizard();
}

CertificatesDialog *ConfigPanel::certificatesDialog() const
{
    return m_tlsWindows->certificatesDialog();
}

void ConfigPanel::openCertificateWizard()
{
    storeSlot(); // the wizard starts from the slot as the form shows it
    m_tlsWindows->openWizard(currentSlot());
}

void ConfigPanel::openCertificates()
{
    m_tlsWindows->openCertificates(currentSlot());
}

} // namespace qmt
