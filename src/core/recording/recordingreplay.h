#pragma once

#include "core/recording/recordingreader.h"

namespace qmt {

/// Plays a recording back: its messages and log rows merged in time order (a log line before a message of
/// the same millisecond, as the line came before the message it carried), a batch at a time, from any
/// moment. A timeline seeks; a replay at some speed asks for what is due up to its clock.
class RecordingReplay
{
public:
    explicit RecordingReplay(RecordingReader &reader);

    /// The next events come from the first one at or after `timeMs`.
    void seek(qint64 timeMs);
    /// The next events in time order: at most `limit`, none later than `untilMs`. Empty when nothing is due.
    [[nodiscard]] QList<RecordedEvent> next(qsizetype limit, qint64 untilMs = TimeSpan().toMs);
    /// Nothing was left after the last next() (as far as the file held then: a recording still being
    /// written may grow).
    [[nodiscard]] bool atEnd() const { return m_atEnd; }

private:
    RecordingReader &m_reader;
    std::optional<RecordingCursor> m_messagesAfter;
    std::optional<RecordingCursor> m_logAfter;
    bool m_atEnd = false;
};

} // namespace qmt
