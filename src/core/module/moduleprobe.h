#pragma once

#include <QObject>
#include <QSerialPort>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace qmt {

/// "Find my module": opens each candidate serial port in turn, sends `AT` (twice, for a sleeping module
/// loses the first, protocol-notes §3.4) and notes the ports that answer `OK`. One port at a time, all asynchronous.
class ModuleProbe : public QObject
{
    Q_OBJECT

public:
    explicit ModuleProbe(QObject *parent = nullptr);

    /// Probes `ports` (names or paths) at `baudRate`; finished() follows.
    void start(const QStringList &ports, qint32 baudRate);
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_index >= 0; }
    void setAnswerTimeoutMs(int ms) { m_timeout.setInterval(ms); }

Q_SIGNALS:
    void probing(const QString &port);
    /// The ports that answered, in probe order.
    void finished(const QStringList &answering);

private:
    void probeCurrent();
    void advance();
    void onReadyRead();
    void onTimeout();
    void closeCurrent();

    QStringList m_ports;
    QStringList m_answering;
    qint32 m_baudRate = 115200;
    int m_index = -1;
    int m_attempt = 0;
    std::unique_ptr<QSerialPort> m_port;
    QByteArray m_reply;
    QTimer m_timeout;
};

} // namespace qmt
