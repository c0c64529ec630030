#include "sim/virtualmoduledevice.h"

#include "sim/virtualmodule.h"

#include <cstring>

namespace qmt::sim {

namespace {

/// Output kept for a reader that does not read; beyond it the oldest bytes go, as from a UART's FIFO.
constexpr qsizetype MaxBuffered = 4 << 20;

} // namespace

VirtualModuleDevice::VirtualModuleDevice(QObject *parent)
    : QIODevice(parent)
    , m_module(new VirtualModule(this))
{
    attach();
}

VirtualModuleDevice::VirtualModuleDevice(VirtualModule *module, QObject *parent)
    : QIODevice(parent)
    , m_module(module)
{
    attach();
}

VirtualModuleDevice::~VirtualModuleDevice() = default;

void VirtualModuleDevice::attach()
{
    connect(m_module, &VirtualModule::transmit, this, &VirtualModuleDevice::onTransmit);
}

bool VirtualModuleDevice::open(OpenMode mode)
{
    m_received.clear();
    return QIODevice::open(mode | QIODevice::Unbuffered);
}

void VirtualModuleDevice::close()
{
    QIODevice::close();
    m_received.clear();
    m_toModule.clear();
}

qint64 VirtualModuleDevice::bytesAvailable() const
{
    return m_received.size() + QIODevice::bytesAvailable();
}

void VirtualModuleDevice::onTransmit(const QByteArray &bytes)
{
    if (!isOpen())
        return; // nobody on the line
    m_received += bytes;
    if (m_received.size() > MaxBuffered)
        m_received.remove(0, m_received.size() - MaxBuffered);
    if (m_readyReadScheduled)
        return;
    m_readyReadScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_readyReadScheduled = false;
            if (isOpen() && !m_received.isEmpty())
                Q_EMIT readyRead();
        },
        Qt::QueuedConnection);
}

qint64 VirtualModuleDevice::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min<qint64>(maxSize, m_received.size());
    std::memcpy(data, m_received.constData(), size_t(n));
    m_received.remove(0, n);
    return n;
}

qint64 VirtualModuleDevice::writeData(const char *data, qint64 size)
{
    if (!m_module)
        return -1;
    m_toModule.append(data, size);
    m_unreportedWritten += size;
    if (!m_deliveryScheduled) {
        m_deliveryScheduled = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_deliveryScheduled = false;
                const QByteArray bytes = std::exchange(m_toModule, QByteArray());
                const qint64 written = std::exchange(m_unreportedWritten, 0);
                if (m_module && !bytes.isEmpty())
                    m_module->receive(bytes);
                if (written > 0 && isOpen())
                    Q_EMIT bytesWritten(written);
            },
            Qt::QueuedConnection);
    }
    return size;
}

} // namespace qmt::sim
