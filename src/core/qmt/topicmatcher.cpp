#include "core/qmt/topicmatcher.h"

#include "core/qmt/validation.h"

namespace qmt {

TopicMatcher::TopicMatcher(QByteArrayView filter)
{
    for (QByteArrayView level : levels(filter))
        m_levels.append(level.toByteArray());
}

QList<QByteArrayView> TopicMatcher::levels(QByteArrayView topic)
{
    QList<QByteArrayView> out;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= topic.size(); ++i) {
        if (i == topic.size() || topic[i] == '/') {
            out.append(topic.sliced(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

bool TopicMatcher::isWildcardFilter(QByteArrayView text)
{
    return (text.contains('+') || text.contains('#')) && !check::topicFilter(text);
}

bool TopicMatcher::matches(QByteArrayView topic) const
{
    if (m_levels.isEmpty() || topic.isEmpty())
        return false;
    const QByteArrayView first = m_levels.front();
    if (topic.front() == '$' && (first == "+" || first == "#"))
        return false;
    qsizetype levelStart = 0;
    for (qsizetype f = 0; f < m_levels.size(); ++f) {
        const QByteArray &want = m_levels[f];
        if (want == "#")
            return true; // also when the topic ended at the level before: "sport/#" matches "sport"
        if (levelStart > topic.size())
            return false; // the topic has fewer levels than the filter
        qsizetype end = topic.indexOf('/', levelStart);
        if (end < 0)
            end = topic.size();
        if (want != "+" && topic.sliced(levelStart, end - levelStart) != want)
            return false;
        levelStart = end + 1;
    }
    return levelStart > topic.size(); // every topic level consumed
}

} // namespace qmt
