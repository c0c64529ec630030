#include "core/recording/recordingreplay.h"

namespace qmt {

RecordingReplay::RecordingReplay(RecordingReader &reader)
    : m_reader(reader)
{}

void RecordingReplay::seek(qint64 timeMs)
{
    // After (timeMs − 1, the largest id): exactly the rows at timeMs and later.
    const RecordingCursor before{timeMs - 1, std::numeric_limits<qint64>::max()};
    m_messagesAfter = before;
    m_logAfter = before;
    m_atEnd = false;
}

QList<RecordedEvent> RecordingReplay::next(qsizetype limit, qint64 untilMs)
{
    const TimeSpan due{TimeSpan().fromMs, untilMs};
    const MessagePage messages = m_reader.messages(MessageFilter{std::nullopt, std::nullopt, due}, limit,
                                                   RecordingOrder::OldestFirst, m_messagesAfter);
    const LogPage log =
        m_reader.logRows(LogFilter{std::nullopt, std::nullopt, due}, limit, RecordingOrder::OldestFirst, m_logAfter);
    // Each page holds its table's next `limit` rows, so the first `limit` of the merge are the next events:
    // a row of either table not fetched comes after every row fetched from it.
    QList<RecordedEvent> out;
    out.reserve(qMin(limit, messages.rows.size() + log.rows.size()));
    qsizetype m = 0;
    qsizetype l = 0;
    while (out.size() < limit && (m < messages.rows.size() || l < log.rows.size())) {
        const bool takeLog =
            m == messages.rows.size() || (l < log.rows.size() && log.rows[l].timeMs <= messages.rows[m].timeMs);
        if (takeLog) {
            m_logAfter = RecordingCursor{log.rows[l].timeMs, log.rows[l].id};
            out.append(log.rows[l++]);
        } else {
            m_messagesAfter = RecordingCursor{messages.rows[m].timeMs, messages.rows[m].id};
            out.append(messages.rows[m++]);
        }
    }
    const bool tookAll = m == messages.rows.size() && l == log.rows.size() && !messages.next && !log.next;
    // Nothing is due up to untilMs; whether anything comes after it, the recording's end tells.
    m_atEnd = tookAll && (untilMs == TimeSpan().toMs || m_reader.timeSpan().value_or(TimeSpan{0, 0}).toMs <= untilMs);
    return out;
}

} // namespace qmt
