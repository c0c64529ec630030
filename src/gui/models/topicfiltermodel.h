#pragma once

#include "core/qmt/topicmatcher.h"
#include "gui/models/filtertextdebouncer.h"

#include <QPointer>
#include <QSortFilterProxyModel>

#include <optional>

namespace qmt {

class TopicTreeModel;

/// The topic tree as the view shows it: a node stays when it or any node below it matches the filter
/// text, so matches are always seen with their path.
///
/// Filter text that is a valid MQTT topic filter with `+` or `#` (check::topicFilter()) selects the topics
/// that subscription would receive (TopicMatcher), among topics that received a message; any other text
/// is a case-insensitive substring of the whole topic name. Text changes are debounced. Sorting by Size
/// and Received compares lengths and times, not their text.
class TopicFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TopicFilterModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    /// Debounced: filterTextApplied() follows when the filter changed.
    void setFilterText(const QString &text);
    void applyFilterTextNow() { m_text.applyNow(); }
    [[nodiscard]] QString filterText() const { return m_text.text(); }
    /// Whether the applied filter text is matched by MQTT wildcard rules.
    [[nodiscard]] bool isWildcardFilter() const { return m_matcher.has_value(); }
    void setFilterDelay(int ms) { m_text.setDelay(ms); }
    /// Whether the row matches the filter itself rather than being shown as the path to a match. Views
    /// see matches in bold (Qt::FontRole of the topic column) while a filter is applied.
    [[nodiscard]] bool isMatch(const QModelIndex &proxyIndex) const;

    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void filterTextApplied(const QString &text);

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    [[nodiscard]] bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void applyText(const QString &text);
    [[nodiscard]] bool isFiltering() const { return m_matcher || !m_substring.isEmpty(); }
    [[nodiscard]] bool sourceMatches(const QModelIndex &sourceIndex) const;

    QPointer<TopicTreeModel> m_tree;
    FilterTextDebouncer m_text;
    std::optional<TopicMatcher> m_matcher;
    QString m_substring;
};

} // namespace qmt
