#pragma once

#include "core/serial/serialportentry.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

#include <optional>

namespace qmt {

/// Finds out which serial ports another program holds, without touching the ports.
///
/// QSerialPortInfo::isBusy() is gone in Qt 6, and opening a port to see whether it fails is no probe:
/// open() raises DTR and the last close() drops it again, which resets many boards and wakes a sleeping
/// module — every two seconds, on every port, if the list refreshes on a timer. So the probe only reads:
///
/// - UUCP lock files (`LCK..ttyUSB0` in /var/lock, /run/lock, /tmp …): QSerialPort, minicom and other
///   careful programs create one with their PID; a lock whose PID is gone is stale and ignored.
/// - /proc/<pid>/fd on Linux: a process with the device open holds it, lock file or not (screen, picocom,
///   this program itself). Processes of other users cannot be seen, which is why lock files count too.
///
/// What is left undetected (another user's program that takes no lock) still fails cleanly when the port
/// is opened; the connect error says so. Reads the file system only; safe on any thread.
class SerialPortBusyProbe
{
    Q_DECLARE_TR_FUNCTIONS(qmt::SerialPortBusyProbe)

public:
    /// The system's lock directories and /proc.
    SerialPortBusyProbe();
    SerialPortBusyProbe(QStringList lockDirectories, QString procRoot);

    /// The directories QSerialPort and UUCP tools put lock files in.
    [[nodiscard]] static QStringList defaultLockDirectories();

    /// Why each busy port among `ports` is busy, by port name; free ports are absent. One pass over /proc
    /// serves all ports.
    [[nodiscard]] QHash<QString, QString> busyPorts(const QList<SerialPortEntry> &ports) const;

private:
    [[nodiscard]] std::optional<QString> lockHolder(const SerialPortEntry &port) const;
    /// Canonical device path → who has it open, for the paths asked about.
    [[nodiscard]] QHash<QString, QString> openers(const QHash<QString, QString> &pathsByCanonical) const;

    QStringList m_lockDirectories;
    QString m_procRoot;
};

} // namespace qmt
