// Fuzz target: the AT framer (with the +QMTRECV continuation policy) and every parser a framed line meets.
//
// The input is module output. Its last byte picks the framer's line cap (small caps reach the overflow
// paths), whether the +QMTRECV policy is on and whether a prompt is expected. Properties:
//   - chunk-split invariance: the stream framed in one piece, in pieces of a size the input picks, and
//     (when short) byte by byte gives the same lines, prompts and overflows at the same offsets;
//   - the framer invents nothing: every line is the stream's bytes at its offset, within the cap, and
//     the statistics count what was reported;
//   - redaction: an AT+QMTCONN password or an "aliauth" device secret is a placeholder after
//     redactCommand(), and redacting twice changes nothing more.
// Every line also goes through the classifier, the +QMT parsers, the field splitters and the redaction
// functions, for the sanitizers to watch.

#include "fuzzsupport.h"

#include "core/at/atframer.h"
#include "core/at/atlineclassifier.h"
#include "core/qmt/atfields.h"
#include "core/qmt/qmtparser.h"
#include "core/qmt/recvlinecontinuation.h"
#include "core/qmt/redaction.h"

#include <QRegularExpression>

#include <vector>

using namespace qmt;
using namespace qmt::fuzz;

namespace {

struct Framed
{
    AtFramer::EventType type;
    QByteArray bytes;
    qint64 offset;
    qsizetype discarded;
    friend bool operator==(const Framed &, const Framed &) = default;
};

struct Setup
{
    qsizetype maxLine;
    bool policy;
    bool prompt;
};

/// Frames `stream` fed in pieces of `piece` bytes (0: in one piece). A line starting with "AT" arms the
/// prompt again, as a command that may be answered by one does.
std::vector<Framed> frame(QByteArrayView stream, const Setup &setup, qsizetype piece, AtFramer::Stats *stats = nullptr)
{
    static const RecvLineContinuation policy;
    AtFramer framer(setup.maxLine);
    if (setup.policy)
        framer.setContinuationPolicy(&policy);
    framer.setPromptExpected(setup.prompt);
    std::vector<Framed> out;
    const AtFramer::Sink sink = [&out, &framer](const AtFramer::Event &e) {
        out.push_back(Framed{e.type, e.bytes.toByteArray(), e.offset, e.discarded});
        if (e.type == AtFramer::EventType::Line && AtLineClassifier::looksLikeCommand(e.bytes))
            framer.setPromptExpected(true);
    };
    if (piece <= 0) {
        framer.feed(stream, sink);
    } else {
        for (qsizetype i = 0; i < stream.size(); i += piece)
            framer.feed(stream.sliced(i, std::min(piece, stream.size() - i)), sink);
    }
    if (stats)
        *stats = framer.stats();
    return out;
}

QByteArray describeFramed(const Framed &e)
{
    return QByteArray::number(int(e.type)) + " @" + QByteArray::number(e.offset) + " \"" + printable(e.bytes) +
           "\" dropped " + QByteArray::number(e.discarded);
}

void compare(const std::vector<Framed> &whole, const std::vector<Framed> &split, qsizetype piece)
{
    requireSameEvents("chunk-split invariance of the framer", "pieces of " + QByteArray::number(piece), whole, split,
                      describeFramed);
}

void checkFramed(QByteArrayView stream, const Setup &setup, const std::vector<Framed> &events,
                 const AtFramer::Stats &stats)
{
    quint64 lines = 0, prompts = 0, overflows = 0, dropped = 0;
    qint64 last = -1;
    for (const Framed &e : events) {
        if (e.offset < last || e.offset < 0 || e.offset > stream.size())
            propertyFailed("framer offsets",
                           "offset " + QByteArray::number(e.offset) + " after " + QByteArray::number(last));
        last = e.offset;
        switch (e.type) {
        case AtFramer::EventType::Line:
            ++lines;
            if (e.bytes.isEmpty() || e.bytes.size() > setup.maxLine ||
                stream.sliced(e.offset).first(std::min(e.bytes.size(), stream.size() - e.offset)) != e.bytes)
                propertyFailed("a framed line is the stream's bytes at its offset",
                               "@" + QByteArray::number(e.offset) + " \"" + printable(e.bytes) + '"');
            if (!setup.policy && (e.bytes.contains('\r') || e.bytes.contains('\n')))
                propertyFailed("a line holds no terminator without a policy", printable(e.bytes));
            break;
        case AtFramer::EventType::Prompt:
            ++prompts;
            if (stream[e.offset] != '>')
                propertyFailed("a prompt is a '>'", "@" + QByteArray::number(e.offset));
            break;
        case AtFramer::EventType::Overflow:
            ++overflows;
            dropped += quint64(e.discarded);
            if (e.discarded <= setup.maxLine)
                propertyFailed("an overflow drops more than the cap", QByteArray::number(e.discarded));
            break;
        }
    }
    if (stats.lines != lines || stats.prompts != prompts || stats.overflows != overflows ||
        stats.discardedBytes != dropped || stats.bytes != quint64(stream.size()))
        propertyFailed("framer statistics count what was reported",
                       "lines " + QByteArray::number(stats.lines) + "/" + QByteArray::number(lines) + ", bytes " +
                           QByteArray::number(stats.bytes) + "/" + QByteArray::number(stream.size()));
}

/// The text starts with "<redacted, N byte(s)>" (an unquoted placeholder is cut at its comma by a split).
bool startsWithPlaceholder(QByteArrayView text)
{
    static const QRegularExpression shape(QStringLiteral("^<redacted, \\d+ bytes?>"));
    return shape.match(QString::fromLatin1(text)).hasMatch();
}

void checkRedaction(QByteArrayView line)
{
    const QByteArray once = redactCommand(line);
    if (redactCommand(once) != once)
        propertyFailed("redaction is idempotent", printable(line) + "\n  once: " + printable(once));
    // One command, not a chain: the argument positions are plain.
    if (line.contains(';') || !AtLineClassifier::looksLikeCommand(line))
        return;
    const QByteArrayView name = AtLineClassifier::commandNameOf(line);
    const QList<AtField> before = argumentsOf(line);
    qsizetype secretIndex = -1;
    if (name.compare("+QMTCONN", Qt::CaseInsensitive) == 0)
        secretIndex = 3;
    else if (name.compare("+QMTCFG", Qt::CaseInsensitive) == 0 && !before.isEmpty() &&
             before[0].text.compare("aliauth", Qt::CaseInsensitive) == 0)
        secretIndex = 4;
    if (secretIndex < 0 || before.size() <= secretIndex || before[secretIndex].text.isEmpty())
        return;
    const QList<AtField> after = argumentsOf(once);
    const bool redacted =
        after.size() > secretIndex && !after[secretIndex].text.isEmpty() &&
        startsWithPlaceholder(QByteArrayView(once).sliced(after[secretIndex].text.data() - once.constData()));
    if (!redacted)
        propertyFailed("a password or device secret is redacted", printable(line) + "\n  shown: " + printable(once));
}

/// Every parser a line can meet, in the contexts the channel and the decoder give them.
void parseEverywhere(QByteArrayView line, QByteArrayView lastCommand, PrivateKeyBlockGuard &guard)
{
    static const AtLineClassifier classifier = [] {
        AtLineClassifier c;
        c.addUrcWord("RDY");
        c.addUrcWord("APP RDY");
        return c;
    }();
    (void)parseFinalResult(line);
    (void)classifier.classify(line, nullptr);
    for (bool responseSeen : {false, true}) {
        const AtLineClassifier::InFlight inFlight{lastCommand, responseSeen, line.first(line.size() / 2)};
        (void)classifier.classify(line, &inFlight);
    }
    using Format = std::optional<DataFormat>; // nullopt: unknown
    for (const Format format : {Format(), Format(DataFormat::Text), Format(DataFormat::Hex)}) {
        (void)parseRecv(line, format);
        (void)parseQmtLine(line, ParseContext{false, {}, format});
        (void)parseQmtLine(line, ParseContext{true, lastCommand, format});
    }
    (void)splitAtFields(paramsOf(line));
    (void)argumentsOf(line);
    (void)connectIdOf(line);
    (void)cfgOptionOfCommand(line);
    (void)decodeHex(line);
    const QList<QByteArrayView> chain = splitCommandChain(line);
    QByteArray joined;
    for (qsizetype i = 0; i < chain.size(); ++i)
        joined += (i ? ";" : "") + chain[i].toByteArray();
    if (!chain.isEmpty() && joined != line)
        propertyFailed("a command chain joins back to its line", printable(line) + "\n  joined: " + printable(joined));
    (void)AtLineClassifier::prefixOf(line);
    (void)AtLineClassifier::commandNameOf(line);
    (void)AtLineClassifier::commandLineAnswersWith(lastCommand, AtLineClassifier::prefixOf(line));
    (void)AtLineClassifier::isEchoOf(line, lastCommand);
    (void)AtLineClassifier::isPromptLine(line);
    (void)AtLineClassifier::isBareNotice(line);
    (void)AtLineClassifier::commandStart(line);
    (void)redactEmbedded(line);
    (void)redactResponse(lastCommand, line);
    (void)promptDataIsSecret(line);
    (void)holdsPrivateKey(line);
    (void)guard.withholds(line);
    checkRedaction(line);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView stream(reinterpret_cast<const char *>(data), qsizetype(size));
    const uint8_t steer = size ? data[size - 1] : 0;
    static constexpr qsizetype Caps[] = {8, 40, 300, AtFramer::DefaultMaxLineLength};
    const Setup setup{Caps[steer & 3], bool(steer & 4), bool(steer & 8)};

    AtFramer::Stats stats;
    const std::vector<Framed> whole = frame(stream, setup, 0, &stats);
    checkFramed(stream, setup, whole, stats);
    const qsizetype piece = 1 + (steer >> 4) * 3;
    compare(whole, frame(stream, setup, piece), piece);
    if (size <= 512 && piece != 1)
        compare(whole, frame(stream, setup, 1), 1);

    QByteArrayView lastCommand;
    PrivateKeyBlockGuard guard;
    for (const Framed &e : whole) {
        if (e.type != AtFramer::EventType::Line)
            continue;
        parseEverywhere(e.bytes, lastCommand, guard);
        if (AtLineClassifier::looksLikeCommand(e.bytes))
            lastCommand = e.bytes;
    }
    return 0;
}
