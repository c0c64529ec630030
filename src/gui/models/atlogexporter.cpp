#include "gui/models/atlogexporter.h"

#include <QSaveFile>
#include <QThread>

#include <memory>

namespace qmt {

namespace {

/// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A field that a
/// spreadsheet would run as a formula — and every "+QMT…" line would — gets a leading apostrophe, which
/// spreadsheets take as "this is text" (the OWASP advice against CSV injection).
QByteArray csvField(QByteArray field)
{
    if (!field.isEmpty() && QByteArrayView("=+-@\t\r").contains(field.front()))
        field.prepend('\'');
    if (!field.contains(',') && !field.contains('"') && !field.contains('\n') && !field.contains('\r'))
        return field;
    field.replace('"', "\"\"");
    return '"' + field + '"';
}

QList<QByteArray> fields(const AtLogEntry &row)
{
    return {row.time().toString(Qt::ISODateWithMs).toUtf8(), AtLogEntry::directionName(row.direction).toUtf8(),
            row.slotName().toUtf8(), AtLogEntry::kindName(row.kind).toUtf8(), row.shownText().toUtf8()};
}

struct Outcome
{
    bool ok = false;
    QString message;
};

} // namespace

AtLogExporter::AtLogExporter(QObject *parent)
    : QObject(parent)
{}

AtLogExporter::~AtLogExporter()
{
    if (m_thread) {
        cancel();
        m_thread->wait(); // the worker checks the flag every few hundred rows
        delete m_thread;
    }
}

QByteArray AtLogExporter::header(Format format)
{
    if (format == Format::PlainText)
        return {};
    // Column names stay untranslated: they are keys for programs reading the file.
    return QByteArrayLiteral("time,direction,slot,kind,text");
}

QByteArray AtLogExporter::formatRow(const AtLogEntry &row, Format format)
{
    const QList<QByteArray> f = fields(row);
    if (format == Format::PlainText)
        return f.join('\t');
    QByteArray out;
    for (const QByteArray &field : f)
        out += csvField(field) + ',';
    out.chop(1);
    return out;
}

bool AtLogExporter::write(QIODevice &device, const QList<AtLogEntry> &rows, Format format,
                          const std::atomic_bool *cancel)
{
    constexpr int CheckEvery = 512;
    QByteArray buffer;
    if (format == Format::Csv)
        buffer = header(format) + "\r\n";
    const QByteArray lineEnd = format == Format::Csv ? QByteArrayLiteral("\r\n") : QByteArrayLiteral("\n");
    for (qsizetype i = 0; i < rows.size(); ++i) {
        buffer += formatRow(rows[i], format) + lineEnd;
        if (i % CheckEvery == CheckEvery - 1 || i == rows.size() - 1) {
            if (cancel && cancel->load())
                return false;
            if (device.write(buffer) != buffer.size())
                return false;
            buffer.clear();
        }
    }
    return buffer.isEmpty() || device.write(buffer) == buffer.size();
}

bool AtLogExporter::start(QList<AtLogEntry> rows, const QString &path, Format format)
{
    if (m_thread)
        return false;
    m_cancel = false;
    auto outcome = std::make_shared<Outcome>();
    const qsizetype count = rows.size();
    m_thread = QThread::create([rows = std::move(rows), path, format, outcome, cancel = &m_cancel] {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            outcome->message = tr("Cannot write %1: %2").arg(path, file.errorString());
            return;
        }
        if (!write(file, rows, format, cancel)) {
            file.cancelWriting();
            outcome->message = cancel->load() ? tr("Export cancelled; %1 was not written.").arg(path)
                                              : tr("Cannot write %1: %2").arg(path, file.errorString());
            return;
        }
        if (!file.commit()) {
            outcome->message = tr("Cannot write %1: %2").arg(path, file.errorString());
            return;
        }
        outcome->ok = true;
        outcome->message = tr("%n row(s) written to %1.", nullptr, int(rows.size())).arg(path);
    });
    connect(m_thread, &QThread::finished, this, [this, outcome, count] {
        m_thread->deleteLater();
        m_thread = nullptr;
        Q_EMIT finished(outcome->ok, outcome->message, outcome->ok ? count : 0);
    });
    m_thread->start(QThread::LowPriority);
    return true;
}

void AtLogExporter::cancel()
{
    m_cancel = true;
}

} // namespace qmt
