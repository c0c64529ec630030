#include "core/secrets/sessionsecretstore.h"

namespace qmt {

SessionSecretStore::SessionSecretStore(QObject *parent)
    : SecretStore(parent)
{}

SessionSecretStore::~SessionSecretStore() = default;

void SessionSecretStore::read(const QString &key, const QObject *context, Callback done)
{
    const auto it = m_values.constFind(key);
    SecretReply reply;
    if (it == m_values.constEnd())
        reply.status = SecretStatus::NotFound;
    else
        reply.value = *it;
    deliverLater(context, std::move(done), reply);
}

void SessionSecretStore::write(const QString &key, const QByteArray &value, const QObject *context, Callback done)
{
    m_values.insert(key, value);
    deliverLater(context, std::move(done), {});
}

void SessionSecretStore::remove(const QString &key, const QObject *context, Callback done)
{
    m_values.remove(key);
    deliverLater(context, std::move(done), {});
}

QString SessionSecretStore::description() const
{
    return tr("memory, for this session only");
}

} // namespace qmt
