#pragma once

#include "core/recording/recordingdatabase.h"
#include "core/recording/recordingsearch.h"
#include "core/recording/recordingtypes.h"

#include <QCoreApplication>

class QSqlQuery;

#include <optional>

namespace qmt {

/// Where a page of a time-ordered listing ended: the next page starts after this (time, id).
struct RecordingCursor
{
    qint64 timeMs = 0;
    qint64 id = 0;
    friend bool operator==(const RecordingCursor &, const RecordingCursor &) = default;
};

enum class RecordingOrder {
    OldestFirst,
    NewestFirst
};

/// One page of a listing, and where the next one starts (nullopt: this was the last).
template<typename Row, typename Cursor> struct RecordingPage
{
    QList<Row> rows;
    std::optional<Cursor> next;
};
using MessagePage = RecordingPage<RecordedMessage, RecordingCursor>;
using LogPage = RecordingPage<RecordedLogRow, RecordingCursor>;
/// Search results come in arrival order (message ids): a search reads the whole table, and in id order
/// it reads it straight, twice as fast as in time order. The cursor is the last id seen.
using SearchPage = RecordingPage<RecordedMessage, qint64>;

/// Which messages: one topic, one slot, a time span (each optional).
struct MessageFilter
{
    std::optional<qint64> topicId; ///< RecordedTopic::id
    std::optional<int> slot;
    TimeSpan span;
};

/// Which log rows: one slot, one direction, a time span (each optional).
struct LogFilter
{
    std::optional<int> slot;
    std::optional<RecordedLogRow::Direction> direction;
    TimeSpan span;
};

/// Reads a recording: its sessions, topics, messages, log and what it dropped; searches it; pages through
/// it in time order for replay. Read-only: it works on a file another process (or a Recorder here) is still
/// writing, and sees what that writer has committed. Every call is a query on the file and blocks until it
/// answers (milliseconds for a page; a search reads every message): call it off the GUI thread, one reader
/// per thread (a Qt SQL connection belongs to the thread that opened it).
class RecordingReader
{
    Q_DECLARE_TR_FUNCTIONS(qmt::RecordingReader)

public:
    RecordingReader() = default;
    ~RecordingReader();
    RecordingReader(const RecordingReader &) = delete;
    RecordingReader &operator=(const RecordingReader &) = delete;

    /// Opens `path` read-only; false with errorString() naming the file and what is wrong.
    bool open(const QString &path);
    void close();
    [[nodiscard]] bool isOpen() const { return m_db.isOpen(); }
    /// The last failure: the file and SQLite's or the query's words.
    [[nodiscard]] const QString &errorString() const { return m_error; }

    [[nodiscard]] QList<RecordingSession> sessions();
    /// From the earliest to the latest message or log row; nullopt when the recording is empty.
    [[nodiscard]] std::optional<TimeSpan> timeSpan();
    [[nodiscard]] qint64 messageCount();
    [[nodiscard]] qint64 logRowCount();
    /// The topics with messages, by slot and name, with their message counts and first and last times.
    /// `limit` < 0: all of them.
    [[nodiscard]] QList<RecordedTopic> topics(qint64 offset = 0, qint64 limit = -1);
    /// What the recording does not hold and why (limits, a disk that did not keep up), oldest first.
    [[nodiscard]] QList<DroppedSpan> dropped();

    /// Messages in time order (the oldest or the newest first), `limit` at a time, after `after`.
    [[nodiscard]] MessagePage messages(const MessageFilter &filter, qsizetype limit,
                                       RecordingOrder order = RecordingOrder::OldestFirst,
                                       const std::optional<RecordingCursor> &after = std::nullopt);
    /// Log rows in time order, `limit` at a time, after `after`.
    [[nodiscard]] LogPage logRows(const LogFilter &filter, qsizetype limit,
                                  RecordingOrder order = RecordingOrder::OldestFirst,
                                  const std::optional<RecordingCursor> &after = std::nullopt);
    /// Messages whose topic or payload matches `query` (validated: an invalid query returns nothing and sets
    /// errorString()), among those `filter` selects, `limit` at a time after message id `afterId`.
    [[nodiscard]] SearchPage search(const SearchQuery &query, const MessageFilter &filter, qsizetype limit,
                                    RecordingOrder order = RecordingOrder::NewestFirst,
                                    const std::optional<qint64> &afterId = std::nullopt);
    /// How many messages match (reads every message `filter` selects).
    [[nodiscard]] std::optional<qint64> countMatches(const SearchQuery &query, const MessageFilter &filter = {});

private:
    bool fail(const QString &what);
    /// Prepares and runs `sql` forward-only on this file; false with errorString() set.
    bool select(QSqlQuery &query, const QString &sql, const QVariantList &values);

    RecordingDatabase m_db;
    QString m_error;
};

} // namespace qmt
