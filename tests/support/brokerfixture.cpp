// qmt-test-broker: the ctest fixture that starts one mosquitto for the integration tests and stops it.
//
//   qmt-test-broker start DIR   starts mosquitto on a free 127.0.0.1 port, writes DIR/port once it accepts
//                               connections, and leaves it running
//   qmt-test-broker stop DIR    stops the mosquitto started in DIR
//
// Tests find the port through the environment variable QMT_TEST_BROKER_DIR (see MosquittoBroker).

#include "mosquittobroker.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>
#include <QTextStream>
#include <QThread>
#include <csignal>
#include <sys/types.h>

namespace {

constexpr int StartTimeoutMs = 10'000;
constexpr int StopTimeoutMs = 10'000;

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

bool accepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(500);
}

int start(const QString &dir)
{
    QDir().mkpath(dir);
    QFile::remove(dir + QStringLiteral("/port"));
    for (int attempt = 0; attempt < 3; ++attempt) {
        const quint16 port = qmt::test::MosquittoBroker::freePort();
        QString error;
        const QString config = qmt::test::MosquittoBroker::writeConfig(dir, port, {}, &error);
        if (config.isEmpty()) {
            err() << error << Qt::endl;
            return 1;
        }
        QProcess process;
        process.setProgram(QStringLiteral(QMT_MOSQUITTO));
        process.setArguments({QStringLiteral("-c"), config});
        process.setStandardOutputFile(dir + QStringLiteral("/mosquitto.log"), QIODevice::Append);
        process.setStandardErrorFile(dir + QStringLiteral("/mosquitto.log"), QIODevice::Append);
        qint64 pid = 0;
        if (!process.startDetached(&pid)) {
            err() << "cannot start " QMT_MOSQUITTO << Qt::endl;
            return 1;
        }
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < StartTimeoutMs && ::kill(pid_t(pid), 0) == 0) {
            if (accepts(port)) {
                QFile pidFile(dir + QStringLiteral("/pid"));
                QFile portFile(dir + QStringLiteral("/port"));
                if (!pidFile.open(QIODevice::WriteOnly) || !portFile.open(QIODevice::WriteOnly))
                    return 1;
                pidFile.write(QByteArray::number(pid));
                portFile.write(QByteArray::number(port));
                QTextStream(stdout) << "mosquitto " << pid << " listening on 127.0.0.1:" << port << Qt::endl;
                return 0;
            }
            QThread::msleep(50); // a separate program polling a port: no event loop to wait on
        }
        ::kill(pid_t(pid), SIGTERM);
    }
    err() << "mosquitto did not start; see " << dir << "/mosquitto.log" << Qt::endl;
    return 1;
}

int stop(const QString &dir)
{
    QFile pidFile(dir + QStringLiteral("/pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0; // nothing was started
    const pid_t pid = pid_t(pidFile.readAll().trimmed().toLongLong());
    pidFile.close();
    if (pid > 0 && ::kill(pid, SIGTERM) == 0) {
        QElapsedTimer clock;
        clock.start();
        while (::kill(pid, 0) == 0 && clock.elapsed() < StopTimeoutMs)
            QThread::msleep(50);
        if (::kill(pid, 0) == 0)
            ::kill(pid, SIGKILL);
    }
    QFile::remove(dir + QStringLiteral("/pid"));
    QFile::remove(dir + QStringLiteral("/port"));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3 || (args[1] != QLatin1String("start") && args[1] != QLatin1String("stop"))) {
        err() << "usage: qmt-test-broker start|stop DIR" << Qt::endl;
        return 2;
    }
    return args[1] == QLatin1String("start") ? start(args[2]) : stop(args[2]);
}
