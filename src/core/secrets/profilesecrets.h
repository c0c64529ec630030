#pragma once

#include "core/secrets/secretstore.h"

#include "core/module/profile.h"
#include "core/tls/tlsmaterial.h"

#include <QMap>
#include <QStringList>

#include <array>
#include <functional>

namespace qmt {

/// The secrets of one profile, as held in memory while the application runs.
struct ProfileSecretValues
{
    std::array<QByteArray, SlotCount> passwords;
    std::array<QByteArray, SlotCount> deviceSecrets;
    /// Certificates, key and passphrase per SSL index; secLevel is not secret and lives in the profile.
    QMap<SslIndex, TlsMaterial> tls;

    /// The values of `profile`'s slots, with `tls`.
    [[nodiscard]] static ProfileSecretValues of(const Profile &profile, const QMap<SslIndex, TlsMaterial> &tls);
    /// Puts the passwords and device secrets into `profile`'s slots.
    void applyTo(Profile &profile) const;
};

/// How a batch of store requests went.
struct SecretBatchOutcome
{
    SecretStatus worst = SecretStatus::Ok; ///< NotFound never counts: an absent secret is normal
    QStringList problems;                  ///< one line per failed request, naming the key

    [[nodiscard]] bool ok() const { return problems.isEmpty(); }
};

/// Saves, loads and deletes a profile's secrets under the SecretKey scheme, through any SecretStore.
/// Each call runs its requests together and answers once, from the event loop, when all have answered.
class ProfileSecrets
{
public:
    using SaveDone = std::function<void(const SecretBatchOutcome &)>;
    using LoadDone = std::function<void(const ProfileSecretValues &, const SecretBatchOutcome &)>;

    explicit ProfileSecrets(SecretStore &store)
        : m_store(store)
    {}

    /// Writes every secret that is set and removes the ones that are not (a cleared password must not
    /// linger in the keychain); the material of each index in `values.tls`. Entries of the one set that
    /// versions before SSL indices kept are removed: what they held is saved under its index now.
    void save(const QString &profile, const ProfileSecretValues &values, const QObject *context, SaveDone done);
    /// Reads the slots' secrets and the material at `tlsIndices` (at 0,0 from the older single set when
    /// the profile was not saved since).
    void load(const QString &profile, const QList<SslIndex> &tlsIndices, const QObject *context, LoadDone done);
    void remove(const QString &profile, const QList<SslIndex> &tlsIndices, const QObject *context, SaveDone done);

private:
    SecretStore &m_store;
};

} // namespace qmt
