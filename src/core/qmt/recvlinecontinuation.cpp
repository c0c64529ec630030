#include "recvlinecontinuation.h"

#include "qmtspec.h"

#include "at/atcommand.h"
#include "at/atlineclassifier.h"

namespace qmt {

namespace {

constexpr QByteArrayView RecvPrefix = "+QMTRECV:";
// Longest payload the module prints: 1460 text bytes, or 730 bytes as 1460 hex digits, plus quotes.
constexpr qsizetype MaxPrintedPayload = 2 * MaxPayloadText + 2;

bool isTerminator(char c)
{
    return c == '\r' || c == '\n';
}

qsizetype skipNumberAndComma(QByteArrayView s, qsizetype i)
{
    const qsizetype start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    if (i == start || i >= s.size() || s[i] != ',')
        return -1;
    return i + 1;
}

/// A line that a module would start on its own: the payload must have ended before it.
bool startsNewLine(QByteArrayView segment)
{
    if (segment.isEmpty())
        return false;
    return parseFinalResult(segment).has_value() || !AtLineClassifier::prefixOf(segment).isEmpty() ||
           segment == "RDY" || AtLineClassifier::looksLikeCommand(segment);
}

/// The first line break in the payload that follows a closing quote and precedes a line the module would
/// start on its own: where a payload of the wrong declared length really ended. -1 when there is none.
qsizetype quotedEndBeforeNewLine(QByteArrayView line, qsizetype payloadStart)
{
    for (qsizetype k = payloadStart + 1; k < line.size(); ++k) {
        if (!isTerminator(line[k]) || isTerminator(line[k - 1]) || line[k - 1] != '"')
            continue;
        qsizetype next = k;
        while (next < line.size() && isTerminator(line[next]))
            ++next;
        qsizetype nextEnd = next;
        while (nextEnd < line.size() && !isTerminator(line[nextEnd]))
            ++nextEnd;
        if (startsNewLine(line.sliced(next, nextEnd - next)))
            return k;
    }
    return -1;
}

} // namespace

LineContinuationPolicy::Decision RecvLineContinuation::atTerminator(QByteArrayView line) const
{
    using Action = Decision::Action;
    if (!line.startsWith(RecvPrefix))
        return {};

    qsizetype i = RecvPrefix.size();
    while (i < line.size() && line[i] == ' ')
        ++i;
    i = skipNumberAndComma(line, i); // <TCP_connectID>
    if (i < 0)
        return {};
    i = skipNumberAndComma(line, i); // <msgID>
    if (i < 0 || i >= line.size() || line[i] != '"')
        return {};
    const qsizetype topicEnd = line.indexOf("\",", i + 1);
    if (topicEnd < 0)
        return {};
    i = topicEnd + 2;

    qsizetype declared = -1;
    if (const qsizetype after = skipNumberAndComma(line, i); after >= 0) {
        declared = line.sliced(i, after - i - 1).toLongLong();
        i = after;
    }
    if (i >= line.size() || line[i] != '"')
        return {}; // an unquoted payload (old firmware) cannot be followed across lines
    const qsizetype payloadStart = i + 1;
    const qsizetype printed = line.size() - payloadStart;

    if (declared >= 0) {
        if (printed < declared)
            return {Action::Continue, 0};
        // The declared length reached: its closing quote must be there. When it is not, bytes were lost on
        // the line (or the length is of the decoded hex bytes): rather than swallow the URCs that followed,
        // end at a closing quote followed by a line the module starts on its own, if there is one.
        if (printed == declared || line[payloadStart + declared] != '"') {
            if (const qsizetype end = quotedEndBeforeNewLine(line, payloadStart); end >= 0)
                return {Action::EndEarlier, end};
        }
        return {};
    }

    if (printed >= 1 && line.back() == '"')
        return {};

    // No length and no closing quote yet: the payload carried a line break. Look at what followed the last
    // break; if it is plainly a new line, the URC ended before that break.
    qsizetype lastBreak = -1;
    for (qsizetype k = line.size() - 1; k >= payloadStart; --k) {
        if (isTerminator(line[k])) {
            lastBreak = k;
            break;
        }
    }
    if (lastBreak >= 0) {
        qsizetype runStart = lastBreak;
        while (runStart > payloadStart && isTerminator(line[runStart - 1]))
            --runStart;
        if (startsNewLine(line.sliced(lastBreak + 1)))
            return {Action::EndEarlier, runStart};
    }
    if (printed > MaxPrintedPayload) {
        qsizetype firstBreak = payloadStart;
        while (firstBreak < line.size() && !isTerminator(line[firstBreak]))
            ++firstBreak;
        return firstBreak < line.size() ? Decision{Action::EndEarlier, firstBreak} : Decision{};
    }
    return {Action::Continue, 0};
}

} // namespace qmt
