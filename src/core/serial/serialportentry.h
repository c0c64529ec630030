#pragma once

#include <QSerialPortInfo>
#include <QString>

#include <optional>

namespace qmt {

/// What the port list knows of one serial port: QSerialPortInfo's fields as plain, comparable data.
///
/// QSerialPortInfo cannot be made up (it always asks the system), so the port list takes these instead,
/// and tests can describe any set of ports.
struct SerialPortEntry
{
    QString portName;       ///< "ttyUSB0"
    QString systemLocation; ///< "/dev/ttyUSB0"
    QString description;
    QString manufacturer;
    QString serialNumber;
    std::optional<quint16> vendorId;
    std::optional<quint16> productId;

    friend bool operator==(const SerialPortEntry &, const SerialPortEntry &) = default;

    [[nodiscard]] static SerialPortEntry fromInfo(const QSerialPortInfo &info)
    {
        SerialPortEntry e;
        e.portName = info.portName();
        e.systemLocation = info.systemLocation();
        e.description = info.description();
        e.manufacturer = info.manufacturer();
        e.serialNumber = info.serialNumber();
        if (info.hasVendorIdentifier())
            e.vendorId = info.vendorIdentifier();
        if (info.hasProductIdentifier())
            e.productId = info.productIdentifier();
        return e;
    }
};

} // namespace qmt
