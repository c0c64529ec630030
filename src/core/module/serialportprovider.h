#pragma once

#include "core/module/portprovider.h"

#include <QSerialPort>
#include <QTimer>

#ifdef Q_OS_UNIX
#include "core/serial/threadedserialport.h"
#endif

namespace qmt {

/// A serial port by name (/dev/ttyUSB0, /dev/serial/by-id/…, COM3) at a baud rate.
///
/// After a loss it polls once a second for the port to exist again — by its path for device files (udev's
/// by-id links come back with the adapter), otherwise by QSerialPortInfo, also matching the adapter's serial
/// number when the system gave it a new name.
///
/// On Unix the port is read on a thread of its own (ThreadedSerialPort), so the GUI thread never waits in
/// the tty's read(); elsewhere QSerialPort reads it on the caller's thread.
class SerialPortProvider : public PortProvider
{
    Q_OBJECT

public:
    static constexpr int DefaultBaudRate = 115200;

    explicit SerialPortProvider(QString portName, qint32 baudRate = DefaultBaudRate, QObject *parent = nullptr);

    [[nodiscard]] QString displayName() const override;
    QIODevice *open(QString &error) override;
    void close() override;
    void watchForReturn() override;
    void stopWatching() override;

    [[nodiscard]] QString portName() const { return m_portName; }
    [[nodiscard]] qint32 baudRate() const { return m_baudRate; }
    void setPollIntervalMs(int ms) { m_poll.setInterval(ms); }

private:
    void poll();
    [[nodiscard]] bool portExists();

    QString m_portName;
    QString m_serialNumber; // of the adapter, when the system reports one
    qint32 m_baudRate;
#ifdef Q_OS_UNIX
    ThreadedSerialPort m_port;
#else
    QSerialPort m_port;
#endif
    QTimer m_poll;
};

} // namespace qmt
