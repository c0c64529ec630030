#pragma once

#include <QByteArray>
#include <QString>

namespace qmt::test {

/// Makes the TLS material of a test with openssl, in a directory the caller owns: a CA, a server
/// certificate for 127.0.0.1 and localhost (subjectAltName), a client certificate from the same CA, and a
/// second, unrelated CA for the wrong-CA case. RSA 2048 keys, as in the note's example sizes.
class CertificateMaker {
public:
    explicit CertificateMaker(QString dir);

    bool make(QString *error);

    [[nodiscard]] QString path(const char *name) const;
    [[nodiscard]] QByteArray read(const char *name) const;

    // File names in the directory.
    static constexpr const char *CaCert = "ca.crt";
    static constexpr const char *ServerCert = "server.crt";
    static constexpr const char *ServerKey = "server.key";
    static constexpr const char *ClientCert = "client.crt";
    static constexpr const char *ClientKey = "client.key";
    static constexpr const char *OtherCaCert = "other-ca.crt";

private:
    bool openssl(const QStringList &arguments, QString *error) const;
    bool issue(const QString &name, const QString &subject, const QByteArray &extensions,
               QString *error) const;

    QString m_dir;
};

} // namespace qmt::test
