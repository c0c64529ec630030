#pragma once

#include "core/recording/recorderstats.h"
#include "core/recording/recordingdatabase.h"
#include "core/recording/recordingqueue.h"
#include "core/recording/recordingtypes.h"

#include <QHash>
#include <QObject>
#include <QSqlQuery>
#include <QTimer>

#include <array>

namespace qmt {

/// The writing end of a recording, living on the recorder's worker thread (never the GUI thread): every
/// flush interval it takes what the queue holds and writes it in one transaction, keeps the file within its
/// limits (dropping the oldest data and noting what it dropped) and notes what the queue could not take.
///
/// A batch is committed at most one flush interval (plus its own write) after it arrived, and a committed
/// batch survives a crash of the process (WAL): a kill -9 loses only what was not yet committed. Its methods
/// are called on its own thread (Recorder queues them).
class RecordingWriter : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        QString path;
        RecordingLimits limits;
        QMap<QString, QString> sessionInfo;
        int flushIntervalMs = 200;
    };

    /// At most this many rows of each table are evicted per batch: a large eviction (a limit made smaller)
    /// is spread over several, so no single transaction holds back the writing for long.
    static constexpr qint64 MaxEvictedPerBatch = 20'000;

    RecordingWriter(RecordingQueue &queue, RecorderCounters &counters, QObject *parent = nullptr);
    ~RecordingWriter() override;

    void open(const Settings &settings);
    /// Writes what the queue holds now (the timer calls it every flush interval).
    void writePending();
    void setLimits(const RecordingLimits &limits);
    void setSessionValue(const QString &key, const QString &value);
    /// Writes what is queued, marks the session as ended and leaves the file as one self-contained file (the
    /// WAL checkpointed and, when no reader holds it, the journal back to a rollback journal).
    void close();

Q_SIGNALS:
    void opened(const QString &path);
    /// The file could not be opened or set up: nothing is recorded.
    void failed(const QString &error);
    /// A batch could not be written (its data is counted as dropped). Said once until a batch succeeds.
    void writeFailed(const QString &error);
    void closed();

private:
    struct Evicted
    {
        qint64 rows = 0;
        qint64 firstTimeMs = 0;
        qint64 lastTimeMs = 0;
    };
    enum class Table {
        Messages,
        Log
    };

    bool prepareStatements();
    bool startSession();
    bool writeBatch(const RecordingQueue::Batch &batch);
    bool writeMessage(const RecordedMessage &message);
    bool writeLogRow(const RecordedLogRow &row);
    std::optional<qint64> topicId(int slot, const QByteArray &name);
    bool enforceLimits(qint64 nowMs);
    bool enforceSizeLimit();
    bool enforceAgeLimit(qint64 nowMs);
    static void addTo(DroppedSpan &span, const Evicted &evicted, bool messages);
    std::optional<Evicted> evict(Table table, const QString &condition, const QVariantList &values);
    bool noteDropped(const DroppedSpan &span);
    bool storeSessionValue(const QString &key, const QString &value);
    void finishStatements();

    RecordingQueue &m_queue;
    RecorderCounters &m_counters;
    RecordingDatabase m_db; // before the queries: they are destroyed first
    QSqlQuery m_insertMessage;
    QSqlQuery m_insertLog;
    QSqlQuery m_findTopic;
    QSqlQuery m_insertTopic;
    std::array<QHash<QByteArray, qint64>, 5> m_topicIds; // per slot 0–4; others are looked up each time
    qsizetype m_cachedTopics = 0;
    Settings m_settings;
    qint64 m_sessionId = 0;
    qint64 m_messageCount = 0; // rows in the file now
    qint64 m_logCount = 0;
    QList<DroppedSpan> m_unnoted; // drops not yet in the file (their batch failed)
    QString m_lastError;          // the write failure reported, until a batch succeeds
    QTimer m_timer;
};

} // namespace qmt
