#include "gui/models/atlogmodel.h"

#include "gui/models/payloadformatter.h"

#include <QColor>

namespace qmt {

namespace {

qint64 msOrNow(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

/// Mid-tone colours, readable on light and dark palettes alike. Plain responses keep the palette's text
/// colour: they are most of a dialogue and the colours should pick out the rest.
QColor kindColor(const AtLogEntry &e)
{
    using Kind = AtLogEntry::Kind;
    switch (e.kind) {
    case Kind::Command:
        return QColor(0x1e, 0x6f, 0xd0);
    case Kind::DataSent:
    case Kind::Data:
        return QColor(0x00, 0x89, 0x7b);
    case Kind::Echo:
        return QColor(0x80, 0x80, 0x80);
    case Kind::Response:
        return {};
    case Kind::Final:
        return e.text == "OK" || e.text.endsWith(" OK") ? QColor(0x2e, 0x8b, 0x3a) : QColor(0xd0, 0x30, 0x30);
    case Kind::Prompt:
        return QColor(0x9c, 0x3d, 0xb8);
    case Kind::Urc:
        return QColor(0xd0, 0x70, 0x00);
    case Kind::Unknown:
        return QColor(0xc0, 0x2a, 0x7a);
    }
    return {};
}

} // namespace

AtLogModel::AtLogModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_rows(DefaultCapacity)
{
    m_tick.setSingleShot(true);
    m_tick.setObjectName(QStringLiteral("AtLogModel tick")); // named for profilers and benchmarks
    m_tick.setInterval(DefaultTickIntervalMs);
    connect(&m_tick, &QTimer::timeout, this, &AtLogModel::flush);
}

void AtLogModel::appendCommand(QByteArrayView text, const QDateTime &time)
{
    append(AtLogEntry::command(text, msOrNow(time)));
}

void AtLogModel::appendDataSent(QByteArrayView shown, bool secret, int slot, const QDateTime &time)
{
    append(AtLogEntry::dataSent(shown, secret, slot, msOrNow(time)));
}

void AtLogModel::appendLine(const AtLine &line, const QDateTime &time)
{
    append(AtLogEntry::received(line, msOrNow(time)));
}

void AtLogModel::append(AtLogEntry entry)
{
    m_pending.push_back(std::move(entry));
    trimPending();
    scheduleTick();
}

void AtLogModel::trimPending()
{
    // Anything beyond the capacity would be pushed out of the table by newer queued rows anyway.
    const qsizetype excess = qsizetype(m_pending.size()) - capacity();
    if (excess <= 0)
        return;
    m_pending.erase(m_pending.begin(), m_pending.begin() + excess);
    drop(quint64(excess));
}

void AtLogModel::scheduleTick()
{
    if (!m_tick.isActive())
        m_tick.start();
}

void AtLogModel::flush()
{
    if (!m_paused && !m_pending.empty()) {
        const qsizetype incoming = qsizetype(m_pending.size());
        const qsizetype overflow = m_rows.size() + incoming - capacity();
        if (overflow > 0) {
            beginRemoveRows({}, 0, int(overflow - 1));
            m_rows.popFront(overflow);
            endRemoveRows();
            drop(quint64(overflow));
        }
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(incoming) - 1);
        for (AtLogEntry &e : m_pending)
            m_rows.pushBack(std::move(e));
        m_pending.clear();
        endInsertRows();
    }
    reportCounters();
}

void AtLogModel::setTickInterval(int ms)
{
    m_tick.setInterval(qMax(0, ms));
}

void AtLogModel::setCapacity(qsizetype rows)
{
    rows = qMax<qsizetype>(1, rows);
    if (rows == capacity())
        return;
    if (m_rows.size() > rows) {
        const qsizetype excess = m_rows.size() - rows;
        beginRemoveRows({}, 0, int(excess - 1));
        m_rows.popFront(excess);
        endRemoveRows();
        drop(quint64(excess));
    }
    m_rows.setCapacity(rows);
    trimPending();
    reportCounters();
}

void AtLogModel::drop(quint64 rows)
{
    m_dropped += rows;
}

void AtLogModel::reportCounters()
{
    if (m_dropped != m_reportedDropped) {
        m_reportedDropped = m_dropped;
        Q_EMIT droppedCountChanged(m_dropped);
    }
    if (heldCount() != m_reportedHeld) {
        m_reportedHeld = heldCount();
        Q_EMIT heldCountChanged(m_reportedHeld);
    }
}

void AtLogModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    Q_EMIT pausedChanged(paused);
    if (!paused)
        scheduleTick();
}

void AtLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    endResetModel();
    m_dropped = 0;
    reportCounters();
}

int AtLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AtLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AtLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AtLogEntry &e = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return e.time().toString(QStringLiteral("HH:mm:ss.zzz"));
        case DirectionColumn:
            return AtLogEntry::directionName(e.direction);
        case SlotColumn:
            return e.slotName();
        case KindColumn:
            return AtLogEntry::kindName(e.kind);
        case TextColumn:
            return e.shownText();
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return e.time().toString(Qt::ISODateWithMs);
        if (index.column() == TextColumn && e.hasInvisibleBytes())
            return tr("%1\n\nBytes (hex): %2").arg(e.shownText(), PayloadFormatter::hexBytes(e.text));
        return {};
    case Qt::ForegroundRole: {
        const QColor color = kindColor(e);
        return color.isValid() ? QVariant(color) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return index.column() == SlotColumn ? QVariant(Qt::AlignCenter) : QVariant();
    case TimeRole:
        return e.time();
    case DirectionRole:
        return int(e.direction);
    case SlotRole:
        return int(e.slot);
    case KindRole:
        return int(e.kind);
    case SecretRole:
        return e.secret;
    case ShownBytesRole:
        return e.shownBytes();
    }
    return {};
}

QVariant AtLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case DirectionColumn:
        return tr("Direction");
    case SlotColumn:
        return tr("Slot");
    case KindColumn:
        return tr("Kind");
    case TextColumn:
        return tr("Text");
    }
    return {};
}

} // namespace qmt
