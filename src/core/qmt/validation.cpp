#include "core/qmt/validation.h"

#include <QStringDecoder>

namespace qmt {

namespace {

QString shown(QByteArrayView value, bool secret)
{
    if (secret)
        return ValidationError::tr("<redacted, %n bytes>", nullptr, int(value.size()));
    constexpr qsizetype MaxShown = 40;
    QString text;
    const qsizetype n = std::min(value.size(), MaxShown);
    for (qsizetype i = 0; i < n; ++i) {
        const uchar c = uchar(value[i]);
        if (c < 0x20 || c == 0x7f)
            text += QStringLiteral("<%1>").arg(c, 2, 16, QLatin1Char('0'));
        else
            text += QChar::fromLatin1(char(c));
    }
    if (value.size() > MaxShown)
        text += ValidationError::tr("… (%n bytes)", nullptr, int(value.size()));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString byteName(uchar c)
{
    switch (c) {
    case '"':
        return ValidationError::tr("a double quote");
    case '\r':
        return ValidationError::tr("a carriage return (CR)");
    case '\n':
        return ValidationError::tr("a line feed (LF)");
    case 0x1A:
        return ValidationError::tr("Ctrl+Z (0x1A)");
    case 0x1B:
        return ValidationError::tr("Esc (0x1B)");
    case 0x00:
        return ValidationError::tr("a NUL byte");
    default:
        return ValidationError::tr("byte 0x%1").arg(c, 2, 16, QLatin1Char('0'));
    }
}

ValidationError makeError(Param p, QString given, QString reason = {})
{
    return ValidationError{QString::fromLatin1(spec(p).name), allowedRange(p), std::move(given), std::move(reason)};
}

/// For a value of the right length that breaks another rule: the message leads with that rule, not the
/// length ("topic must be a topic without + or #; got …"), so the user reads what to change.
ValidationError ruleError(Param p, QString rule, QString given, QString reason)
{
    return ValidationError{QString::fromLatin1(spec(p).name), std::move(rule), std::move(given), std::move(reason)};
}

} // namespace

QString ValidationError::message() const
{
    QString text = tr("%1 must be %2; got %3").arg(parameter, allowed, given);
    if (!reason.isEmpty())
        text += QStringLiteral(" (") + reason + QLatin1Char(')');
    return text + QLatin1Char('.');
}

QString shownValue(Param p, QByteArrayView value)
{
    return shown(value, spec(p).secret);
}

QString allowedRange(Param p)
{
    const ParamSpec &s = spec(p);
    if (s.kind == ParamKind::Integer) {
        if (s.maximum == s.minimum + 1)
            return ValidationError::tr("%1 or %2").arg(s.minimum).arg(s.maximum);
        return ValidationError::tr("%1–%2").arg(s.minimum).arg(s.maximum);
    }
    if (s.minimum == 0)
        return ValidationError::tr("at most %1 bytes").arg(s.maximum);
    return ValidationError::tr("%1–%2 bytes").arg(s.minimum).arg(s.maximum);
}

namespace check {

std::optional<ValidationError> integer(Param p, qint64 value)
{
    const ParamSpec &s = spec(p);
    if (value < s.minimum || value > s.maximum)
        return makeError(p, QString::number(value));
    return std::nullopt;
}

qsizetype firstUnquotableByte(QByteArrayView value)
{
    for (qsizetype i = 0; i < value.size(); ++i) {
        switch (value[i]) {
        case '"':
        case '\r':
        case '\n':
        case 0x1A:
        case 0x1B:
        case 0x00:
            return i;
        default:
            break;
        }
    }
    return -1;
}

std::optional<ValidationError> quoted(Param p, QByteArrayView value)
{
    const ParamSpec &s = spec(p);
    if (value.size() < s.minimum || value.size() > s.maximum) {
        return makeError(p, shown(value, s.secret), ValidationError::tr("%n bytes given", nullptr, int(value.size())));
    }
    if (const qsizetype bad = firstUnquotableByte(value); bad >= 0) {
        return ruleError(p, ValidationError::tr("text without \", CR, LF, Ctrl+Z or Esc"), shown(value, s.secret),
                         ValidationError::tr("it contains %1 at byte %2; a quoted AT parameter cannot carry them")
                             .arg(byteName(uchar(value[bad])))
                             .arg(bad + 1));
    }
    return std::nullopt;
}

std::optional<ValidationError> utf8Quoted(Param p, QByteArrayView value)
{
    if (auto error = quoted(p, value))
        return error;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(value);
    if (decoder.hasError())
        return ruleError(p, ValidationError::tr("UTF-8 text"), shown(value, spec(p).secret),
                         ValidationError::tr("not valid UTF-8"));
    return std::nullopt;
}

std::optional<ValidationError> publishTopic(QByteArrayView topic, Param p)
{
    if (auto error = utf8Quoted(p, topic))
        return error;
    const qsizetype plus = topic.indexOf('+');
    if (const qsizetype w = plus >= 0 ? plus : topic.indexOf('#'); w >= 0) {
        return ruleError(p, ValidationError::tr("a topic name without + or #"), shown(topic, spec(p).secret),
                         ValidationError::tr("wildcard '%1' at byte %2; wildcards are for subscribing")
                             .arg(QChar::fromLatin1(topic[w]))
                             .arg(w + 1));
    }
    return std::nullopt;
}

std::optional<ValidationError> topicFilter(QByteArrayView filter, Param p)
{
    if (auto error = utf8Quoted(p, filter))
        return error;
    qsizetype levelStart = 0;
    for (qsizetype i = 0; i <= filter.size(); ++i) {
        if (i < filter.size() && filter[i] != '/')
            continue;
        const QByteArrayView level = filter.sliced(levelStart, i - levelStart);
        const bool hasPlus = level.contains('+');
        const bool hasHash = level.contains('#');
        if ((hasPlus || hasHash) && level.size() != 1) {
            return ruleError(p, ValidationError::tr("a filter whose + and # each fill a whole level"),
                             shown(filter, spec(p).secret),
                             ValidationError::tr("level \"%1\"").arg(QString::fromUtf8(level)));
        }
        if (hasHash && i != filter.size()) {
            return ruleError(p, ValidationError::tr("a filter with # only as its last level"),
                             shown(filter, spec(p).secret), {});
        }
        levelStart = i + 1;
    }
    return std::nullopt;
}

} // namespace check

} // namespace qmt
