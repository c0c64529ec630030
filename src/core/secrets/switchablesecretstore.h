#pragma once

#include "core/secrets/secretstore.h"

#include <memory>

namespace qmt {

/// The store the application talks to: the OS keychain, or — only once the user has chosen it, because no
/// keychain answered — memory for this session. There is no third way: nothing falls back to a file.
///
/// Requests go to whichever store is active when they are made; switching does not copy anything, since
/// a keychain that does not answer holds nothing to copy.
class SwitchableSecretStore : public SecretStore
{
    Q_OBJECT

public:
    explicit SwitchableSecretStore(std::unique_ptr<SecretStore> keychain, QObject *parent = nullptr);
    ~SwitchableSecretStore() override;

    /// From now on secrets live in memory and are forgotten on quitting.
    void useSessionOnly();
    [[nodiscard]] bool isSessionOnly() const { return m_active != m_keychain.get(); }
    [[nodiscard]] SecretStore &keychain() const { return *m_keychain; }

    void read(const QString &key, const QObject *context, Callback done) override;
    void write(const QString &key, const QByteArray &value, const QObject *context, Callback done) override;
    void remove(const QString &key, const QObject *context, Callback done) override;
    [[nodiscard]] QString description() const override { return m_active->description(); }
    [[nodiscard]] bool persistent() const override { return m_active->persistent(); }

Q_SIGNALS:
    void switchedToSessionOnly();

private:
    std::unique_ptr<SecretStore> m_keychain;
    std::unique_ptr<SecretStore> m_session;
    SecretStore *m_active;
};

} // namespace qmt
