#include "topicfiltermodel.h"

#include "topictreemodel.h"

namespace qmt {

TopicFilterModel::TopicFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    connect(&m_text, &FilterTextDebouncer::textApplied, this, &TopicFilterModel::applyText);
}

void TopicFilterModel::setSourceModel(QAbstractItemModel *model)
{
    m_tree = qobject_cast<TopicTreeModel *>(model);
    Q_ASSERT_X(m_tree || !model, "TopicFilterModel", "the source must be a TopicTreeModel");
    QSortFilterProxyModel::setSourceModel(model);
}

void TopicFilterModel::setFilterText(const QString &text)
{
    m_text.setText(text);
}

void TopicFilterModel::applyText(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    m_matcher.reset();
    m_substring.clear();
    if (TopicMatcher::isWildcardFilter(utf8))
        m_matcher.emplace(utf8);
    else
        m_substring = text;
    invalidateFilter();
    Q_EMIT filterTextApplied(text);
}

bool TopicFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_tree || (!m_matcher && m_substring.isEmpty()))
        return true;
    const QModelIndex index = m_tree->index(sourceRow, 0, sourceParent);
    const QByteArray topic = m_tree->topicOf(index);
    if (m_matcher)
        return m_tree->hasMessage(index) && m_matcher->matches(topic);
    return QString::fromUtf8(topic).contains(m_substring, Qt::CaseInsensitive);
}

bool TopicFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    switch (left.column()) {
    case TopicTreeModel::SizeColumn:
        return left.data(TopicTreeModel::FullLengthRole).toLongLong()
            < right.data(TopicTreeModel::FullLengthRole).toLongLong();
    case TopicTreeModel::TimeColumn:
        return left.data(TopicTreeModel::ReceivedRole).toDateTime()
            < right.data(TopicTreeModel::ReceivedRole).toDateTime();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace qmt
