#include "core/recording/recorder.h"

#include "core/recording/recordingwriter.h"

namespace qmt {

QString RecorderOptions::validate() const
{
    if (const QString error = limits.validate(); !error.isEmpty())
        return error;
    if (flushIntervalMs < 10 || flushIntervalMs > 1000)
        return tr("Flush interval: must be 10–1000 ms; got %1 ms").arg(flushIntervalMs);
    if (queueBudgetBytes < 1024 * 1024 || queueBudgetBytes > 4LL * 1024 * 1024 * 1024)
        return tr("Queue budget: must be 1–4096 MiB; got %1 bytes").arg(queueBudgetBytes);
    if (maxPayloadBytes < 1 || maxPayloadBytes > 16 * 1024 * 1024)
        return tr("Payload cap: must be 1–16,777,216 bytes; got %1 bytes").arg(maxPayloadBytes);
    return {};
}

Recorder::Recorder(QObject *parent)
    : QObject(parent)
    , m_queue(RecorderOptions().queueBudgetBytes)
{
    m_thread.setObjectName(QStringLiteral("qmt-recorder"));
}

Recorder::~Recorder()
{
    if (m_writer) {
        RecordingWriter *writer = m_writer;
        QMetaObject::invokeMethod(
            writer, [writer] { writer->close(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        delete m_writer; // its thread is over: nothing of it runs any more
    }
}

bool Recorder::start(const QString &path, const RecorderOptions &options, QString *error)
{
    if (const QString invalid = options.validate(); !invalid.isEmpty()) {
        if (error)
            *error = invalid;
        return false;
    }
    stop();
    // One writer and one queue for the recorder's life: the writer's open() comes after its close() of the
    // previous file, and the queue holds nothing of the previous recording once record*() stopped taking.
    m_queue.setBudgetBytes(options.queueBudgetBytes);
    m_counters.messagesNotQueued = 0;
    m_counters.logRowsNotQueued = 0;
    m_redactor = LogRowRedactor();
    m_maxPayloadBytes = options.maxPayloadBytes;
    m_path = path;
    if (!m_writer)
        createWriter();

    RecordingWriter::Settings settings{path, options.limits, options.sessionInfo, options.flushIntervalMs};
    settings.sessionInfo.insert(SessionKeys::Tool, QStringLiteral("QMT Studio"));
    if (!QCoreApplication::applicationVersion().isEmpty())
        settings.sessionInfo.insert(SessionKeys::ToolVersion, QCoreApplication::applicationVersion());
    RecordingWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        writer, [writer, settings] { writer->open(settings); }, Qt::QueuedConnection);
    m_recording = true;
    return true;
}

void Recorder::createWriter()
{
    m_writer = new RecordingWriter(m_queue, m_counters);
    m_writer->moveToThread(&m_thread);
    connect(m_writer, &RecordingWriter::opened, this, &Recorder::opened);
    connect(m_writer, &RecordingWriter::failed, this, [this](const QString &why) {
        m_recording = false;
        Q_EMIT failed(why);
    });
    connect(m_writer, &RecordingWriter::writeFailed, this, &Recorder::writeFailed);
    connect(m_writer, &RecordingWriter::closed, this, &Recorder::stopped);
    // Below the GUI thread: when the machine is short of CPU, the window stays responsive and the queue
    // (bounded) takes up the slack.
    m_thread.start(QThread::LowPriority);
}

void Recorder::stop()
{
    if (!m_recording)
        return;
    m_recording = false;
    RecordingWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        writer, [writer] { writer->close(); }, Qt::QueuedConnection);
}

void Recorder::recordMessage(int slot, const RecvMessage &message, qint64 timeMs, std::optional<int> qos,
                             bool withSubscription)
{
    if (!m_recording)
        return;
    RecordedMessage m;
    m.timeMs = timeMs;
    m.slot = slot;
    m.topic = message.topic;
    m.qos = qos;
    m.payload = message.payload; // shared, not copied
    m.fullLength = qMax(qint64(message.declaredLength.value_or(0)), qint64(message.payload.size()));
    // Cut short by the module: no closing quote, or fewer bytes than it announced.
    m.truncated = message.unterminated || m.fullLength > message.payload.size();
    m.withSubscription = withSubscription;
    recordMessage(std::move(m));
}

void Recorder::recordMessage(RecordedMessage message)
{
    if (!m_recording)
        return;
    message.fullLength = qMax(message.fullLength, qint64(message.payload.size()));
    if (message.payload.size() > m_maxPayloadBytes) {
        message.payload.truncate(m_maxPayloadBytes);
        message.truncated = true;
    }
    if (!m_queue.push(std::move(message)))
        ++m_counters.messagesNotQueued;
}

void Recorder::enqueue(RecordedLogRow &&row)
{
    if (!m_queue.push(std::move(row)))
        ++m_counters.logRowsNotQueued;
}

void Recorder::recordCommand(QByteArrayView text, qint64 timeMs)
{
    if (m_recording)
        enqueue(m_redactor.command(text, timeMs));
}

void Recorder::recordDataSent(QByteArrayView shown, qint64 timeMs, int slot)
{
    if (m_recording)
        enqueue(m_redactor.dataSent(shown, timeMs, slot));
}

void Recorder::recordLine(const AtLine &line, qint64 timeMs)
{
    if (m_recording)
        enqueue(m_redactor.line(line, timeMs));
}

bool Recorder::setLimits(const RecordingLimits &limits, QString *error)
{
    if (const QString invalid = limits.validate(); !invalid.isEmpty()) {
        if (error)
            *error = invalid;
        return false;
    }
    if (RecordingWriter *writer = m_writer)
        QMetaObject::invokeMethod(
            writer, [writer, limits] { writer->setLimits(limits); }, Qt::QueuedConnection);
    return true;
}

void Recorder::setSessionValue(const QString &key, const QString &value)
{
    if (RecordingWriter *writer = m_writer) {
        QMetaObject::invokeMethod(
            writer, [writer, key, value] { writer->setSessionValue(key, value); }, Qt::QueuedConnection);
    }
}

} // namespace qmt
