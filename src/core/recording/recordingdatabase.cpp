#include "core/recording/recordingdatabase.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace qmt {

namespace {

QString uniqueConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("qmt-recording-%1").arg(counter.fetchAndAddRelaxed(1));
}

// Column meanings (times are UTC milliseconds since the epoch; ids rise in arrival order and are never
// reused: eviction always keeps the newest row of a table):
//   messages.flags   bit 0: truncated, bit 1: arrived with its subscription (probably retained)
//   log.direction    RecordedLogRow::Direction;  log.kind  RecordedLogRow::Kind;  log.slot  -1 for none
//   dropped.reason   DroppedSpan::Reason
// The slot of a message is its topic's: the same name on two slots is two topics (two brokers, maybe).
const char *const SchemaStatements[] = {
    "CREATE TABLE sessions(id INTEGER PRIMARY KEY, started_ms INTEGER NOT NULL, ended_ms INTEGER)",
    "CREATE TABLE session_info(session_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
    "PRIMARY KEY(session_id, key)) WITHOUT ROWID",
    "CREATE TABLE topics(id INTEGER PRIMARY KEY, slot INTEGER NOT NULL, name BLOB NOT NULL, UNIQUE(slot, name))",
    "CREATE TABLE messages(id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, topic_id INTEGER NOT NULL, "
    "qos INTEGER, flags INTEGER NOT NULL, full_length INTEGER NOT NULL, payload BLOB NOT NULL)",
    // A topic's history in time order, and whether a topic still has messages.
    "CREATE INDEX messages_by_topic ON messages(topic_id, time_ms)",
    // Time ranges, replay and the age limit.
    "CREATE INDEX messages_by_time ON messages(time_ms)",
    "CREATE TABLE log(id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, direction INTEGER NOT NULL, "
    "kind INTEGER NOT NULL, slot INTEGER NOT NULL, text BLOB NOT NULL, full_length INTEGER NOT NULL)",
    "CREATE INDEX log_by_time ON log(time_ms)",
    "CREATE TABLE dropped(id INTEGER PRIMARY KEY, reason INTEGER NOT NULL, messages INTEGER NOT NULL, "
    "log_rows INTEGER NOT NULL, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL)",
};

} // namespace

RecordingDatabase::RecordingDatabase()
    : m_connectionName(uniqueConnectionName())
{}

RecordingDatabase::~RecordingDatabase()
{
    close();
}

bool RecordingDatabase::open(const QString &path, Mode mode)
{
    close();
    m_path = path;
    m_error.clear();
    const QFileInfo file(path);
    if (mode == Mode::ReadOnly && !file.exists())
        return fail(tr("no such file"));
    if (file.isDir())
        return fail(tr("it is a folder"));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!m_db.isValid())
        return fail(tr("Qt's SQLite driver (QSQLITE) is not installed"));
    m_db.setDatabaseName(path);
    // A reader waits out a writer's checkpoint rather than failing; REGEXP is what searches use.
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
    if (mode == Mode::ReadOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY;QSQLITE_ENABLE_REGEXP");
    m_db.setConnectOptions(options);
    if (!m_db.open())
        return fail(m_db.lastError().text());
    const std::optional<qint64> appId = scalar(QStringLiteral("PRAGMA application_id"));
    if (!appId) // "file is not a database" shows up on the first statement
        return false;
    const std::optional<qint64> tables = scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema"));
    if (!tables)
        return false;
    if (*appId == 0 && *tables == 0) {
        if (mode == Mode::ReadOnly)
            return fail(tr("the file is empty: not a QMT Studio recording"));
        if (!createSchema())
            return false;
    } else if (!checkSchema()) {
        return false;
    }
    if (mode == Mode::Write) {
        // WAL: readers (the views, another process) read while the writer writes, and a crash of the process
        // loses no committed transaction. synchronous=NORMAL: a commit is not fsynced, only each checkpoint
        // is — the file stays consistent whatever happens, an application crash (kill -9) loses nothing
        // committed, and only a power cut or OS crash can lose the last commits before the checkpoint. FULL
        // would fsync every commit, several times a second, for a guarantee a monitor does not need.
        for (const char *pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA journal_size_limit=67108864",
              "PRAGMA cache_size=-32768", "PRAGMA temp_store=MEMORY"}) {
            if (!exec(QString::fromLatin1(pragma)))
                return false;
        }
    } else {
        for (const char *pragma : {"PRAGMA cache_size=-65536", "PRAGMA temp_store=MEMORY"}) {
            if (!exec(QString::fromLatin1(pragma)))
                return false;
        }
    }
    return true;
}

void RecordingDatabase::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool RecordingDatabase::fail(const QString &what)
{
    m_error = tr("%1: %2").arg(m_path, what);
    return false;
}

bool RecordingDatabase::createSchema()
{
    // The page size must be set before the first table; it cannot change later in WAL mode.
    if (!exec(QStringLiteral("PRAGMA page_size=16384")) || !m_db.transaction())
        return fail(m_db.lastError().text());
    for (const char *statement : SchemaStatements) {
        if (!exec(QString::fromLatin1(statement))) {
            m_db.rollback();
            return false;
        }
    }
    if (!exec(QStringLiteral("PRAGMA application_id=%1").arg(ApplicationId)) ||
        !exec(QStringLiteral("PRAGMA user_version=%1").arg(FormatVersion))) {
        m_db.rollback();
        return false;
    }
    return m_db.commit() || fail(m_db.lastError().text());
}

bool RecordingDatabase::checkSchema()
{
    const std::optional<qint64> appId = scalar(QStringLiteral("PRAGMA application_id"));
    const std::optional<qint64> version = scalar(QStringLiteral("PRAGMA user_version"));
    if (!appId || !version)
        return false;
    if (*appId != ApplicationId)
        return fail(tr("not a QMT Studio recording"));
    if (*version > FormatVersion) {
        return fail(tr("written by a newer QMT Studio (recording format %1; this version reads up to %2)")
                        .arg(*version)
                        .arg(FormatVersion));
    }
    return true;
}

bool RecordingDatabase::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return fail(query.lastError().text());
    return true;
}

std::optional<qint64> RecordingDatabase::scalar(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql)) {
        fail(query.lastError().text());
        return std::nullopt;
    }
    if (!query.next())
        return std::nullopt;
    return query.value(0).toLongLong();
}

bool RecordingDatabase::prepare(QSqlQuery &query, const QString &sql)
{
    query = QSqlQuery(m_db);
    if (!query.prepare(sql))
        return fail(query.lastError().text());
    return true;
}

bool RecordingDatabase::exec(QSqlQuery &query)
{
    if (!query.exec())
        return fail(query.lastError().text());
    return true;
}

qint64 RecordingDatabase::usedBytes()
{
    const qint64 pages = scalar(QStringLiteral("PRAGMA page_count")).value_or(0);
    const qint64 free = scalar(QStringLiteral("PRAGMA freelist_count")).value_or(0);
    const qint64 pageSize = scalar(QStringLiteral("PRAGMA page_size")).value_or(0);
    return (pages - free) * pageSize;
}

} // namespace qmt
