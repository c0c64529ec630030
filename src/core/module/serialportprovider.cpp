#include "core/module/serialportprovider.h"

#include <QFileInfo>
#include <QSerialPortInfo>

namespace qmt {

SerialPortProvider::SerialPortProvider(QString portName, qint32 baudRate, QObject *parent)
    : PortProvider(parent)
    , m_portName(std::move(portName))
    , m_baudRate(baudRate)
{
    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, &SerialPortProvider::poll);
}

QString SerialPortProvider::displayName() const
{
    return tr("%1 at %2 baud").arg(m_portName).arg(m_baudRate);
}

QIODevice *SerialPortProvider::open(QString &error)
{
    if (m_port.isOpen())
        return &m_port;
    m_port.setPortName(m_portName);
    m_port.setBaudRate(m_baudRate);
#ifndef Q_OS_UNIX
    m_port.setDataBits(QSerialPort::Data8); // ThreadedSerialPort opens 8N1 without flow control itself
    m_port.setParity(QSerialPort::NoParity);
    m_port.setStopBits(QSerialPort::OneStop);
    m_port.setFlowControl(QSerialPort::NoFlowControl);
#endif
    if (!m_port.open(QIODevice::ReadWrite)) {
        error = m_port.error() == QSerialPort::PermissionError
                    ? tr("%1 is busy or not permitted: %2").arg(m_portName, m_port.errorString())
                    : tr("Cannot open %1: %2").arg(m_portName, m_port.errorString());
        return nullptr;
    }
    const QSerialPortInfo info(m_portName);
    if (!info.serialNumber().isEmpty())
        m_serialNumber = info.serialNumber();
    return &m_port;
}

void SerialPortProvider::close()
{
    m_poll.stop();
    if (m_port.isOpen())
        m_port.close();
}

void SerialPortProvider::watchForReturn()
{
    if (m_port.isOpen())
        m_port.close();
    m_poll.start();
}

void SerialPortProvider::stopWatching()
{
    m_poll.stop();
}

bool SerialPortProvider::portExists()
{
    if (m_portName.startsWith(QLatin1Char('/')))
        return QFileInfo::exists(m_portName);
    const QList<QSerialPortInfo> ports = QSerialPortInfo::availablePorts();
    for (const QSerialPortInfo &p : ports) {
        if (p.portName() == m_portName || p.systemLocation() == m_portName)
            return true;
    }
    if (m_serialNumber.isEmpty())
        return false;
    for (const QSerialPortInfo &p : ports) {
        if (p.serialNumber() == m_serialNumber) {
            m_portName = p.systemLocation(); // same adapter, new name after re-enumeration
            return true;
        }
    }
    return false;
}

void SerialPortProvider::poll()
{
    if (portExists()) {
        m_poll.stop();
        Q_EMIT reappeared();
    }
}

} // namespace qmt
