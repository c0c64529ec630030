#include "core/recording/recordingqueue.h"

namespace qmt {

namespace {

/// A heap block's overhead beside its bytes (QByteArray's header and malloc's).
constexpr qsizetype BlockOverhead = 32;

qsizetype bytesOf(const QByteArray &bytes)
{
    return bytes.isEmpty() ? 0 : bytes.size() + BlockOverhead;
}

} // namespace

void RecordingQueue::Drops::count(qint64 timeMs, bool message)
{
    if (!any())
        firstTimeMs = lastTimeMs = timeMs;
    firstTimeMs = qMin(firstTimeMs, timeMs);
    lastTimeMs = qMax(lastTimeMs, timeMs);
    ++(message ? messages : logRows);
}

RecordingQueue::RecordingQueue(qsizetype budgetBytes)
    : m_budget(budgetBytes)
{}

qsizetype RecordingQueue::budgetBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_budget;
}

void RecordingQueue::setBudgetBytes(qsizetype budget)
{
    QMutexLocker lock(&m_mutex);
    m_budget = budget;
}

qsizetype RecordingQueue::costOf(const RecordedMessage &message)
{
    return qsizetype(sizeof(RecordedMessage)) + bytesOf(message.topic) + bytesOf(message.payload);
}

qsizetype RecordingQueue::costOf(const RecordedLogRow &row)
{
    return qsizetype(sizeof(RecordedLogRow)) + bytesOf(row.text);
}

template<typename Item> bool RecordingQueue::pushItem(Item &&item, std::vector<Item> &into, bool message)
{
    const qsizetype cost = costOf(item);
    QMutexLocker lock(&m_mutex);
    if (m_bytes + cost > m_budget) {
        m_pending.dropped.count(item.timeMs, message);
        return false;
    }
    m_bytes += cost;
    into.push_back(std::move(item));
    return true;
}

bool RecordingQueue::push(RecordedMessage &&message)
{
    return pushItem(std::move(message), m_pending.messages, true);
}

bool RecordingQueue::push(RecordedLogRow &&row)
{
    return pushItem(std::move(row), m_pending.logRows, false);
}

RecordingQueue::Batch RecordingQueue::take()
{
    // The next buffers are reserved outside the lock, as large as the last batch: the producer's pushes then
    // rarely grow a vector (moving every item) while holding the lock.
    Batch next;
    next.messages.reserve(m_lastMessages);
    next.logRows.reserve(m_lastLogRows);
    Batch out;
    {
        QMutexLocker lock(&m_mutex);
        out = std::exchange(m_pending, std::move(next));
        m_bytes = 0;
    }
    m_lastMessages = out.messages.size();
    m_lastLogRows = out.logRows.size();
    return out;
}

} // namespace qmt
