#include "mosquittobroker.h"

#include "certificatemaker.h"

#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTest>
#include <unistd.h>

namespace qmt::test {

namespace {

constexpr int StartTimeoutMs = 10'000;
constexpr int Attempts = 3; // a free port can be taken by someone else before mosquitto binds it

bool writeFile(const QString &path, const QByteArray &content, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
        *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    return true;
}

QByteArray dynamicSecurityConfig(const QString &refused)
{
    // Anonymous clients get one role that refuses subscriptions to `refused`; everything else is allowed.
    return QByteArrayLiteral(R"({
  "defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true, "subscribe": true, "unsubscribe": true},
  "clients": [],
  "groups": [{"groupname": "anonymous", "roles": [{"rolename": "refuse"}]}],
  "roles": [{"rolename": "refuse", "acls": [{"acltype": "subscribePattern", "topic": ")") +
           refused.toUtf8() + QByteArrayLiteral(R"(", "priority": 0, "allow": false}]}],
  "anonymousGroup": "anonymous"
}
)");
}

} // namespace

MosquittoBroker::Options MosquittoBroker::mutualTls(const CertificateMaker &certs)
{
    Options options;
    options.caFile = certs.path(CertificateMaker::CaCert);
    options.certFile = certs.path(CertificateMaker::ServerCert);
    options.keyFile = certs.path(CertificateMaker::ServerKey);
    return options;
}

MosquittoBroker::MosquittoBroker(Options options)
    : m_options(std::move(options))
{}

MosquittoBroker::~MosquittoBroker()
{
    stop();
}

quint16 MosquittoBroker::freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

quint16 MosquittoBroker::sharedBrokerPort()
{
    QFile file(qEnvironmentVariable("QMT_TEST_BROKER_DIR") + QStringLiteral("/port"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return quint16(file.readAll().trimmed().toUInt());
}

QString MosquittoBroker::writeConfig(const QString &dir, quint16 port, const Options &options, QString *error)
{
    QByteArray conf = "listener " + QByteArray::number(port) + " 127.0.0.1\n";
    // stderr is unbuffered: the "running" line arrives when it is written.
    conf += "log_dest stderr\npersistence false\n";
    if (::geteuid() == 0)
        conf += "user root\n"; // as root mosquitto 2 would switch to a user that cannot read our files
    if (!options.user.isEmpty()) {
        const QString passwords = dir + QStringLiteral("/passwords");
        if (!writeFile(passwords, {}, error))
            return {};
        QProcess passwd;
        passwd.start(QStringLiteral(QMT_MOSQUITTO_PASSWD),
                     {QStringLiteral("-b"), passwords, options.user, options.password});
        if (!passwd.waitForFinished(10'000) || passwd.exitCode() != 0) {
            *error = QStringLiteral("mosquitto_passwd failed: %1")
                         .arg(QString::fromLocal8Bit(passwd.readAllStandardError()));
            return {};
        }
        conf += "allow_anonymous false\npassword_file " + passwords.toUtf8() + '\n';
    } else {
        conf += "allow_anonymous true\n";
    }
    if (!options.refusedSubscriptions.isEmpty()) {
        const QString dynsec = dir + QStringLiteral("/dynamic-security.json");
        if (!writeFile(dynsec, dynamicSecurityConfig(options.refusedSubscriptions), error))
            return {};
        conf += "plugin " QMT_MOSQUITTO_DYNSEC "\nplugin_opt_config_file " + dynsec.toUtf8() + '\n';
    }
    if (!options.certFile.isEmpty()) {
        conf += "cafile " + options.caFile.toUtf8() + "\ncertfile " + options.certFile.toUtf8() + "\nkeyfile " +
                options.keyFile.toUtf8() + "\nrequire_certificate true\ntls_version tlsv1.2\n";
    }
    const QString path = dir + QStringLiteral("/mosquitto.conf");
    return writeFile(path, conf, error) ? path : QString();
}

bool MosquittoBroker::start(QString *error)
{
    return launch(0, error);
}

bool MosquittoBroker::restart(QString *error)
{
    stop();
    return launch(m_port, error);
}

bool MosquittoBroker::launch(quint16 port, QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary directory");
        return false;
    }
    for (int attempt = 0; attempt < Attempts; ++attempt) {
        m_port = port ? port : freePort();
        const QString config = writeConfig(m_dir.path(), m_port, m_options, error);
        if (config.isEmpty())
            return false;
        m_log.clear();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(m_process.get(), &QProcess::readyRead, [this] { m_log += m_process->readAll(); });
        m_process->start(QStringLiteral(QMT_MOSQUITTO), {QStringLiteral("-c"), config});
        // mosquitto logs "mosquitto version … running" once its listeners are open.
        const bool running =
            QTest::qWaitFor([this] { return m_log.contains(" running") || m_process->state() == QProcess::NotRunning; },
                            StartTimeoutMs);
        if (running && m_process->state() == QProcess::Running)
            return true;
        stop();
    }
    *error = QStringLiteral("mosquitto did not start: %1").arg(QString::fromLocal8Bit(m_log));
    return false;
}

void MosquittoBroker::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_log += m_process->readAll();
    m_process.reset();
}

bool MosquittoBroker::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString MosquittoBroker::log() const
{
    return QString::fromLocal8Bit(m_log);
}

} // namespace qmt::test
