#include "core/qmt/qmtparser.h"

#include "core/qmt/atfields.h"

#include "core/at/atcommand.h"
#include "core/at/atlineclassifier.h"

#include <array>
#include <cstring>
#include <limits>

namespace qmt {

namespace {

bool isTestForm(QByteArrayView command)
{
    return command.trimmed().endsWith("=?");
}

struct Ints
{
    QList<AtField> fields;
    [[nodiscard]] std::optional<int> at(qsizetype i) const
    {
        return i < fields.size() ? fields[i].toInt() : std::nullopt;
    }
};

QList<QByteArray> texts(const QList<AtField> &fields, qsizetype from = 0)
{
    QList<QByteArray> out;
    for (qsizetype i = from; i < fields.size(); ++i)
        out.append(fields[i].text.toByteArray());
    return out;
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hexValue(char c)
{
    if (c <= '9')
        return c - '0';
    return (c | 0x20) - 'a' + 10;
}

std::optional<QmtEvent> parseCfg(QByteArrayView params, const ParseContext &ctx)
{
    const QList<AtField> fields = splitAtFields(params);
    if (fields.isEmpty())
        return std::nullopt;
    const bool contextIsQuery = !ctx.command.isEmpty() && !isTestForm(ctx.command);
    const bool looksLikeTest = fields.front().quoted && fields.size() >= 2 && fields[1].text.startsWith('(');
    if ((ctx.isResponse && isTestForm(ctx.command)) || (!contextIsQuery && looksLikeTest)) {
        return CfgTestLine{cfgOptionFromName(fields.front().text), fields.front().text.toByteArray(), texts(fields, 1)};
    }
    return CfgReply{cfgOptionOfCommand(ctx.command), texts(fields)};
}

/// The command whose result URC has the prefix `prefix`, or null.
const CommandSpec *resultCommandNamed(QByteArrayView prefix)
{
    if (prefix == "+QMTPUBEX") // sibling modules' AT+QMTPUBEX answers as AT+QMTPUB does
        return &spec(QmtCommand::Pub);
    for (int c = 0; c < int(QmtCommand::Count_); ++c) {
        const CommandSpec &command = spec(QmtCommand(c));
        if (command.twoPhase() && prefix == command.name)
            return &command;
    }
    return nullptr;
}

/// The test form's reply ("+QMTOPEN: (0-4),\"<host_name>\",(1-65535)"): the ranges as printed.
std::optional<QmtEvent> parseTestReply(QByteArrayView prefix, const Ints &f)
{
    if (const CommandSpec *command = resultCommandNamed(prefix); command && prefix == command->name)
        return TestReply{command->id, texts(f.fields)};
    return std::nullopt;
}

/// "<id>,<err_code>" and nothing more.
std::optional<QmtEvent> parseStat(int id, const Ints &f)
{
    if (auto code = f.at(1); code && f.fields.size() == 2)
        return StatEvent{id, *code};
    return std::nullopt;
}

qsizetype mostValues(ResultValues values)
{
    switch (values) {
    case ResultValues::None:
        return 0;
    case ResultValues::ReturnCode:
    case ResultValues::Retransmissions:
        return 1;
    case ResultValues::GrantedQos:
        break;
    }
    return std::numeric_limits<qsizetype>::max();
}

/// A two-phase command's result, read as its row of the spec table says: "[<msgID>,]<result>[,<value>…]"
/// after the connect ID.
std::optional<QmtEvent> parseResult(const CommandSpec &command, int id, const Ints &f)
{
    const qsizetype resultField = command.hasMsgId() ? 2 : 1;
    const auto result = f.at(resultField);
    if (!result)
        return std::nullopt;
    CommandResult out{command.id, id, std::nullopt, *result, {}};
    if (command.hasMsgId()) {
        out.msgId = f.at(1);
        if (!out.msgId)
            return std::nullopt;
    }
    if (f.fields.size() - resultField - 1 > mostValues(command.values))
        return std::nullopt;
    for (qsizetype i = resultField + 1; i < f.fields.size(); ++i) {
        const auto v = f.at(i);
        if (!v)
            return std::nullopt;
        out.values.append(*v);
    }
    return out;
}

/// +QMTOPEN: the result of the write form, or the read form's host and port.
std::optional<QmtEvent> parseOpen(int id, const Ints &f)
{
    if (f.fields.size() == 3 && f.fields[1].quoted) {
        if (auto port = f.at(2))
            return OpenInfo{id, f.fields[1].text.toByteArray(), *port};
        return std::nullopt;
    }
    return parseResult(spec(QmtCommand::Open), id, f);
}

/// +QMTCONN: the write form's result (with or without ret_code), or the read form's state.
std::optional<QmtEvent> parseConn(int id, const Ints &f, const ParseContext &ctx)
{
    const auto second = f.at(1);
    if (!second)
        return std::nullopt;
    // The read form's states are 1–4 and a result is 0–2: 0, 3 and 4 tell which form this is even when the
    // context says otherwise (a late +QMTCONN result during AT+QMTCONN?, protocol-notes §7.3).
    if (f.fields.size() == 2 && (*second >= 3 || (ctx.isResponse && *second != 0)))
        return ConnState{id, *second};
    return parseResult(spec(QmtCommand::Conn), id, f);
}

} // namespace

const char *eventName(const QmtEvent &event)
{
    // A result is named after its command: "open" for +QMTOPEN, "pub" for +QMTPUB.
    static const auto ResultNames = [] {
        std::array<QByteArray, size_t(QmtCommand::Count_)> names;
        for (size_t c = 0; c < names.size(); ++c)
            names[c] = QByteArray(spec(QmtCommand(c)).name).sliced(4).toLower();
        return names;
    }();
    static constexpr const char *Names[] = {nullptr, "open-info", "conn-state", "stat",     "recv",
                                            "cfg",   "cfg-test",  "test",       "cme-error"};
    static_assert(std::size(Names) == std::variant_size_v<QmtEvent>);
    if (const auto *result = std::get_if<CommandResult>(&event))
        return ResultNames[size_t(result->command)].constData();
    return Names[event.index()];
}

std::optional<int> eventConnectId(const QmtEvent &event)
{
    return std::visit(
        [](const auto &e) -> std::optional<int> {
            if constexpr (requires { e.connectId; })
                return e.connectId;
            else
                return std::nullopt;
        },
        event);
}

std::optional<QByteArray> decodeHex(QByteArrayView text)
{
    if (text.size() % 2 != 0)
        return std::nullopt;
    QByteArray out(text.size() / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < text.size(); i += 2) {
        if (!isHexDigit(text[i]) || !isHexDigit(text[i + 1]))
            return std::nullopt;
        out[i / 2] = char(hexValue(text[i]) << 4 | hexValue(text[i + 1]));
    }
    return out;
}

std::optional<CfgOption> cfgOptionOfCommand(QByteArrayView command)
{
    const qsizetype eq = command.indexOf('=');
    if (eq < 0 || AtLineClassifier::commandNameOf(command).compare("+QMTCFG", Qt::CaseInsensitive) != 0)
        return std::nullopt;
    const QList<AtField> fields = splitAtFields(command.sliced(eq + 1));
    if (fields.isEmpty() || !fields.front().quoted)
        return std::nullopt;
    return cfgOptionFromName(fields.front().text);
}

void assignReusing(QByteArray &to, QByteArrayView from)
{
    if (to.isDetached() && to.capacity() >= from.size()) {
        to.resize(from.size());
        if (!from.isEmpty())
            std::memcpy(to.data(), from.data(), size_t(from.size()));
    } else {
        to = from.toByteArray();
    }
}

namespace {

/// The topic of a +QMTRECV at `i` of its parameters, into `topic`: quoted, ending at the first `",` (a topic
/// with `",` in it cannot be told apart), or bare. Returns where the next field starts, -1 when none follows.
qsizetype readRecvTopic(QByteArrayView s, qsizetype i, QByteArray &topic)
{
    if (s[i] == '"') {
        const qsizetype close = indexOfQuoteComma(s, i + 1);
        if (close < 0)
            return -1;
        assignReusing(topic, s.sliced(i + 1, close - i - 1));
        return close + 2;
    }
    const qsizetype comma = s.indexOf(',', i);
    if (comma < 0)
        return -1;
    assignReusing(topic, s.sliced(i, comma - i));
    return comma + 1;
}

} // namespace

std::optional<RecvMessage> parseRecv(QByteArrayView line, std::optional<DataFormat> format)
{
    RecvMessage msg;
    if (!parseRecvInto(line, format, msg))
        return std::nullopt;
    return msg;
}

bool parseRecvInto(QByteArrayView line, std::optional<DataFormat> format, RecvMessage &msg)
{
    if (!line.startsWith("+QMTRECV:"))
        return false;
    const QByteArrayView s = paramsOf(line);
    // "+QMTRECV: 0,0,0,0,0,0" is the buffer status of modules with a receive buffer, not a message.
    if (std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == ','; }))
        return false;
    // Everything but the byte arrays' storage starts afresh; the payload lets go of the printed bytes it
    // shares, so that they are reused.
    msg.declaredLength.reset();
    msg.payload = QByteArray();
    msg.hex = msg.unterminated = msg.unopened = msg.lengthMismatch = false;
    qsizetype i = readNumberField(s, 0, &msg.connectId);
    if (i < 0)
        return false;
    i = readNumberField(s, i, &msg.msgId);
    if (i < 0 || i >= s.size())
        return false;

    i = readRecvTopic(s, i, msg.topic);
    if (i < 0)
        return false;

    int length = 0;
    if (const qsizetype after = readNumberField(s, i, &length); after >= 0) {
        // A number and a comma where the payload would start is <payload_len>, if the rest can hold it or
        // the payload's opening quote follows (a line cut short, or a length that runs past the end).
        if (s.size() - after >= length || (after < s.size() && s[after] == '"')) {
            msg.declaredLength = length;
            i = after;
        }
    }

    QByteArrayView content = s.sliced(i);
    const bool quoted = !content.isEmpty() && content.front() == '"';
    if (quoted) {
        content = content.sliced(1);
    } else if (content.endsWith('"') && content.count('"') % 2 == 1) {
        // The opening quote was lost on the line (issue 9): the closing one is no part of the payload. Quotes
        // inside a payload pair up (an old firmware's bare `say "hi"` keeps both); an unpaired last one closes.
        content.chop(1);
        msg.unopened = true;
    }

    const auto takePrinted = [&](qsizetype n) {
        assignReusing(msg.printed, content.first(n));
        return content.sliced(n);
    };
    if (msg.declaredLength) {
        const qsizetype n = *msg.declaredLength;
        const qsizetype closer = quoted ? 1 : 0;
        const auto allHex = [&](qsizetype count) {
            return std::all_of(content.begin(), content.begin() + count, isHexDigit);
        };
        if (content.size() == n + closer && (!quoted || content.back() == '"') && format != DataFormat::Hex) {
            takePrinted(n);
        } else if (n > 0 && content.size() == 2 * n + closer && (!quoted || content.back() == '"') && allHex(2 * n)) {
            takePrinted(2 * n);
            msg.hex = true;
        } else if (content.size() == n + closer && (!quoted || content.back() == '"')) {
            takePrinted(n);
        } else {
            const bool closed = quoted && content.endsWith('"');
            takePrinted(closed ? content.size() - 1 : content.size());
            msg.unterminated = quoted && !closed;
            msg.lengthMismatch = true;
        }
    } else {
        const bool closed = quoted && content.endsWith('"');
        takePrinted(closed ? content.size() - 1 : content.size());
        msg.unterminated = quoted && !closed;
    }

    msg.payload = msg.printed;
    if (format == DataFormat::Hex && !msg.hex) {
        if (decodeHex(msg.printed))
            msg.hex = true;
    }
    if (msg.hex) {
        if (auto bytes = decodeHex(msg.printed))
            msg.payload = *bytes;
        else
            msg.hex = false;
    }
    // In hex format <payload_len> may count bytes or printed digits (no capture settles it, protocol-notes §6.6);
    // either is consistent.
    if (msg.hex && msg.declaredLength && msg.payload.size() != *msg.declaredLength &&
        msg.printed.size() != *msg.declaredLength)
        msg.lengthMismatch = true;
    return true;
}

std::optional<QmtEvent> parseQmtLine(QByteArrayView line, const ParseContext &ctx)
{
    if (auto final = parseFinalResult(line)) {
        if (final->kind == FinalKind::CmeError && final->code >= 0)
            return CmeError{final->code};
        return std::nullopt;
    }
    const QByteArrayView prefix = AtLineClassifier::prefixOf(line);
    if (prefix.isEmpty())
        return std::nullopt;
    if (prefix == "+QMTRECV") {
        if (auto msg = parseRecv(line, ctx.recvFormat))
            return *msg;
        return std::nullopt;
    }

    const QByteArrayView params = paramsOf(line);
    if (prefix == "+QMTCFG")
        return parseCfg(params, ctx);

    const Ints f{splitAtFields(params)};
    const bool testReply = (ctx.isResponse && isTestForm(ctx.command)) ||
                           std::any_of(f.fields.begin(), f.fields.end(),
                                       [](const AtField &a) { return !a.quoted && a.text.startsWith('('); });
    if (testReply)
        return parseTestReply(prefix, f);

    const auto id = f.at(0);
    if (!id)
        return std::nullopt;
    if (prefix == "+QMTSTAT")
        return parseStat(*id, f);
    if (prefix == "+QMTOPEN")
        return parseOpen(*id, f);
    if (prefix == "+QMTCONN")
        return parseConn(*id, f, ctx);
    if (const CommandSpec *command = resultCommandNamed(prefix))
        return parseResult(*command, *id, f);
    return std::nullopt;
}

} // namespace qmt
