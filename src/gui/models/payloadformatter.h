#pragma once

#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

namespace qmt {

/// Renders message bytes for people: as text with invisible bytes made visible, as a hex dump, or as
/// indented JSON. All views work on the same raw bytes; none of them changes or drops a byte silently.
///
/// Pure functions but for the control style, safe to call from any thread (the log exporter formats on a
/// worker thread).
class PayloadFormatter
{
    Q_DECLARE_TR_FUNCTIONS(qmt::PayloadFormatter)

public:
    enum class View {
        Text,
        Hex,
        Json
    };

    /// The outcome of prettyJson(): the indented text, or why the bytes are not JSON and where.
    struct JsonResult
    {
        bool ok = false;
        QString text;               ///< indented JSON when ok, otherwise "not JSON: <reason> at offset N"
        qsizetype errorOffset = -1; ///< byte offset of the error, -1 when ok
    };

    /// How visibleText() shows C0 control characters and DEL.
    enum class ControlStyle {
        Pictures, ///< their Unicode control pictures: CR as ␍, LF as ␊ …
        Names,    ///< their ASCII names in angle brackets: <CR>, <LF> … (for fonts without the pictures)
    };
    /// Set once at start-up, before any worker formats; the one piece of state here.
    static void setControlStyle(ControlStyle style);
    [[nodiscard]] static ControlStyle controlStyle();

    /// UTF-8 text with C0 control characters and DEL shown as controlStyle() says and each byte that is
    /// not well-formed UTF-8 as its value in hex, "<FF>"; the hex view shows the exact bytes.
    [[nodiscard]] static QString visibleText(QByteArrayView bytes);
    /// Whether visibleText() had to substitute anything (control characters or malformed UTF-8).
    [[nodiscard]] static bool hasInvisibleBytes(QByteArrayView bytes);
    /// At most `max` bytes of `bytes`, cut before a character rather than through one.
    [[nodiscard]] static QByteArrayView utf8Prefix(QByteArrayView bytes, qsizetype max);
    /// "41 54 0D 0A": the bytes as spaced hex digits, for tooltips.
    [[nodiscard]] static QString hexBytes(QByteArrayView bytes);
    /// `hexdump -C` style: offset, 16 bytes in two groups of eight, the printable ASCII column.
    [[nodiscard]] static QString hexDump(QByteArrayView bytes);
    /// Indented JSON (2 spaces), keeping the payload's own key order and number spelling; any JSON value
    /// is accepted at the top level, including a bare number or string.
    [[nodiscard]] static JsonResult prettyJson(QByteArrayView bytes);
    /// "Truncated: showing 65,536 of 70,000 bytes."
    [[nodiscard]] static QString truncationNote(qsizetype shownBytes, qsizetype fullLength);
    /// One of the views above, followed by the truncation note when `fullLength` exceeds the bytes given.
    [[nodiscard]] static QString render(View view, QByteArrayView bytes, qsizetype fullLength = -1);
};

} // namespace qmt
