#pragma once

#include "core/module/modulecontroller.h"
#include "core/tls/tlsmaterial.h"
#include "gui/profiles/profilemanager.h"

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
class TlsMaterialWindows;

/// Per-slot configuration: every AT+QMTCFG option with widgets bounded by the spec table, the broker and
/// the credentials; the order rule (settings before AT+QMTOPEN) enforced and explained; the profile in use
/// (ProfileManager) shown and edited — chosen, saved, deleted, imported and exported from here; the TLS
/// material (certificate wizard, certificates view).
///
/// What the profile holds, where its secrets go and how its slots start is the ProfileManager's; the panel
/// says what is missing where the user looks — the field, the line under the profile, Start.
///
/// A running slot keeps the settings it was started with: another profile, or an edit, reaches it only
/// when the user applies it, and the panel asks first because that reconnects the slot. Unsaved changes
/// are never dropped silently: switching profiles, importing or quitting asks to save, discard or cancel.
class ConfigPanel : public QWidget
{
    Q_OBJECT

public:
    ConfigPanel(ModuleController &controller, ProfileManager &profiles, QWidget *parent = nullptr);
    ~ConfigPanel() override;

    /// The profile the panel shows and edits.
    [[nodiscard]] ProfileManager &profiles() const { return m_profiles; }
    /// With unsaved changes, asks (without blocking) whether to save them, discard them or cancel;
    /// `proceed` runs after a successful save or a discard, never on cancel. Without changes it runs now.
    void settleUnsavedChanges(const QString &question, std::function<void()> proceed);
    /// Switches to the saved profile `name`, asking first about unsaved changes.
    void switchProfile(const QString &name);
    [[nodiscard]] int currentSlot() const;
    /// Saves the profile to the settings and its secrets to the secret store (ProfileManager::secretsSaved()
    /// follows); `saved` runs when both went well. A profile without a name (or `asNew`) asks for one first.
    void saveProfile(bool asNew, std::function<void()> saved = {});

    /// The certificate wizard, starting from the profile's material and the current slot. One at a time.
    void openCertificateWizard();
    /// What the profile's TLS material is and what the module reported; replace from there.
    void openCertificates();
    [[nodiscard]] CertificateWizard *certificateWizard() const;
    [[nodiscard]] CertificatesDialog *certificatesDialog() const;

private:
    void connectForm();
    void connectButtons();
    void connectProfiles();
    void buildProfileMenu();
    void keepWheelOffFields();
    void loadSlot(int slot);
    void storeSlot();
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
    /// Starts slot `s` as the profile says; says so (or why not) on the status line.
    bool startSlot(int s, const QString &starting);
    /// Shows why a slot did not start, with the cursor in the missing secret's field when it is on show.
    void showRefusal(int s, const ProfileManager::Refusal &refusal);
    /// Shows how starting the profile's slots went.
    void showProfileStarted(const QList<ProfileManager::SlotStart> &starts);
    /// Apply or Start on a slot that runs with other settings: sends what may change while open, or asks
    /// before reconnecting it with the form's settings.
    void applyToRunningSlot(int s);
    /// The line under the profile (missing secrets, slots that keep running as started), the secret fields'
    /// marks and the line over the buttons about the slot on show.
    void showProfileState();
    void markSecretFields();
    void showProgress(int slot);
    /// The line under the buttons; `detail` (the note's words behind the advice) as its tooltip.
    void setStatusLine(const QString &text, bool isError, const QString &detail = {});
    void importProfileFrom(const QString &path);
    void reloadProfileNames();
    void deleteProfile();
    void importProfile();
    void exportProfile();

    std::unique_ptr<Ui::ConfigPanel> m_ui;
    ModuleController &m_controller;
    ProfileManager &m_profiles;
    std::array<std::pair<SlotState, bool>, SlotCount> m_slotWhere{}; // state and wanted, as last shown
    TlsMaterialWindows *m_tlsWindows;
    Following m_following = Following::Nothing;
    int m_followedSlot = 0;
    QPointer<QLineEdit> m_marked; ///< the field an error is about, marked until it is edited
    QMetaObject::Connection m_unmarkOnEdit;
    bool m_loading = false; // filling the form: edits are not changes
};

} // namespace qmt
