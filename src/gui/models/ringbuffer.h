#pragma once

#include <QtGlobal>

#include <algorithm>
#include <utility>
#include <vector>

namespace qmt {

/// A fixed-capacity FIFO with O(1) indexed access, the storage of the bounded log.
///
/// Unlike QContiguousCache, it never overwrites the oldest item by itself: a model must announce a removal
/// (beginRemoveRows) before it happens, so the caller drops the oldest items explicitly with popFront()
/// and only then appends. Slots are allocated as the buffer first fills (a log of 100 rows does not hold
/// memory for 100,000) and reused from then on, so a full log costs no allocation per row beyond the
/// row's own data.
template<typename T> class RingBuffer
{
public:
    explicit RingBuffer(qsizetype capacity = 1) { setCapacity(capacity); }

    [[nodiscard]] qsizetype size() const { return m_size; }
    [[nodiscard]] qsizetype capacity() const { return m_capacity; }
    [[nodiscard]] bool isEmpty() const { return m_size == 0; }
    [[nodiscard]] bool isFull() const { return m_size == capacity(); }

    /// Item `i`, 0 being the oldest.
    [[nodiscard]] const T &at(qsizetype i) const
    {
        Q_ASSERT(i >= 0 && i < m_size);
        return m_items[physical(i)];
    }

    /// Appends; the caller makes room first (see the class comment).
    void pushBack(T item)
    {
        Q_ASSERT(!isFull());
        if (m_size == slots()) {
            // Every slot holds an item: grow. Put the oldest first so the new slot follows the newest.
            std::rotate(m_items.begin(), m_items.begin() + qsizetype(m_head), m_items.end());
            m_head = 0;
            m_items.push_back(std::move(item));
        } else {
            m_items[physical(m_size)] = std::move(item);
        }
        ++m_size;
    }

    /// Removes the `count` oldest items, releasing what they hold.
    void popFront(qsizetype count)
    {
        Q_ASSERT(count >= 0 && count <= m_size);
        for (qsizetype i = 0; i < count; ++i) {
            m_items[m_head] = T();
            m_head = (m_head + 1) % slots();
        }
        m_size -= count;
        if (m_size == 0)
            m_head = 0;
    }

    void clear() { popFront(m_size); }

    /// Changes the capacity (at least 1), keeping the newest items that fit.
    void setCapacity(qsizetype newCapacity)
    {
        newCapacity = qMax<qsizetype>(1, newCapacity);
        std::vector<T> items;
        const qsizetype keep = qMin(m_size, newCapacity);
        items.reserve(size_t(keep));
        for (qsizetype i = 0; i < keep; ++i)
            items.push_back(std::move(m_items[physical(m_size - keep + i)]));
        m_items.swap(items);
        m_capacity = newCapacity;
        m_head = 0;
        m_size = keep;
    }

private:
    [[nodiscard]] qsizetype slots() const { return qsizetype(m_items.size()); }
    [[nodiscard]] size_t physical(qsizetype i) const { return size_t((m_head + i) % slots()); }

    std::vector<T> m_items; // the slots allocated so far, at most m_capacity
    qsizetype m_capacity = 1;
    qsizetype m_head = 0;
    qsizetype m_size = 0;
};

} // namespace qmt
