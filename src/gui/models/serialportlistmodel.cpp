#include "gui/models/serialportlistmodel.h"

#include "core/serial/serialportbusyprobe.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace qmt {

namespace {

QList<SerialPortEntry> systemPorts()
{
    QList<SerialPortEntry> out;
    const QList<QSerialPortInfo> infos = QSerialPortInfo::availablePorts();
    for (const QSerialPortInfo &info : infos)
        out.append(SerialPortEntry::fromInfo(info));
    return out;
}

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

/// "ttyUSB2" before "ttyUSB10": runs of digits compare by value. (QCollator's numeric mode does this only
/// where ICU backs it, not under the C locale.)
bool naturalLess(const QString &a, const QString &b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (isAsciiDigit(a[i]) && isAsciiDigit(b[j])) {
            const qsizetype startA = i;
            const qsizetype startB = j;
            while (i < a.size() && isAsciiDigit(a[i]))
                ++i;
            while (j < b.size() && isAsciiDigit(b[j]))
                ++j;
            QStringView numberA = QStringView(a).sliced(startA, i - startA);
            QStringView numberB = QStringView(b).sliced(startB, j - startB);
            while (numberA.size() > 1 && numberA.front() == u'0')
                numberA = numberA.sliced(1);
            while (numberB.size() > 1 && numberB.front() == u'0')
                numberB = numberB.sliced(1);
            if (numberA.size() != numberB.size())
                return numberA.size() < numberB.size();
            if (const int c = numberA.compare(numberB); c != 0)
                return c < 0;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j];
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

/// Entries for the paths no listed port has (by path or name) and that exist now, read on the worker thread.
QList<SerialPortEntry> recentEntries(const QStringList &paths, const QList<SerialPortEntry> &listed)
{
    QList<SerialPortEntry> out;
    for (const QString &path : paths) {
        const bool known = std::any_of(listed.cbegin(), listed.cend(), [&path](const SerialPortEntry &e) {
            return e.systemLocation == path || e.portName == path;
        });
        if (known || !QFileInfo::exists(path))
            continue;
        SerialPortEntry e;
        e.portName = path; // opened by its path: the system has no name for it
        e.systemLocation = path;
        e.description = SerialPortListModel::tr("recently used path");
        out.append(e);
    }
    return out;
}

QString hex4(quint16 value)
{
    return QStringLiteral("%1").arg(value, 4, 16, QLatin1Char('0'));
}

} // namespace

SerialPortListModel::SerialPortListModel(QObject *parent)
    : SerialPortListModel(
          systemPorts,
          [probe = SerialPortBusyProbe()](const QList<SerialPortEntry> &ports) { return probe.busyPorts(ports); },
          DefaultRefreshIntervalMs, parent)
{}

SerialPortListModel::SerialPortListModel(Lister lister, BusyProbe probe, int refreshIntervalMs, QObject *parent)
    : QAbstractListModel(parent)
    , m_lister(std::move(lister))
    , m_probe(std::move(probe))
{
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("SerialPortList"));
    m_thread.start(QThread::LowPriority);
    connect(&m_timer, &QTimer::timeout, this, &SerialPortListModel::refresh);
    setRefreshInterval(refreshIntervalMs);
    refresh();
}

SerialPortListModel::~SerialPortListModel()
{
    // A read in progress finishes first (milliseconds); results it posts die with this object.
    m_thread.quit();
    m_thread.wait();
}

void SerialPortListModel::setRefreshInterval(int ms)
{
    if (ms <= 0)
        m_timer.stop();
    else
        m_timer.start(ms);
}

void SerialPortListModel::setRecentPaths(const QStringList &paths)
{
    if (paths == m_recentPaths)
        return;
    m_recentPaths = paths;
    refresh();
}

void SerialPortListModel::refresh()
{
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    startRead();
}

void SerialPortListModel::startRead()
{
    m_reading = true;
    QMetaObject::invokeMethod(
        m_worker,
        [this, lister = m_lister, probe = m_probe, recent = m_recentPaths] {
            QList<SerialPortEntry> entries = lister ? lister() : QList<SerialPortEntry>();
            entries += recentEntries(recent, entries);
            std::stable_sort(entries.begin(), entries.end(), [](const SerialPortEntry &a, const SerialPortEntry &b) {
                return naturalLess(a.portName, b.portName);
            });
            // One row per name, whatever the lister says: rows are matched by name across reads.
            entries.erase(std::unique(entries.begin(), entries.end(),
                                      [](const SerialPortEntry &a, const SerialPortEntry &b) {
                                          return a.portName == b.portName;
                                      }),
                          entries.end());
            const QHash<QString, QString> busy = probe ? probe(entries) : QHash<QString, QString>();
            QList<Port> ports;
            ports.reserve(entries.size());
            for (const SerialPortEntry &e : entries)
                ports.append(Port{e, busy.value(e.portName)});
            // Posted to the model's thread; the model's destructor waits for this function to return.
            QMetaObject::invokeMethod(
                this, [this, ports = std::move(ports)]() mutable { apply(std::move(ports)); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void SerialPortListModel::apply(QList<Port> ports)
{
    QSet<QString> names;
    for (const Port &p : ports)
        names.insert(p.entry.portName);

    QStringList removed;
    for (int i = int(m_ports.size()) - 1; i >= 0; --i) {
        if (names.contains(m_ports[i].entry.portName))
            continue;
        beginRemoveRows({}, i + 1, i + 1);
        removed.prepend(m_ports[i].entry.portName);
        m_ports.removeAt(i);
        endRemoveRows();
    }

    // Both lists are sorted the same way and what is left of the old one is part of the new one: walk
    // them together, updating the rows that stay and inserting the new ones where they belong.
    QStringList added;
    for (int pos = 0; pos < ports.size(); ++pos) {
        const int row = pos + 1;
        if (pos < m_ports.size() && m_ports[pos].entry.portName == ports[pos].entry.portName) {
            if (!(m_ports[pos] == ports[pos])) {
                m_ports[pos] = ports[pos];
                Q_EMIT dataChanged(index(row), index(row));
            }
            continue;
        }
        beginInsertRows({}, row, row);
        m_ports.insert(pos, ports[pos]);
        endInsertRows();
        added.append(ports[pos].entry.portName);
    }

    m_reading = false;
    const bool first = std::exchange(m_firstRead, false);
    if (!first && (!added.isEmpty() || !removed.isEmpty()))
        Q_EMIT portsChanged(added, removed);
    Q_EMIT refreshed();
    if (std::exchange(m_readAgain, false))
        startRead();
}

const SerialPortListModel::Port *SerialPortListModel::portAt(int row) const
{
    return row >= 1 && row <= m_ports.size() ? &m_ports[row - 1] : nullptr;
}

int SerialPortListModel::rowOfPort(const QString &portName) const
{
    if (portName == VirtualPortName)
        return 0;
    for (int i = 0; i < m_ports.size(); ++i) {
        if (m_ports[i].entry.portName == portName)
            return i + 1;
    }
    return -1;
}

QString SerialPortListModel::portName(const QModelIndex &index) const
{
    return index.data(PortNameRole).toString();
}

bool SerialPortListModel::isVirtual(const QModelIndex &index) const
{
    return index.isValid() && index.row() == 0;
}

bool SerialPortListModel::isBusy(const QModelIndex &index) const
{
    const Port *p = portAt(index.row());
    return index.isValid() && p && !p->busyReason.isEmpty();
}

int SerialPortListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ports.size()) + 1;
}

QVariant SerialPortListModel::data(const QModelIndex &index, int role) const
{
    // An editable port box showing a typed path has no current row, and asks about it: nothing, quietly.
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.row() == 0) {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
            return tr("Virtual BC660K-GL (built-in)");
        case Qt::ToolTipRole:
            return tr("A simulated module inside QMT Studio that talks MQTT to a real broker; no hardware needed.");
        case PortNameRole:
            return VirtualPortName;
        case IsVirtualRole:
            return true;
        case BusyRole:
            return false;
        case SystemLocationRole:
        case BusyReasonRole:
        case DescriptionRole:
        case ManufacturerRole:
        case SerialNumberRole:
            return QString();
        }
        return {};
    }
    const Port &p = *portAt(index.row());
    const SerialPortEntry &e = p.entry;
    const bool busy = !p.busyReason.isEmpty();
    switch (role) {
    case Qt::DisplayRole: {
        const QString name = e.description.isEmpty() ? e.portName : tr("%1 — %2").arg(e.portName, e.description);
        return busy ? tr("%1 (busy)").arg(name) : name;
    }
    case Qt::EditRole:
        return e.systemLocation.isEmpty() ? e.portName : e.systemLocation;
    case Qt::ToolTipRole: {
        QStringList lines;
        const auto line = [&](const QString &label, const QString &value) {
            if (!value.isEmpty())
                lines.append(label.arg(value));
        };
        line(tr("Port: %1"), e.systemLocation.isEmpty() ? e.portName : e.systemLocation);
        line(tr("Description: %1"), e.description);
        line(tr("Manufacturer: %1"), e.manufacturer);
        line(tr("Serial number: %1"), e.serialNumber);
        if (e.vendorId && e.productId)
            line(tr("USB ID: %1"), hex4(*e.vendorId) + u':' + hex4(*e.productId));
        line(tr("Busy: %1"), p.busyReason);
        return lines.join(u'\n');
    }
    case PortNameRole:
        return e.portName;
    case SystemLocationRole:
        return e.systemLocation;
    case IsVirtualRole:
        return false;
    case BusyRole:
        return busy;
    case BusyReasonRole:
        return p.busyReason;
    case DescriptionRole:
        return e.description;
    case ManufacturerRole:
        return e.manufacturer;
    case SerialNumberRole:
        return e.serialNumber;
    }
    return {};
}

Qt::ItemFlags SerialPortListModel::flags(const QModelIndex &index) const
{
    const Qt::ItemFlags base = QAbstractListModel::flags(index);
    if (isBusy(index))
        return base & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return base;
}

} // namespace qmt
