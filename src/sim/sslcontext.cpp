#include "sim/sslcontext.h"

#include "core/qmt/qmtspec.h"

#include <QSslKey>

namespace qmt::sim {

namespace {

QSslKey readPrivateKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        const QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

} // namespace

SslContext::SslContext()
{
    restoreVolatileDefaults();
}

void SslContext::restoreVolatileDefaults()
{
    secLevel = spec(Param::SecLevel).defaultValue.value_or(0);
    sslVersion = DefaultSslVersion;
    sendFormat = 0;
    recvFormat = 0;
    timeoutS = DefaultTimeoutS;
    debugLevel = 0;
    dtls = 0;
    dtlsVersion = DefaultDtlsVersion;
}

std::optional<QSslConfiguration> SslContext::tlsConfiguration(QString *error) const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    // The module speaks TLS 1.2 (application note 6.2); pinning it keeps a broker's client-certificate
    // check inside the handshake, where a refusal shows as a failed AT+QMTOPEN.
    config.setProtocol(QSsl::TlsV1_2);
    config.setCaCertificates({});
    if (secLevel == 0) {
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        return config;
    }
    const QList<QSslCertificate> authorities = QSslCertificate::fromData(caCert, QSsl::Pem);
    if (authorities.isEmpty()) {
        *error = tr("no readable CA certificate for seclevel %1").arg(secLevel);
        return std::nullopt;
    }
    config.setCaCertificates(authorities);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (secLevel < 2)
        return config;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(clientCert, QSsl::Pem);
    const QSslKey key = readPrivateKey(clientKey);
    if (chain.isEmpty() || key.isNull()) {
        *error = chain.isEmpty() ? tr("no readable client certificate") : tr("no readable client key");
        return std::nullopt;
    }
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    return config;
}

} // namespace qmt::sim
