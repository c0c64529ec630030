#include "core/qmt/recvlinecontinuation.h"

#include "core/qmt/atfields.h"
#include "core/qmt/qmtspec.h"
#include "core/qmt/redaction.h"

#include "core/at/atcommand.h"
#include "core/at/atlineclassifier.h"

#include <algorithm>
#include <cstring>

namespace qmt {

namespace {

constexpr QByteArrayView RecvPrefix = "+QMTRECV:";
// Longest payload the module prints: 1460 text bytes, or 730 bytes as 1460 hex digits, plus quotes.
constexpr qsizetype MaxPrintedPayload = 2 * MaxPayloadText + 2;

bool isTerminator(char c)
{
    return c == '\r' || c == '\n';
}

/// The value of a run of decimal digits, at most nine (no overflow): what toLongLong() gives, without the
/// locale machinery it goes through once per URC.
qint64 digitsValue(QByteArrayView digits)
{
    qint64 value = 0;
    for (const char c : digits)
        value = value * 10 + (c - '0');
    return value;
}

/// Reads `+QMTRECV: <id>,<msgID>,"<topic>",[<len>,]"` into `state`; false when the line is no such URC (or an
/// unquoted payload of old firmware, which cannot be followed across lines).
bool examineHeader(QByteArrayView line, LineContinuationPolicy::LineState &state)
{
    if (!line.startsWith(RecvPrefix))
        return false;
    qsizetype i = RecvPrefix.size();
    while (i < line.size() && line[i] == ' ')
        ++i;
    i = readNumberField(line, i); // <TCP_connectID>
    if (i < 0)
        return false;
    i = readNumberField(line, i); // <msgID>
    if (i < 0 || i >= line.size() || line[i] != '"')
        return false;
    const qsizetype topicEnd = indexOfQuoteComma(line, i + 1);
    if (topicEnd < 0)
        return false;
    i = topicEnd + 2;
    if (const qsizetype after = readNumberField(line, i); after >= 0) {
        // More digits than any length needs are no length: the line is damaged.
        if (after - i - 1 > 9)
            return false;
        state.declared = digitsValue(line.sliced(i, after - i - 1));
        i = after;
    }
    if (i >= line.size() || line[i] != '"')
        return false;
    state.contentStart = i + 1;
    return true;
}

} // namespace

bool RecvLineContinuation::startsNewLine(QByteArrayView segment)
{
    if (segment.isEmpty())
        return false;
    return parseFinalResult(segment).has_value() || !AtLineClassifier::prefixOf(segment).isEmpty() ||
           AtLineClassifier::isBareNotice(segment) || AtLineClassifier::isPromptLine(segment) ||
           AtLineClassifier::isPowerNotice(segment) || AtLineClassifier::looksLikeCommand(segment);
}

LineContinuationPolicy::Decision RecvLineContinuation::atTerminator(QByteArrayView line, LineState &state) const
{
    using Action = Decision::Action;
    if (!state.examined) {
        state.examined = true;
        state.continues = examineHeader(line, state);
    }
    if (!state.continues)
        return {};
    const qsizetype payloadStart = state.contentStart;
    const qsizetype printed = line.size() - payloadStart;
    if (printed < 0)
        return {};

    // The payload's last segment: what followed its last line break (none yet: the whole payload). Found
    // with memrchr: most payloads hold no break, and this is asked once per URC of a busy line.
    const char *const payload = line.data() + payloadStart;
    const auto *cr = static_cast<const char *>(memrchr(payload, '\r', size_t(printed)));
    const auto *lf = static_cast<const char *>(memrchr(payload, '\n', size_t(printed)));
    const char *lastBreak = std::max(cr ? cr : payload - 1, lf ? lf : payload - 1);
    const qsizetype segmentStart = payloadStart + (lastBreak - payload) + 1;
    if (segmentStart > payloadStart) {
        // A line of its own after a break: the URC ended before that break, however long it said it was.
        // So does the armour of a private key: a damaged URC must not carry the host's key typing (the armour,
        // and with a long enough length its body) into a payload, which is shown as it is; on a line of its
        // own the armour opens the key guard, which withholds the body.
        const QByteArrayView segment = line.sliced(segmentStart);
        if (startsNewLine(segment) || holdsPrivateKey(segment)) {
            qsizetype runStart = segmentStart - 1;
            while (runStart > payloadStart && isTerminator(line[runStart - 1]))
                --runStart;
            return {Action::EndEarlier, runStart};
        }
    }

    // A payload whose first line holds a key's armour ends with that line: what follows it may be the key.
    // (Asked only when the payload would go on: the common URC ends at its first terminator.)
    const auto continueUnlessKey = [&] {
        if (segmentStart == payloadStart && holdsPrivateKey(line.sliced(payloadStart)))
            return Decision{};
        return Decision{Action::Continue, 0};
    };
    if (state.declared >= 0)
        return printed < state.declared ? continueUnlessKey() : Decision{};

    if (printed >= 1 && line.back() == '"')
        return {};
    if (printed > MaxPrintedPayload) {
        if (segmentStart == payloadStart)
            return {};
        // More than the module ever prints and still no closing quote: the payload ended at a break, and
        // only the last is known to start something else.
        qsizetype runStart = segmentStart - 1;
        while (runStart > payloadStart && isTerminator(line[runStart - 1]))
            --runStart;
        return {Action::EndEarlier, runStart};
    }
    return continueUnlessKey();
}

} // namespace qmt
