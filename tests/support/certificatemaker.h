#pragma once

#include <QByteArray>
#include <QString>

namespace qmt::test {

/// Makes the TLS material of a test with openssl, in a directory the caller owns: a CA, a server
/// certificate for 127.0.0.1 and localhost (subjectAltName), a client certificate from the same CA, and a
/// second, unrelated CA for the wrong-CA case. RSA 2048 keys, as in the note's example sizes.
class CertificateMaker
{
public:
    explicit CertificateMaker(QString dir);

    bool make(QString *error);
    /// After make(): the material of the negative cases (the constants below from ExpiredClientCert on).
    bool makeNegativeCases(QString *error);

    [[nodiscard]] QString path(const char *name) const;
    [[nodiscard]] QByteArray read(const char *name) const;

    // File names in the directory.
    static constexpr const char *CaCert = "ca.crt";
    static constexpr const char *ServerCert = "server.crt";
    static constexpr const char *ServerKey = "server.key";
    static constexpr const char *ClientCert = "client.crt";
    static constexpr const char *ClientKey = "client.key";
    static constexpr const char *OtherCaCert = "other-ca.crt";

    // makeNegativeCases(): the client's key pair, certified by the CA for 2020-01-01 – 2020-02-01 (expired)
    // and for 2099-01-01 – 2099-02-01 (not yet valid).
    static constexpr const char *ExpiredClientCert = "expired-client.crt";
    static constexpr const char *FutureClientCert = "future-client.crt";
    /// An RSA key that belongs to no certificate here.
    static constexpr const char *UnrelatedKey = "unrelated.key";
    /// The client key under ProtectedKeyPassphrase: PKCS#8 (AES-256) and traditional PEM (AES-256-CBC).
    static constexpr const char *ProtectedClientKey = "client-protected.key";
    static constexpr const char *LegacyProtectedClientKey = "client-protected-legacy.key";
    static constexpr const char *ProtectedKeyPassphrase = "correct horse battery staple";
    /// A CA with the test CA's very name but its own key, and a client certificate it issued: the name
    /// matches, the signature does not.
    static constexpr const char *ImpostorCaCert = "impostor-ca.crt";
    static constexpr const char *ImpostorClientCert = "impostor-client.crt";
    /// An EC (P-256) client key and its certificate from the test CA.
    static constexpr const char *EcClientCert = "ec-client.crt";
    static constexpr const char *EcClientKey = "ec-client.key";

private:
    bool openssl(const QStringList &arguments, QString *error) const;
    bool issue(const QString &name, const QString &subject, const QByteArray &extensions, QString *error) const;

    bool issueDated(const QString &out, const QString &startDate, const QString &endDate, QString *error) const;

    QString m_dir;
};

} // namespace qmt::test
