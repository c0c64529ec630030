#include "gui/models/topicfiltermodel.h"

#include "gui/models/topictreemodel.h"

#include <QFont>

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

bool TopicFilterModel::sourceMatches(const QModelIndex &sourceIndex) const
{
    if (!m_tree || !isFiltering())
        return true;
    const QByteArray topic = m_tree->topicOf(sourceIndex);
    if (m_matcher)
        return m_tree->hasMessage(sourceIndex) && m_matcher->matches(topic);
    return QString::fromUtf8(topic).contains(m_substring, Qt::CaseInsensitive);
}

bool TopicFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Ancestors of matches are kept by recursive filtering (set in the constructor).
    return !m_tree || sourceMatches(m_tree->index(sourceRow, 0, sourceParent));
}

bool TopicFilterModel::isMatch(const QModelIndex &proxyIndex) const
{
    return proxyIndex.isValid() && sourceMatches(mapToSource(proxyIndex.siblingAtColumn(0)));
}

QVariant TopicFilterModel::data(const QModelIndex &index, int role) const
{
    if (role != Qt::FontRole || index.column() != TopicTreeModel::TopicColumn || !isFiltering() || !isMatch(index))
        return QSortFilterProxyModel::data(index, role);
    QFont font = QSortFilterProxyModel::data(index, role).value<QFont>();
    font.setBold(true);
    return font;
}

bool TopicFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    switch (left.column()) {
    case TopicTreeModel::SizeColumn:
        return left.data(TopicTreeModel::FullLengthRole).toLongLong() <
               right.data(TopicTreeModel::FullLengthRole).toLongLong();
    case TopicTreeModel::TimeColumn:
        return left.data(TopicTreeModel::ReceivedRole).toDateTime() <
               right.data(TopicTreeModel::ReceivedRole).toDateTime();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace qmt
