#include "mosquittosubscriber.h"

#include <QTest>

namespace qmt::test {

namespace {

constexpr int ProcessTimeoutMs = 10'000;

} // namespace

MosquittoSubscriber::MosquittoSubscriber(quint16 port, const QByteArray &topic, int qos, QStringList extraArguments)
    : m_process(std::make_unique<QProcess>())
{
    // -d prints "received SUBACK" (the subscription is in place); -F prints "<retain> <qos> <hex> <topic>".
    // stdbuf: mosquitto_sub's standard output is block-buffered into a pipe; lines must arrive as printed.
    m_arguments = QStringList{QStringLiteral("-oL"),        QStringLiteral(QMT_MOSQUITTO_SUB),
                              QStringLiteral("-h"),         QStringLiteral("127.0.0.1"),
                              QStringLiteral("-p"),         QString::number(port),
                              QStringLiteral("-t"),         QString::fromUtf8(topic),
                              QStringLiteral("-q"),         QString::number(qos),
                              QStringLiteral("-d"),         QStringLiteral("-F"),
                              QStringLiteral("%r %q %x %t")} +
                  extraArguments;
}

MosquittoSubscriber::~MosquittoSubscriber()
{
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(ProcessTimeoutMs))
            m_process->kill();
        m_process->waitForFinished(ProcessTimeoutMs);
    }
}

bool MosquittoSubscriber::start(QString *error)
{
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(m_process.get(), &QProcess::readyRead, [this] { onOutput(); });
    m_process->start(QStringLiteral(QMT_STDBUF), m_arguments);
    if (!QTest::qWaitFor([this] { return m_subscribed || m_process->state() == QProcess::NotRunning; },
                         ProcessTimeoutMs) ||
        !m_subscribed) {
        *error = QStringLiteral("mosquitto_sub did not subscribe: %1").arg(QString::fromLocal8Bit(m_buffer));
        return false;
    }
    return true;
}

void MosquittoSubscriber::onOutput()
{
    m_buffer += m_process->readAll();
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        if (line.startsWith("Client ")) {
            if (line.contains("received SUBACK"))
                m_subscribed = true;
            continue;
        }
        // Debug output ("Client … received …", "Subscribed (mid: 1): 2") is not a message line.
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() < 4 || !m_subscribed || (parts[0] != "0" && parts[0] != "1"))
            continue;
        Message m;
        m.retained = parts[0] == "1";
        m.qos = parts[1].toInt();
        m.payload = QByteArray::fromHex(parts[2]);
        m.topic = line.mid(parts[0].size() + parts[1].size() + parts[2].size() + 3);
        m_messages.append(m);
    }
}

bool MosquittoSubscriber::waitForMessages(int count, int timeoutMs)
{
    return QTest::qWaitFor([this, count] { return m_messages.size() >= count; }, timeoutMs);
}

bool mosquittoPublish(quint16 port, const QByteArray &topic, const QByteArray &payload, int qos, bool retain,
                      QString *error, const QStringList &extraArguments)
{
    QStringList arguments{QStringLiteral("-h"),  QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                          QString::number(port), QStringLiteral("-t"),        QString::fromUtf8(topic),
                          QStringLiteral("-q"),  QString::number(qos)};
    if (retain)
        arguments << QStringLiteral("-r");
    // -n sends an empty message; -s sends standard input as one message, whatever its bytes.
    arguments << (payload.isEmpty() ? QStringLiteral("-n") : QStringLiteral("-s"));
    arguments += extraArguments;
    QProcess process;
    process.start(QStringLiteral(QMT_MOSQUITTO_PUB), arguments);
    process.write(payload);
    process.closeWriteChannel();
    if (!process.waitForFinished(ProcessTimeoutMs) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error = QStringLiteral("mosquitto_pub failed: %1").arg(QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

} // namespace qmt::test
