#include "gui/models/slotstatemodel.h"

#include "core/qmt/qmtcodes.h"

#include <QColor>

#include <algorithm>

namespace qmt {

SlotStateModel::SlotStateModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_clock([] { return QDateTime::currentDateTime(); })
{
    m_tickTimer.setInterval(1000);
    connect(&m_tickTimer, &QTimer::timeout, this, &SlotStateModel::tick);
}

bool SlotStateModel::setSlot(int slot, const SlotSnapshot &snapshot)
{
    if (slot < 0 || slot >= SlotCount)
        return false;
    SlotSnapshot &current = m_slots[size_t(slot)];
    if (current == snapshot)
        return true;
    current = snapshot;
    Q_EMIT dataChanged(index(slot, 0), index(slot, ColumnCount - 1));
    const bool anyTicking = std::any_of(m_slots.begin(), m_slots.end(), &SlotStateModel::ticks);
    if (anyTicking && !m_tickTimer.isActive())
        m_tickTimer.start();
    else if (!anyTicking)
        m_tickTimer.stop();
    return true;
}

bool SlotStateModel::statIsHistory(const SlotSnapshot &s)
{
    // The slot connected after the +QMTSTAT: it reports what happened, not why the slot is down.
    return s.lastStatCode && s.connectedSince.isValid() &&
           (!s.lastStatTime.isValid() || s.connectedSince >= s.lastStatTime);
}

bool SlotStateModel::ticks(const SlotSnapshot &s)
{
    return s.connectedSince.isValid() || s.nextAttempt.isValid();
}

void SlotStateModel::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

void SlotStateModel::tick()
{
    for (int row = 0; row < SlotCount; ++row) {
        const SlotSnapshot &s = m_slots[size_t(row)];
        if (s.connectedSince.isValid())
            Q_EMIT dataChanged(index(row, UptimeColumn), index(row, UptimeColumn), {Qt::DisplayRole});
        if (s.nextAttempt.isValid())
            Q_EMIT dataChanged(index(row, RecoveryColumn), index(row, RecoveryColumn), {Qt::DisplayRole});
    }
}

QString SlotStateModel::recoveryText(const SlotSnapshot &s) const
{
    if (!s.notRetrying.isEmpty())
        return s.notRetrying;
    if (s.recoveryAttempt == 0 || s.mqtt == SlotSnapshot::Mqtt::Connected)
        return {};
    if (s.nextAttempt.isValid()) {
        // Rounded up: "in 0 s" would be shown for most of the last second.
        const qint64 seconds = std::max<qint64>(0, (m_clock().msecsTo(s.nextAttempt) + 999) / 1000);
        return tr("recovering in %1 s, attempt %2").arg(seconds).arg(s.recoveryAttempt);
    }
    return tr("reconnecting, attempt %1").arg(s.recoveryAttempt);
}

std::optional<qint64> SlotStateModel::uptimeSeconds(const SlotSnapshot &s) const
{
    if (!s.connectedSince.isValid())
        return std::nullopt;
    return qMax<qint64>(0, s.connectedSince.secsTo(m_clock()));
}

QString SlotStateModel::socketName(SlotSnapshot::Socket state)
{
    switch (state) {
    case SlotSnapshot::Socket::Closed:
        return tr("closed");
    case SlotSnapshot::Socket::Opening:
        return tr("opening");
    case SlotSnapshot::Socket::Open:
        return tr("open");
    case SlotSnapshot::Socket::Closing:
        return tr("closing");
    }
    return {};
}

QString SlotStateModel::mqttName(SlotSnapshot::Mqtt state)
{
    switch (state) {
    case SlotSnapshot::Mqtt::Disconnected:
        return tr("disconnected");
    case SlotSnapshot::Mqtt::Initializing:
        return tr("initializing");
    case SlotSnapshot::Mqtt::Connecting:
        return tr("connecting");
    case SlotSnapshot::Mqtt::Connected:
        return tr("connected");
    case SlotSnapshot::Mqtt::Disconnecting:
        return tr("disconnecting");
    }
    return {};
}

QString SlotStateModel::durationText(qint64 seconds)
{
    const qint64 h = seconds / 3600;
    const qint64 m = seconds / 60 % 60;
    const qint64 s = seconds % 60;
    const QLatin1Char zero('0');
    if (h > 0)
        return tr("%1 h %2 min %3 s").arg(h).arg(m, 2, 10, zero).arg(s, 2, 10, zero);
    if (m > 0)
        return tr("%1 min %2 s").arg(m).arg(s, 2, 10, zero);
    return tr("%1 s").arg(s);
}

int SlotStateModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : SlotCount;
}

int SlotStateModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlotStateModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SlotSnapshot &s = m_slots[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SlotColumn:
            return index.row();
        case SocketColumn:
            return socketName(s.socket);
        case MqttColumn:
            return mqttName(s.mqtt);
        case StatColumn:
            return s.lastStatCode ? tr("%1: %2").arg(*s.lastStatCode).arg(codes::statMeaning(*s.lastStatCode))
                                  : QString();
        case RecoveryColumn:
            return recoveryText(s);
        case SentColumn:
            return s.sent;
        case ReceivedColumn:
            return s.received;
        case RetransmissionsColumn:
            return s.retransmissions;
        case FailuresColumn:
            return s.failures;
        case UptimeColumn: {
            const std::optional<qint64> up = uptimeSeconds(s);
            return up ? durationText(*up) : QString();
        }
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatColumn && s.lastStatCode) {
            const QString advice = codes::statAdvice(*s.lastStatCode);
            const QString when =
                s.lastStatTime.isValid() ? tr("Reported at %1.").arg(s.lastStatTime.toString(Qt::ISODate)) : QString();
            const QString since = statIsHistory(s)
                                      ? tr("Connected again since %1.").arg(s.connectedSince.toString(Qt::ISODate))
                                      : QString();
            return QStringList{since, advice, when}.join(u'\n').trimmed();
        }
        if (index.column() == RecoveryColumn)
            return recoveryText(s); // whole, where a narrow column elides it
        if (index.column() == UptimeColumn && s.connectedSince.isValid())
            return tr("Connected since %1.").arg(s.connectedSince.toString(Qt::ISODate));
        return {};
    case Qt::ForegroundRole:
        if (index.column() == MqttColumn && s.mqtt == SlotSnapshot::Mqtt::Connected)
            return QColor(0x2e, 0x8b, 0x3a);
        if (index.column() == StatColumn && s.lastStatCode) {
            if (statIsHistory(s))
                return QColor(0x70, 0x70, 0x70);
            if (*s.lastStatCode != 5) // 5 is a normal close
                return QColor(0xd0, 0x30, 0x30);
        }
        if (index.column() == RecoveryColumn && !s.notRetrying.isEmpty())
            return QColor(0xd0, 0x30, 0x30);
        return {};
    case SocketStateRole:
        return int(s.socket);
    case MqttStateRole:
        return int(s.mqtt);
    case StatCodeRole:
        return s.lastStatCode ? QVariant(*s.lastStatCode) : QVariant();
    case UptimeSecondsRole: {
        const std::optional<qint64> up = uptimeSeconds(s);
        return up ? QVariant(*up) : QVariant();
    }
    }
    return {};
}

QVariant SlotStateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SlotColumn:
        return tr("Slot");
    case SocketColumn:
        return tr("Socket");
    case MqttColumn:
        return tr("MQTT");
    case StatColumn:
        return tr("Last +QMTSTAT");
    case RecoveryColumn:
        return tr("Recovery");
    case SentColumn:
        return tr("Sent");
    case ReceivedColumn:
        return tr("Received");
    case RetransmissionsColumn:
        return tr("Retransmissions");
    case FailuresColumn:
        return tr("Failures");
    case UptimeColumn:
        return tr("Uptime");
    }
    return {};
}

} // namespace qmt
