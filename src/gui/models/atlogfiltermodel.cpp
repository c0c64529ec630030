#include "gui/models/atlogfiltermodel.h"

#include "gui/models/atlogmodel.h"

#include "core/qmt/qmtspec.h"

#include <algorithm>

namespace qmt {

namespace {

constexpr quint32 AllKinds = (1u << AtLogEntry::KindCount) - 1;
constexpr quint32 AllSlots = (1u << (SlotCount + 1)) - 1; // 0–4 and "none"

quint32 kindBit(AtLogEntry::Kind kind)
{
    return 1u << int(kind);
}

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

void setBit(quint32 &mask, quint32 bit, bool on)
{
    mask = on ? (mask | bit) : (mask & ~bit);
}

} // namespace

AtLogFilterModel::AtLogFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_kinds(AllKinds)
    , m_slots(AllSlots)
{
    connect(&m_text, &FilterTextDebouncer::textApplied, this, &AtLogFilterModel::applyText);
}

void AtLogFilterModel::setSourceModel(QAbstractItemModel *model)
{
    m_log = qobject_cast<AtLogModel *>(model);
    Q_ASSERT_X(m_log || !model, "AtLogFilterModel", "the source must be an AtLogModel");
    QSortFilterProxyModel::setSourceModel(model);
}

quint32 AtLogFilterModel::slotBit(int slot)
{
    return slot >= 0 && slot < SlotCount ? 1u << slot : 1u << SlotCount;
}

void AtLogFilterModel::setKindVisible(AtLogEntry::Kind kind, bool visible)
{
    const quint32 before = m_kinds;
    setBit(m_kinds, kindBit(kind), visible);
    if (m_kinds != before)
        invalidateFilter();
}

bool AtLogFilterModel::isKindVisible(AtLogEntry::Kind kind) const
{
    return m_kinds & kindBit(kind);
}

void AtLogFilterModel::setVisibleKinds(const QList<AtLogEntry::Kind> &kinds)
{
    quint32 mask = 0;
    for (AtLogEntry::Kind kind : kinds)
        mask |= kindBit(kind);
    if (mask == m_kinds)
        return;
    m_kinds = mask;
    invalidateFilter();
}

void AtLogFilterModel::setSlotVisible(int slot, bool visible)
{
    const quint32 before = m_slots;
    setBit(m_slots, slotBit(slot), visible);
    if (m_slots != before)
        invalidateFilter();
}

bool AtLogFilterModel::isSlotVisible(int slot) const
{
    return m_slots & slotBit(slot);
}

void AtLogFilterModel::setVisibleSlots(const QList<int> &slots)
{
    quint32 mask = 0;
    for (int slot : slots)
        mask |= slotBit(slot);
    if (mask == m_slots)
        return;
    m_slots = mask;
    invalidateFilter();
}

void AtLogFilterModel::setFilterText(const QString &text)
{
    m_text.setText(text);
}

void AtLogFilterModel::applyText(const QString &text)
{
    m_asciiNeedle.clear();
    m_needle.clear();
    bool ascii = true;
    for (QChar c : text)
        ascii = ascii && c.unicode() < 0x80;
    if (ascii) {
        m_asciiNeedle = text.toLatin1();
        std::transform(m_asciiNeedle.begin(), m_asciiNeedle.end(), m_asciiNeedle.begin(), asciiLower);
    } else {
        m_needle = text;
    }
    invalidateFilter();
    Q_EMIT filterTextApplied(text);
}

bool AtLogFilterModel::textMatches(const AtLogEntry &entry) const
{
    if (!m_needle.isEmpty())
        return entry.shownText().contains(m_needle, Qt::CaseInsensitive);
    if (m_asciiNeedle.isEmpty())
        return true;
    // A row that shows bytes as <CR> or <FF> is searched as shown, so what the user sees is what matches.
    if (entry.hasInvisibleBytes())
        return entry.shownText().contains(QLatin1String(m_asciiNeedle), Qt::CaseInsensitive);
    // UTF-8 bytes of other characters are all ≥ 0x80, so an ASCII needle matches only ASCII text and
    // folding ASCII case is the whole of case-insensitivity here — without decoding 100,000 rows.
    const QByteArray hay = entry.shownBytes();
    return std::search(hay.begin(), hay.end(), m_asciiNeedle.begin(), m_asciiNeedle.end(),
                       [](char a, char b) { return asciiLower(a) == b; }) != hay.end();
}

bool AtLogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_log || sourceParent.isValid())
        return true;
    const AtLogEntry &e = m_log->entry(sourceRow);
    return (m_kinds & kindBit(e.kind)) && (m_slots & slotBit(e.slot)) && textMatches(e);
}

QList<AtLogEntry> AtLogFilterModel::visibleEntries() const
{
    QList<AtLogEntry> out;
    if (!m_log)
        return out;
    out.reserve(rowCount());
    for (int row = 0; row < rowCount(); ++row)
        out.append(m_log->entry(mapToSource(index(row, 0)).row()));
    return out;
}

} // namespace qmt
