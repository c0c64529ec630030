#include "gui/profiles/profilemanager.h"

#include "core/module/profilestore.h"
#include "core/secrets/profilesecrets.h"
#include "core/secrets/secretstore.h"
#include "core/tls/seclevelkeeper.h"
#include "core/tls/tlsmaterialcheck.h"

#include <utility>

namespace qmt {

ProfileManager::ProfileManager(ModuleController &controller, ProfileStore &store, SecretStore &secrets, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_store(store)
    , m_secrets(secrets)
    , m_keeper(new SecLevelKeeper(controller, this))
{
    m_saved = profile();
}

ProfileManager::~ProfileManager() = default;

void ProfileManager::setProfile(const Profile &profile)
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
    m_saved = this->profile();
    Q_EMIT profileChanged(profile.name);
    loadSecrets();
}

Profile ProfileManager::profile() const
{
    Profile p = m_profile;
    for (int s = 0; s < SlotCount; ++s) {
        if (!m_keepsItsSession[size_t(s)])
            p.slots[size_t(s)].subscriptions = liveSubscriptions(s);
    }
    p.autoRecovery = m_controller.autoRecovery();
    return p;
}

bool ProfileManager::hasUnsavedChanges() const
{
    return profile() != m_saved;
}

void ProfileManager::keepAsSaved()
{
    m_saved = profile();
}

QString ProfileManager::displayName() const
{
    return m_profile.name.isEmpty() ? tr("(unnamed)") : m_profile.name;
}

void ProfileManager::editSlot(int s, const SlotConfig &config, bool enabled)
{
    m_controller.setConfig(s, config);
    Profile::SlotSetup &setup = m_profile.slots[size_t(s)];
    // An edit of a secret decides whether the profile has one; other edits leave a missing one missing.
    if (config.password != setup.config.password)
        setup.hasPassword = !config.password.isEmpty();
    if (config.deviceSecret != setup.config.deviceSecret)
        setup.hasDeviceSecret = !config.deviceSecret.isEmpty();
    setup.config = config;
    setup.enabled = enabled;
}

QList<QPair<QByteArray, int>> ProfileManager::liveSubscriptions(int s) const
{
    QList<QPair<QByteArray, int>> subscriptions;
    for (const Subscription &sub : m_controller.status(s).subscriptions)
        subscriptions.append({sub.filter, sub.requestedQos});
    return subscriptions;
}

void ProfileManager::syncSubscriptions(int s, const QList<QPair<QByteArray, int>> &subscriptions)
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

QStringList ProfileManager::names() const
{
    return m_store.names();
}

bool ProfileManager::switchTo(const QString &name)
{
    const std::optional<Profile> loaded = m_store.load(name);
    if (loaded)
        setProfile(*loaded);
    return loaded.has_value();
}

void ProfileManager::save(std::function<void()> saved)
{
    Q_ASSERT(!m_profile.name.isEmpty());
    const Profile saving = profile();
    m_store.save(saving);
    m_saved = saving;
    const QString name = m_profile.name;
    ProfileSecrets(m_secrets).save(
        name, ProfileSecretValues::of(m_profile, m_tls), this,
        [this, name, saved = std::move(saved)](const SecretBatchOutcome &outcome) {
            QString message;
            if (!outcome.ok()) {
                message = tr("Profile \"%1\" saved, but not its passwords, secrets and keys: %2")
                              .arg(name, outcome.problems.first());
            } else {
                message = m_secrets.persistent()
                              ? tr("Profile \"%1\" saved; its passwords, secrets and keys are in %2.")
                                    .arg(name, m_secrets.description())
                              : tr("Profile \"%1\" saved; its passwords, secrets and keys are kept in %2.")
                                    .arg(name, m_secrets.description());
            }
            Q_EMIT secretsSaved(outcome.ok(), message);
            if (outcome.ok() && saved)
                saved();
        });
}

void ProfileManager::remove()
{
    const QString name = m_profile.name;
    if (name.isEmpty())
        return; // never saved
    m_store.remove(name);
    ProfileSecrets(m_secrets).remove(
        name, m_profile.tlsIndices(), this, [this, name](const SecretBatchOutcome &outcome) {
            if (!outcome.ok()) {
                Q_EMIT problem(tr("The passwords, secrets and keys of \"%1\" could "
                                  "not be removed from %2: %3")
                                   .arg(name, m_secrets.description(), outcome.problems.first()));
            }
        });
}

Validated<QString> ProfileManager::importFrom(const QString &path)
{
    const auto imported = ProfileStore::importFrom(path);
    if (!imported)
        return imported.error();
    setProfile(*imported);
    m_saved = Profile{}; // imported, not saved: quitting or switching asks
    return imported->name;
}

bool ProfileManager::exportTo(const QString &path, QString *error) const
{
    return ProfileStore::exportTo(profile(), path, error);
}

void ProfileManager::loadSecrets()
{
    const int generation = ++m_secretsGeneration;
    if (m_profile.name.isEmpty()) { // never saved: the store has nothing under no name
        m_secretsLoading = false;
        Q_EMIT stateChanged();
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
            takeLoadedSecrets(values);
            if (!outcome.ok()) {
                Q_EMIT problem(tr("The passwords, secrets and keys of \"%1\" could not be read from %2: %3")
                                   .arg(m_profile.name, m_secrets.description(), outcome.problems.first()));
            }
            Q_EMIT secretsLoaded(outcome.ok());
            if (std::exchange(m_startWhenLoaded, false))
                start();
        });
}

void ProfileManager::takeLoadedSecrets(const ProfileSecretValues &values)
{
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
    Q_EMIT configsChanged();
}

std::optional<ProfileManager::Refusal> ProfileManager::refusal(int s) const
{
    if (m_secretsLoading) {
        return Refusal{tr("The passwords and secrets of \"%1\" are still being read from %2; start again in a moment.")
                           .arg(displayName(), m_secrets.description()),
                       std::nullopt};
    }
    const Profile::SlotSetup &setup = m_profile.slots[size_t(s)];
    if (!setup.passwordMissing() && !setup.deviceSecretMissing())
        return std::nullopt;
    const bool password = setup.passwordMissing();
    return Refusal{tr("Slot %1 cannot start: the profile \"%2\" was saved with its %3, and %4 does not have it. "
                      "Type it in %5 (and save the profile to keep it).")
                       .arg(s)
                       .arg(displayName(), password ? tr("password") : tr("device secret"), m_secrets.description(),
                            password ? tr("Password") : tr("Device secret")),
                   password ? Profile::MissingSecret::Password : Profile::MissingSecret::DeviceSecret};
}

ProfileManager::SlotStart ProfileManager::startSlot(int s)
{
    if (auto refused = refusal(s))
        return SlotStart{s, std::move(refused), quint64(0)};
    // The slot starts as the profile says, its subscriptions included.
    syncSubscriptions(s,
                      m_keepsItsSession[size_t(s)] ? m_profile.slots[size_t(s)].subscriptions : liveSubscriptions(s));
    m_keepsItsSession[size_t(s)] = false;
    return SlotStart{s, std::nullopt, m_controller.start(s)};
}

void ProfileManager::start()
{
    if (m_secretsLoading) {
        // Starting now would connect without the passwords still on their way from the keychain.
        m_startWhenLoaded = true;
        return;
    }
    QList<SlotStart> starts;
    for (int s = 0; s < SlotCount; ++s) {
        if (m_profile.slots[size_t(s)].enabled)
            starts.append(startSlot(s));
    }
    Q_EMIT profileStarted(starts);
}

Validated<quint64> ProfileManager::reconnect(int s)
{
    const auto subscriptions =
        m_keepsItsSession[size_t(s)] ? m_profile.slots[size_t(s)].subscriptions : liveSubscriptions(s);
    const Validated<quint64> reconnecting = m_controller.reconnectWithConfig(s);
    if (!reconnecting)
        return reconnecting;
    // Down now: the profile's filters go out when it is connected again.
    m_keepsItsSession[size_t(s)] = false;
    syncSubscriptions(s, subscriptions);
    return reconnecting;
}

void ProfileManager::takeUploaded(const TlsMaterial &material, const TlsCheckReport &report, int slot, SslIndex index,
                                  const QMap<SslItem, int> &reportedLengths)
{
    m_tls[index] = material;
    m_profile.setTls(Profile::TlsReference{
        index, material.secLevel, report.caCertificates.isEmpty() ? QString() : report.caCertificates.first().sha256,
        report.clientCertificates.isEmpty() ? QString() : report.clientCertificates.first().sha256,
        !material.clientKey.isEmpty(), !material.keyPassphrase.isEmpty(), Profile::TlsReference::Test::Untested});
    m_keeper->setLevel(index, material.secLevel);
    m_reportedLengths[index] = reportedLengths;
    // The wizard set the slot's broker, client ID and SSL in the controller: the profile follows.
    m_profile.slots[size_t(slot)].config = m_controller.config(slot);
}

void ProfileManager::takeTested(SslIndex index, bool ok)
{
    if (Profile::TlsReference *t = m_profile.tlsAt(index))
        t->lastTest = ok ? Profile::TlsReference::Test::Passed : Profile::TlsReference::Test::Failed;
}

} // namespace qmt
