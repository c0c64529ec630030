#include "core/qmt/capturedecoder.h"

#include "core/qmt/atfields.h"
#include "core/qmt/redaction.h"
#include "core/qmt/resultmatcher.h"

#include <algorithm>

namespace qmt {

namespace {

constexpr size_t MaxPending = 64;
// Lines held while it is open whether they answer a command the capture does not show (echo off).
constexpr size_t MaxHeldLines = 64;
constexpr qsizetype MaxHeldBytes = 64 * 1024;

/// Which two-phase command a write command is, if any.
std::optional<QmtCommand> twoPhaseCommandOf(QByteArrayView command)
{
    const QByteArrayView name = AtLineClassifier::commandNameOf(command);
    const qsizetype eq = command.indexOf('=');
    if (name.isEmpty() || eq < 0 || command.trimmed().endsWith("=?"))
        return std::nullopt;
    for (int c = 0; c < int(QmtCommand::Count_); ++c) {
        const CommandSpec &s = spec(QmtCommand(c));
        if (s.twoPhase() && name.compare(s.name, Qt::CaseInsensitive) == 0)
            return s.id;
    }
    return std::nullopt;
}

/// Data typed after a prompt is not always in a capture; a line the module or host would start on its
/// own shows that data mode is over. Secret data (a private key) ends only at a final result or a
/// `+NAME:` line: a base64 line may start with "AT", and must not be taken for a command and shown.
bool isTwoPhaseResult(const QmtEvent &event)
{
    return std::holds_alternative<CommandResult>(event);
}

/// "AT+QMTCONN?": the read form, answered by the state, never by a result.
bool isReadForm(QByteArrayView command)
{
    command = command.trimmed();
    return command.endsWith('?') && !command.endsWith("=?");
}

/// A byte that is no text: what a line picks up before a command from a waking UART or a terminal.
bool isNoiseByte(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' || u >= 0x7F;
}

/// Where the line's command starts when nothing but noise comes before it ("AT" itself is no noise, so
/// this is the first "AT" of the line); -1 when there is none. Reads no further than the noise: a line's
/// first text byte settles it.
qsizetype commandBehindNoise(QByteArrayView line)
{
    const qsizetype at = std::find_if_not(line.begin(), line.end(), isNoiseByte) - line.begin();
    return AtLineClassifier::looksLikeCommand(line.sliced(at)) ? at : -1;
}

/// Whether `bytes` start with `upperName` (upper-case ASCII) in any case. Asked at every '+' of a capture, so
/// a mismatch ("+QMTRECV" against "QMTCONN=") costs a few compares, not a call into the general compare.
bool startsWithAnyCase(QByteArrayView bytes, QByteArrayView upperName)
{
    if (bytes.size() < upperName.size())
        return false;
    for (qsizetype i = 0; i < upperName.size(); ++i) {
        const char c = bytes[i];
        if ((c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c) != upperName[i])
            return false;
    }
    return true;
}

bool isNewLineForData(QByteArrayView line, bool secretData)
{
    if (parseFinalResult(line).has_value() || !AtLineClassifier::prefixOf(line).isEmpty())
        return true;
    if (secretData)
        return false;
    return AtLineClassifier::isBareNotice(line) || AtLineClassifier::looksLikeCommand(line) || line == "RDY";
}

} // namespace

CaptureDecoder::CaptureDecoder()
{
    m_framer.setContinuationPolicy(&m_recvPolicy);
}

CaptureDecoder::Emit CaptureDecoder::redactingSink(const Sink &output)
{
    // Captures from the field hold passwords and keys; nothing leaves the decoder in plain text, whatever
    // the line was taken for: a private key block is withheld wherever it turns up, and a command or
    // "aliauth" answer is redacted even inside a line nobody recognised.
    return [this, &output](DecodedEvent &&e) {
        QByteArray command = shownCommand(e.command);
        e.incomplete = m_lineIncomplete;
        // A message's payload is someone's data, shown exactly but for a secret the host sent; everything
        // else gets the last checks. The key guard still reads a damaged message: a payload that ran into the
        // host's key typing and ends in the key's armour opens a block, so the body on the lines after it is
        // withheld. (A whole message is left alone: looking for armour in every payload of a busy capture
        // would cost qmt-decode a sixth of its time.)
        if (const auto *message = e.event ? std::get_if<RecvMessage>(&*e.event) : nullptr) {
            if (message->unterminated || message->unopened || message->lengthMismatch)
                m_keyGuard.withholds(e.text);
        } else {
            const bool keyLine = m_keyGuard.withholds(e.text);
            if (keyLine || (e.kind == LineKind::Data && promptDataIsSecret(e.command))) {
                e.text = redactedPlaceholder(e.text.size());
                e.event.reset();
            } else {
                e.text = redactEmbedded(e.text);
            }
        }
        e.command = std::move(command);
        scrub(e);
        output(e);
    };
}

QByteArray CaptureDecoder::shownCommand(const QByteArray &command)
{
    // Every line of an exchange carries its command: redact it once, not once a line (it was a seventh of
    // the fuzz target's time).
    // A test may put another spec table in force meanwhile: what is secret may have changed.
    if (const unsigned table = specTableGeneration(); command != m_lastShown.command || table != m_lastShown.table)
        m_lastShown = {command, redactCommand(command), table};
    return m_lastShown.shown;
}

void CaptureDecoder::feed(QByteArrayView bytes, const Sink &output)
{
    const Emit sink = redactingSink(output);
    m_framer.feed(bytes, [this, &sink](const AtFramer::Event &e) { onFramed(e, sink); });
}

void CaptureDecoder::finish(const Sink &output)
{
    const Emit sink = redactingSink(output);
    m_framer.finish([this, &sink](const AtFramer::Event &e) {
        m_lineIncomplete = e.incomplete;
        onFramed(e, sink);
        m_lineIncomplete = false;
    });
    releaseHeld(false, sink);
}

void CaptureDecoder::onFramed(const AtFramer::Event &e, const Emit &sink)
{
    switch (e.type) {
    case AtFramer::EventType::Line:
        onLine(e.bytes, e.offset, sink);
        break;
    case AtFramer::EventType::Prompt: {
        DecodedEvent out{LineKind::Prompt, e.offset, QByteArrayLiteral(">"), m_command, {}, {}, 0};
        sink(std::move(out));
        m_inData = true;
        m_responseSeen = true;
        break;
    }
    case AtFramer::EventType::Overflow:
        sink(DecodedEvent{LineKind::Unknown, e.offset, {}, m_command, {}, {}, e.discarded});
        break;
    }
}

void CaptureDecoder::learnSecrets(QByteArrayView line)
{
    // Every secret-bearing command in the line, wherever it starts (behind noise, glued to another command,
    // inside a payload that ran into it): a damaged line must not hide its secret from the scrubber. Each
    // is read within the longest command line a module takes, so a line full of them costs linear time.
    static constexpr qsizetype MaxCommandLine = 1024;
    static constexpr QByteArrayView Names[] = {"QMTCONN=", "QMTCFG="};
    for (qsizetype plus = line.indexOf('+'); plus >= 0; plus = line.indexOf('+', plus + 1)) {
        const QByteArrayView after = line.sliced(plus + 1);
        for (const QByteArrayView name : Names) {
            if (!startsWithAnyCase(after, name))
                continue;
            const QByteArray command =
                QByteArrayLiteral("AT") + line.sliced(plus, std::min(MaxCommandLine, line.size() - plus)).toByteArray();
            for (const QByteArrayView secret : secretArgumentsOf(command))
                m_secrets.learn(secret);
        }
    }
}

void CaptureDecoder::scrub(DecodedEvent &e) const
{
    if (m_secrets.isEmpty())
        return;
    m_secrets.scrub(e.text);
    m_secrets.scrub(e.command);
    if (e.final)
        m_secrets.scrub(e.final->text);
    if (!e.event)
        return;
    std::visit(
        [this](auto &ev) {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, RecvMessage>) {
                m_secrets.scrub(ev.topic);
                m_secrets.scrub(ev.payload);
                m_secrets.scrub(ev.printed);
            } else if constexpr (std::is_same_v<T, OpenInfo>) {
                m_secrets.scrub(ev.host);
            } else if constexpr (std::is_same_v<T, CfgReply>) {
                for (QByteArray &v : ev.values)
                    m_secrets.scrub(v);
            } else if constexpr (std::is_same_v<T, CfgTestLine>) {
                m_secrets.scrub(ev.name);
                for (QByteArray &v : ev.ranges)
                    m_secrets.scrub(v);
            } else if constexpr (std::is_same_v<T, TestReply>) {
                for (QByteArray &v : ev.fields)
                    m_secrets.scrub(v);
            }
        },
        *e.event);
}

void CaptureDecoder::onLine(QByteArrayView line, qint64 offset, const Emit &sink)
{
    learnSecrets(line);
    if (m_inData && consumeData(line, offset, sink))
        return;
    emitClassified(line, offset, sink);
}

bool CaptureDecoder::consumeData(QByteArrayView line, qint64 offset, const Emit &sink)
{
    if (isNewLineForData(line, promptDataIsSecret(m_command))) {
        m_inData = false; // the host's data was not captured; the module has moved on
        return false;
    }
    qsizetype end = line.size();
    bool ended = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == 0x1A || line[i] == 0x1B) {
            end = i;
            ended = true;
            break;
        }
    }
    if (m_dataLeft >= 0) {
        if (end >= m_dataLeft) {
            end = m_dataLeft;
            ended = true;
        }
        m_dataLeft -= end + 2; // the line break was data too
        if (m_dataLeft <= 0)
            ended = true;
    }
    qsizetype restStart = end;
    if (ended && restStart < line.size() && (line[restStart] == 0x1A || line[restStart] == 0x1B))
        ++restStart;
    // Data that ends inside a line splits it into events the key guard sees one at a time: a key's armour
    // cut so (a publish's length ending in it, the host's key typing glued to its data) still opens a block.
    if (ended && restStart < line.size() && holdsPrivateKey(line) && !holdsPrivateKey(line.first(end)) &&
        !holdsPrivateKey(line.sliced(restStart)))
        m_keyGuard.withholds(line);
    if (end > 0)
        sink(DecodedEvent{LineKind::Data, offset, line.first(end).toByteArray(), m_command, {}, {}, 0});
    if (ended) {
        m_inData = false;
        if (restStart < line.size())
            emitClassified(line.sliced(restStart), offset + restStart, sink);
    }
    return true;
}

bool CaptureDecoder::isUrcOnly(QByteArrayView line) const
{
    const QByteArrayView prefix = AtLineClassifier::prefixOf(line);
    if (prefix == "+QMTRECV" || prefix == "+QMTSTAT" || prefix == "+QMTPING")
        return true;
    if (AtLineClassifier::isPowerNotice(line) || AtLineClassifier::isBareNotice(line.trimmed()))
        return true;
    // A two-phase result (+QMTCONN: 0,0,4) is never an information response, whatever follows it.
    if (const auto event = parseQmtLine(line, ParseContext{}); event && isTwoPhaseResult(*event))
        return true;
    return std::any_of(m_pending.begin(), m_pending.end(),
                       [line](const Pending &p) { return p.matcher(line) != MatchResult::NoMatch; });
}

bool CaptureDecoder::startsCommand(QByteArrayView line)
{
    return commandBehindNoise(line) >= 0;
}

void CaptureDecoder::emitClassified(QByteArrayView line, qint64 offset, const Emit &sink)
{
    // With echo off a capture holds no command, yet information lines followed by a final result answered
    // one (issue 9): lines that may be such an answer wait until it is known whether a final result follows.
    // (A +QMTRECV with nothing held, the common line of a busy capture, is decided by its prefix alone.)
    if (m_command.isEmpty()) {
        const bool final = parseFinalResult(line).has_value();
        if (final && !m_held.empty()) {
            releaseHeld(true, sink);
            classifyAndEmit(line, offset, sink, true);
            return;
        }
        if (!final && (!m_held.empty() || !isUrcOnly(line)) && !startsCommand(line)) {
            m_heldBytes += line.size();
            m_held.push_back(Held{line.toByteArray(), offset, m_lineIncomplete});
            if (m_held.size() > MaxHeldLines || m_heldBytes > MaxHeldBytes)
                releaseHeld(false, sink);
            return;
        }
    }
    releaseHeld(false, sink);
    classifyAndEmit(line, offset, sink, false);
}

void CaptureDecoder::releaseHeld(bool answered, const Emit &sink)
{
    if (m_held.empty())
        return;
    const bool incomplete = m_lineIncomplete;
    std::deque<Held> held;
    held.swap(m_held);
    m_heldBytes = 0;
    for (const Held &h : held) {
        m_lineIncomplete = h.incomplete;
        classifyAndEmit(h.line, h.offset, sink, answered && !isUrcOnly(h.line));
    }
    m_lineIncomplete = incomplete;
}

/// The +QMTRECV branch near the end parses a message in place into the last message event's storage
/// (parseRecvInto()) instead of calling parseQmtLine(): that builds a fresh message for every line, and
/// even given storage to reuse it moves the message once more (+3.2 % instructions on a flood capture,
/// callgrind).
void CaptureDecoder::classifyAndEmit(QByteArrayView line, qint64 offset, const Emit &sink, bool answersUnseen)
{
    // A command behind line noise (a stray byte, a space, a backspace before "AT") is still the command;
    // the noise is an event of its own, so nothing in the capture goes unreported.
    if (const qsizetype at = commandBehindNoise(line); at > 0) {
        if (!line.first(at).trimmed().isEmpty())
            sink(DecodedEvent{LineKind::Unknown, offset, line.first(at).toByteArray(), {}, {}, {}, 0});
        line = line.sliced(at);
        offset += at;
    }
    DecodedEvent out;
    out.offset = offset;

    if (AtLineClassifier::looksLikeCommand(line) &&
        (m_command.isEmpty() || !AtLineClassifier::isEchoOf(line, m_command) || m_responseSeen)) {
        // A new command: the host's line, or its echo when the host side was not captured.
        m_command = line.trimmed().toByteArray();
        m_responseSeen = false;
        m_inData = false;
        const QList<AtField> args = argumentsOf(m_command);
        // Fixed-length AT+QMTPUB data mode ends after <msg_len> bytes (protocol-notes §4.3).
        m_dataLeft = -1;
        if (m_command.startsWith("AT+QMTPUB=") && args.size() == 6)
            m_dataLeft = args[5].toInt().value_or(-1);
        // Any command may be answered by a prompt as far as a capture can tell.
        m_framer.setPromptExpected(true);
        out.kind = LineKind::Echo;
        out.text = line.toByteArray();
        out.command = m_command;
        sink(std::move(out));
        return;
    }

    AtLineClassifier::InFlight view{m_command, m_responseSeen, {}};
    out.kind = m_classifier.classify(line, m_command.isEmpty() ? nullptr : &view);
    out.command = m_command;
    // The answer to a command the capture does not hold (echo off): its lines are its response.
    if (answersUnseen && (out.kind == LineKind::Urc || out.kind == LineKind::Unknown))
        out.kind = LineKind::Response;

    ParseContext context;
    context.command = m_command;
    switch (out.kind) {
    case LineKind::Final:
        out.final = parseFinalResult(line);
        if (out.final->kind == FinalKind::CmeError && out.final->code >= 0)
            out.event = CmeError{out.final->code};
        if (!m_command.isEmpty())
            commandEnded(*out.final);
        else if (!answersUnseen)
            out.kind = LineKind::Unknown;
        break;
    case LineKind::Response:
        m_responseSeen = true;
        context.isResponse = true;
        break;
    case LineKind::Urc:
    case LineKind::Unknown:
        attributeToPending(line, out);
        break;
    case LineKind::Prompt: // "CONNECT": data follows, as after `>`
        m_inData = true;
        m_responseSeen = true;
        break;
    case LineKind::Echo:
    case LineKind::Data:
        break;
    }
    // Redacted before parsing, so the parsed fields cannot carry the secret either: the answer to an
    // "aliauth" query, known by its command or, without one, by its shape. (The line is copied once, into
    // the storage the last event left: a busy capture's events cost no allocation each.)
    const bool answer = out.kind == LineKind::Response || out.kind == LineKind::Urc;
    out.text = std::move(m_spare.text);
    if (answer && answerMayRepeatSecret(line))
        out.text = redactResponse(m_command, line);
    else
        assignReusing(out.text, line);
    if (!out.event && answer) {
        context.recvFormat = recvFormatOf(line);
        if (AtLineClassifier::prefixOf(out.text) == "+QMTRECV") {
            if (parseRecvInto(out.text, context.recvFormat, m_spare.message))
                out.event = std::move(m_spare.message);
        } else {
            out.event = parseQmtLine(out.text, context);
        }
    }
    // A two-phase result arriving while a read command runs (+QMTCONN: 0,0 during AT+QMTCONN?) is no answer
    // to the read: it is the result of the earlier write.
    if (out.kind == LineKind::Response && out.event && isTwoPhaseResult(*out.event) && isReadForm(m_command)) {
        out.kind = LineKind::Urc;
        attributeToPending(line, out);
    }
    if (out.kind == LineKind::Response)
        m_responses.append(out.text);
    sink(std::move(out));
    // The sink has seen the event: its storage serves the next (a copy the sink kept shares it, and the next
    // event then gets storage of its own).
    m_spare.text = std::move(out.text);
    if (auto *message = out.event ? std::get_if<RecvMessage>(&*out.event) : nullptr)
        m_spare.message = std::move(*message);
}

void CaptureDecoder::attributeToPending(QByteArrayView line, DecodedEvent &out)
{
    out.command.clear();
    // As the live channel does: the oldest outstanding command the line answers takes it; a +QMTSTAT
    // ends every command of its slot and is attributed to the oldest (a refused CONNECT, protocol-notes §7.1).
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        const MatchResult match = it->matcher(line);
        if (match == MatchResult::NoMatch) {
            ++it;
            continue;
        }
        if (out.command.isEmpty())
            out.command = it->command;
        out.kind = LineKind::Urc;
        if (match == MatchResult::Progress)
            break;
        it = m_pending.erase(it);
        if (match == MatchResult::Complete)
            break;
    }
}

void CaptureDecoder::commandEnded(const FinalResult &final)
{
    if (final.kind == FinalKind::Ok) {
        rememberConfiguration();
        if (auto cmd = twoPhaseCommandOf(m_command)) {
            if (m_pending.size() >= MaxPending)
                m_pending.pop_front();
            const QList<AtField> args = argumentsOf(m_command);
            const std::optional<int> id = args.isEmpty() ? std::nullopt : args[0].toInt();
            const std::optional<int> msgId = args.size() > 1 ? args[1].toInt() : std::nullopt;
            m_pending.push_back(Pending{m_command, resultMatcherFor(*cmd, id.value_or(-1), msgId)});
        }
    }
    m_responses.clear();
    m_command.clear();
    m_responseSeen = false;
    m_inData = false;
    m_framer.setPromptExpected(false);
}

void CaptureDecoder::rememberConfiguration()
{
    // The same rules as live: a "dataformat" the module accepted (or reported) sets how the slot's
    // +QMTRECV payloads are printed. Until one is seen, a slot's format is unknown (nullopt).
    const std::optional<CfgOption> option = cfgOptionOfCommand(m_command);
    if (option != CfgOption::DataFormat)
        return;
    AtReply reply;
    reply.command = m_command;
    reply.lines = m_responses;
    learnSlotSettings(m_settings, reply);
    if (const auto slot = connectIdOf(m_command))
        m_formatKnown[size_t(*slot)] = true;
}

std::optional<DataFormat> CaptureDecoder::recvFormatOf(QByteArrayView recvLine) const
{
    if (std::none_of(m_formatKnown.begin(), m_formatKnown.end(), [](bool known) { return known; }))
        return std::nullopt; // no "dataformat" seen (the common case): no need to read the line
    const std::optional<int> slot = recvLine.startsWith("+QMTRECV:") ? connectIdOf(recvLine) : std::nullopt;
    if (!slot || !m_formatKnown[size_t(*slot)])
        return std::nullopt;
    return m_settings[size_t(*slot)].recvFormat;
}

} // namespace qmt
