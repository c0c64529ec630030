#include "certificatemaker.h"

#include <QFile>
#include <QProcess>

namespace qmt::test {

namespace {

constexpr int OpensslTimeoutMs = 30'000;
const QString Days = QStringLiteral("2");

} // namespace

CertificateMaker::CertificateMaker(QString dir)
    : m_dir(std::move(dir))
{}

QString CertificateMaker::path(const char *name) const
{
    return m_dir + QLatin1Char('/') + QLatin1String(name);
}

QByteArray CertificateMaker::read(const char *name) const
{
    QFile file(path(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool CertificateMaker::openssl(const QStringList &arguments, QString *error) const
{
    QProcess process;
    process.setWorkingDirectory(m_dir);
    process.start(QStringLiteral(QMT_OPENSSL), arguments);
    if (!process.waitForFinished(OpensslTimeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error = QStringLiteral("openssl %1 failed: %2")
                     .arg(arguments.join(QLatin1Char(' ')), QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool CertificateMaker::issue(const QString &name, const QString &subject, const QByteArray &extensions,
                             QString *error) const
{
    const QString ext = name + QStringLiteral(".ext");
    QFile file(m_dir + QLatin1Char('/') + ext);
    if (!file.open(QIODevice::WriteOnly) || file.write(extensions) != extensions.size()) {
        *error = QStringLiteral("cannot write %1").arg(ext);
        return false;
    }
    file.close();
    return openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                    QStringLiteral("-nodes"), QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                    QStringLiteral("-out"), name + QStringLiteral(".csr"), QStringLiteral("-subj"), subject},
                   error) &&
           openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    name + QStringLiteral(".csr"), QStringLiteral("-CA"), QString::fromLatin1(CaCert),
                    QStringLiteral("-CAkey"), QStringLiteral("ca.key"), QStringLiteral("-CAcreateserial"),
                    QStringLiteral("-days"), Days, QStringLiteral("-extfile"), ext, QStringLiteral("-out"),
                    name + QStringLiteral(".crt")},
                   error);
}

bool CertificateMaker::make(QString *error)
{
    auto authority = [this, error](const QString &name, const QString &subject) {
        return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                        QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                        name + QStringLiteral(".key"), QStringLiteral("-out"), name + QStringLiteral(".crt"),
                        QStringLiteral("-days"), Days, QStringLiteral("-subj"), subject, QStringLiteral("-addext"),
                        QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                        QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
                       error);
    };
    return authority(QStringLiteral("ca"), QStringLiteral("/CN=QMT Studio Test CA")) &&
           authority(QStringLiteral("other-ca"), QStringLiteral("/CN=Unrelated Test CA")) &&
           issue(QStringLiteral("server"), QStringLiteral("/CN=localhost"),
                 "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage="
                 "serverAuth\n",
                 error) &&
           issue(QStringLiteral("client"), QStringLiteral("/CN=qmt-sim-client"),
                 "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n", error);
}

bool CertificateMaker::issueDated(const QString &out, const QString &startDate, const QString &endDate,
                                  QString *error) const
{
    // `openssl x509 -req` cannot set a start date; `openssl ca` can, with a minimal database.
    return openssl({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"),
                    QStringLiteral("dated-ca.cnf"), QStringLiteral("-cert"), QString::fromLatin1(CaCert),
                    QStringLiteral("-keyfile"), QStringLiteral("ca.key"), QStringLiteral("-in"),
                    QStringLiteral("client.csr"), QStringLiteral("-out"), out, QStringLiteral("-startdate"), startDate,
                    QStringLiteral("-enddate"), endDate, QStringLiteral("-notext")},
                   error);
}

bool CertificateMaker::makeNegativeCases(QString *error)
{
    const QByteArray config = "[ca]\ndefault_ca = dated\n[dated]\ndatabase = dated-index.txt\nnew_certs_dir = .\n"
                              "serial = dated-serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n"
                              "[any]\ncommonName = supplied\n";
    for (const auto &[name, content] :
         {std::pair{QStringLiteral("dated-ca.cnf"), config}, std::pair{QStringLiteral("dated-index.txt"), QByteArray()},
          std::pair{QStringLiteral("dated-serial"), QByteArray("1000\n")}}) {
        QFile file(path(name.toLatin1().constData()));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
            *error = QStringLiteral("cannot write %1").arg(name);
            return false;
        }
    }
    const QString passphrase = QStringLiteral("pass:") + QLatin1String(ProtectedKeyPassphrase);
    const QString impostor = QStringLiteral("impostor-ca");
    return issueDated(QString::fromLatin1(ExpiredClientCert), QStringLiteral("20200101000000Z"),
                      QStringLiteral("20200201000000Z"), error) &&
           issueDated(QString::fromLatin1(FutureClientCert), QStringLiteral("20990101000000Z"),
                      QStringLiteral("20990201000000Z"), error) &&
           openssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                    QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:2048"), QStringLiteral("-out"),
                    QString::fromLatin1(UnrelatedKey)},
                   error) &&
           openssl({QStringLiteral("pkcs8"), QStringLiteral("-topk8"), QStringLiteral("-v2"),
                    QStringLiteral("aes-256-cbc"), QStringLiteral("-in"), QString::fromLatin1(ClientKey),
                    QStringLiteral("-out"), QString::fromLatin1(ProtectedClientKey), QStringLiteral("-passout"),
                    passphrase},
                   error) &&
           openssl({QStringLiteral("rsa"), QStringLiteral("-aes256"), QStringLiteral("-traditional"),
                    QStringLiteral("-in"), QString::fromLatin1(ClientKey), QStringLiteral("-out"),
                    QString::fromLatin1(LegacyProtectedClientKey), QStringLiteral("-passout"), passphrase},
                   error) &&
           openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    impostor + QStringLiteral(".key"), QStringLiteral("-out"), QString::fromLatin1(ImpostorCaCert),
                    QStringLiteral("-days"), Days, QStringLiteral("-subj"), QStringLiteral("/CN=QMT Studio Test CA"),
                    QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE")},
                   error) &&
           openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("client.csr"),
                    QStringLiteral("-CA"), QString::fromLatin1(ImpostorCaCert), QStringLiteral("-CAkey"),
                    impostor + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), Days,
                    QStringLiteral("-out"), QString::fromLatin1(ImpostorClientCert)},
                   error) &&
           openssl({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                    QString::fromLatin1(EcClientKey), QStringLiteral("-out"), QStringLiteral("ec-client.csr"),
                    QStringLiteral("-subj"), QStringLiteral("/CN=qmt-ec-client")},
                   error) &&
           openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    QStringLiteral("ec-client.csr"), QStringLiteral("-CA"), QString::fromLatin1(CaCert),
                    QStringLiteral("-CAkey"), QStringLiteral("ca.key"), QStringLiteral("-CAcreateserial"),
                    QStringLiteral("-days"), Days, QStringLiteral("-out"), QString::fromLatin1(EcClientCert)},
                   error);
}

} // namespace qmt::test
