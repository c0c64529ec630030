#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>

namespace qmt {

/// The public half of a key as bytes that compare equal exactly when two keys are one key pair's: the RSA
/// modulus and exponent, or the EC point. Qt can give a certificate's public key but not a private key's,
/// so both are read from their DER encodings (SubjectPublicKeyInfo; PKCS#1, SEC1 or PKCS#8).
class PublicKeyMaterial
{
public:
    /// Empty when the encoding is not one of those above.
    [[nodiscard]] static QByteArray ofCertificate(const QSslCertificate &certificate);
    /// Empty when the encoding is not one of those above, or an EC key does not carry its public point.
    [[nodiscard]] static QByteArray ofPrivateKey(const QSslKey &key);
};

} // namespace qmt
