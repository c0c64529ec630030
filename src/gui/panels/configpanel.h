#pragma once

#include "module/modulecontroller.h"
#include "module/profile.h"
#include "tls/tlsmaterial.h"

#include <QMap>
#include <QPointer>
#include <QWidget>

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
/// loading one reads them back, asynchronously; settings and exports keep references only.
class ConfigPanel : public QWidget
{
    Q_OBJECT

public:
    ConfigPanel(ModuleController &controller, ProfileStore &store, SecretStore &secrets, QWidget *parent = nullptr);
    ~ConfigPanel() override;

    /// Makes `profile` the current one: its slots' configurations go to the controller, and its secrets
    /// are read from the secret store (secretsLoaded() follows).
    void setProfile(const Profile &profile);
    [[nodiscard]] const Profile &profile() const { return m_profile; }
    /// Starts the slots the profile enables, subscribing to their filters — once its secrets are read.
    void startProfile();
    [[nodiscard]] int currentSlot() const;
    /// Saves the profile to the settings and its secrets to the secret store (secretsSaved() follows).
    void saveProfile(bool asNew);

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
    void showProgress(int slot);
    /// The line under the buttons; `detail` (the note's words behind the advice) as its tooltip.
    void setStatusLine(const QString &text, bool isError, const QString &detail = {});
    void importProfileFrom(const QString &path);
    void reloadProfileNames();
    void deleteProfile();
    void loadSecrets();
    void saveSecrets();
    void takeUploaded(const TlsMaterial &material, const TlsCheckReport &report, int slot, SslIndex index);
    /// Records how the live test of the material at `index` went, for the certificates view and the profile.
    void takeTested(SslIndex index, bool ok);
    void importProfile();
    void exportProfile();
    void switchProfile(const QString &name);

    std::unique_ptr<Ui::ConfigPanel> m_ui;
    ModuleController &m_controller;
    ProfileStore &m_store;
    SecretStore &m_secrets;
    Profile m_profile;
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
