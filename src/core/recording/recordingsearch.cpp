#include "core/recording/recordingsearch.h"

#include <QRegularExpression>

namespace qmt {

namespace {

bool isAscii(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

/// `%text%` for LIKE … ESCAPE '\': the text's own % and _ match only themselves.
QString likeAnywhere(const QString &text)
{
    QString out = QStringLiteral("%");
    for (const QChar c : text) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out + QLatin1Char('%');
}

/// `*text*` for GLOB: the text's own *, ? and [ match only themselves.
QString globAnywhere(const QString &text)
{
    QString out = QStringLiteral("*");
    for (const QChar c : text) {
        if (c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('['))
            out += QLatin1Char('[') + c + QLatin1Char(']');
        else
            out += c;
    }
    return out + QLatin1Char('*');
}

/// The condition on one field (a TEXT expression).
SearchCondition fieldCondition(const SearchQuery &query, const QString &field)
{
    const QString text = QStringLiteral("CAST(%1 AS TEXT)").arg(field);
    if (query.syntax == SearchQuery::Syntax::Text) {
        if (!query.caseSensitive && isAscii(query.pattern)) // SQLite's LIKE folds only ASCII letters
            return {text + QStringLiteral(" LIKE ? ESCAPE '\\'"), {likeAnywhere(query.pattern)}};
        if (query.caseSensitive)
            return {text + QStringLiteral(" GLOB ?"), {globAnywhere(query.pattern)}};
    }
    const QString pattern =
        query.syntax == SearchQuery::Syntax::Text ? QRegularExpression::escape(query.pattern) : query.pattern;
    SearchCondition c{text + QStringLiteral(" REGEXP ?"),
                      {query.caseSensitive ? pattern : QStringLiteral("(?i)") + pattern}};
    if (const QString literal = requiredLiteral(pattern); !literal.isEmpty()) {
        // LIKE ignores the case of ASCII letters: a superset of what the expression matches either way.
        c.sql = QStringLiteral("(%1 LIKE ? ESCAPE '\\' AND %2)").arg(text, c.sql);
        c.values.prepend(likeAnywhere(literal));
    }
    return c;
}

} // namespace

QString SearchQuery::validate() const
{
    if (pattern.isEmpty())
        return tr("Search: the pattern is empty");
    if (!inTopics && !inPayloads)
        return tr("Search: choose topics, payloads or both to search in");
    if (syntax == Syntax::RegularExpression) {
        const QRegularExpression re(pattern);
        if (!re.isValid()) {
            return tr("Search: the regular expression \"%1\" does not compile at offset %2: %3")
                .arg(pattern)
                .arg(re.patternErrorOffset())
                .arg(re.errorString());
        }
    }
    return {};
}

SearchCondition SearchCondition::of(const SearchQuery &query, const QString &topicId, const QString &payload)
{
    SearchCondition out;
    if (query.inTopics) {
        // Topics are few: the condition runs on the topics table once, not per message.
        const SearchCondition names = fieldCondition(query, QStringLiteral("name"));
        out.sql = QStringLiteral("%1 IN (SELECT id FROM topics WHERE %2)").arg(topicId, names.sql);
        out.values = names.values;
    }
    if (query.inPayloads) {
        const SearchCondition bodies = fieldCondition(query, payload);
        out.sql = out.sql.isEmpty() ? bodies.sql : QStringLiteral("(%1 OR %2)").arg(out.sql, bodies.sql);
        out.values += bodies.values;
    }
    return out;
}

QString requiredLiteral(const QString &pattern)
{
    // Conservative: anything this walk does not fully understand ends the current run.
    if (pattern.contains(QLatin1Char('|')) || pattern.contains(QLatin1String("(?x")) ||
        pattern.contains(QLatin1String("(?-")) || pattern.contains(QLatin1String("\\Q")))
        return {};
    QString best;
    QString run;
    const auto endRun = [&] {
        if (run.size() > best.size())
            best = run;
        run.clear();
    };
    const qsizetype n = pattern.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = pattern[i];
        QChar literal;
        if (c == QLatin1Char('\\')) {
            if (i + 1 >= n)
                return {};
            const QChar e = pattern[++i];
            if (e.isLetterOrNumber() || e.unicode() >= 0x80) { // \d, \w, \b, \x41, \1 …: not a plain character
                endRun();
                continue;
            }
            literal = e;
        } else if (c == QLatin1Char('[')) { // a class: skip it
            endRun();
            ++i;
            if (i < n && pattern[i] == QLatin1Char('^'))
                ++i;
            if (i < n && pattern[i] == QLatin1Char(']'))
                ++i;
            while (i < n && pattern[i] != QLatin1Char(']')) {
                if (pattern[i] == QLatin1Char('\\'))
                    ++i;
                ++i;
            }
            continue;
        } else if (c == QLatin1Char('(')) { // a group: skip it (it may be optional)
            endRun();
            int depth = 1;
            while (++i < n && depth > 0) {
                if (pattern[i] == QLatin1Char('\\'))
                    ++i;
                else if (pattern[i] == QLatin1Char('('))
                    ++depth;
                else if (pattern[i] == QLatin1Char(')'))
                    --depth;
            }
            --i;
            continue;
        } else if (QStringLiteral(".^$)]}").contains(c)) {
            endRun();
            continue;
        } else if (c == QLatin1Char('?') || c == QLatin1Char('*') || c == QLatin1Char('{')) {
            // The character before may be absent: it leaves the run.
            if (!run.isEmpty())
                run.chop(1);
            endRun();
            if (c == QLatin1Char('{')) {
                while (i < n && pattern[i] != QLatin1Char('}'))
                    ++i;
            }
            continue;
        } else if (c == QLatin1Char('+')) {
            // Present at least once, but what follows need not come right after its first copy.
            endRun();
            continue;
        } else {
            literal = c;
        }
        if (literal.unicode() < 0x20 || literal.unicode() >= 0x7f) {
            endRun();
            continue;
        }
        run += literal;
    }
    endRun();
    return best.size() >= 3 ? best : QString();
}

} // namespace qmt
