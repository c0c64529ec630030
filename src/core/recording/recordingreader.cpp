#include "core/recording/recordingreader.h"

#include <QSqlError>
#include <QSqlQuery>

namespace qmt {

namespace {

constexpr int FlagTruncated = 1;
constexpr int FlagWithSubscription = 2;

const QString MessageColumns =
    QStringLiteral("SELECT m.id, m.time_ms, t.slot, t.name, m.qos, m.flags, m.full_length, m.payload "
                   // CROSS JOIN keeps messages the outer loop, so its indexes give the order and no sort is needed.
                   "FROM messages m CROSS JOIN topics t ON t.id = m.topic_id");

RecordedMessage messageAt(const QSqlQuery &q)
{
    RecordedMessage m;
    m.id = q.value(0).toLongLong();
    m.timeMs = q.value(1).toLongLong();
    m.slot = q.value(2).toInt();
    m.topic = q.value(3).toByteArray();
    if (!q.value(4).isNull())
        m.qos = q.value(4).toInt();
    const int flags = q.value(5).toInt();
    m.truncated = flags & FlagTruncated;
    m.withSubscription = flags & FlagWithSubscription;
    m.fullLength = q.value(6).toLongLong();
    m.payload = q.value(7).toByteArray();
    return m;
}

RecordedLogRow logRowAt(const QSqlQuery &q)
{
    RecordedLogRow r;
    r.id = q.value(0).toLongLong();
    r.timeMs = q.value(1).toLongLong();
    r.direction = RecordedLogRow::Direction(q.value(2).toInt());
    r.kind = RecordedLogRow::Kind(q.value(3).toInt());
    r.slot = q.value(4).toInt();
    r.text = q.value(5).toByteArray();
    r.fullLength = q.value(6).toLongLong();
    return r;
}

/// Reads up to `limit` rows of `q` into a page. The query asks for one more: when it comes, there is a next
/// page, which starts after the last row kept.
template<typename Page, typename Decode, typename CursorOf>
Page readPage(QSqlQuery &q, qsizetype limit, Decode decode, CursorOf cursorOf)
{
    Page page;
    while (q.next()) {
        if (page.rows.size() == limit) {
            page.next = cursorOf(page.rows.last());
            break;
        }
        page.rows.append(decode(q));
    }
    return page;
}

template<typename Row> RecordingCursor timeCursor(const Row &row)
{
    return {row.timeMs, row.id};
}

QString limitClause(qsizetype limit)
{
    return QStringLiteral(" LIMIT %1").arg(limit + 1);
}

/// The WHERE terms of a listing, with their values in order.
struct Where
{
    QStringList terms;
    QVariantList values;

    void add(const QString &term, const QVariantList &termValues = {})
    {
        terms.append(term);
        values += termValues;
    }
    void addSpan(const QString &column, const TimeSpan &span)
    {
        if (span.fromMs != TimeSpan().fromMs)
            add(column + QStringLiteral(" >= ?"), {span.fromMs});
        if (span.toMs != TimeSpan().toMs)
            add(column + QStringLiteral(" <= ?"), {span.toMs});
    }
    [[nodiscard]] QString sql() const
    {
        return terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND "));
    }
};

void addMessageFilter(Where &where, const MessageFilter &filter)
{
    if (filter.topicId)
        where.add(QStringLiteral("m.topic_id = ?"), {*filter.topicId});
    if (filter.slot)
        where.add(QStringLiteral("t.slot = ?"), {*filter.slot});
    where.addSpan(QStringLiteral("m.time_ms"), filter.span);
}

/// The terms of a search, or nullopt and `error` when the query is invalid.
std::optional<Where> searchWhere(const SearchQuery &query, const MessageFilter &filter, QString &error)
{
    error = query.validate();
    if (!error.isEmpty())
        return std::nullopt;
    Where where;
    const SearchCondition condition =
        SearchCondition::of(query, QStringLiteral("m.topic_id"), QStringLiteral("m.payload"));
    where.add(condition.sql, condition.values);
    addMessageFilter(where, filter);
    return where;
}

/// The keyset condition and ORDER BY of a time-ordered listing (`time`, `id`: the columns).
QString timeOrder(Where &where, const QString &time, const QString &id, RecordingOrder order,
                  const std::optional<RecordingCursor> &after)
{
    const bool oldestFirst = order == RecordingOrder::OldestFirst;
    if (after) {
        where.add(
            QStringLiteral("(%1, %2) %3 (?, ?)").arg(time, id, oldestFirst ? QStringLiteral(">") : QStringLiteral("<")),
            {after->timeMs, after->id});
    }
    const QString direction = oldestFirst ? QStringLiteral("ASC") : QStringLiteral("DESC");
    return QStringLiteral(" ORDER BY %1 %3, %2 %3").arg(time, id, direction);
}

} // namespace

RecordingReader::~RecordingReader() = default;

bool RecordingReader::open(const QString &path)
{
    m_error.clear();
    if (!m_db.open(path, RecordingDatabase::Mode::ReadOnly)) {
        m_error = m_db.errorString();
        m_db.close();
        return false;
    }
    return true;
}

void RecordingReader::close()
{
    m_db.close();
}

bool RecordingReader::fail(const QString &what)
{
    m_error = what;
    return false;
}

bool RecordingReader::select(QSqlQuery &query, const QString &sql, const QVariantList &values)
{
    m_error.clear();
    query = QSqlQuery(m_db.db());
    query.setForwardOnly(true);
    bool ok = query.prepare(sql);
    for (const QVariant &v : values)
        query.addBindValue(v);
    ok = ok && query.exec();
    if (!ok)
        fail(tr("%1: %2").arg(m_db.path(), query.lastError().text()));
    return ok;
}

QList<RecordingSession> RecordingReader::sessions()
{
    QList<RecordingSession> out;
    QSqlQuery q;
    if (!select(q, QStringLiteral("SELECT id, started_ms, ended_ms FROM sessions ORDER BY id"), {}))
        return out;
    while (q.next()) {
        RecordingSession s;
        s.id = q.value(0).toLongLong();
        s.startedMs = q.value(1).toLongLong();
        if (!q.value(2).isNull())
            s.endedMs = q.value(2).toLongLong();
        out.append(s);
    }
    QSqlQuery info;
    if (!select(info, QStringLiteral("SELECT session_id, key, value FROM session_info"), {}))
        return out;
    while (info.next()) {
        const qint64 id = info.value(0).toLongLong();
        for (RecordingSession &s : out) {
            if (s.id == id)
                s.info.insert(info.value(1).toString(), info.value(2).toString());
        }
    }
    return out;
}

std::optional<TimeSpan> RecordingReader::timeSpan()
{
    QSqlQuery q;
    // min() and max() of an indexed column are one index lookup each.
    if (!select(q,
                QStringLiteral("SELECT min(a), max(b) FROM (SELECT min(time_ms) AS a, max(time_ms) AS b FROM messages "
                               "UNION ALL SELECT min(time_ms), max(time_ms) FROM log)"),
                {}) ||
        !q.next() || q.value(0).isNull())
        return std::nullopt;
    return TimeSpan{q.value(0).toLongLong(), q.value(1).toLongLong()};
}

qint64 RecordingReader::messageCount()
{
    return m_db.scalar(QStringLiteral("SELECT count(*) FROM messages")).value_or(0);
}

qint64 RecordingReader::logRowCount()
{
    return m_db.scalar(QStringLiteral("SELECT count(*) FROM log")).value_or(0);
}

QList<RecordedTopic> RecordingReader::topics(qint64 offset, qint64 limit)
{
    QList<RecordedTopic> out;
    QSqlQuery q;
    // The counts come from the (topic_id, time_ms) index alone, without reading a message.
    if (!select(
            q,
            QStringLiteral("SELECT t.id, t.slot, t.name, c.n, c.first, c.last FROM (SELECT topic_id, count(*) AS n, "
                           "min(time_ms) AS first, max(time_ms) AS last FROM messages GROUP BY topic_id) c "
                           "JOIN topics t ON t.id = c.topic_id ORDER BY t.slot, t.name LIMIT ? OFFSET ?"),
            {limit, offset}))
        return out;
    while (q.next()) {
        out.append({q.value(0).toLongLong(), q.value(1).toInt(), q.value(2).toByteArray(), q.value(3).toLongLong(),
                    q.value(4).toLongLong(), q.value(5).toLongLong()});
    }
    return out;
}

QList<DroppedSpan> RecordingReader::dropped()
{
    QList<DroppedSpan> out;
    QSqlQuery q;
    if (!select(
            q,
            QStringLiteral("SELECT reason, messages, log_rows, first_ms, last_ms FROM dropped ORDER BY first_ms, id"),
            {}))
        return out;
    while (q.next()) {
        out.append({DroppedSpan::Reason(q.value(0).toInt()), q.value(1).toLongLong(), q.value(2).toLongLong(),
                    q.value(3).toLongLong(), q.value(4).toLongLong()});
    }
    return out;
}

MessagePage RecordingReader::messages(const MessageFilter &filter, qsizetype limit, RecordingOrder order,
                                      const std::optional<RecordingCursor> &after)
{
    Where where;
    addMessageFilter(where, filter);
    const QString orderBy = timeOrder(where, QStringLiteral("m.time_ms"), QStringLiteral("m.id"), order, after);
    QSqlQuery q;
    if (!select(q, MessageColumns + where.sql() + orderBy + limitClause(limit), where.values))
        return {};
    return readPage<MessagePage>(q, limit, messageAt, timeCursor<RecordedMessage>);
}

LogPage RecordingReader::logRows(const LogFilter &filter, qsizetype limit, RecordingOrder order,
                                 const std::optional<RecordingCursor> &after)
{
    Where where;
    if (filter.slot)
        where.add(QStringLiteral("slot = ?"), {*filter.slot});
    if (filter.direction)
        where.add(QStringLiteral("direction = ?"), {int(*filter.direction)});
    where.addSpan(QStringLiteral("time_ms"), filter.span);
    const QString orderBy = timeOrder(where, QStringLiteral("time_ms"), QStringLiteral("id"), order, after);
    QSqlQuery q;
    if (!select(q,
                QStringLiteral("SELECT id, time_ms, direction, kind, slot, text, full_length FROM log") + where.sql() +
                    orderBy + limitClause(limit),
                where.values))
        return {};
    return readPage<LogPage>(q, limit, logRowAt, timeCursor<RecordedLogRow>);
}

SearchPage RecordingReader::search(const SearchQuery &query, const MessageFilter &filter, qsizetype limit,
                                   RecordingOrder order, const std::optional<qint64> &afterId)
{
    QString invalid;
    std::optional<Where> where = searchWhere(query, filter, invalid);
    if (!where) {
        fail(invalid);
        return {};
    }
    const bool oldestFirst = order == RecordingOrder::OldestFirst;
    if (afterId)
        where->add(oldestFirst ? QStringLiteral("m.id > ?") : QStringLiteral("m.id < ?"), {*afterId});
    const QString orderBy = oldestFirst ? QStringLiteral(" ORDER BY m.id ASC") : QStringLiteral(" ORDER BY m.id DESC");
    QSqlQuery q;
    if (!select(q, MessageColumns + where->sql() + orderBy + limitClause(limit), where->values))
        return {};
    return readPage<SearchPage>(q, limit, messageAt, [](const RecordedMessage &m) { return m.id; });
}

std::optional<qint64> RecordingReader::countMatches(const SearchQuery &query, const MessageFilter &filter)
{
    QString invalid;
    const std::optional<Where> where = searchWhere(query, filter, invalid);
    if (!where) {
        fail(invalid);
        return std::nullopt;
    }
    QSqlQuery q;
    if (!select(q,
                QStringLiteral("SELECT count(*) FROM messages m CROSS JOIN topics t ON t.id = m.topic_id") +
                    where->sql(),
                where->values) ||
        !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

} // namespace qmt
