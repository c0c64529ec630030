#include "core/secrets/switchablesecretstore.h"

#include "core/secrets/sessionsecretstore.h"

namespace qmt {

SwitchableSecretStore::SwitchableSecretStore(std::unique_ptr<SecretStore> keychain, QObject *parent)
    : SecretStore(parent)
    , m_keychain(std::move(keychain))
    , m_active(m_keychain.get())
{}

SwitchableSecretStore::~SwitchableSecretStore() = default;

void SwitchableSecretStore::useSessionOnly()
{
    if (isSessionOnly())
        return;
    m_session = std::make_unique<SessionSecretStore>();
    m_active = m_session.get();
    Q_EMIT switchedToSessionOnly();
}

void SwitchableSecretStore::read(const QString &key, const QObject *context, Callback done)
{
    m_active->read(key, context ? context : this, std::move(done));
}

void SwitchableSecretStore::write(const QString &key, const QByteArray &value, const QObject *context, Callback done)
{
    m_active->write(key, value, context ? context : this, std::move(done));
}

void SwitchableSecretStore::remove(const QString &key, const QObject *context, Callback done)
{
    m_active->remove(key, context ? context : this, std::move(done));
}

} // namespace qmt
