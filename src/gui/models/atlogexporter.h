#pragma once

#include "gui/models/atlogentry.h"

#include <QList>
#include <QObject>
#include <QString>

#include <atomic>

class QIODevice;
class QThread;

namespace qmt {

/// Writes log rows to a file as plain text or CSV (time, direction, slot, kind, text), the text as the
/// view shows it: redacted, invisible bytes made visible, so each row stays on one line.
///
/// start() writes on a worker thread into a QSaveFile, so the GUI thread never waits for the disk and a
/// failed or cancelled export leaves no half-written file. The rows are a snapshot (AtLogEntry values
/// share their bytes), taken from the filter model so that the file holds what the view shows.
class AtLogExporter : public QObject
{
    Q_OBJECT

public:
    enum class Format {
        PlainText,
        Csv
    };

    explicit AtLogExporter(QObject *parent = nullptr);
    ~AtLogExporter() override;

    /// Starts writing `rows` to `path`; false (and nothing happens) while another export runs.
    bool start(QList<AtLogEntry> rows, const QString &path, Format format);
    [[nodiscard]] bool isRunning() const { return m_thread != nullptr; }
    /// Stops a running export; finished() reports it as failed and the file is left as it was.
    void cancel();

    /// Writes synchronously (what the worker runs); false when the device failed or `cancel` became true.
    static bool write(QIODevice &device, const QList<AtLogEntry> &rows, Format format,
                      const std::atomic_bool *cancel = nullptr);
    /// One row as written, without the line end.
    [[nodiscard]] static QByteArray formatRow(const AtLogEntry &row, Format format);
    /// The CSV header; empty for plain text.
    [[nodiscard]] static QByteArray header(Format format);

Q_SIGNALS:
    /// `message` says what was written or why nothing was.
    void finished(bool ok, const QString &message, qsizetype rows);

private:
    QThread *m_thread = nullptr;
    std::atomic_bool m_cancel{false};
};

} // namespace qmt
