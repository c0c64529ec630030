#include "gui/models/payloadformatter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <atomic>

namespace qmt {

namespace {

/// Length of the well-formed UTF-8 sequence that starts at `i`, or 0 (Unicode 15, table 3-7): rejects
/// overlong forms, surrogates and code points above U+10FFFF, as QString::fromUtf8 would.
qsizetype utf8SequenceLength(QByteArrayView bytes, qsizetype i)
{
    const uchar c = uchar(bytes[i]);
    if (c < 0x80)
        return 1;
    qsizetype length = 0;
    uchar low = 0x80;
    uchar high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0)
            low = 0xA0;
        else if (c == 0xED)
            high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0)
            low = 0x90;
        else if (c == 0xF4)
            high = 0x8F;
    } else {
        return 0;
    }
    if (i + length > bytes.size())
        return 0;
    for (qsizetype k = 1; k < length; ++k) {
        const uchar d = uchar(bytes[i + k]);
        if (d < (k == 1 ? low : 0x80) || d > (k == 1 ? high : 0xBF))
            return 0;
    }
    return length;
}

/// How many bytes at `i` pass through unchanged (0: the byte at `i` must be substituted).
qsizetype passThroughLength(QByteArrayView bytes, qsizetype i)
{
    const uchar c = uchar(bytes[i]);
    if (c < 0x20 || c == 0x7F)
        return 0;
    return utf8SequenceLength(bytes, i);
}

std::atomic<PayloadFormatter::ControlStyle> g_controlStyle{PayloadFormatter::ControlStyle::Pictures};

/// The ASCII names of C0 and DEL, for fonts without the Control Pictures block.
QLatin1StringView controlName(uchar c)
{
    static constexpr const char *names[] = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "HT",  "LF",
                                            "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
                                            "SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
    return QLatin1StringView(c < 0x20 ? names[c] : "DEL");
}

void appendSubstitute(QString &out, uchar c)
{
    if (c >= 0x20 && c != 0x7F) {
        // A byte that is no UTF-8 keeps its value: "<FF>", where U+FFFD would say only that something was there.
        out +=
            QLatin1Char('<') + QString::number(c, 16).toUpper().rightJustified(2, QLatin1Char('0')) + QLatin1Char('>');
        return;
    }
    if (g_controlStyle.load(std::memory_order_relaxed) == PayloadFormatter::ControlStyle::Names) {
        out += QLatin1Char('<') + controlName(c) + QLatin1Char('>');
        return;
    }
    out += c == 0x7F ? QChar(0x2421) : QChar(0x2400 + c); // the Control Pictures block mirrors C0 in order
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// Offset of the first comma outside strings and brackets: where a second top-level value starts.
qsizetype firstTopLevelComma(QByteArrayView bytes)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 0) {
            return i;
        }
    }
    return 0;
}

/// Re-indents JSON that is known to be valid, token by token, so key order, duplicate keys and the
/// spelling of numbers stay exactly as the sender wrote them (QJsonDocument would sort keys and round
/// numbers to double).
QByteArray reindent(QByteArrayView json)
{
    QByteArray out;
    out.reserve(json.size() * 2);
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    const auto newline = [&] {
        out += '\n';
        out.append(qsizetype(depth) * 2, ' ');
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (isJsonSpace(c))
            continue;
        switch (c) {
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            out += c;
            qsizetype next = i + 1;
            while (next < json.size() && isJsonSpace(json[next]))
                ++next;
            if (next < json.size() && (json[next] == '}' || json[next] == ']')) {
                out += json[next]; // an empty container stays on one line
                i = next;
                break;
            }
            ++depth;
            newline();
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += ": ";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

void PayloadFormatter::setControlStyle(ControlStyle style)
{
    g_controlStyle.store(style, std::memory_order_relaxed);
}

PayloadFormatter::ControlStyle PayloadFormatter::controlStyle()
{
    return g_controlStyle.load(std::memory_order_relaxed);
}

QString PayloadFormatter::visibleText(QByteArrayView bytes)
{
    QString out;
    qsizetype runStart = 0;
    const auto flushRun = [&](qsizetype end) {
        if (end > runStart)
            out += QString::fromUtf8(bytes.sliced(runStart, end - runStart));
    };
    for (qsizetype i = 0; i < bytes.size();) {
        if (const qsizetype length = passThroughLength(bytes, i)) {
            i += length;
            continue;
        }
        if (out.isEmpty())
            out.reserve(bytes.size());
        flushRun(i);
        appendSubstitute(out, uchar(bytes[i]));
        runStart = ++i;
    }
    if (runStart == 0)
        return QString::fromUtf8(bytes); // nothing substituted: one conversion
    flushRun(bytes.size());
    return out;
}

bool PayloadFormatter::hasInvisibleBytes(QByteArrayView bytes)
{
    for (qsizetype i = 0; i < bytes.size();) {
        const qsizetype length = passThroughLength(bytes, i);
        if (length == 0)
            return true;
        i += length;
    }
    return false;
}

QByteArrayView PayloadFormatter::utf8Prefix(QByteArrayView bytes, qsizetype max)
{
    if (bytes.size() <= max)
        return bytes;
    qsizetype end = max;
    while (end > 0 && (uchar(bytes[end]) & 0xC0) == 0x80) // a continuation byte: back to its lead
        --end;
    return bytes.first(end);
}

QString PayloadFormatter::hexBytes(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' ').toUpper());
}

QString PayloadFormatter::hexDump(QByteArrayView bytes)
{
    constexpr qsizetype PerLine = 16;
    static constexpr char Digits[] = "0123456789abcdef";
    QByteArray out;
    out.reserve((bytes.size() / PerLine + 1) * 80);
    for (qsizetype offset = 0; offset < bytes.size(); offset += PerLine) {
        out += QByteArray::number(offset, 16).rightJustified(8, '0');
        out += "  ";
        QByteArray ascii;
        for (qsizetype j = 0; j < PerLine; ++j) {
            if (offset + j < bytes.size()) {
                const uchar c = uchar(bytes[offset + j]);
                out += Digits[c >> 4];
                out += Digits[c & 0xF];
                out += ' ';
                ascii += (c >= 0x20 && c < 0x7F) ? char(c) : '.';
            } else {
                out += "   ";
            }
            if (j == PerLine / 2 - 1)
                out += ' ';
        }
        out += " |" + ascii + "|\n";
    }
    out.chop(1);
    return QString::fromLatin1(out);
}

PayloadFormatter::JsonResult PayloadFormatter::prettyJson(QByteArrayView bytes)
{
    JsonResult result;
    if (bytes.trimmed().isEmpty()) {
        result.errorOffset = 0;
        result.text = tr("not JSON: the payload is empty");
        return result;
    }
    // Qt's parser takes only an object or an array at the top level; any JSON value is one element of an
    // array, and "[P]" is an array of exactly one element only when P is exactly one value.
    const QByteArray wrapped = '[' + bytes.toByteArray() + ']';
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError) {
        result.errorOffset = qBound(qsizetype(0), qsizetype(error.offset) - 1, bytes.size());
        result.text = tr("not JSON: %1 at offset %2").arg(error.errorString()).arg(result.errorOffset);
        return result;
    }
    if (document.array().size() != 1) {
        result.errorOffset = firstTopLevelComma(bytes);
        result.text = tr("not JSON: more than one value (the second starts after offset %1)").arg(result.errorOffset);
        return result;
    }
    result.ok = true;
    result.text = QString::fromUtf8(reindent(bytes));
    return result;
}

QString PayloadFormatter::truncationNote(qsizetype shownBytes, qsizetype fullLength)
{
    return tr("Truncated: showing %1 of %2 bytes.").arg(shownBytes).arg(fullLength);
}

QString PayloadFormatter::render(View view, QByteArrayView bytes, qsizetype fullLength)
{
    QString text;
    switch (view) {
    case View::Text:
        text = visibleText(bytes);
        break;
    case View::Hex:
        text = hexDump(bytes);
        break;
    case View::Json:
        text = prettyJson(bytes).text;
        break;
    }
    if (fullLength > bytes.size())
        text += QStringLiteral("\n\n") + truncationNote(bytes.size(), fullLength);
    return text;
}

} // namespace qmt
