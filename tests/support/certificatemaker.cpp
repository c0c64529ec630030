#include "certificatemaker.h"

#include <QFile>
#include <QProcess>

namespace qmt::test {

namespace {

constexpr int OpensslTimeoutMs = 30'000;
const QString Days = QStringLiteral("2");

} // namespace

CertificateMaker::CertificateMaker(QString dir)
    : m_dir(std::move(dir)) {}

QString CertificateMaker::path(const char *name) const {
    return m_dir + QLatin1Char('/') + QLatin1String(name);
}

QByteArray CertificateMaker::read(const char *name) const {
    QFile file(path(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool CertificateMaker::openssl(const QStringList &arguments, QString *error) const {
    QProcess process;
    process.setWorkingDirectory(m_dir);
    process.start(QStringLiteral(QMT_OPENSSL), arguments);
    if (!process.waitForFinished(OpensslTimeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error = QStringLiteral("openssl %1 failed: %2")
                     .arg(arguments.join(QLatin1Char(' ')),
                          QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool CertificateMaker::issue(const QString &name, const QString &subject, const QByteArray &extensions,
                             QString *error) const {
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

bool CertificateMaker::make(QString *error) {
    auto authority = [this, error](const QString &name, const QString &subject) {
        return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                        QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                        name + QStringLiteral(".key"), QStringLiteral("-out"), name + QStringLiteral(".crt"),
                        QStringLiteral("-days"), Days, QStringLiteral("-subj"), subject,
                        QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                        QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
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

} // namespace qmt::test
