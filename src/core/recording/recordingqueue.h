#pragma once

#include "core/recording/recordingtypes.h"

#include <QMutex>

#include <vector>

namespace qmt {

/// The hand-over from the thread that records to the writer's thread. Bounded by a byte budget: what does
/// not fit is not queued but counted, with the time span it covered, so a disk that cannot keep up never
/// stalls the producer and never grows memory without end — and the recording says what it lacks.
///
/// A push holds the lock only to append; the writer takes everything at once by swapping the buffers, so
/// neither side waits on the other's work.
class RecordingQueue
{
public:
    /// Messages and log rows not queued since the last take(), and the time they span.
    struct Drops
    {
        qint64 messages = 0;
        qint64 logRows = 0;
        qint64 firstTimeMs = 0;
        qint64 lastTimeMs = 0;
        [[nodiscard]] bool any() const { return messages > 0 || logRows > 0; }
        void count(qint64 timeMs, bool message);
    };
    struct Batch
    {
        std::vector<RecordedMessage> messages;
        std::vector<RecordedLogRow> logRows;
        Drops dropped;
        [[nodiscard]] bool isEmpty() const { return messages.empty() && logRows.empty() && !dropped.any(); }
    };

    explicit RecordingQueue(qsizetype budgetBytes);

    /// False when the budget is spent: the message is dropped and counted.
    bool push(RecordedMessage &&message);
    /// False when the budget is spent: the row is dropped and counted.
    bool push(RecordedLogRow &&row);
    /// Everything queued (in the order pushed) and the drops since the last take; the queue is empty after.
    /// Called by one thread only (the writer's).
    [[nodiscard]] Batch take();

    /// What an item costs against the budget: its bytes and its bookkeeping.
    [[nodiscard]] static qsizetype costOf(const RecordedMessage &message);
    [[nodiscard]] static qsizetype costOf(const RecordedLogRow &row);
    [[nodiscard]] qsizetype budgetBytes() const;
    void setBudgetBytes(qsizetype budget);

private:
    template<typename Item> bool pushItem(Item &&item, std::vector<Item> &into, bool message);

    mutable QMutex m_mutex;
    Batch m_pending;
    qsizetype m_bytes = 0;
    qsizetype m_budget;
    size_t m_lastMessages = 0; // the taker's alone: sizes of the last batch
    size_t m_lastLogRows = 0;
};

} // namespace qmt
