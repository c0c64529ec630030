#pragma once

#include "core/secrets/secretstore.h"

namespace qmt::test {

/// A keychain that does not answer, on purpose: what the application sees on a desktop without a Secret
/// Service (the one fake the design allows — the real absence is tested too, in tst_keychainabsent).
class FailingSecretStore : public SecretStore
{
public:
    explicit FailingSecretStore(QObject *parent = nullptr)
        : SecretStore(parent)
    {}

    void read(const QString &, const QObject *context, Callback done) override { fail(context, std::move(done)); }
    void write(const QString &, const QByteArray &, const QObject *context, Callback done) override
    {
        ++writes;
        fail(context, std::move(done));
    }
    void remove(const QString &, const QObject *context, Callback done) override { fail(context, std::move(done)); }
    QString description() const override { return QStringLiteral("a keychain that fails on purpose"); }
    bool persistent() const override { return true; }

    int writes = 0;

private:
    void fail(const QObject *context, Callback done)
    {
        deliverLater(context, std::move(done),
                     SecretReply{SecretStatus::NoBackend, {}, QStringLiteral("no keychain service (test)")});
    }
};

} // namespace qmt::test
