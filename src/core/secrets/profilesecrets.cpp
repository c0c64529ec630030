#include "core/secrets/profilesecrets.h"

#include "core/secrets/secretkey.h"

#include <memory>

namespace qmt {

namespace {

/// Counts the answers of a batch and calls `done` after the last one.
class Batch
{
public:
    using Done = std::function<void(const SecretBatchOutcome &)>;

    explicit Batch(Done done)
        : m_done(std::move(done))
    {}

    /// A callback for one request: records a failure, and finishes the batch after the last answer.
    static SecretStore::Callback expect(const std::shared_ptr<Batch> &batch, const QString &key,
                                        std::function<void(const SecretReply &)> onValue = {})
    {
        ++batch->m_pending;
        return [batch, key, onValue = std::move(onValue)](const SecretReply &reply) {
            if (!reply.storeAnswered()) {
                batch->m_outcome.problems.append(key + QStringLiteral(": ") + reply.message());
                if (batch->m_outcome.worst == SecretStatus::Ok)
                    batch->m_outcome.worst = reply.status;
            } else if (reply.ok() && onValue) {
                onValue(reply);
            }
            if (--batch->m_pending == 0)
                batch->m_done(batch->m_outcome);
        };
    }

private:
    Done m_done;
    SecretBatchOutcome m_outcome;
    int m_pending = 0;
};

struct TlsEntry
{
    TlsSecret secret;
    QByteArray TlsMaterial::*member;
};

constexpr TlsEntry TlsEntries[] = {
    {TlsSecret::CaCert, &TlsMaterial::caCert},
    {TlsSecret::ClientCert, &TlsMaterial::clientCert},
    {TlsSecret::ClientKey, &TlsMaterial::clientKey},
    {TlsSecret::KeyPassphrase, &TlsMaterial::keyPassphrase},
};

} // namespace

ProfileSecretValues ProfileSecretValues::of(const Profile &profile, const QMap<SslIndex, TlsMaterial> &tls)
{
    ProfileSecretValues v;
    for (int s = 0; s < SlotCount; ++s) {
        v.passwords[size_t(s)] = profile.slots[size_t(s)].config.password;
        v.deviceSecrets[size_t(s)] = profile.slots[size_t(s)].config.deviceSecret;
    }
    v.tls = tls;
    return v;
}

void ProfileSecretValues::applyTo(Profile &profile) const
{
    for (int s = 0; s < SlotCount; ++s) {
        profile.slots[size_t(s)].config.password = passwords[size_t(s)];
        profile.slots[size_t(s)].config.deviceSecret = deviceSecrets[size_t(s)];
    }
}

void ProfileSecrets::save(const QString &profile, const ProfileSecretValues &values, const QObject *context,
                          SaveDone done)
{
    auto batch = std::make_shared<Batch>(std::move(done));
    const auto put = [&](const QString &key, const QByteArray &value) {
        if (value.isEmpty())
            m_store.remove(key, context, Batch::expect(batch, key));
        else
            m_store.write(key, value, context, Batch::expect(batch, key));
    };
    for (int s = 0; s < SlotCount; ++s) {
        put(SecretKey::slot(profile, s, SlotSecret::Password), values.passwords[size_t(s)]);
        put(SecretKey::slot(profile, s, SlotSecret::DeviceSecret), values.deviceSecrets[size_t(s)]);
    }
    for (auto it = values.tls.cbegin(); it != values.tls.cend(); ++it) {
        for (const TlsEntry &e : TlsEntries)
            put(SecretKey::tls(profile, it.key(), e.secret), it.value().*e.member);
    }
    for (const TlsEntry &e : TlsEntries) {
        const QString key = SecretKey::legacyTls(profile, e.secret);
        m_store.remove(key, context, Batch::expect(batch, key));
    }
}

void ProfileSecrets::load(const QString &profile, const QList<SslIndex> &tlsIndices, const QObject *context,
                          LoadDone done)
{
    auto values = std::make_shared<ProfileSecretValues>();
    auto legacy = std::make_shared<TlsMaterial>(); // the older single set, for what 0,0 does not have
    auto batch = std::make_shared<Batch>([values, legacy, done = std::move(done)](const SecretBatchOutcome &outcome) {
        if (values->tls.contains(SslIndex{})) {
            TlsMaterial &zero = values->tls[SslIndex{}];
            for (const TlsEntry &e : TlsEntries) {
                if ((zero.*e.member).isEmpty())
                    zero.*e.member = (*legacy).*e.member;
            }
        }
        done(*values, outcome);
    });
    for (int s = 0; s < SlotCount; ++s) {
        const QString password = SecretKey::slot(profile, s, SlotSecret::Password);
        m_store.read(password, context, Batch::expect(batch, password, [values, s](const SecretReply &r) {
                         values->passwords[size_t(s)] = r.value;
                     }));
        const QString secret = SecretKey::slot(profile, s, SlotSecret::DeviceSecret);
        m_store.read(secret, context, Batch::expect(batch, secret, [values, s](const SecretReply &r) {
                         values->deviceSecrets[size_t(s)] = r.value;
                     }));
    }
    for (const SslIndex index : tlsIndices) {
        values->tls.insert(index, TlsMaterial{});
        for (const TlsEntry &e : TlsEntries) {
            const QString key = SecretKey::tls(profile, index, e.secret);
            m_store.read(key, context,
                         Batch::expect(batch, key, [values, index, member = e.member](const SecretReply &r) {
                             values->tls[index].*member = r.value;
                         }));
        }
    }
    if (!tlsIndices.contains(SslIndex{}))
        return;
    for (const TlsEntry &e : TlsEntries) {
        const QString key = SecretKey::legacyTls(profile, e.secret);
        m_store.read(key, context, Batch::expect(batch, key, [legacy, member = e.member](const SecretReply &r) {
                         (*legacy).*member = r.value;
                     }));
    }
}

void ProfileSecrets::remove(const QString &profile, const QList<SslIndex> &tlsIndices, const QObject *context,
                            SaveDone done)
{
    auto batch = std::make_shared<Batch>(std::move(done));
    for (const QString &key : SecretKey::allOf(profile, tlsIndices))
        m_store.remove(key, context, Batch::expect(batch, key));
}

} // namespace qmt
