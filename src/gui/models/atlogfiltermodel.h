#pragma once

#include "gui/models/atlogentry.h"
#include "gui/models/filtertextdebouncer.h"

#include <QPointer>
#include <QSortFilterProxyModel>

namespace qmt {

class AtLogModel;

/// The log as the view shows it: rows of the chosen kinds and slots whose text contains the filter text
/// (case-insensitive). Text changes are debounced (FilterTextDebouncer); kind and slot switches apply at
/// once. The source must be an AtLogModel; filtering reads its rows directly, not through QVariant.
class AtLogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit AtLogFilterModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    void setKindVisible(AtLogEntry::Kind kind, bool visible);
    [[nodiscard]] bool isKindVisible(AtLogEntry::Kind kind) const;
    /// Shows exactly these kinds.
    void setVisibleKinds(const QList<AtLogEntry::Kind> &kinds);
    /// `slot` 0–4, or AtLogEntry::NoSlot for lines that name no slot.
    void setSlotVisible(int slot, bool visible);
    [[nodiscard]] bool isSlotVisible(int slot) const;
    /// Shows exactly these slots (AtLogEntry::NoSlot included or not).
    void setVisibleSlots(const QList<int> &slots);

    /// Debounced: filterTextApplied() follows when the filter changed.
    void setFilterText(const QString &text);
    void applyFilterTextNow() { m_text.applyNow(); }
    [[nodiscard]] QString filterText() const { return m_text.text(); }
    void setFilterDelay(int ms) { m_text.setDelay(ms); }

    /// The rows the view shows, in its order, for export.
    [[nodiscard]] QList<AtLogEntry> visibleEntries() const;

Q_SIGNALS:
    void filterTextApplied(const QString &text);

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void applyText(const QString &text);
    [[nodiscard]] bool textMatches(const AtLogEntry &entry) const;
    static quint32 slotBit(int slot);

    QPointer<AtLogModel> m_log;
    FilterTextDebouncer m_text;
    QByteArray m_asciiNeedle; ///< lower-cased UTF-8 of an all-ASCII filter: searched in the bytes directly
    QString m_needle;         ///< a filter with other characters: searched in the decoded text
    quint32 m_kinds = 0;
    quint32 m_slots = 0;
};

} // namespace qmt
