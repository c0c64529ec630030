#pragma once

#include <QByteArray>
#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QTimer>
#include <memory>

namespace qmt::sim {

/// A pseudo-terminal whose far end (the "slave", e.g. /dev/pts/7) a host opens like a module's serial port.
///
/// The line is raw (cfmakeraw): no echo, no line editing, no CR/LF translation by the kernel, so every byte
/// reaches the module as sent. While no host has the port open, what the module sends is lost, as on a
/// UART with nothing attached; the pty is polled until a host opens it again.
class PseudoTerminal : public QObject
{
    Q_OBJECT

public:
    explicit PseudoTerminal(QObject *parent = nullptr);
    ~PseudoTerminal() override;

    /// Creates the pseudo-terminal. False, with `error` set, when the system refuses.
    bool open(QString *error);
    /// The path a host opens, e.g. "/dev/pts/7".
    [[nodiscard]] QString portName() const { return m_portName; }
    /// Also reachable as `path` (a symbolic link, removed again on destruction).
    bool createLink(const QString &path, QString *error);
    [[nodiscard]] bool hostConnected() const { return m_hostConnected; }

    /// Bytes to the host. They leave with the next turn of the event loop, together with whatever else the
    /// module sends meanwhile: one write for a burst of URCs, not one per line.
    void write(const QByteArray &bytes);

Q_SIGNALS:
    /// Bytes from the host.
    void received(const QByteArray &bytes);
    void hostConnectedChanged(bool connected);

private:
    void onReadable();
    void onWritable();
    void scheduleFlush();
    void dropWritten();
    void pollForHost();
    void setHostConnected(bool connected);

    int m_master = -1;
    QString m_portName;
    QString m_link;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    QTimer m_hostPoll;
    QByteArray m_pending;
    qsizetype m_pendingStart = 0; ///< bytes of m_pending before it are written already
    bool m_hostConnected = false;
    bool m_flushScheduled = false;
};

} // namespace qmt::sim
