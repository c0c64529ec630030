#pragma once

#include "core/module/modulecontroller.h"
#include "core/module/profile.h"
#include "core/tls/tlsmaterial.h"

#include <QMap>
#include <QObject>

#include <array>
#include <functional>
#include <optional>

namespace qmt {

class ProfileStore;
class SecLevelKeeper;
class SecretStore;
struct ProfileSecretValues;
struct TlsCheckReport;

/// The profile in use and everything kept for it, without a widget: its slots' configurations and
/// subscriptions in the controller, the saved profiles (create, delete, JSON import and export), its
/// passwords, device secrets and TLS material in the secret store (read and written asynchronously), and
/// starting its slots. The Configuration panel shows and edits it; the command line (--profile) and the
/// menus drive it directly.
///
/// Secrets never go to the settings or to an export: saving writes them to the SecretStore (the OS
/// keychain) under the profile's name, and setProfile() reads them back (secretsLoaded() follows). A secret
/// the profile refers to and the store does not have is missing, and a slot that lacks one does not start.
///
/// A running slot keeps the settings it was started with: another profile reaches it only through
/// reconnect(). Until then it "keeps its session", subscriptions included.
class ProfileManager : public QObject
{
    Q_OBJECT

public:
    ProfileManager(ModuleController &controller, ProfileStore &store, SecretStore &secrets, QObject *parent = nullptr);
    ~ProfileManager() override;

    /// Makes `profile` the current one: its slots' configurations go to the controller, its subscriptions to
    /// the slots that are not running, its auto-recovery choice to the controller, and its secrets are read
    /// from the secret store. Running slots keep running as they were started. profileChanged() follows.
    void setProfile(const Profile &profile);
    /// The profile as it would be saved now: the edits, the secrets in memory, the subscriptions of the
    /// slots that follow the profile, the auto-recovery setting.
    [[nodiscard]] Profile profile() const;
    /// The profile as held, without what the controller adds (live subscriptions, auto-recovery).
    [[nodiscard]] const Profile &current() const { return m_profile; }
    /// The profile differs from what was last loaded or saved.
    [[nodiscard]] bool hasUnsavedChanges() const;
    /// What is held now counts as saved (the command line's choices are this run's, not edits).
    void keepAsSaved();
    /// The profile's name, or "(unnamed)".
    [[nodiscard]] QString displayName() const;
    /// An edit of slot `s`: its configuration goes to the controller at once, so Start uses it.
    void editSlot(int s, const SlotConfig &config, bool enabled);

    /// The saved profiles' names.
    [[nodiscard]] QStringList names() const;
    /// Makes the saved profile `name` the current one; false when there is none of that name.
    bool switchTo(const QString &name);
    /// Names the profile (before its first save, or to save it as another).
    void setName(const QString &name) { m_profile.name = name; }
    /// Saves the profile to the settings and its secrets to the secret store (secretsSaved() follows);
    /// `saved` runs when both went well. The profile must have a name.
    void save(std::function<void()> saved = {});
    /// Deletes the saved profile of the current name and its secrets (problem() says if they stay).
    void remove();
    /// Makes the profile in the JSON file at `path` the current one, as not saved; nothing stored changes.
    /// Refused (the error names the field, the rule and the value) when the file is not a valid profile.
    [[nodiscard]] Validated<QString> importFrom(const QString &path);
    /// Writes the profile as it would be saved, without secrets, to `path`.
    bool exportTo(const QString &path, QString *error) const;

    /// The secret store the profile's secrets go to.
    [[nodiscard]] SecretStore &secrets() const { return m_secrets; }
    [[nodiscard]] bool secretsLoading() const { return m_secretsLoading; }

    /// Why slot `s` cannot start as the profile says: a secret is missing (`missing` says which), or they
    /// are still being read. Empty when it can.
    struct Refusal
    {
        QString text;
        std::optional<Profile::MissingSecret::Kind> missing;
    };
    [[nodiscard]] std::optional<Refusal> refusal(int s) const;
    /// What became of one slot when the profile, or the slot, was started.
    struct SlotStart
    {
        int slot = 0;
        std::optional<Refusal> refused;         ///< not started, for this reason
        Validated<quint64> result = quint64(0); ///< the controller's answer, when not refused
    };
    /// Starts slot `s` as the profile says, its subscriptions included.
    SlotStart startSlot(int s);
    /// Starts the slots the profile enables — once its secrets are read. profileStarted() says how it went.
    void start();
    /// A running slot takes the profile's settings: it disconnects and is configured, opened, connected and
    /// subscribed again with them.
    Validated<quint64> reconnect(int s);
    /// Slot `s` runs with what it was started with, not with this profile, until reconnect().
    [[nodiscard]] bool keepsItsSession(int s) const { return m_keepsItsSession[size_t(s)]; }

    /// The profile's TLS material per SSL index, in memory only.
    [[nodiscard]] const QMap<SslIndex, TlsMaterial> &tls() const { return m_tls; }
    [[nodiscard]] TlsMaterial tlsMaterial(SslIndex index) const { return m_tls.value(index); }
    /// What the module said of the items uploaded at `index` in this session (checksums are lengths).
    [[nodiscard]] QMap<SslItem, int> reportedLengths(SslIndex index) const { return m_reportedLengths.value(index); }
    /// The wizard uploaded `material` to `index` for `slot` (and set the slot's broker and SSL in the
    /// controller): the profile refers to it, and the slot's configuration follows the controller's.
    void takeUploaded(const TlsMaterial &material, const TlsCheckReport &report, int slot, SslIndex index,
                      const QMap<SslItem, int> &reportedLengths);
    /// Records how the live test of the material at `index` went.
    void takeTested(SslIndex index, bool ok);
    /// Keeps each SSL index's "seclevel" on the module as the profile's material says.
    [[nodiscard]] SecLevelKeeper &secLevelKeeper() const { return *m_keeper; }

Q_SIGNALS:
    /// Another profile is current.
    void profileChanged(const QString &name);
    /// The current profile's secrets were read (or could not be: problem() said why).
    void secretsLoaded(bool ok);
    void secretsSaved(bool ok, const QString &message);
    /// start() started the profile's slots, or tried.
    void profileStarted(const QList<ProfileManager::SlotStart> &starts);
    /// Something went wrong that the user should read (secrets not read or not removed).
    void problem(const QString &message);
    /// The profile has no secrets to read: what is missing is known now.
    void stateChanged();
    /// The slots' configurations changed behind the editor's back (their secrets were read).
    void configsChanged();

private:
    void loadSecrets();
    void takeLoadedSecrets(const ProfileSecretValues &values);
    [[nodiscard]] QList<QPair<QByteArray, int>> liveSubscriptions(int s) const;
    /// The slot's subscriptions become `subscriptions`: filters not in it are dropped, the others added.
    void syncSubscriptions(int s, const QList<QPair<QByteArray, int>> &subscriptions);

    ModuleController &m_controller;
    ProfileStore &m_store;
    SecretStore &m_secrets;
    SecLevelKeeper *m_keeper;
    Profile m_profile;
    Profile m_saved; // as last loaded or saved: what "unsaved changes" are measured against
    std::array<bool, SlotCount> m_keepsItsSession{};
    QMap<SslIndex, TlsMaterial> m_tls;
    QMap<SslIndex, QMap<SslItem, int>> m_reportedLengths;
    int m_secretsGeneration = 0; // answers for a profile no longer current are dropped
    bool m_secretsLoading = false;
    bool m_startWhenLoaded = false;
};

} // namespace qmt
