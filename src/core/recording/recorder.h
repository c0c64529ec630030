#pragma once

#include "core/recording/logrowredactor.h"
#include "core/recording/recorderstats.h"
#include "core/recording/recordingqueue.h"
#include "core/recording/recordingtypes.h"

#include "core/qmt/qmtevents.h"

#include <QObject>
#include <QThread>

namespace qmt {

class RecordingWriter;

/// How a Recorder records: limits, how often it commits, its memory.
struct RecorderOptions
{
    Q_DECLARE_TR_FUNCTIONS(qmt::RecorderOptions)

public:
    RecordingLimits limits;
    /// How long data may wait in the queue before it is committed: a crash loses about this much.
    int flushIntervalMs = 200;
    /// The queue's memory: at 100,000 URCs/s (a message and a log row each) about a second's worth.
    qsizetype queueBudgetBytes = 64 * 1024 * 1024;
    /// A longer payload is kept cut to this, marked truncated with its full length.
    qsizetype maxPayloadBytes = 64 * 1024;
    /// What is known of the session: SessionKeys::Port, module identity…; the tool and its version are
    /// added.
    QMap<QString, QString> sessionInfo;

    /// Empty when usable; otherwise what is wrong, naming the field, its range and the value.
    [[nodiscard]] QString validate() const;
};

/// Records a session — every message and every line of the AT log — into a recording file (SQLite), on a
/// worker thread of its own.
///
/// The record*() calls are made on the thread that created the Recorder (the GUI thread): they redact (log
/// lines), copy into a bounded queue and return; they never wait for the disk. The writer commits the queue
/// every flush interval in one transaction, so a crash of the process loses at most the last interval or so.
/// When the disk cannot keep up the queue's budget is spent: what does not fit is counted, not queued, and
/// the file says how much it lacks and when (DroppedSpan::Reason::QueueFull). The file is kept within the
/// limits by dropping its oldest data, noted the same way. Read it with RecordingReader, from this process
/// or another, while it is written.
///
/// Feed it from a ModuleController with ControllerRecording, or call record*() directly.
class Recorder : public QObject
{
    Q_OBJECT

public:
    explicit Recorder(QObject *parent = nullptr);
    /// Writes what is queued and closes the file cleanly (waiting for the writer: at the end of a session).
    ~Recorder() override;

    /// Starts recording into `path`: a new file, or a recording to append a session to. False (and `error`
    /// set) when the options are invalid; the file itself is opened on the worker thread, and opened() or
    /// failed() says how that went. A recording already running is stopped first.
    bool start(const QString &path, const RecorderOptions &options = {}, QString *error = nullptr);
    /// Stops recording: what is queued is still written, then the file is closed; stopped() follows.
    void stop();
    [[nodiscard]] bool isRecording() const { return m_recording; }
    [[nodiscard]] const QString &path() const { return m_path; }

    /// A received message. `qos` when known (the module does not say; the subscription's grant does);
    /// `withSubscription` when it arrived with its subscription (probably retained).
    void recordMessage(int slot, const RecvMessage &message, qint64 timeMs, std::optional<int> qos = std::nullopt,
                       bool withSubscription = false);
    /// A message as the caller built it (an import); its payload is cut to maxPayloadBytes.
    void recordMessage(RecordedMessage message);
    /// A command line sent to the module (redacted before it is queued).
    void recordCommand(QByteArrayView text, qint64 timeMs);
    /// Data written after a prompt, as the channel shows it (redacted before it is queued).
    void recordDataSent(QByteArrayView shown, qint64 timeMs, int slot = RecordedLogRow::NoSlot);
    /// A line from the module (redacted before it is queued).
    void recordLine(const AtLine &line, qint64 timeMs);

    /// New limits, applied from the next batch on. False (and `error` set) when invalid; nothing changes.
    bool setLimits(const RecordingLimits &limits, QString *error = nullptr);
    /// Adds to or changes what the file says about the session (the module's identity once it is known).
    void setSessionValue(const QString &key, const QString &value);

    [[nodiscard]] RecorderStats stats() const { return m_counters.snapshot(); }

Q_SIGNALS:
    /// The file is open and recording.
    void opened(const QString &path);
    /// The file could not be opened or set up (the error names it and why): nothing is recorded.
    void failed(const QString &error);
    /// A batch could not be written (disk full, I/O error): its data is counted as dropped and recording goes
    /// on. Said once until a batch succeeds again.
    void writeFailed(const QString &error);
    /// stop() is done: everything queued was written and the file closed.
    void stopped();

private:
    void createWriter();
    void enqueue(RecordedLogRow &&row);

    RecorderCounters m_counters;
    RecordingQueue m_queue;
    LogRowRedactor m_redactor;
    QThread m_thread;
    RecordingWriter *m_writer = nullptr; // lives on m_thread
    QString m_path;
    qsizetype m_maxPayloadBytes = RecorderOptions().maxPayloadBytes;
    bool m_recording = false;
};

} // namespace qmt
