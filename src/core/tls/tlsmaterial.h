#pragma once

#include <QByteArray>

namespace qmt {

/// The TLS material for the module's SSL context as the user gave it: file contents or pasted text, not
/// yet checked or normalised. `clientKey` and `keyPassphrase` are secret: they go to the keychain and, the
/// key only, to the module — never to a log, a setting or an export.
struct TlsMaterial
{
    int secLevel = 2;      ///< AT+QSSLCFG "seclevel": 0 none, 1 server authentication, 2 mutual
    QByteArray caCert;     ///< PEM: the CA (or CAs) the broker's certificate must chain to
    QByteArray clientCert; ///< PEM: the module's certificate (optionally followed by intermediates)
    QByteArray clientKey;  ///< PEM: its private key, possibly passphrase-protected
    QByteArray keyPassphrase;

    [[nodiscard]] bool isEmpty() const { return caCert.isEmpty() && clientCert.isEmpty() && clientKey.isEmpty(); }
    friend bool operator==(const TlsMaterial &, const TlsMaterial &) = default;
};

} // namespace qmt
