#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace qmt {

/// Matches topic names against one MQTT topic filter by the rules of MQTT 3.1.1 §4.7: `+` stands for
/// exactly one level (an empty one too), `#` for the parent level and any number of levels below it
/// ("sport/#" matches "sport"), and a filter starting with a wildcard does not match topics starting
/// with `$`.
class TopicMatcher
{
public:
    /// `filter` must be a valid topic filter (check::topicFilter()).
    explicit TopicMatcher(QByteArrayView filter);

    [[nodiscard]] bool matches(QByteArrayView topic) const;

    /// Whether `text` is a valid topic filter that uses a wildcard.
    [[nodiscard]] static bool isWildcardFilter(QByteArrayView text);
    /// The levels of a topic name or filter: "/a//b" → "", "a", "", "b". Views point into `topic`.
    [[nodiscard]] static QList<QByteArrayView> levels(QByteArrayView topic);

private:
    QList<QByteArray> m_levels;
};

} // namespace qmt
