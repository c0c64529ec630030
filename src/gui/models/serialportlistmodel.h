#pragma once

#include "core/serial/serialportentry.h"

#include <QAbstractListModel>
#include <QHash>
#include <QThread>
#include <QTimer>

#include <functional>
#include <optional>

namespace qmt {

/// The ports a module can be reached on: first the built-in virtual module, then the serial ports
/// sorted by name ("ttyUSB2" before "ttyUSB10"), among them the recently used device paths the system
/// does not list (a pseudo-terminal of qmt-sim or socat), for as long as they exist.
///
/// Qt::EditRole is what an editable port box shows for a row: the device path to open.
///
/// Ports another program holds are shown with the reason and cannot be chosen (Qt::ItemIsEnabled and
/// Qt::ItemIsSelectable off, so views grey them out). The list is read again on a timer, on a worker
/// thread (udev enumeration and the busy probe take milliseconds the GUI should not wait for); changes are
/// applied as row insertions, removals and dataChanged, so a port's row survives refreshes and a view's
/// selection stays put. Plugging and unplugging is reported through portsChanged().
///
/// Both the port list and the busy probe are injectable: tests describe ports without hardware.
class SerialPortListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    /// Lists the ports; called on the worker thread.
    using Lister = std::function<QList<SerialPortEntry>()>;
    /// Port name → why it is busy, for the busy ones; called on the worker thread after the lister.
    using BusyProbe = std::function<QHash<QString, QString>(const QList<SerialPortEntry> &)>;

    enum Role {
        PortNameRole = Qt::UserRole + 1, ///< QString; VirtualPortName for the virtual module
        SystemLocationRole,              ///< QString: "/dev/ttyUSB0"
        IsVirtualRole,                   ///< bool
        BusyRole,                        ///< bool
        BusyReasonRole,                  ///< QString, empty when free
        DescriptionRole,
        ManufacturerRole,
        SerialNumberRole
    };

    static constexpr int DefaultRefreshIntervalMs = 2000;
    /// The port name that stands for the built-in virtual module.
    static inline const QString VirtualPortName = QStringLiteral("virtual:bc660k-gl");

    /// QSerialPortInfo::availablePorts() and SerialPortBusyProbe, refreshed every two seconds.
    explicit SerialPortListModel(QObject *parent = nullptr);
    /// Any source of ports; `refreshIntervalMs` 0 refreshes only on refresh().
    SerialPortListModel(Lister lister, BusyProbe probe, int refreshIntervalMs, QObject *parent = nullptr);
    ~SerialPortListModel() override;

    /// Reads the list again; refreshed() follows once the change is applied. Requests made while a read is
    /// running are folded into one more read.
    void refresh();
    /// 0 stops the timer.
    void setRefreshInterval(int ms);
    /// Device paths to list besides the system's ports while they exist (RecentPortPaths); reads again.
    void setRecentPaths(const QStringList &paths);
    [[nodiscard]] int refreshInterval() const { return m_timer.isActive() ? m_timer.interval() : 0; }

    /// The row of a port by name (VirtualPortName gives 0), or -1.
    [[nodiscard]] int rowOfPort(const QString &portName) const;
    [[nodiscard]] QString portName(const QModelIndex &index) const;
    [[nodiscard]] bool isVirtual(const QModelIndex &index) const;
    [[nodiscard]] bool isBusy(const QModelIndex &index) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    /// Ports that appeared and vanished since the previous read. Not emitted for the first read, which
    /// finds the ports that were there all along.
    void portsChanged(const QStringList &added, const QStringList &removed);
    void refreshed();

private:
    struct Port
    {
        SerialPortEntry entry;
        QString busyReason;
        friend bool operator==(const Port &, const Port &) = default;
    };

    void startRead();
    void apply(QList<Port> ports);
    [[nodiscard]] const Port *portAt(int row) const;

    Lister m_lister;
    BusyProbe m_probe;
    QStringList m_recentPaths;
    QList<Port> m_ports; ///< rows 1…, sorted
    QTimer m_timer;
    QThread m_thread;
    QObject *m_worker = nullptr; ///< lives in m_thread; the reads run in its context
    bool m_reading = false;
    bool m_readAgain = false;
    bool m_firstRead = true;
};

} // namespace qmt
