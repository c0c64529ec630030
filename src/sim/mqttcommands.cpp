#include "sim/mqttcommands.h"

#include "core/qmt/qmtparser.h"
#include "sim/commandargs.h"
#include "sim/mqttslot.h"

namespace qmt::sim {

namespace {

using Form = CommandRequest::Form;
using Rule = CommandArgs::TextRule;

QByteArray num(int v)
{
    return QByteArray::number(v);
}

/// "(0-4)", "(0,1)" or "<topic>": how a test form shows a parameter.
QByteArray shown(Param p)
{
    const ParamSpec &s = spec(p);
    if (s.kind != ParamKind::Integer)
        return '<' + QByteArray(s.name) + '>';
    return shownRange(s.minimum, s.maximum);
}

/// "(0-1460)": the length range of a payload parameter.
QByteArray lengthRange(Param p)
{
    return '(' + num(spec(p).minimum) + '-' + num(spec(p).maximum) + ')';
}

QByteArray shownList(std::initializer_list<Param> params)
{
    QByteArray out;
    for (Param p : params) {
        if (!out.isEmpty())
            out += ',';
        out += shown(p);
    }
    return out;
}

/// The parameters each AT+QMTCFG option takes after <TCP_connectID>, in the note's order.
QList<Param> cfgParams(CfgOption option)
{
    switch (option) {
    case CfgOption::Will:
        return {Param::WillFlag, Param::WillQos, Param::WillRetain, Param::WillTopic, Param::WillMessage};
    case CfgOption::Timeout:
        return {Param::PktTimeout, Param::RetryTimes, Param::TimeoutNotice};
    case CfgOption::Session:
        return {Param::CleanSession};
    case CfgOption::KeepAlive:
        return {Param::KeepAliveTime};
    case CfgOption::AliAuth:
        return {Param::ProductKey, Param::DeviceName, Param::DeviceSecret};
    case CfgOption::Version:
        return {Param::VersionNum};
    case CfgOption::ShowRecvLen:
        return {Param::ShowFlag};
    case CfgOption::EchoMode:
        return {Param::EchoMode};
    case CfgOption::DataFormat:
        return {Param::SendFormat, Param::RecvFormat};
    case CfgOption::Ssl:
        return {Param::SslEnable, Param::SslContextId, Param::SslConnectId};
    case CfgOption::Count_:
        break;
    }
    return {};
}

QList<QByteArray> cfgTestLines()
{
    QList<QByteArray> lines;
    for (const CfgOptionSpec &o : allCfgOptions()) {
        // The test form spells "echo_mode" where the write form says "echomode" (note 3.3.1).
        QByteArray line = "+QMTCFG: \"" + QByteArray(o.altName ? o.altName : o.name) + "\"," + shown(Param::ConnectId);
        for (Param p : cfgParams(o.id))
            line += ',' + shown(p);
        lines.append(line);
    }
    return lines;
}

CommandOutcome testForm(QmtCommand command)
{
    const QByteArray head = QByteArray(spec(command).name) + ": ";
    switch (command) {
    case QmtCommand::Cfg:
        return CommandOutcome::ok(cfgTestLines());
    case QmtCommand::Open:
        return CommandOutcome::ok({head + shownList({Param::ConnectId, Param::HostName, Param::Port})});
    case QmtCommand::Close:
    case QmtCommand::Disc:
        return CommandOutcome::ok({head + shown(Param::ConnectId)});
    case QmtCommand::Conn:
        return CommandOutcome::ok(
            {head + shownList({Param::ConnectId, Param::ClientId, Param::UserName, Param::Password})});
    case QmtCommand::Sub:
        return CommandOutcome::ok(
            {head + shownList({Param::ConnectId, Param::MsgIdSub, Param::Topic, Param::Qos, Param::Topic, Param::Qos}) +
             ",..."});
    case QmtCommand::Uns:
        return CommandOutcome::ok(
            {head + shownList({Param::ConnectId, Param::MsgIdSub, Param::Topic, Param::Topic}) + ",..."});
    case QmtCommand::Pub:
        return CommandOutcome::ok(
            {head + shownList({Param::ConnectId, Param::MsgIdPub, Param::Qos, Param::Retain, Param::Topic}) + ',' +
             lengthRange(Param::PayloadText) + ',' + shown(Param::PayloadText)});
    case QmtCommand::Count_:
        break;
    }
    return CommandOutcome::error();
}

std::optional<QmtCommand> commandOf(const QByteArray &name)
{
    for (int i = 0; i < int(QmtCommand::Count_); ++i) {
        if (name == spec(QmtCommand(i)).name)
            return QmtCommand(i);
    }
    return std::nullopt;
}

/// Hex send format carries each byte as two hex digits; the lengths count bytes (note 3.3.8).
std::optional<QByteArray> decodePayload(const QByteArray &wire, DataFormat format)
{
    if (format == DataFormat::Text)
        return wire;
    return decodeHex(wire);
}

} // namespace

MqttCommands::MqttCommands(std::array<MqttSlot *, SlotCount> slots)
    : m_slots(slots)
{}

bool MqttCommands::handles(const QByteArray &name) const
{
    return commandOf(name).has_value();
}

CommandOutcome MqttCommands::execute(const CommandRequest &request)
{
    const QmtCommand command = *commandOf(request.name);
    if (request.form == Form::Test)
        return testForm(command);
    switch (command) {
    case QmtCommand::Cfg:
        return cfg(request);
    case QmtCommand::Open:
        return open(request);
    case QmtCommand::Close:
        return close(request);
    case QmtCommand::Conn:
        return conn(request);
    case QmtCommand::Disc:
        return disc(request);
    case QmtCommand::Sub:
        return sub(request);
    case QmtCommand::Uns:
        return uns(request);
    case QmtCommand::Pub:
        return pub(request);
    case QmtCommand::Count_:
        break;
    }
    return CommandOutcome::error();
}

MqttSlot *MqttCommands::slotOf(CommandArgs &args, qsizetype index)
{
    const std::optional<int> id = args.integer(index, Param::ConnectId);
    return id ? m_slots[size_t(*id)] : nullptr;
}

// ---- AT+QMTCFG ------------------------------------------------------------------------------------------

CommandOutcome MqttCommands::cfg(const CommandRequest &r)
{
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    if (args.count() < 2 || !args.field(0).quoted)
        return CommandOutcome::error();
    const std::optional<CfgOption> option = cfgOptionFromName(args.field(0).text);
    if (!option)
        return CommandOutcome::error();
    MqttSlot *slot = slotOf(args, 1);
    if (!slot)
        return args.failure();
    if (args.count() == 2) {
        const std::optional<QByteArray> line = slot->config().queryLine(*option);
        return line ? CommandOutcome::ok({*line}) : CommandOutcome::ok();
    }
    // Note 6 of 3.3.1: these take effect only before AT+QMTOPEN; the module refuses them on an open slot.
    if (spec(*option).mustPrecedeOpen && slot->state() != MqttSlot::State::Closed)
        return CommandOutcome::error();
    return applyCfg(*option, *slot, args);
}

CommandOutcome MqttCommands::applyCfg(CfgOption option, MqttSlot &slot, CommandArgs &args)
{
    SlotSettings c = slot.config();
    const qsizetype values = args.count() - 2;
    auto flag = [&args](qsizetype i, Param p) { return args.integer(i, p).value_or(0) != 0; };
    switch (option) {
    case CfgOption::Will: {
        const bool enabled = flag(2, Param::WillFlag);
        if (!enabled) {
            if (values != 1)
                args.fail(CommandOutcome::cmeError(cme::InvalidParameter));
            c.will = WillConfig{};
            break;
        }
        if (values != 5) {
            args.fail(CommandOutcome::error());
            break;
        }
        c.will.enabled = true;
        c.will.qos = args.integer(3, Param::WillQos).value_or(0);
        c.will.retain = flag(4, Param::WillRetain);
        c.will.topic = args.string(5, Param::WillTopic, Rule::PublishTopic).value_or(QByteArray());
        c.will.message = args.string(6, Param::WillMessage).value_or(QByteArray());
        break;
    }
    case CfgOption::Timeout:
        if (values > 3) {
            args.fail(CommandOutcome::error());
            break;
        }
        // Parameters left out keep their value (note 3.1.1).
        c.timeout.pktTimeoutS = args.integer(2, Param::PktTimeout).value_or(0);
        if (values >= 2)
            c.timeout.retryTimes = args.integer(3, Param::RetryTimes).value_or(0);
        if (values >= 3)
            c.timeout.timeoutNotice = flag(4, Param::TimeoutNotice);
        break;
    case CfgOption::Session:
        c.cleanSession = flag(2, Param::CleanSession);
        break;
    case CfgOption::KeepAlive:
        c.keepAliveS = args.integer(2, Param::KeepAliveTime).value_or(0);
        break;
    case CfgOption::AliAuth:
        if (values != 3) {
            args.fail(CommandOutcome::error());
            break;
        }
        c.aliAuth = AliAuth{args.string(2, Param::ProductKey).value_or(QByteArray()),
                            args.string(3, Param::DeviceName).value_or(QByteArray()),
                            args.string(4, Param::DeviceSecret, Rule::Bytes).value_or(QByteArray())};
        break;
    case CfgOption::Version:
        c.version = args.integer(2, Param::VersionNum).value_or(0);
        break;
    case CfgOption::ShowRecvLen:
        c.showRecvLen = flag(2, Param::ShowFlag);
        break;
    case CfgOption::EchoMode:
        c.echoMode = flag(2, Param::EchoMode);
        break;
    case CfgOption::DataFormat:
        if (values != 2) {
            args.fail(CommandOutcome::error());
            break;
        }
        c.sendFormat = DataFormat(args.integer(2, Param::SendFormat).value_or(0));
        c.recvFormat = DataFormat(args.integer(3, Param::RecvFormat).value_or(0));
        break;
    case CfgOption::Ssl:
        if (values != 1 && values != 3) {
            args.fail(CommandOutcome::error());
            break;
        }
        c.sslEnabled = flag(2, Param::SslEnable);
        c.sslContextId = values == 3 ? args.integer(3, Param::SslContextId).value_or(0) : 0;
        c.sslConnectId = values == 3 ? args.integer(4, Param::SslConnectId).value_or(0) : 0;
        break;
    case CfgOption::Count_:
        break;
    }
    const qsizetype expected = cfgParams(option).size();
    if (!args.failed() && option != CfgOption::Will && option != CfgOption::Timeout && option != CfgOption::Ssl &&
        values != expected)
        args.fail(CommandOutcome::error());
    if (args.failed())
        return args.failure();
    slot.config() = c;
    return CommandOutcome::ok();
}

// ---- AT+QMTOPEN / AT+QMTCLOSE / AT+QMTCONN / AT+QMTDISC --------------------------------------------------

CommandOutcome MqttCommands::open(const CommandRequest &r)
{
    if (r.form == Form::Read) {
        QList<QByteArray> lines;
        for (MqttSlot *slot : m_slots) {
            if (slot->isOpen())
                lines.append("+QMTOPEN: " + num(slot->id()) + ",\"" + slot->host() + "\"," + num(slot->port()));
        }
        return CommandOutcome::ok(lines);
    }
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    if (args.count() != 3)
        return CommandOutcome::error();
    MqttSlot *slot = slotOf(args);
    if (!slot)
        return args.failure();
    const std::optional<QByteArray> host = args.string(1, Param::HostName, Rule::Bytes);
    const std::optional<int> port = args.integer(2, Param::Port);
    if (!host || !port) {
        if (args.failure().result == CommandOutcome::Result::Error)
            return args.failure();
        // A host or port out of range is the note's <result> 1, "invalid parameter".
        CommandOutcome outcome = CommandOutcome::ok();
        outcome.afterFinal = [slot] { Q_EMIT slot->urc("+QMTOPEN: " + num(slot->id()) + ",1"); };
        return outcome;
    }
    slot->open(*host, *port);
    return CommandOutcome::ok();
}

CommandOutcome MqttCommands::close(const CommandRequest &r)
{
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    MqttSlot *slot = slotOf(args);
    if (!slot || args.count() != 1)
        return args.failure();
    return slot->close() ? CommandOutcome::ok() : CommandOutcome::error();
}

CommandOutcome MqttCommands::conn(const CommandRequest &r)
{
    if (r.form == Form::Read) {
        QList<QByteArray> lines;
        for (MqttSlot *slot : m_slots) {
            if (const int state = slot->connectionState(); state > 0)
                lines.append("+QMTCONN: " + num(slot->id()) + ',' + num(state));
        }
        return CommandOutcome::ok(lines);
    }
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    if (args.count() < 2 || args.count() > 4)
        return CommandOutcome::error();
    MqttSlot *slot = slotOf(args);
    const std::optional<QByteArray> clientId = args.string(1, Param::ClientId);
    std::optional<QByteArray> user;
    std::optional<QByteArray> password;
    if (args.count() >= 3)
        user = args.string(2, Param::UserName);
    if (args.count() == 4)
        password = args.string(3, Param::Password, Rule::Bytes);
    if (args.failed())
        return args.failure();
    return slot->connectClient(*clientId, user, password) ? CommandOutcome::ok() : CommandOutcome::error();
}

CommandOutcome MqttCommands::disc(const CommandRequest &r)
{
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    MqttSlot *slot = slotOf(args);
    if (!slot || args.count() != 1)
        return args.failure();
    return slot->disconnectClient() ? CommandOutcome::ok() : CommandOutcome::error();
}

// ---- AT+QMTSUB / AT+QMTUNS / AT+QMTPUB -------------------------------------------------------------------

CommandOutcome MqttCommands::sub(const CommandRequest &r)
{
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    if (args.count() < 4 || args.count() % 2 != 0)
        return CommandOutcome::error();
    MqttSlot *slot = slotOf(args);
    const std::optional<int> msgId = args.integer(1, Param::MsgIdSub);
    QList<TopicQos> topics;
    for (qsizetype i = 2; i + 1 < args.count(); i += 2) {
        const std::optional<QByteArray> topic = args.string(i, Param::Topic, Rule::TopicFilter);
        const std::optional<int> qos = args.integer(i + 1, Param::Qos);
        if (topic && qos)
            topics.append(TopicQos{*topic, *qos});
    }
    if (args.failed())
        return args.failure();
    if (slot->state() != MqttSlot::State::Connected)
        return CommandOutcome::error();
    slot->subscribe(*msgId, topics);
    return CommandOutcome::ok();
}

CommandOutcome MqttCommands::uns(const CommandRequest &r)
{
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    if (args.count() < 3)
        return CommandOutcome::error();
    MqttSlot *slot = slotOf(args);
    const std::optional<int> msgId = args.integer(1, Param::MsgIdSub);
    QList<QByteArray> topics;
    for (qsizetype i = 2; i < args.count(); ++i) {
        if (const std::optional<QByteArray> topic = args.string(i, Param::Topic, Rule::TopicFilter))
            topics.append(*topic);
    }
    if (args.failed())
        return args.failure();
    if (slot->state() != MqttSlot::State::Connected)
        return CommandOutcome::error();
    slot->unsubscribe(*msgId, topics);
    return CommandOutcome::ok();
}

CommandOutcome MqttCommands::pub(const CommandRequest &r)
{
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    if (args.count() < 5)
        return CommandOutcome::error();
    MqttSlot *slot = slotOf(args);
    const std::optional<int> msgId = args.integer(1, Param::MsgIdPub);
    const std::optional<int> qos = args.integer(2, Param::Qos);
    const std::optional<int> retain = args.integer(3, Param::Retain);
    const std::optional<QByteArray> topic = args.string(4, Param::Topic, Rule::PublishTopic);
    if (args.failed())
        return args.failure();
    // msgID is 0 for QoS 0 (note 3.3.8) and a packet identifier, never 0, otherwise (MQTT 3.1.1 §2.3.1).
    if ((*qos == 0) != (*msgId == 0))
        return CommandOutcome::cmeError(cme::InvalidParameter);
    const DataFormat format = slot->config().sendFormat;
    const Param lengthParam = format == DataFormat::Hex ? Param::PayloadHex : Param::PayloadText;
    std::optional<int> length;
    if (args.count() >= 6 && !(length = args.integer(5, lengthParam)))
        return args.failure();
    if (slot->state() != MqttSlot::State::Connected)
        return CommandOutcome::error();

    auto send = [slot, id = *msgId, q = *qos, keep = *retain != 0, t = *topic, format](const QByteArray &wire) {
        const std::optional<QByteArray> payload = decodePayload(wire, format);
        if (!payload)
            return CommandOutcome::cmeError(cme::IllegalCharacter);
        if (slot->state() != MqttSlot::State::Connected)
            return CommandOutcome::error();
        slot->publish(id, q, keep, t, *payload);
        return CommandOutcome::ok();
    };
    const int digitsPerByte = format == DataFormat::Hex ? 2 : 1;

    if (args.count() == 5) {
        DataModeRequest request;
        request.maxLength = MaxPayloadText; // 1460 text bytes, or 730 bytes as 1460 hex digits
        request.echo = slot->config().echoMode;
        return CommandOutcome::prompt(request, send);
    }
    if (args.count() == 6) {
        DataModeRequest request;
        request.fixedLength = *length * digitsPerByte;
        request.echo = slot->config().echoMode;
        return CommandOutcome::prompt(request, send);
    }
    // The inline message runs to the end of the line and is not escaped: 6.2 sends {"a":"1","b":"2"}.
    QByteArray message = args.text().mid(args.endOf(5));
    if (!message.startsWith(','))
        return CommandOutcome::error();
    message = message.mid(1);
    while (message.startsWith(' '))
        message.remove(0, 1);
    if (message.size() >= 2 && message.startsWith('"') && message.endsWith('"'))
        message = message.mid(1, message.size() - 2);
    if (message.size() != qsizetype(*length) * digitsPerByte)
        return CommandOutcome::cmeError(cme::InvalidParameter);
    return send(message);
}

} // namespace qmt::sim
