#include "soakport.h"

#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"

namespace qmt::soak {

SoakPort::SoakPort(sim::VirtualModule &module, QObject *parent)
    : PortProvider(parent)
    , m_device(std::make_unique<sim::VirtualModuleDevice>(&module))
{
    m_return.setSingleShot(true);
    connect(&m_return, &QTimer::timeout, this, [this] {
        m_away = false;
        Q_EMIT reappeared();
    });
}

SoakPort::~SoakPort() = default;

QString SoakPort::displayName() const
{
    return QStringLiteral("soak port");
}

QIODevice *SoakPort::open(QString &error)
{
    if (m_away) {
        error = QStringLiteral("the soak port is unplugged");
        return nullptr;
    }
    if (!m_device->isOpen() && !m_device->open(QIODevice::ReadWrite)) {
        error = m_device->errorString();
        return nullptr;
    }
    return m_device.get();
}

void SoakPort::close()
{
    if (m_device->isOpen())
        m_device->close();
}

void SoakPort::lose(int awayMs)
{
    m_away = true;
    m_return.setInterval(awayMs);
    close(); // the channel sees the device close under it and reports the port lost
}

void SoakPort::watchForReturn()
{
    if (m_away)
        m_return.start();
}

} // namespace qmt::soak
