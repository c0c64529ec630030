#include "core/at/atframer.h"

#include <QtAlgorithms>
#include <QtEndian>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qmt {

namespace {

inline bool isTerminator(char c)
{
    return c == '\r' || c == '\n';
}

/// Of a 64-bit word read little-endian, the high bit of each byte that is CR or LF (bit tricks; a borrow can
/// mark a byte above a marked one, never below, so the lowest mark is exact).
constexpr quint64 terminatorBytes(quint64 x)
{
    constexpr quint64 Ones = 0x0101010101010101ULL;
    constexpr quint64 Highs = 0x8080808080808080ULL;
    const auto zeros = [](quint64 v) { return (v - Ones) & ~v & Highs; };
    return zeros(x ^ (Ones * '\r')) | zeros(x ^ (Ones * '\n'));
}

/// The first CR or LF from `p` on, or `end`: sixteen bytes at a time with SSE2, else eight (a line of a busy
/// capture is long).
inline const char *findTerminator(const char *p, const char *end)
{
#if defined(__SSE2__)
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i terminators =
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        if (const int marks = _mm_movemask_epi8(terminators))
            return p + qCountTrailingZeroBits(quint32(marks));
    }
#endif
    for (; end - p >= 8; p += 8) {
        if (const quint64 marks = terminatorBytes(qFromLittleEndian<quint64>(p)))
            return p + qCountTrailingZeroBits(marks) / 8;
    }
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
    startLine();
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

void AtFramer::finish(const Sink &sink)
{
    if (m_discarding) {
        m_discarding = false;
        emitOverflow(sink);
    } else {
        QByteArrayView line = m_line;
        while (!line.isEmpty() && isTerminator(line.back()))
            line.chop(1);
        if (!line.isEmpty()) {
            ++m_stats.lines;
            sink(Event{EventType::Line, line, m_lineOffset, 0, true});
        }
    }
    m_line.resize(0);
    startLine();
    m_skipPromptSpace = false;
}

/// The line so far (`candidate`, a view into the chunk or m_line) met `terminator`. Returns whether the
/// terminator was taken as content of the line.
bool AtFramer::atTerminator(QByteArrayView candidate, char terminator, const Sink &sink)
{
    using Action = LineContinuationPolicy::Decision::Action;
    for (;;) {
        const auto decision =
            m_policy ? m_policy->atTerminator(candidate, m_state) : LineContinuationPolicy::Decision{};
        if (decision.action == Action::Continue) {
            if (m_line.isEmpty())
                m_line = candidate.toByteArray();
            m_line.append(terminator);
            if (m_line.size() > m_maxLine) {
                m_dropped = m_line.size();
                m_line.resize(0);
                m_discarding = true;
            }
            return true;
        }
        if (decision.action != Action::EndEarlier || decision.length <= 0 || decision.length >= candidate.size()) {
            emitLine(candidate, sink);
            m_line.resize(0);
            return false;
        }
        // The line really ended at an earlier terminator. What follows that run of terminators is the start
        // of the next line: it moves to the front of the buffer once and is read on from here, never framed
        // again from its beginning.
        emitLine(candidate.first(decision.length), sink);
        qsizetype rest = decision.length;
        while (rest < candidate.size() && isTerminator(candidate[rest]))
            ++rest;
        const bool inBuffer = candidate.data() == m_line.constData();
        if (inBuffer)
            m_line.remove(0, rest);
        else
            m_line = candidate.sliced(rest).toByteArray();
        m_lineOffset += rest;
        startLine();
        if (!m_line.isEmpty() && m_promptExpected && m_line.front() == '>') {
            m_promptExpected = false;
            ++m_stats.prompts;
            sink(Event{EventType::Prompt, QByteArrayView(m_line).first(1), m_lineOffset, 0});
            const qsizetype skip = m_line.size() > 1 && m_line[1] == ' ' ? 2 : 1;
            m_line.remove(0, skip);
            m_lineOffset += skip;
        }
        if (m_line.isEmpty())
            return false;
        candidate = m_line;
    }
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
            startLine();
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
        p = atTerminator(candidate, *t, sink) ? t + 1 : t;
    }
}

} // namespace qmt
