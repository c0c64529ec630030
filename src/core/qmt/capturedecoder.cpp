#include "capturedecoder.h"

#include "atfields.h"
#include "redaction.h"

namespace qmt {

namespace {

constexpr size_t MaxPending = 64;

/// Which two-phase command a write command is, if any.
std::optional<QmtCommand> twoPhaseCommandOf(QByteArrayView command)
{
    const QByteArrayView name = AtLineClassifier::commandNameOf(command);
    const qsizetype eq = command.indexOf('=');
    if (name.isEmpty() || eq < 0 || command.trimmed().endsWith("=?"))
        return std::nullopt;
    for (int c = 0; c < int(QmtCommand::Count_); ++c) {
        const CommandSpec &s = spec(QmtCommand(c));
        if (s.twoPhase && name.compare(s.name, Qt::CaseInsensitive) == 0)
            return s.id;
    }
    return std::nullopt;
}

QList<AtField> argumentsOf(QByteArrayView command)
{
    const qsizetype eq = command.indexOf('=');
    return eq < 0 ? QList<AtField>() : splitAtFields(command.sliced(eq + 1));
}

/// A generic matcher for captures: same result prefix, same connect ID (and msgID where the command has one).
ResultMatcher captureMatcher(QmtCommand command, const QList<AtField> &args)
{
    const QByteArray prefix = QByteArray(spec(command).name) + ':';
    const std::optional<int> id = args.isEmpty() ? std::nullopt : args[0].toInt();
    const bool hasMsgId = command == QmtCommand::Sub || command == QmtCommand::Uns || command == QmtCommand::Pub;
    const std::optional<int> msgId = hasMsgId && args.size() > 1 ? args[1].toInt() : std::nullopt;
    return [prefix, id, msgId, hasMsgId](QByteArrayView line) {
        if (!line.startsWith(prefix))
            return MatchResult::NoMatch;
        const QList<AtField> f = splitAtFields(paramsOf(line));
        if (f.isEmpty() || f[0].toInt() != id)
            return MatchResult::NoMatch;
        if (hasMsgId && (f.size() < 2 || f[1].toInt() != msgId))
            return MatchResult::NoMatch;
        return MatchResult::Complete;
    };
}

/// Data typed after a prompt is not always in a capture; a line the module or host would start on its
/// own shows that data mode is over.
bool isNewLineForData(QByteArrayView line)
{
    return parseFinalResult(line).has_value() || !AtLineClassifier::prefixOf(line).isEmpty()
           || AtLineClassifier::isBareNotice(line) || AtLineClassifier::looksLikeCommand(line) || line == "RDY";
}

std::optional<int> slotOfStat(QByteArrayView line)
{
    if (!line.startsWith("+QMTSTAT:"))
        return std::nullopt;
    const QList<AtField> f = splitAtFields(paramsOf(line));
    return f.isEmpty() ? std::nullopt : f[0].toInt();
}

} // namespace

CaptureDecoder::CaptureDecoder()
{
    m_framer.setContinuationPolicy(&m_recvPolicy);
    m_recvFormat.fill(RecvFormat::Auto);
}

void CaptureDecoder::feed(QByteArrayView bytes, const Sink &output)
{
    // Captures from the field hold passwords and keys; nothing leaves the decoder in plain text.
    const Sink sink = [&output](const DecodedEvent &e) {
        DecodedEvent shown = e;
        shown.command = redactCommand(e.command);
        if (e.kind == LineKind::Echo)
            shown.text = redactCommand(e.text);
        else if (e.kind == LineKind::Data && promptDataIsSecret(e.command))
            shown.text = redactedPlaceholder(e.text.size());
        output(shown);
    };
    m_framer.feed(bytes, [this, &sink](const AtFramer::Event &e) {
        switch (e.type) {
        case AtFramer::EventType::Line:
            onLine(e.bytes, e.offset, sink);
            break;
        case AtFramer::EventType::Prompt: {
            DecodedEvent out{LineKind::Prompt, e.offset, QByteArrayLiteral(">"), m_command, {}, {}, 0};
            sink(out);
            m_inData = true;
            m_responseSeen = true;
            break;
        }
        case AtFramer::EventType::Overflow:
            sink(DecodedEvent{LineKind::Unknown, e.offset, {}, m_command, {}, {}, e.discarded});
            break;
        }
    });
}

void CaptureDecoder::finish(const Sink &sink)
{
    // A last line without terminator: frame it by feeding one.
    feed("\r\n", sink);
}

void CaptureDecoder::onLine(QByteArrayView line, qint64 offset, const Sink &sink)
{
    if (m_inData && consumeData(line, offset, sink))
        return;
    emitClassified(line, offset, sink);
}

bool CaptureDecoder::consumeData(QByteArrayView line, qint64 offset, const Sink &sink)
{
    if (isNewLineForData(line)) {
        m_inData = false;   // the host's data was not captured; the module has moved on
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
        m_dataLeft -= end + 2;   // the line break was data too
        if (m_dataLeft <= 0)
            ended = true;
    }
    if (end > 0)
        sink(DecodedEvent{LineKind::Data, offset, line.first(end).toByteArray(), m_command, {}, {}, 0});
    if (ended) {
        m_inData = false;
        qsizetype restStart = end;
        if (restStart < line.size() && (line[restStart] == 0x1A || line[restStart] == 0x1B))
            ++restStart;
        if (restStart < line.size())
            emitClassified(line.sliced(restStart), offset + restStart, sink);
    }
    return true;
}

void CaptureDecoder::emitClassified(QByteArrayView line, qint64 offset, const Sink &sink)
{
    DecodedEvent out;
    out.offset = offset;
    out.text = line.toByteArray();

    if (AtLineClassifier::looksLikeCommand(line)
        && (m_command.isEmpty() || !AtLineClassifier::isEchoOf(line, m_command) || m_responseSeen)) {
        // A new command: the host's line, or its echo when the host side was not captured.
        m_command = line.trimmed().toByteArray();
        m_responseSeen = false;
        m_inData = false;
        const QList<AtField> args = argumentsOf(m_command);
        // Fixed-length AT+QMTPUB data mode ends after <msg_len> bytes (FACTS §4).
        m_dataLeft = -1;
        if (m_command.startsWith("AT+QMTPUB=") && args.size() == 6)
            m_dataLeft = args[5].toInt().value_or(-1);
        // Any command may be answered by a prompt as far as a capture can tell.
        m_framer.setPromptExpected(true);
        out.kind = LineKind::Echo;
        out.command = m_command;
        sink(out);
        return;
    }

    AtLineClassifier::InFlight view{m_command, m_responseSeen, {}};
    out.kind = m_classifier.classify(line, m_command.isEmpty() ? nullptr : &view);
    out.command = m_command;

    ParseContext context;
    context.command = m_command;
    switch (out.kind) {
    case LineKind::Final:
        out.final = parseFinalResult(line);
        if (out.final->kind == FinalKind::CmeError && out.final->code >= 0)
            out.event = CmeError{out.final->code};
        if (m_command.isEmpty())
            out.kind = LineKind::Unknown;
        else
            commandEnded(*out.final);
        break;
    case LineKind::Response:
        m_responseSeen = true;
        context.isResponse = true;
        // Redacted before parsing, so the parsed fields cannot carry the secret either.
        out.text = redactResponse(m_command, line);
        break;
    case LineKind::Urc:
    case LineKind::Unknown:
        out.command.clear();
        for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
            if (it->matcher(line) != MatchResult::NoMatch) {
                out.command = it->command;
                out.kind = LineKind::Urc;
                m_pending.erase(it);
                break;
            }
        }
        if (const auto statSlot = slotOfStat(line)) {
            // The link of that slot is gone: its outstanding results will not come. The oldest of them is
            // the command this +QMTSTAT answers (a refused CONNECT, FACTS §7).
            bool attributed = !out.command.isEmpty();
            for (auto it = m_pending.begin(); it != m_pending.end();) {
                if (it->connectId == statSlot && it->endsOnStat) {
                    if (!attributed) {
                        out.command = it->command;
                        attributed = true;
                    }
                    it = m_pending.erase(it);
                } else {
                    ++it;
                }
            }
        }
        break;
    case LineKind::Echo:
    case LineKind::Prompt:
    case LineKind::Data:
        break;
    }
    if (!out.event && (out.kind == LineKind::Response || out.kind == LineKind::Urc)) {
        context.recvFormat = recvFormatOf(line);
        out.event = parseQmtLine(out.text, context);
    }
    sink(out);
}

void CaptureDecoder::commandEnded(const FinalResult &final)
{
    if (final.kind == FinalKind::Ok) {
        rememberConfiguration(m_command);
        if (auto cmd = twoPhaseCommandOf(m_command)) {
            if (m_pending.size() >= MaxPending)
                m_pending.pop_front();
            const QList<AtField> args = argumentsOf(m_command);
            const bool endsOnStat = *cmd == QmtCommand::Conn || *cmd == QmtCommand::Sub || *cmd == QmtCommand::Uns
                                    || *cmd == QmtCommand::Pub;
            m_pending.push_back(Pending{m_command, captureMatcher(*cmd, args),
                                        args.isEmpty() ? std::nullopt : args[0].toInt(), endsOnStat});
        }
    }
    m_command.clear();
    m_responseSeen = false;
    m_inData = false;
    m_framer.setPromptExpected(false);
}

void CaptureDecoder::rememberConfiguration(QByteArrayView command)
{
    if (cfgOptionOfCommand(command) != CfgOption::DataFormat)
        return;
    const QList<AtField> args = argumentsOf(command);
    if (args.size() < 4)
        return;
    const auto slot = args[1].toInt();
    const auto recv = args[3].toInt();
    if (slot && recv && *slot >= 0 && *slot < SlotCount)
        m_recvFormat[size_t(*slot)] = *recv ? RecvFormat::Hex : RecvFormat::Text;
}

RecvFormat CaptureDecoder::recvFormatOf(QByteArrayView recvLine) const
{
    if (!recvLine.startsWith("+QMTRECV:"))
        return RecvFormat::Auto;
    const QByteArrayView params = paramsOf(recvLine);
    // Connect IDs are single digits (0–4).
    if (params.size() < 2 || params[1] != ',' || params[0] < '0' || params[0] >= '0' + SlotCount)
        return RecvFormat::Auto;
    return m_recvFormat[size_t(params[0] - '0')];
}

} // namespace qmt
