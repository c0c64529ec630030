#pragma once

#include <QIODevice>
#include <QString>

namespace qmt {

/// A port's byte stream that can go away under the channel: a USB adapter pulled out, a pseudo-terminal
/// whose other side closed, a read or write the system refuses (EIO).
///
/// QSerialPort says so with errorOccurred(); a device of another kind that knows the same says it with
/// lost(), naming the reason in the system's words, and AtChannel reports it as the port lost. After lost()
/// the device is closed.
class PortDevice : public QIODevice
{
    Q_OBJECT

public:
    using QIODevice::QIODevice;

Q_SIGNALS:
    void lost(const QString &reason);
};

} // namespace qmt
