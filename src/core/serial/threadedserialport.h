#pragma once

#include "core/at/portdevice.h"

#include <QByteArray>
#include <QSerialPort>
#include <QThread>

#include <memory>

namespace qmt {

/// A serial port (Unix) whose descriptor is read and written on a thread of its own, so that the thread the
/// device lives in (the GUI thread) never waits in the port's read().
///
/// Why: on Linux a read() from a tty that asks for more than is buffered — QSerialPort asks for up to
/// 32 KiB — waits in the line discipline for the tty's flush work item (n_tty_read → tty_buffer_flush_work),
/// which runs on a kernel worker thread. When other programs keep every core busy, each such read waits for
/// that worker to be scheduled: milliseconds per read, many reads a second, and a window that freezes while
/// using almost no CPU (BENCHMARKS.md, "A freeze under CPU competition"). Pseudo-terminals and USB serial
/// adapters share that line discipline.
///
/// The reader thread opens the port with QSerialPort (its lock file, exclusive mode, raw settings, baud rate
/// and error codes), then reads the descriptor itself, exactly as many bytes as FIONREAD says are buffered,
/// which the line discipline answers without waiting for the flush work. What it read is handed to this
/// device, which announces it with readyRead() on its own thread; writes go to the reader thread and come
/// back as bytesWritten(). The bytes in flight between the threads are bounded (maxBytesInFlight()): past the
/// bound the reader stops reading and the system's buffers hold the rest, so nothing is lost here.
///
/// open() waits for the reader thread to answer, so a busy or forbidden port fails there, with error() and
/// errorString() as QSerialPort gives them. A port that fails later (adapter unplugged, EIO) is reported
/// with lost(reason), after which the device is closed; open() may be called again.
class ThreadedSerialPort : public PortDevice
{
    Q_OBJECT

public:
    /// Bytes read but not yet taken by the reader of this device, before the reader thread pauses.
    static constexpr qint64 DefaultMaxBytesInFlight = qint64(1) << 20;

    explicit ThreadedSerialPort(QObject *parent = nullptr);
    ~ThreadedSerialPort() override;

    void setPortName(const QString &name) { m_portName = name; }
    [[nodiscard]] QString portName() const { return m_portName; }
    void setBaudRate(qint32 baudRate) { m_baudRate = baudRate; }
    [[nodiscard]] qint32 baudRate() const { return m_baudRate; }
    /// Takes effect at the next open().
    void setMaxBytesInFlight(qint64 bytes) { m_maxBytesInFlight = bytes; }
    [[nodiscard]] qint64 maxBytesInFlight() const { return m_maxBytesInFlight; }

    /// Opens the port 8N1 without flow control, on the reader thread; returns when it has answered.
    bool open(OpenMode mode) override;
    void close() override;
    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] qint64 bytesAvailable() const override;
    [[nodiscard]] qint64 bytesToWrite() const override;
    /// Why the last open() failed, as QSerialPort reports it; NoError otherwise.
    [[nodiscard]] QSerialPort::SerialPortError error() const { return m_error; }

    /// The thread that last read the port's descriptor (for tests: never the device's own).
    [[nodiscard]] Qt::HANDLE readerThreadId() const;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    struct Shared;
    class Reader;

    void takeIncoming(const std::shared_ptr<Shared> &shared);
    void takeWritten(const std::shared_ptr<Shared> &shared);
    void takeLoss(const std::shared_ptr<Shared> &shared);
    void stopReader();

    QString m_portName;
    qint32 m_baudRate = QSerialPort::Baud115200;
    qint64 m_maxBytesInFlight = DefaultMaxBytesInFlight;
    QSerialPort::SerialPortError m_error = QSerialPort::NoError;
    std::shared_ptr<Shared> m_shared; // this open's state shared with its reader thread
    std::unique_ptr<QThread> m_thread;
    QByteArray m_readBuffer; // handed over, not yet read from this device
    qint64 m_toWrite = 0;    // written to this device, not yet to the port
};

} // namespace qmt
