#pragma once

#include <QByteArrayView>
#include <QList>

#include <optional>

namespace qmt {

/// One comma-separated field of an AT response, with its quotes removed.
struct AtField
{
    QByteArrayView text;
    bool quoted = false;

    [[nodiscard]] std::optional<int> toInt() const;
};

/// Whether a comma inside parentheses splits: a test form's answer groups ranges, "(0-5),(1,2)"; a command's
/// arguments group nothing.
enum class Parentheses {
    Group,
    Plain
};

/// Splits the parameters of a response (`+NAME: <here>`) at commas outside quotes and (by default)
/// parentheses. Quotes carry no escapes on Quectel modules, so a field runs from its opening quote to the
/// next quote. Views point into `params`.
[[nodiscard]] QList<AtField> splitAtFields(QByteArrayView params, Parentheses parentheses = Parentheses::Group);

/// The commands of a command line, split at ';' outside double quotes: "AT+CSQ;+QMTCONN=0,…" gives
/// "AT+CSQ" and "+QMTCONN=0,…" (only the first carries "AT", protocol-notes §1.1). Joined with ';' they are the line
/// again. Views point into `line`.
[[nodiscard]] QList<QByteArrayView> splitCommandChain(QByteArrayView line);

/// Where the first `",` in `s` at or after `from` is (the end of a quoted topic), or -1. A quote is rare in
/// a line, so this looks for quotes with memchr rather than for the pair.
[[nodiscard]] qsizetype indexOfQuoteComma(QByteArrayView s, qsizetype from);

/// The parameters after "+NAME:" with leading blanks removed, or an empty view when there is no colon.
[[nodiscard]] QByteArrayView paramsOf(QByteArrayView line);

/// The arguments of a write command ("AT+QMTSUB=0,1,…" or a chained "+QMTSUB=…"), split at every comma
/// outside quotes, as the module splits them; none without '='.
[[nodiscard]] QList<AtField> argumentsOf(QByteArrayView command);

/// An unsigned decimal number at `s[i]` ending at a comma, as the leading fields of "+QMTRECV: <id>,<msgID>,…":
/// the index after the comma, or -1 when no digits, or no comma after them, are there. With `value`, the number
/// is stored there and one beyond int is refused (-1); without, any run of digits is skipped.
[[nodiscard]] qsizetype readNumberField(QByteArrayView s, qsizetype i, int *value = nullptr);

/// The TCP_connectID (0–4) a line names first: "+QMTSTAT: 2,1" → 2, "AT+QMTSUB=3,…" → 3; nullopt when the
/// line has none.
[[nodiscard]] std::optional<int> connectIdOf(QByteArrayView line);

} // namespace qmt
