#include "core/recording/recordingexporter.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace qmt {

namespace {

/// Bytes as export text: themselves when they are valid UTF-8 without control characters (tab and line ends
/// aside: CSV quotes them, JSON escapes them), otherwise their hex; `isText` says which.
QByteArray exportable(const QByteArray &bytes, bool &isText)
{
    isText = true;
    for (const char c : bytes) {
        if ((uchar(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
            isText = false;
            break;
        }
    }
    if (isText) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        (void)utf8.decode(bytes);
        isText = !utf8.hasError();
    }
    return isText ? bytes : bytes.toHex();
}

QByteArray utcText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
}

/// One CSV field: quoted when it holds a comma, a quote or a line end (quotes doubled).
QByteArray csvField(const QByteArray &field)
{
    if (!field.contains(',') && !field.contains('"') && !field.contains('\n') && !field.contains('\r'))
        return field;
    QByteArray out = field;
    out.replace('"', "\"\"");
    return '"' + out + '"';
}

QByteArray csvRow(const QList<QByteArray> &fields)
{
    QByteArray out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += ',';
        out += csvField(fields[i]);
    }
    return out + "\r\n";
}

QByteArray jsonLine(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

/// Puts `bytes` under `key` as text, or under `key`_hex as hex.
void putBytes(QJsonObject &object, const QString &key, const QByteArray &bytes)
{
    bool isText = true;
    const QByteArray shown = exportable(bytes, isText);
    object.insert(isText ? key : key + QStringLiteral("_hex"), QString::fromUtf8(shown));
}

QByteArray messageRow(const RecordedMessage &m, RecordingExporter::Format format)
{
    if (format == RecordingExporter::Format::JsonLines) {
        QJsonObject o{{QStringLiteral("id"), m.id},
                      {QStringLiteral("time"), QString::fromUtf8(utcText(m.timeMs))},
                      {QStringLiteral("time_ms"), m.timeMs},
                      {QStringLiteral("slot"), m.slot},
                      {QStringLiteral("qos"), m.qos ? QJsonValue(*m.qos) : QJsonValue()},
                      {QStringLiteral("length"), m.fullLength},
                      {QStringLiteral("truncated"), m.truncated},
                      {QStringLiteral("with_subscription"), m.withSubscription}};
        putBytes(o, QStringLiteral("topic"), m.topic);
        putBytes(o, QStringLiteral("payload"), m.payload);
        return jsonLine(o);
    }
    bool topicIsText = true;
    bool payloadIsText = true;
    const QByteArray topic = exportable(m.topic, topicIsText);
    const QByteArray payload = exportable(m.payload, payloadIsText);
    return csvRow({QByteArray::number(m.id), utcText(m.timeMs), QByteArray::number(m.timeMs),
                   QByteArray::number(m.slot), topic, topicIsText ? "text" : "hex",
                   m.qos ? QByteArray::number(*m.qos) : QByteArray(), QByteArray::number(m.fullLength),
                   m.truncated ? "1" : "0", m.withSubscription ? "1" : "0", payload, payloadIsText ? "text" : "hex"});
}

QByteArray logRow(const RecordedLogRow &r, RecordingExporter::Format format)
{
    if (format == RecordingExporter::Format::JsonLines) {
        QJsonObject o{{QStringLiteral("id"), r.id},
                      {QStringLiteral("time"), QString::fromUtf8(utcText(r.timeMs))},
                      {QStringLiteral("time_ms"), r.timeMs},
                      {QStringLiteral("direction"), QString::fromLatin1(LogKindText::key(r.direction))},
                      {QStringLiteral("kind"), QString::fromLatin1(LogKindText::key(r.kind))},
                      {QStringLiteral("slot"), r.slot == RecordedLogRow::NoSlot ? QJsonValue() : QJsonValue(r.slot)},
                      {QStringLiteral("length"), r.fullLength}};
        putBytes(o, QStringLiteral("text"), r.text);
        return jsonLine(o);
    }
    bool isText = true;
    const QByteArray text = exportable(r.text, isText);
    return csvRow({QByteArray::number(r.id), utcText(r.timeMs), QByteArray::number(r.timeMs),
                   LogKindText::key(r.direction), LogKindText::key(r.kind),
                   r.slot == RecordedLogRow::NoSlot ? QByteArray() : QByteArray::number(r.slot),
                   QByteArray::number(r.fullLength), text, isText ? "text" : "hex"});
}

} // namespace

RecordingExporter::RecordingExporter(RecordingReader &reader)
    : m_reader(reader)
{}

bool RecordingExporter::write(QIODevice &out, const QByteArray &bytes)
{
    if (out.write(bytes) == bytes.size())
        return true;
    m_error = tr("Export: cannot write: %1").arg(out.errorString());
    return false;
}

bool RecordingExporter::exportMessages(QIODevice &out, Format format, const MessageFilter &filter,
                                       const std::optional<SearchQuery> &search)
{
    m_rows = 0;
    m_error.clear();
    if (format == Format::Csv &&
        !write(out, csvRow({"id", "time_utc", "time_ms", "slot", "topic", "topic_encoding", "qos", "length",
                            "truncated", "with_subscription", "payload", "payload_encoding"})))
        return false;
    std::optional<RecordingCursor> after;
    std::optional<qint64> afterId;
    do {
        // A search goes in id order, a listing in time order: each keeps its own cursor.
        QList<RecordedMessage> rows;
        if (search) {
            const SearchPage page = m_reader.search(*search, filter, PageRows, RecordingOrder::OldestFirst, afterId);
            rows = page.rows;
            afterId = page.next;
        } else {
            const MessagePage page = m_reader.messages(filter, PageRows, RecordingOrder::OldestFirst, after);
            rows = page.rows;
            after = page.next;
        }
        if (rows.isEmpty() && !m_reader.errorString().isEmpty()) {
            m_error = m_reader.errorString();
            return false;
        }
        QByteArray chunk;
        for (const RecordedMessage &m : std::as_const(rows))
            chunk += messageRow(m, format);
        if (!write(out, chunk))
            return false;
        m_rows += rows.size();
    } while (after || afterId);
    return true;
}

bool RecordingExporter::exportLog(QIODevice &out, Format format, const LogFilter &filter)
{
    m_rows = 0;
    m_error.clear();
    if (format == Format::Csv && !write(out, csvRow({"id", "time_utc", "time_ms", "direction", "kind", "slot", "length",
                                                     "text", "text_encoding"})))
        return false;
    std::optional<RecordingCursor> after;
    do {
        const LogPage page = m_reader.logRows(filter, PageRows, RecordingOrder::OldestFirst, after);
        if (page.rows.isEmpty() && !m_reader.errorString().isEmpty()) {
            m_error = m_reader.errorString();
            return false;
        }
        QByteArray chunk;
        for (const RecordedLogRow &r : page.rows)
            chunk += logRow(r, format);
        if (!write(out, chunk))
            return false;
        m_rows += page.rows.size();
        after = page.next;
    } while (after);
    return true;
}

} // namespace qmt
