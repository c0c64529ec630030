#include "atframer.h"

#include "linecontinuationpolicy.h"

namespace qmt {

namespace {

inline bool isTerminator(char c)
{
    return c == '\r' || c == '\n';
}

inline const char *findTerminator(const char *p, const char *end)
{
    while (p < end && !isTerminator(*p))
        ++p;
    return p;
}

} // namespace

AtFramer::AtFramer(qsizetype maxLineLength)
    : m_maxLine(maxLineLength)
{}

void AtFramer::reset()
{
    m_line.clear();
    m_dropped = 0;
    m_discarding = false;
    m_promptExpected = false;
    m_skipPromptSpace = false;
}

void AtFramer::emitLine(QByteArrayView line, const Sink &sink)
{
    ++m_stats.lines;
    sink(Event{EventType::Line, line, m_lineOffset, 0});
}

void AtFramer::emitOverflow(const Sink &sink)
{
    ++m_stats.overflows;
    m_stats.discardedBytes += quint64(m_dropped);
    sink(Event{EventType::Overflow, {}, m_lineOffset, m_dropped});
    m_dropped = 0;
}

void AtFramer::feed(QByteArrayView chunk, const Sink &sink)
{
    // m_line is emptied with resize(0), not clear(): lines spanning reads are the rule at UART read sizes,
    // and keeping the buffer's capacity saves an allocation per line.
    m_stats.bytes += quint64(chunk.size());
    const char *const begin = chunk.data();
    const char *const end = begin + chunk.size();
    const qint64 chunkOffset = m_streamOffset;
    m_streamOffset += chunk.size();
    auto offsetOf = [&](const char *q) { return chunkOffset + (q - begin); };

    const char *p = begin;
    while (p < end) {
        if (m_line.isEmpty() && !m_discarding) {
            if (m_skipPromptSpace) {
                m_skipPromptSpace = false;
                if (*p == ' ')
                    ++p;
            }
            while (p < end && isTerminator(*p))
                ++p;
            if (p == end)
                break;
            m_lineOffset = offsetOf(p);
            if (m_promptExpected && *p == '>') {
                m_promptExpected = false;
                ++m_stats.prompts;
                sink(Event{EventType::Prompt, QByteArrayView(p, 1), m_lineOffset, 0});
                ++p;
                if (p < end && *p == ' ')
                    ++p;
                else if (p == end)
                    m_skipPromptSpace = true;
                continue;
            }
        }

        const char *t = findTerminator(p, end);

        if (m_discarding) {
            m_dropped += t - p;
            p = t;
            if (t == end)
                break;
            m_discarding = false;
            emitOverflow(sink);
            continue;
        }

        if (t == end) {
            m_line.append(p, end - p);
            if (m_line.size() > m_maxLine) {
                m_dropped = m_line.size();
                m_line.resize(0);
                m_discarding = true;
            }
            break;
        }

        // A terminator at t: the line (so far) is either a view into the chunk or m_line.
        QByteArrayView candidate;
        if (m_line.isEmpty()) {
            candidate = QByteArrayView(p, t - p);
        } else {
            m_line.append(p, t - p);
            candidate = m_line;
        }
        if (candidate.size() > m_maxLine) {
            m_dropped = candidate.size();
            m_line.resize(0);
            emitOverflow(sink);
            p = t;
            continue;
        }

        using Action = LineContinuationPolicy::Decision::Action;
        const auto decision = m_policy ? m_policy->atTerminator(candidate) : LineContinuationPolicy::Decision{};
        if (decision.action == Action::Continue) {
            if (m_line.isEmpty())
                m_line = candidate.toByteArray();
            m_line.append(*t);
            p = t + 1;
            if (m_line.size() > m_maxLine) {
                m_dropped = m_line.size();
                m_line.resize(0);
                m_discarding = true;
            }
            continue;
        }
        if (decision.action == Action::EndEarlier && decision.length > 0 && decision.length < candidate.size()) {
            // The policy gave up on a continuation: emit what was really the line and frame the rest
            // again, ahead of the bytes still to come in this chunk.
            const QByteArray rest = candidate.sliced(decision.length).toByteArray();
            const qint64 restOffset = m_lineOffset + decision.length;
            emitLine(candidate.first(decision.length), sink);
            m_line.resize(0);
            const qint64 savedStreamOffset = m_streamOffset;
            const quint64 savedBytes = m_stats.bytes;
            m_streamOffset = restOffset;
            feed(rest, sink);
            m_streamOffset = savedStreamOffset;
            m_stats.bytes = savedBytes;
            // `rest` had no terminator at its end, so it now sits in m_line; continue with the terminator.
            if (m_line.isEmpty()) {
                p = t;
                continue;
            }
            const QByteArrayView again = m_line;
            const auto second = m_policy->atTerminator(again);
            if (second.action == Action::Continue) {
                m_line.append(*t);
                p = t + 1;
                continue;
            }
            emitLine(again, sink);
            m_line.resize(0);
            p = t;
            continue;
        }
        emitLine(candidate, sink);
        m_line.resize(0);
        p = t;
    }
}

} // namespace qmt
