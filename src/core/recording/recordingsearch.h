#pragma once

#include <QCoreApplication>
#include <QString>
#include <QVariantList>

namespace qmt {

/// What to look for in a recording's messages: text or a regular expression, in topics, payloads or both.
struct SearchQuery
{
    Q_DECLARE_TR_FUNCTIONS(qmt::SearchQuery)

public:
    enum class Syntax {
        Text,             ///< the pattern as it is, anywhere in the field
        RegularExpression ///< Perl-compatible (QRegularExpression), anywhere in the field
    };

    QString pattern;
    Syntax syntax = Syntax::Text;
    /// Off: ASCII letters match either case (and, through a regular expression, every letter does).
    bool caseSensitive = false;
    bool inTopics = true;
    bool inPayloads = true;

    /// Empty when the query can run; otherwise what is wrong, naming the field (an empty pattern, no field
    /// to search, a regular expression that does not compile and where).
    [[nodiscard]] QString validate() const;
};

/// A SearchQuery as SQL: a condition over a topic expression and a payload expression, with its values in
/// order. Text runs as LIKE (any case) or GLOB (exact case); a regular expression runs through Qt's REGEXP
/// (QSQLITE_ENABLE_REGEXP), behind a LIKE on a literal every match must contain when there is one — LIKE is
/// several times cheaper, so most rows never reach the regular expression.
struct SearchCondition
{
    QString sql;
    QVariantList values;

    /// `topicIds`: an expression naming the message's topic id; `payload`: the message's payload column.
    [[nodiscard]] static SearchCondition of(const SearchQuery &query, const QString &topicId, const QString &payload);
};

/// The longest run of plain ASCII characters (at least three) that every match of `pattern` contains, or
/// empty when none can be told for sure (an alternation, extended syntax, only classes and escapes). Used to
/// let a cheap substring test skip rows the regular expression cannot match.
[[nodiscard]] QString requiredLiteral(const QString &pattern);

} // namespace qmt
