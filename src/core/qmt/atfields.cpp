#include "core/qmt/atfields.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace qmt {

std::optional<int> AtField::toInt() const
{
    const QByteArrayView t = text.trimmed();
    if (t.isEmpty() || quoted)
        return std::nullopt;
    bool ok = false;
    const int value = t.toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

QList<QByteArrayView> splitCommandChain(QByteArrayView line)
{
    QList<QByteArrayView> parts;
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (line[i] == ';' && !quoted) {
            parts.append(line.sliced(start, i - start));
            start = i + 1;
        }
    }
    parts.append(line.sliced(start));
    return parts;
}

qsizetype indexOfQuoteComma(QByteArrayView s, qsizetype from)
{
    const char *const begin = s.data();
    const char *const end = begin + s.size();
    for (const char *p = begin + std::min(std::max(from, qsizetype(0)), s.size()); p < end; ++p) {
        p = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
        if (!p)
            return -1;
        if (p + 1 < end && p[1] == ',')
            return p - begin;
    }
    return -1;
}

QList<AtField> splitAtFields(QByteArrayView params, Parentheses parentheses)
{
    const bool group = parentheses == Parentheses::Group;
    QList<AtField> fields;
    qsizetype i = 0;
    const qsizetype n = params.size();
    while (i <= n) {
        while (i < n && params[i] == ' ')
            ++i;
        if (i < n && params[i] == '"') {
            const qsizetype close = params.indexOf('"', i + 1);
            const qsizetype end = close < 0 ? n : close;
            fields.append(AtField{params.sliced(i + 1, end - i - 1), true});
            i = close < 0 ? n : close + 1;
            while (i < n && params[i] != ',')
                ++i;
            ++i;
            continue;
        }
        qsizetype j = i;
        int depth = 0;
        while (j < n && (params[j] != ',' || depth > 0)) {
            if (params[j] == '(' && group)
                ++depth;
            else if (params[j] == ')' && depth > 0)
                --depth;
            ++j;
        }
        fields.append(AtField{params.sliced(i, j - i).trimmed(), false});
        i = j + 1;
    }
    return fields;
}

qsizetype readNumberField(QByteArrayView s, qsizetype i, int *value)
{
    const qsizetype start = i;
    qint64 v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (value) {
            v = v * 10 + (s[i] - '0');
            if (v > std::numeric_limits<int>::max())
                return -1;
        }
        ++i;
    }
    if (i == start || i >= s.size() || s[i] != ',')
        return -1;
    if (value)
        *value = int(v);
    return i + 1;
}

std::optional<int> connectIdOf(QByteArrayView line)
{
    qsizetype start = line.indexOf(':');
    const qsizetype eq = line.indexOf('=');
    if (start < 0 || (eq >= 0 && eq < start))
        start = eq;
    if (start < 0)
        return std::nullopt;
    QByteArrayView p = line.sliced(start + 1).trimmed();
    if (p.startsWith('"')) { // AT+QMTCFG="<option>",<id>,…
        const qsizetype comma = p.indexOf(',');
        if (comma < 0)
            return std::nullopt;
        p = p.sliced(comma + 1);
    }
    if (p.isEmpty() || p[0] < '0' || p[0] > '4' || (p.size() > 1 && p[1] != ','))
        return std::nullopt;
    return p[0] - '0';
}

QList<AtField> argumentsOf(QByteArrayView command)
{
    const qsizetype eq = command.indexOf('=');
    return eq < 0 ? QList<AtField>() : splitAtFields(command.sliced(eq + 1), Parentheses::Plain);
}

QByteArrayView paramsOf(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return {};
    QByteArrayView rest = line.sliced(colon + 1);
    while (!rest.isEmpty() && rest.front() == ' ')
        rest = rest.sliced(1);
    return rest;
}

} // namespace qmt
