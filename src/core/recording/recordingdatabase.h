#pragma once

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include <optional>

class QSqlQuery;

namespace qmt {

/// One Qt SQL connection to a recording file, owned by the thread that opened it (Qt SQL connections are
/// not shared across threads): opens it for writing (creating the schema) or read-only (checking it), and
/// removes the connection when destroyed. The schema and every pragma live here, in one place.
///
/// The file: WAL journal while recording (readers see committed data while the writer writes, and a crash
/// loses no committed transaction), 16 KiB pages (fewer page writes per row than 4 KiB; measured), the
/// tables `sessions`, `session_info`, `topics`, `messages`, `log` and `dropped`. application_id and
/// user_version tell a recording (and its format version) from any other SQLite file.
class RecordingDatabase
{
    Q_DECLARE_TR_FUNCTIONS(qmt::RecordingDatabase)

public:
    static constexpr int FormatVersion = 1;
    static constexpr int ApplicationId = 0x514D5452; // "QMTR"

    enum class Mode {
        Write,   ///< create the file and schema when new; append to an existing recording
        ReadOnly ///< never writes: works beside a recorder in another process
    };

    RecordingDatabase();
    ~RecordingDatabase();
    RecordingDatabase(const RecordingDatabase &) = delete;
    RecordingDatabase &operator=(const RecordingDatabase &) = delete;

    /// Opens `path`; false with errorString() naming the file and what is wrong (not a recording, a newer
    /// format, no such file, no permission).
    bool open(const QString &path, Mode mode);
    void close();
    [[nodiscard]] bool isOpen() const { return m_db.isOpen(); }
    [[nodiscard]] QSqlDatabase &db() { return m_db; }
    [[nodiscard]] const QString &path() const { return m_path; }
    [[nodiscard]] const QString &errorString() const { return m_error; }

    /// Runs one statement; false with errorString() set (naming the file and SQLite's words).
    bool exec(const QString &sql);
    /// The first column of the first row of `sql`, or nullopt (errorString() set when it failed).
    [[nodiscard]] std::optional<qint64> scalar(const QString &sql);
    /// Prepares `query` (on this connection) with `sql`; false with errorString() set.
    bool prepare(QSqlQuery &query, const QString &sql);
    /// Runs a prepared query; false with errorString() set.
    bool exec(QSqlQuery &query);

    /// The pages holding data, in bytes (the file minus its free pages; the WAL not counted).
    [[nodiscard]] qint64 usedBytes();

private:
    bool fail(const QString &what);
    bool createSchema();
    bool checkSchema();

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_path;
    QString m_error;
};

} // namespace qmt
