#pragma once

#include "core/recording/recordingreader.h"

#include <QCoreApplication>

class QIODevice;

namespace qmt {

/// Writes a recording's messages (all, one topic, a slot, a time span, or what a search finds) or its log
/// as CSV or JSON Lines, oldest first, a page at a time (memory stays flat however large the recording).
///
/// Times are UTC in ISO 8601 with milliseconds, plus the epoch milliseconds. A payload or topic that is valid
/// UTF-8 without control characters (tabs and line ends aside) is written as text; any other is written as hex, and a
/// column (CSV) or key (JSON) says which. The log holds no secret to leak: it was redacted before it was recorded.
class RecordingExporter
{
    Q_DECLARE_TR_FUNCTIONS(qmt::RecordingExporter)

public:
    enum class Format {
        Csv,      ///< RFC 4180: a header row, fields quoted when they need it, CR LF line ends
        JsonLines ///< one JSON object per line
    };

    explicit RecordingExporter(RecordingReader &reader);

    /// The messages `filter` selects and, when given, `search` matches. False (errorString() says why) when
    /// the recording or the device failed; what was written stays written.
    bool exportMessages(QIODevice &out, Format format, const MessageFilter &filter = {},
                        const std::optional<SearchQuery> &search = std::nullopt);
    bool exportLog(QIODevice &out, Format format, const LogFilter &filter = {});

    /// Rows written by the last export.
    [[nodiscard]] qint64 rowsWritten() const { return m_rows; }
    [[nodiscard]] const QString &errorString() const { return m_error; }

    /// How many rows each page read from the recording holds.
    static constexpr qsizetype PageRows = 2000;

private:
    bool write(QIODevice &out, const QByteArray &bytes);

    RecordingReader &m_reader;
    qint64 m_rows = 0;
    QString m_error;
};

} // namespace qmt
