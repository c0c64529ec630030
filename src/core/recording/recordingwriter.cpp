#include "core/recording/recordingwriter.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlError>

#include <cmath>

namespace qmt {

namespace {

constexpr int FlagTruncated = 1;
constexpr int FlagWithSubscription = 2;
/// The topic cache stops growing here (a topic per message would otherwise grow it without end).
constexpr qsizetype MaxCachedTopics = 200'000;
/// Drops of the same kind this close together are one episode: one row in `dropped`.
constexpr qint64 DropEpisodeGapMs = 2000;
/// Each kind of episode keeps its newest this many rows.
constexpr int MaxDropEpisodes = 1000;

QString tableName(bool messages)
{
    return messages ? QStringLiteral("messages") : QStringLiteral("log");
}

QVariant optionalInt(const std::optional<int> &value)
{
    return value ? QVariant(*value) : QVariant();
}

/// Blobs are never NULL in the file: an empty payload (a retained message cleared) is an empty blob.
QByteArray notNull(const QByteArray &bytes)
{
    return bytes.isNull() ? QByteArray("") : bytes;
}

} // namespace

RecordingWriter::RecordingWriter(RecordingQueue &queue, RecorderCounters &counters, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_counters(counters)
    , m_timer(this)
{
    connect(&m_timer, &QTimer::timeout, this, &RecordingWriter::writePending);
}

RecordingWriter::~RecordingWriter()
{
    close();
}

void RecordingWriter::open(const Settings &settings)
{
    close();
    m_settings = settings;
    for (std::atomic<qint64> *c :
         {&m_counters.messagesWritten, &m_counters.logRowsWritten, &m_counters.messagesEvicted,
          &m_counters.logRowsEvicted, &m_counters.usedBytes, &m_counters.longestWriteMs, &m_counters.writeFailures})
        *c = 0;
    if (!m_db.open(settings.path, RecordingDatabase::Mode::Write) || !prepareStatements() || !startSession()) {
        const QString error = m_db.errorString();
        finishStatements();
        m_db.close();
        Q_EMIT failed(error);
        return;
    }
    m_counters.usedBytes = m_db.usedBytes();
    m_timer.start(settings.flushIntervalMs);
    Q_EMIT opened(settings.path);
}

bool RecordingWriter::prepareStatements()
{
    const std::optional<qint64> messages = m_db.scalar(QStringLiteral("SELECT count(*) FROM messages"));
    const std::optional<qint64> logRows = m_db.scalar(QStringLiteral("SELECT count(*) FROM log"));
    if (!messages || !logRows)
        return false;
    m_messageCount = *messages;
    m_logCount = *logRows;
    for (auto &ids : m_topicIds)
        ids.clear();
    m_cachedTopics = 0;
    return m_db.prepare(m_insertMessage, QStringLiteral("INSERT INTO messages(time_ms, topic_id, qos, flags, "
                                                        "full_length, payload) VALUES(?, ?, ?, ?, ?, ?)")) &&
           m_db.prepare(m_insertLog, QStringLiteral("INSERT INTO log(time_ms, direction, kind, slot, text, "
                                                    "full_length) VALUES(?, ?, ?, ?, ?, ?)")) &&
           m_db.prepare(m_findTopic, QStringLiteral("SELECT id FROM topics WHERE slot = ? AND name = ?")) &&
           m_db.prepare(m_insertTopic, QStringLiteral("INSERT INTO topics(slot, name) VALUES(?, ?)"));
}

bool RecordingWriter::startSession()
{
    QSqlQuery insert;
    if (!m_db.prepare(insert, QStringLiteral("INSERT INTO sessions(started_ms) VALUES(?)")))
        return false;
    insert.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!m_db.exec(insert))
        return false;
    m_sessionId = insert.lastInsertId().toLongLong();
    for (auto it = m_settings.sessionInfo.cbegin(); it != m_settings.sessionInfo.cend(); ++it) {
        if (!storeSessionValue(it.key(), it.value()))
            return false;
    }
    return true;
}

bool RecordingWriter::storeSessionValue(const QString &key, const QString &value)
{
    QSqlQuery upsert;
    if (!m_db.prepare(upsert, QStringLiteral("INSERT OR REPLACE INTO session_info(session_id, key, value) "
                                             "VALUES(?, ?, ?)")))
        return false;
    upsert.addBindValue(m_sessionId);
    upsert.addBindValue(key);
    upsert.addBindValue(value);
    return m_db.exec(upsert);
}

void RecordingWriter::setSessionValue(const QString &key, const QString &value)
{
    m_settings.sessionInfo.insert(key, value);
    if (m_db.isOpen() && !storeSessionValue(key, value))
        Q_EMIT writeFailed(m_db.errorString());
}

void RecordingWriter::setLimits(const RecordingLimits &limits)
{
    m_settings.limits = limits;
}

void RecordingWriter::writePending()
{
    if (!m_db.isOpen())
        return;
    const RecordingQueue::Batch batch = m_queue.take();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer clock;
    clock.start();
    QSqlDatabase &db = m_db.db();
    const bool written = db.transaction() && writeBatch(batch) && enforceLimits(nowMs) && db.commit();
    if (!written) {
        const QString error = m_db.errorString().isEmpty() ? db.lastError().text() : m_db.errorString();
        db.rollback();
        // The topics this batch added are gone with it.
        for (auto &ids : m_topicIds)
            ids.clear();
        m_cachedTopics = 0;
        m_messageCount = m_db.scalar(QStringLiteral("SELECT count(*) FROM messages")).value_or(m_messageCount);
        m_logCount = m_db.scalar(QStringLiteral("SELECT count(*) FROM log")).value_or(m_logCount);
        ++m_counters.writeFailures;
        if (!batch.messages.empty() || !batch.logRows.empty()) {
            DroppedSpan lost{DroppedSpan::Reason::WriteFailed, qint64(batch.messages.size()),
                             qint64(batch.logRows.size()), nowMs, nowMs};
            for (const RecordedMessage &m : batch.messages) {
                lost.firstTimeMs = qMin(lost.firstTimeMs, m.timeMs);
                lost.lastTimeMs = qMax(lost.lastTimeMs, m.timeMs);
            }
            for (const RecordedLogRow &r : batch.logRows) {
                lost.firstTimeMs = qMin(lost.firstTimeMs, r.timeMs);
                lost.lastTimeMs = qMax(lost.lastTimeMs, r.timeMs);
            }
            m_unnoted.append(lost);
        }
        if (batch.dropped.any()) {
            m_unnoted.append({DroppedSpan::Reason::QueueFull, batch.dropped.messages, batch.dropped.logRows,
                              batch.dropped.firstTimeMs, batch.dropped.lastTimeMs});
        }
        if (m_unnoted.size() > MaxDropEpisodes)
            m_unnoted.remove(0, m_unnoted.size() - MaxDropEpisodes);
        if (error != m_lastError)
            Q_EMIT writeFailed(error);
        m_lastError = error;
        return;
    }
    m_unnoted.clear();
    m_lastError.clear();
    m_counters.messagesWritten += qint64(batch.messages.size());
    m_counters.logRowsWritten += qint64(batch.logRows.size());
    m_counters.longestWriteMs = qMax(m_counters.longestWriteMs.load(), clock.elapsed());
}

bool RecordingWriter::writeBatch(const RecordingQueue::Batch &batch)
{
    for (const RecordedMessage &message : batch.messages) {
        if (!writeMessage(message))
            return false;
    }
    for (const RecordedLogRow &row : batch.logRows) {
        if (!writeLogRow(row))
            return false;
    }
    for (const DroppedSpan &span : m_unnoted) {
        if (!noteDropped(span))
            return false;
    }
    if (batch.dropped.any()) {
        const RecordingQueue::Drops &d = batch.dropped;
        if (!noteDropped({DroppedSpan::Reason::QueueFull, d.messages, d.logRows, d.firstTimeMs, d.lastTimeMs}))
            return false;
    }
    m_messageCount += qint64(batch.messages.size());
    m_logCount += qint64(batch.logRows.size());
    return true;
}

bool RecordingWriter::writeMessage(const RecordedMessage &message)
{
    const std::optional<qint64> topic = topicId(message.slot, message.topic);
    if (!topic)
        return false;
    m_insertMessage.bindValue(0, message.timeMs);
    m_insertMessage.bindValue(1, *topic);
    m_insertMessage.bindValue(2, optionalInt(message.qos));
    m_insertMessage.bindValue(3, (message.truncated ? FlagTruncated : 0) |
                                     (message.withSubscription ? FlagWithSubscription : 0));
    m_insertMessage.bindValue(4, qMax(message.fullLength, qint64(message.payload.size())));
    m_insertMessage.bindValue(5, notNull(message.payload));
    return m_db.exec(m_insertMessage);
}

bool RecordingWriter::writeLogRow(const RecordedLogRow &row)
{
    m_insertLog.bindValue(0, row.timeMs);
    m_insertLog.bindValue(1, int(row.direction));
    m_insertLog.bindValue(2, int(row.kind));
    m_insertLog.bindValue(3, row.slot);
    m_insertLog.bindValue(4, notNull(row.text));
    m_insertLog.bindValue(5, qMax(row.fullLength, qint64(row.text.size())));
    return m_db.exec(m_insertLog);
}

std::optional<qint64> RecordingWriter::topicId(int slot, const QByteArray &name)
{
    const bool cacheable = slot >= 0 && slot < int(m_topicIds.size());
    if (cacheable) {
        const auto it = m_topicIds[size_t(slot)].constFind(name);
        if (it != m_topicIds[size_t(slot)].cend())
            return *it;
    }
    m_findTopic.bindValue(0, slot);
    m_findTopic.bindValue(1, notNull(name));
    if (!m_db.exec(m_findTopic))
        return std::nullopt;
    qint64 id = 0;
    if (m_findTopic.next()) {
        id = m_findTopic.value(0).toLongLong();
        m_findTopic.finish();
    } else {
        m_findTopic.finish();
        m_insertTopic.bindValue(0, slot);
        m_insertTopic.bindValue(1, notNull(name));
        if (!m_db.exec(m_insertTopic))
            return std::nullopt;
        id = m_insertTopic.lastInsertId().toLongLong();
    }
    if (cacheable) {
        if (m_cachedTopics >= MaxCachedTopics) {
            for (auto &ids : m_topicIds)
                ids.clear();
            m_cachedTopics = 0;
        }
        m_topicIds[size_t(slot)].insert(name, id);
        ++m_cachedTopics;
    }
    return id;
}

bool RecordingWriter::enforceLimits(qint64 nowMs)
{
    if (!enforceAgeLimit(nowMs) || !enforceSizeLimit())
        return false;
    return true;
}

bool RecordingWriter::enforceSizeLimit()
{
    const qint64 limit = m_settings.limits.maxBytes;
    qint64 used = m_db.usedBytes();
    m_counters.usedBytes = used;
    const qint64 rows = m_messageCount + m_logCount;
    if (limit <= 0 || used <= limit || rows <= 2)
        return true;
    // Down to 90 % of the limit, so that eviction runs once per tenth of the limit written, not every batch.
    // Rows are dropped from each table in proportion to its share, oldest first; each table keeps its newest.
    const double bytesPerRow = double(used) / double(rows);
    const auto share = [&](qint64 count) {
        const double wanted = std::ceil(double(used - limit * 9 / 10) / bytesPerRow * double(count) / double(rows));
        return qBound(qint64(0), qint64(wanted), qMin(count - 1, MaxEvictedPerBatch));
    };
    DroppedSpan span{DroppedSpan::Reason::SizeLimit, 0, 0, 0, 0};
    for (const Table table : {Table::Messages, Table::Log}) {
        const bool messages = table == Table::Messages;
        const qint64 n = share(messages ? m_messageCount : m_logCount);
        if (n <= 0)
            continue;
        const std::optional<qint64> cut = m_db.scalar(
            QStringLiteral("SELECT id FROM %1 ORDER BY id LIMIT 1 OFFSET %2").arg(tableName(messages)).arg(n - 1));
        if (!cut)
            return false;
        const std::optional<Evicted> e = evict(table, QStringLiteral("id <= ?"), {*cut});
        if (!e)
            return false;
        addTo(span, *e, messages);
    }
    m_counters.usedBytes = m_db.usedBytes();
    return span.messages + span.logRows == 0 || noteDropped(span);
}

bool RecordingWriter::enforceAgeLimit(qint64 nowMs)
{
    const qint64 maxAge = m_settings.limits.maxAgeMs;
    if (maxAge <= 0)
        return true;
    const qint64 cutoff = nowMs - maxAge;
    DroppedSpan span{DroppedSpan::Reason::AgeLimit, 0, 0, 0, 0};
    for (const Table table : {Table::Messages, Table::Log}) {
        const QString name = tableName(table == Table::Messages);
        // The newest row stays whatever its age: ids are never reused, so a sequence number stays unique.
        const std::optional<Evicted> e =
            evict(table,
                  QStringLiteral("id IN (SELECT id FROM %1 WHERE time_ms < ? AND id < (SELECT max(id) FROM %1) "
                                 "ORDER BY time_ms LIMIT %2)")
                      .arg(name)
                      .arg(MaxEvictedPerBatch),
                  {cutoff});
        if (!e)
            return false;
        addTo(span, *e, table == Table::Messages);
    }
    return span.messages + span.logRows == 0 || noteDropped(span);
}

void RecordingWriter::addTo(DroppedSpan &span, const Evicted &evicted, bool messages)
{
    if (evicted.rows == 0)
        return;
    const bool first = span.messages + span.logRows == 0;
    (messages ? span.messages : span.logRows) += evicted.rows;
    span.firstTimeMs = first ? evicted.firstTimeMs : qMin(span.firstTimeMs, evicted.firstTimeMs);
    span.lastTimeMs = first ? evicted.lastTimeMs : qMax(span.lastTimeMs, evicted.lastTimeMs);
}

std::optional<RecordingWriter::Evicted> RecordingWriter::evict(Table table, const QString &condition,
                                                               const QVariantList &values)
{
    const bool messages = table == Table::Messages;
    const QString name = tableName(messages);
    const auto run = [&](QSqlQuery &query, const QString &sql) {
        if (!m_db.prepare(query, sql))
            return false;
        for (const QVariant &v : values)
            query.addBindValue(v);
        return m_db.exec(query);
    };
    QSqlQuery span;
    if (!run(span,
             QStringLiteral("SELECT count(*), min(time_ms), max(time_ms) FROM %1 WHERE %2").arg(name, condition)) ||
        !span.next())
        return std::nullopt;
    Evicted e{span.value(0).toLongLong(), span.value(1).toLongLong(), span.value(2).toLongLong()};
    if (e.rows == 0)
        return e;
    QList<qint64> topics;
    if (messages) {
        QSqlQuery touched;
        if (!run(touched, QStringLiteral("SELECT DISTINCT topic_id FROM messages WHERE %1").arg(condition)))
            return std::nullopt;
        while (touched.next())
            topics.append(touched.value(0).toLongLong());
    }
    QSqlQuery remove;
    if (!run(remove, QStringLiteral("DELETE FROM %1 WHERE %2").arg(name, condition)))
        return std::nullopt;
    if (messages) {
        m_messageCount -= e.rows;
        m_counters.messagesEvicted += e.rows;
        // A topic whose every message went goes too, or a topic per message would grow the file without end.
        QSqlQuery orphan;
        if (!m_db.prepare(orphan, QStringLiteral("DELETE FROM topics WHERE id = ? AND NOT EXISTS "
                                                 "(SELECT 1 FROM messages WHERE topic_id = ?)")))
            return std::nullopt;
        bool anyGone = false;
        for (const qint64 id : std::as_const(topics)) {
            orphan.bindValue(0, id);
            orphan.bindValue(1, id);
            if (!m_db.exec(orphan))
                return std::nullopt;
            anyGone = anyGone || orphan.numRowsAffected() > 0;
        }
        if (anyGone) {
            for (auto &ids : m_topicIds)
                ids.clear();
            m_cachedTopics = 0;
        }
    } else {
        m_logCount -= e.rows;
        m_counters.logRowsEvicted += e.rows;
    }
    return e;
}

bool RecordingWriter::noteDropped(const DroppedSpan &span)
{
    const bool evicted = span.reason == DroppedSpan::Reason::SizeLimit || span.reason == DroppedSpan::Reason::AgeLimit;
    // Eviction always takes the oldest data, so what each limit dropped is one span: one row, growing. Drops
    // for want of a disk come in episodes: one row each, merged while they follow each other.
    QSqlQuery merge;
    const QString which = evicted ? QStringLiteral("reason = ?")
                                  : QStringLiteral("id = (SELECT max(id) FROM dropped WHERE reason = ?) AND "
                                                   "last_ms >= ?");
    if (!m_db.prepare(merge, QStringLiteral("UPDATE dropped SET messages = messages + ?, log_rows = log_rows + ?, "
                                            "first_ms = min(first_ms, ?), last_ms = max(last_ms, ?) WHERE ") +
                                 which))
        return false;
    merge.addBindValue(span.messages);
    merge.addBindValue(span.logRows);
    merge.addBindValue(span.firstTimeMs);
    merge.addBindValue(span.lastTimeMs);
    merge.addBindValue(int(span.reason));
    if (!evicted)
        merge.addBindValue(span.firstTimeMs - DropEpisodeGapMs);
    if (!m_db.exec(merge))
        return false;
    if (merge.numRowsAffected() > 0)
        return true;
    QSqlQuery insert;
    if (!m_db.prepare(insert, QStringLiteral("INSERT INTO dropped(reason, messages, log_rows, first_ms, last_ms) "
                                             "VALUES(?, ?, ?, ?, ?)")))
        return false;
    insert.addBindValue(int(span.reason));
    insert.addBindValue(span.messages);
    insert.addBindValue(span.logRows);
    insert.addBindValue(span.firstTimeMs);
    insert.addBindValue(span.lastTimeMs);
    if (!m_db.exec(insert))
        return false;
    if (evicted)
        return true;
    return m_db.exec(QStringLiteral("DELETE FROM dropped WHERE reason = %1 AND id NOT IN (SELECT id FROM dropped "
                                    "WHERE reason = %1 ORDER BY id DESC LIMIT %2)")
                         .arg(int(span.reason))
                         .arg(MaxDropEpisodes));
}

void RecordingWriter::finishStatements()
{
    for (QSqlQuery *q : {&m_insertMessage, &m_insertLog, &m_findTopic, &m_insertTopic})
        *q = QSqlQuery();
}

void RecordingWriter::close()
{
    if (!m_db.isOpen())
        return;
    m_timer.stop();
    writePending();
    QSqlQuery end;
    if (m_db.prepare(end, QStringLiteral("UPDATE sessions SET ended_ms = ? WHERE id = ?"))) {
        end.addBindValue(QDateTime::currentMSecsSinceEpoch());
        end.addBindValue(m_sessionId);
        m_db.exec(end);
    }
    end = QSqlQuery();
    finishStatements();
    // One self-contained file to copy or send. With a reader still holding it the journal stays WAL (the
    // switch needs the file to itself), which is as sound, only in three files.
    m_db.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    m_db.exec(QStringLiteral("PRAGMA journal_mode=DELETE"));
    m_db.close();
    Q_EMIT closed();
}

} // namespace qmt
