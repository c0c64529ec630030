#pragma once

#include <QtGlobal>

#include <atomic>

namespace qmt {

/// What a recorder has done so far, for a status line ("recording: 1.2 M messages, 0 dropped").
struct RecorderStats
{
    qint64 messagesWritten = 0;
    qint64 logRowsWritten = 0;
    qint64 messagesNotQueued = 0; ///< dropped because the queue was full (the disk did not keep up)
    qint64 logRowsNotQueued = 0;
    qint64 messagesEvicted = 0; ///< the oldest, dropped to keep within the limits
    qint64 logRowsEvicted = 0;
    qint64 usedBytes = 0;      ///< the data in the file (its pages in use)
    qint64 longestWriteMs = 0; ///< the longest write of one batch (transaction) so far
    qint64 writeFailures = 0;  ///< batches the file refused (their data counted as dropped)
};

/// The counters behind RecorderStats, updated by the writer's thread and the producer, read by anyone.
struct RecorderCounters
{
    std::atomic<qint64> messagesWritten{0};
    std::atomic<qint64> logRowsWritten{0};
    std::atomic<qint64> messagesNotQueued{0};
    std::atomic<qint64> logRowsNotQueued{0};
    std::atomic<qint64> messagesEvicted{0};
    std::atomic<qint64> logRowsEvicted{0};
    std::atomic<qint64> usedBytes{0};
    std::atomic<qint64> longestWriteMs{0};
    std::atomic<qint64> writeFailures{0};

    [[nodiscard]] RecorderStats snapshot() const
    {
        return {messagesWritten.load(),  logRowsWritten.load(),  messagesNotQueued.load(),
                logRowsNotQueued.load(), messagesEvicted.load(), logRowsEvicted.load(),
                usedBytes.load(),        longestWriteMs.load(),  writeFailures.load()};
    }
};

} // namespace qmt
