#pragma once

#include "core/at/linecontinuationpolicy.h"

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace qmt {

/// Cuts the byte stream from a module into lines and data-mode prompts, whatever the chunk boundaries.
///
/// A line ends at CR, LF or any run of them (so `\r\n`, the echo's bare `\r`, and the reversed `\n\r`
/// of some boot loaders all work); empty lines are skipped. A `>` at the start of a line is reported as a
/// prompt when the channel expects one, even though the module sends no terminator after it. A line longer
/// than the cap is reported once as an overflow and its bytes are dropped up to the next terminator, so a
/// runaway stream never grows memory. The framer keeps only the current unfinished line, and reads every
/// byte a bounded number of times whatever the continuation policy decides: time is linear in the input.
class AtFramer
{
public:
    /// Room for a +QMTRECV of a message far beyond the module's own 1460-byte limit (brokers send what they
    /// are given), so that it reaches the tree marked as truncated rather than vanishing.
    static constexpr qsizetype DefaultMaxLineLength = 256 * 1024;

    enum class EventType {
        Line,
        Prompt,
        Overflow
    };

    struct Event
    {
        EventType type = EventType::Line;
        QByteArrayView bytes;    ///< the line without its terminator; valid only during the callback
        qint64 offset = 0;       ///< stream offset of the line's first byte
        qsizetype discarded = 0; ///< for Overflow: bytes dropped
        bool incomplete = false; ///< for Line: no terminator came (the stream ended first; see finish())
    };

    struct Stats
    {
        quint64 lines = 0;
        quint64 prompts = 0;
        quint64 overflows = 0;
        quint64 discardedBytes = 0;
        quint64 bytes = 0;
    };

    using Sink = std::function<void(const Event &)>;

    explicit AtFramer(qsizetype maxLineLength = DefaultMaxLineLength);

    void setContinuationPolicy(const LineContinuationPolicy *policy) { m_policy = policy; }

    /// The next `>` at the start of a line is a prompt. Cleared once the prompt is seen.
    void setPromptExpected(bool expected) { m_promptExpected = expected; }
    [[nodiscard]] bool promptExpected() const { return m_promptExpected; }

    void feed(QByteArrayView chunk, const Sink &sink);
    /// End of the stream: the unfinished line, if any, is reported as an incomplete Line (a line being
    /// dropped for its length as an Overflow), whatever the continuation policy was waiting for; nothing
    /// fed is lost. Trailing terminators a policy kept as content are not part of it.
    void finish(const Sink &sink);

    /// Forgets the unfinished line (after a port reopen or a module reboot).
    void reset();

    [[nodiscard]] qsizetype pendingBytes() const { return m_line.size(); }
    [[nodiscard]] qsizetype maxLineLength() const { return m_maxLine; }
    [[nodiscard]] const Stats &stats() const { return m_stats; }

private:
    void emitLine(QByteArrayView line, const Sink &sink);
    void emitOverflow(const Sink &sink);
    bool atTerminator(QByteArrayView candidate, char terminator, const Sink &sink);
    void startLine() { m_state = {}; }

    const LineContinuationPolicy *m_policy = nullptr;
    LineContinuationPolicy::LineState m_state; // the policy's notes on the current line
    QByteArray m_line;                         // bytes of the unfinished line
    qsizetype m_maxLine;
    qint64 m_streamOffset = 0; // offset of the next byte fed
    qint64 m_lineOffset = 0;   // offset of m_line's first byte
    qsizetype m_dropped = 0;   // bytes dropped from the current over-long line
    bool m_discarding = false;
    bool m_promptExpected = false;
    bool m_skipPromptSpace = false;
    Stats m_stats;
};

} // namespace qmt
