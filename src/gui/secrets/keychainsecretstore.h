#pragma once

#include "core/secrets/secretstore.h"

namespace QKeychain {
class Job;
}

namespace qmt {

/// Secrets in the OS keychain through QtKeychain: the Secret Service (GNOME Keyring, KeePassXC, …) on
/// Linux, the Credential Manager on Windows, the Keychain on macOS. Entries are filed under the service
/// name ("QMT Studio") and the SecretKey scheme.
///
/// QtKeychain's insecure fallback (a plain settings file) is switched off on every job: when no keychain
/// answers, requests fail, and the application says so (DESIGN.md: no plain-text fallback).
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    static const QString DefaultService;

    explicit KeychainSecretStore(QString service = DefaultService, QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    void read(const QString &key, const QObject *context, Callback done) override;
    void write(const QString &key, const QByteArray &value, const QObject *context, Callback done) override;
    void remove(const QString &key, const QObject *context, Callback done) override;
    [[nodiscard]] QString description() const override;
    [[nodiscard]] bool persistent() const override { return true; }

    [[nodiscard]] const QString &service() const { return m_service; }
    /// What the OS calls its keychain: "Secret Service", "Credential Manager", "Keychain".
    [[nodiscard]] static QString backendName();

private:
    void run(QKeychain::Job *job, const QString &key, const QObject *context, Callback done, bool isRemove);

    QString m_service;
};

} // namespace qmt
