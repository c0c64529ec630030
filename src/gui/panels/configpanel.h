#pragma once

#include "module/modulecontroller.h"
#include "module/profile.h"
#include "tls/tlsmaterial.h"

#include <QMap>
#include <QPointer>
#include <QWidget>
#include <array>
#include <functional>

#include <memory>

class QLineEdit;

namespace Ui {
class ConfigPanel;
}

namespace qmt {

class CertificatesDialog;
class CertificateWizard;
class ProfileStore;
class SecLevelKeeper;
class SecretStore;
struct TlsCheckReport;

/// Per-slot configuration: every AT+QMTCFG option with widgets bounded by the spec table, the broker and
/// the credentials; the order rule (settings before AT+QMTOPEN) enforced and explained; named profiles,
/// exported and imported as JSON; the TLS material (certificate wizard, certificates view).
///
/// Passwords, device secrets, certificates, keys and key passphrases never go to the settings or to an
/// export: saving a profile writes them to the SecretStore (the OS keychain) under the profile's name,
/// loading one reads them back, asynchronously; settings and exports keep references only. A secret the
/// profile refers to and the store does not have is said missing where the user looks — the field, the
/// line under the profile, Start — and a slot that lacks one does not start.
///
/// A running slot keeps the settings it was started with: another profile, or an edit, reaches it only
/// when the user applies it, and the panel asks first because that reconnects the slot. Unsaved changes
/// are never dropped silently: switching profiles, importing or quitting asks to save, discard or cancel.
class ConfigPanel : public QWidget
{
    Q_OBJECT

public:
    ConfigPanel(ModuleController &controller, ProfileStore &store, SecretStore &secrets, QWidget *parent = nullptr);
    ~ConfigPanel() override;

    /// Makes `profile` the current one: its slots' configurations go to the form, its subscriptions to the
    /// slots that are not running, its auto-recovery choice to the controller, and its secrets are read from
    /// the secret store (secretsLoaded() follows). Running slots keep running as they were started.
    void setProfile(const Profile &profile);
    /// The profile as it would be saved now: the form, the secrets in memory, the subscriptions of the
    /// slots that follow the profile, the auto-recovery setting.
    [[nodiscard]] Profile profile() const;
    /// The profile differs from what was last loaded or saved.
    [[nodiscard]] bool hasUnsavedChanges() const;
    /// With unsaved changes, asks (without blocking) whether to save them, discard them or cancel;
    /// `proceed` runs after a successful save or a discard, never on cancel. Without changes it runs now.
    void settleUnsavedChanges(const QString &question, std::function<void()> proceed);
    /// What the panel holds now counts as saved (the command line's choices are this run's, not edits).
    void keepAsSaved();
    /// Switches to the saved profile `name`, asking first about unsaved changes.
    void switchProfile(const QString &name);
    /// Starts the slots the profile enables, subscribing to their filters — once its secrets are read.
    void startProfile();
    [[nodiscard]] int currentSlot() const;
    /// Saves the profile to the settings and its secrets to the secret store (secretsSaved() follows);
    /// `saved` runs when both went well. A profile without a name (or `asNew`) asks for one first.
    void saveProfile(bool asNew, std::function<void()> saved = {});

    /// The certificate wizard, starting from the profile's material and the current slot. One at a time.
    void openCertificateWizard();
    /// What the profile's TLS material is and what the module reported; replace from there.
    void openCertificates();
    [[nodiscard]] CertificateWizard *certificateWizard() const;
    [[nodiscard]] CertificatesDialog *certificatesDialog() const { return m_certificates; }
    /// The profile's material at an SSL index (empty when it has none there).
    [[nodiscard]] TlsMaterial tlsMaterial(SslIndex index) const { return m_tls.value(index); }
    [[nodiscard]] bool secretsLoading() const { return m_secretsLoading; }

Q_SIGNALS:
    void profileChanged(const QString &name);
    void secretsLoaded(bool ok);
    void secretsSaved(bool ok, const QString &message);

private:
    void loadSlot(int slot);
    void storeSlot();
    [[nodiscard]] SlotConfig formConfig() const;
    void updateLocks();
    void showResult(const Validated<quint64> &result, const QString &done);
    void showError(const QString &text);
    void showInvalidField(const ValidationError &error);
    bool eventFilter(QObject *watched, QEvent *event) override;
    void unmarkField();
    /// What the status line follows after a button: a slot on its way up or down.
    enum class Following {
        Nothing,
        Start,
        Stop
    };
    void follow(int slot, Following what);
    /// Subscribes the slot's filters of the profile and starts it; says so (or why not) on the status line.
    bool startSlot(int s, const QString &starting);
    /// Why slot `s` cannot start as the profile says (a secret is missing, or still being read); empty when
    /// it can. Marks the field when the slot is on show.
    QString whyNotStartable(int s);
    /// Apply or Start on a slot that runs with other settings: sends what may change while open, or asks
    /// before reconnecting it with the form's settings.
    void applyToRunningSlot(int s);
    /// The slot's subscriptions become `subscriptions`: filters not in it are dropped, the others added.
    void syncSubscriptions(int s, const QList<QPair<QByteArray, int>> &subscriptions);
    [[nodiscard]] QList<QPair<QByteArray, int>> liveSubscriptions(int s) const;
    /// The line under the profile (missing secrets, slots that keep running as started), the secret fields'
    /// marks and the line over the buttons about the slot on show.
    void showProfileState();
    void markSecretFields();
    [[nodiscard]] QString displayName() const;
    void showProgress(int slot);
    /// The line under the buttons; `detail` (the note's words behind the advice) as its tooltip.
    void setStatusLine(const QString &text, bool isError, const QString &detail = {});
    void importProfileFrom(const QString &path);
    void reloadProfileNames();
    void deleteProfile();
    void loadSecrets();
    void saveSecrets(std::function<void()> saved);
    void takeUploaded(const TlsMaterial &material, const TlsCheckReport &report, int slot, SslIndex index);
    /// Records how the live test of the material at `index` went, for the certificates view and the profile.
    void takeTested(SslIndex index, bool ok);
    void importProfile();
    void exportProfile();

    std::unique_ptr<Ui::ConfigPanel> m_ui;
    ModuleController &m_controller;
    ProfileStore &m_store;
    SecretStore &m_secrets;
    Profile m_profile;
    Profile m_saved; // as last loaded or saved: what "unsaved changes" are measured against
    /// A slot that was running when the profile was switched keeps what it was started with, subscriptions
    /// included, until the user applies the profile to it.
    std::array<bool, SlotCount> m_keepsItsSession{};
    std::array<std::pair<SlotState, bool>, SlotCount> m_slotWhere{}; // state and wanted, as last shown
    QMap<SslIndex, TlsMaterial> m_tls; // the profile's certificates and keys per SSL index, in memory only
    QMap<SslIndex, QMap<SslItem, int>> m_reportedLengths; // what the module said at this session's uploads
    SecLevelKeeper *m_keeper;
    QPointer<CertificateWizard> m_wizard;
    CertificatesDialog *m_certificates = nullptr;
    int m_secretsGeneration = 0; // answers for a profile no longer current are dropped
    bool m_secretsLoading = false;
    bool m_startWhenLoaded = false;
    Following m_following = Following::Nothing;
    int m_followedSlot = 0;
    QPointer<QLineEdit> m_marked; ///< the field an error is about, marked until it is edited
    QMetaObject::Connection m_unmarkOnEdit;
    bool m_loading = false; // filling the form: edits are not changes
};

} // namespace qmt
