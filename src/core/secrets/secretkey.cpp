#include "core/secrets/secretkey.h"

#include "core/qmt/qmtspec.h"

namespace qmt {

namespace {

QString prefix(const QString &profile)
{
    return QStringLiteral("profile/") + QString::fromLatin1(profile.toUtf8().toPercentEncoding()) + QLatin1Char('/');
}

constexpr SlotSecret SlotSecrets[] = {SlotSecret::Password, SlotSecret::DeviceSecret};
constexpr TlsSecret TlsSecrets[] = {TlsSecret::CaCert, TlsSecret::ClientCert, TlsSecret::ClientKey,
                                    TlsSecret::KeyPassphrase};

} // namespace

QString SecretKey::itemName(SlotSecret secret)
{
    return secret == SlotSecret::Password ? QStringLiteral("password") : QStringLiteral("deviceSecret");
}

QString SecretKey::itemName(TlsSecret secret)
{
    switch (secret) {
    case TlsSecret::CaCert:
        return QStringLiteral("cacert");
    case TlsSecret::ClientCert:
        return QStringLiteral("clientcert");
    case TlsSecret::ClientKey:
        return QStringLiteral("clientkey");
    case TlsSecret::KeyPassphrase:
        return QStringLiteral("keyPassphrase");
    }
    return {};
}

QString SecretKey::slot(const QString &profile, int slot, SlotSecret secret)
{
    return prefix(profile) + QStringLiteral("slot") + QString::number(slot) + QLatin1Char('/') + itemName(secret);
}

QString SecretKey::tls(const QString &profile, SslIndex index, TlsSecret secret)
{
    return prefix(profile) + QStringLiteral("tls/") + index.key() + QLatin1Char('/') + itemName(secret);
}

QString SecretKey::legacyTls(const QString &profile, TlsSecret secret)
{
    return prefix(profile) + QStringLiteral("tls/") + itemName(secret);
}

QStringList SecretKey::allOf(const QString &profile, const QList<SslIndex> &tlsIndices)
{
    QStringList keys;
    for (int s = 0; s < SlotCount; ++s) {
        for (SlotSecret secret : SlotSecrets)
            keys.append(slot(profile, s, secret));
    }
    for (TlsSecret secret : TlsSecrets) {
        for (const SslIndex index : tlsIndices)
            keys.append(tls(profile, index, secret));
        keys.append(legacyTls(profile, secret));
    }
    return keys;
}

} // namespace qmt
