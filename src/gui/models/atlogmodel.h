#pragma once

#include "gui/models/atlogentry.h"
#include "gui/models/ringbuffer.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <deque>

namespace qmt {

/// The AT/URC log: every line to and from the module, newest last, bounded by a ring buffer.
///
/// Feeding only queues (append*()); a UI tick (QTimer, ~30 Hz) moves everything queued into the table
/// with one beginInsertRows per tick, after one beginRemoveRows for the oldest rows that no longer fit —
/// the oldest row leaves before a new one comes in, as in qBittorrent's log. Rows that leave are counted
/// (droppedCount()), never lost silently. While paused, rows keep being queued but are held back; the
/// held rows are bounded by the same capacity, and those pushed out are counted as dropped too.
///
/// Secrets never enter the model: see AtLogEntry.
class AtLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        DirectionColumn,
        SlotColumn,
        KindColumn,
        TextColumn,
        ColumnCount
    };
    enum Role {
        TimeRole = Qt::UserRole + 1, ///< QDateTime, local time with milliseconds
        DirectionRole,               ///< int(AtLogEntry::Direction)
        SlotRole,                    ///< int, AtLogEntry::NoSlot for none
        KindRole,                    ///< int(AtLogEntry::Kind)
        SecretRole,                  ///< bool
        ShownBytesRole               ///< QByteArray: the line as it may be shown (redacted)
    };

    static constexpr qsizetype DefaultCapacity = 100'000;
    static constexpr int DefaultTickIntervalMs = 33;

    explicit AtLogModel(QObject *parent = nullptr);

    /// A command sent (AtChannel::commandSent); the text is redacted here whatever the caller did.
    void appendCommand(QByteArrayView text, const QDateTime &time = {});
    /// Data-mode bytes sent (AtChannel::dataSent). `secret`: `shown` holds the secret bytes themselves.
    void appendDataSent(QByteArrayView shown, bool secret = false, int slot = AtLogEntry::NoSlot,
                        const QDateTime &time = {});
    /// A line from the module (AtChannel::lineReceived).
    void appendLine(const AtLine &line, const QDateTime &time = {});
    /// Any prepared row. An invalid `time` in the overloads above means now.
    void append(AtLogEntry entry);

    /// Moves the queued rows into the table now (the UI tick does this; tests call it directly).
    void flush();
    void setTickInterval(int ms);
    [[nodiscard]] int tickInterval() const { return m_tick.interval(); }

    /// Keeps at most `rows` rows (at least 1); a smaller capacity drops the oldest rows at once.
    void setCapacity(qsizetype rows);
    [[nodiscard]] qsizetype capacity() const { return m_rows.capacity(); }
    /// Rows that left the log or its hold queue unseen since the last clear().
    [[nodiscard]] quint64 droppedCount() const { return m_dropped; }

    void setPaused(bool paused);
    [[nodiscard]] bool isPaused() const { return m_paused; }
    /// Rows queued and not yet in the table (held while paused).
    [[nodiscard]] qsizetype heldCount() const { return qsizetype(m_pending.size()); }

    /// Removes every row, shown and held, and resets the dropped count.
    void clear();

    [[nodiscard]] const AtLogEntry &entry(int row) const { return m_rows.at(row); }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void droppedCountChanged(quint64 dropped);
    void pausedChanged(bool paused);
    void heldCountChanged(qsizetype held);

private:
    void drop(quint64 rows);
    void trimPending();
    void scheduleTick();
    void reportCounters();

    RingBuffer<AtLogEntry> m_rows;
    std::deque<AtLogEntry> m_pending;
    QTimer m_tick;
    quint64 m_dropped = 0;
    quint64 m_reportedDropped = 0;
    qsizetype m_reportedHeld = 0;
    bool m_paused = false;
};

} // namespace qmt
