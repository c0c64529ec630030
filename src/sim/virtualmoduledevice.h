#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QPointer>

namespace qmt::sim {

class VirtualModule;

/// The virtual module as an in-process serial port: a sequential QIODevice an AtChannel can use in place
/// of a QSerialPort.
///
/// Writes never block: the bytes are handed to the module from the event loop, as a UART driver takes them
/// into its buffer, and bytesWritten() follows from the event loop too. The module's output is buffered here
/// and announced with one queued readyRead() per batch. Closing the device is like pulling the cable: the
/// module keeps running, and what it sends meanwhile is lost.
class VirtualModuleDevice : public QIODevice
{
    Q_OBJECT

public:
    /// A device with a module of its own (see module()).
    explicit VirtualModuleDevice(QObject *parent = nullptr);
    /// A device on an existing module, which it does not own.
    explicit VirtualModuleDevice(VirtualModule *module, QObject *parent = nullptr);
    ~VirtualModuleDevice() override;

    [[nodiscard]] VirtualModule *module() const { return m_module; }

    bool open(OpenMode mode) override;
    void close() override;
    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] qint64 bytesAvailable() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    void attach();
    void onTransmit(const QByteArray &bytes);

    QPointer<VirtualModule> m_module;
    QByteArray m_received;
    QByteArray m_toModule;
    qint64 m_unreportedWritten = 0;
    bool m_readyReadScheduled = false;
    bool m_deliveryScheduled = false;
};

} // namespace qmt::sim
