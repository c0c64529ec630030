#include "core/qmt/qmtcommands.h"

#include "core/qmt/atfields.h"
#include "core/qmt/qmtparser.h"
#include "core/qmt/redaction.h"
#include "core/qmt/resultmatcher.h"

#include "core/at/atcommand.h"

namespace qmt {

namespace {

constexpr int QuickFormTimeoutMs = 300; // test and read forms: the note gives 300 ms for AT+QMTCFG
constexpr int SslUploadTimeoutMs = 10'000;

QByteArray num(qint64 v)
{
    return QByteArray::number(v);
}
QByteArray quote(QByteArrayView s)
{
    return '"' + s.toByteArray() + '"';
}
/// Two-phase results may take the note's whole time and arrive at its very end (result 2 after the last
/// retransmission): the host waits this much longer before it gives up.
constexpr int ResultGraceMs = 2000;

/// Runs checks in order and stops at the first failure.
class Checks
{
public:
    Checks &integer(Param p, qint64 v)
    {
        if (!m_error)
            m_error = check::integer(p, v);
        return *this;
    }
    Checks &text(Param p, QByteArrayView v)
    {
        if (!m_error)
            m_error = check::utf8Quoted(p, v);
        return *this;
    }
    Checks &add(std::optional<ValidationError> e)
    {
        if (!m_error)
            m_error = std::move(e);
        return *this;
    }
    [[nodiscard]] const std::optional<ValidationError> &error() const { return m_error; }

private:
    std::optional<ValidationError> m_error;
};

/// Printable UTF-8 text without double quotes: can go inside the quotes of the inline AT+QMTPUB form.
bool isInlineSafe(QByteArrayView payload)
{
    for (char ch : payload) {
        const auto c = uchar(ch);
        if (c < 0x20 || c == 0x7f || c == '"')
            return false;
    }
    return payload.isValidUtf8();
}

/// Makes `c` a two-phase command: it completes when its result URC arrives, given a little more time than
/// the note's maximum for that URC.
void expectResult(AtCommand &c, QmtCommand command, qint64 connectId, std::optional<qint64> msgId = std::nullopt)
{
    c.resultMatcher = resultMatcherFor(command, connectId, msgId);
    c.resultGraceMs = ResultGraceMs;
}

/// The value fields of a set command (after option and connect ID), or of the answer to a query.
QList<AtField> cfgValues(const AtReply &reply, const QList<AtField> &args)
{
    if (args.size() > 2)
        return args.mid(2);
    return reply.lines.isEmpty() ? QList<AtField>() : splitAtFields(paramsOf(reply.lines.front()));
}

} // namespace

void learnSlotSettings(std::array<SlotSettings, SlotCount> &table, const AtReply &reply)
{
    if (!reply.ok())
        return;
    const QByteArrayView command = reply.command;
    const std::optional<CfgOption> option = cfgOptionOfCommand(command);
    if (option != CfgOption::Timeout && option != CfgOption::DataFormat)
        return;
    const QList<AtField> args = argumentsOf(command);
    const std::optional<int> slot = args.size() >= 2 ? args[1].toInt() : std::nullopt;
    if (!slot || *slot < 0 || *slot >= SlotCount)
        return;
    const QList<AtField> v = cfgValues(reply, args);
    SlotSettings &s = table[size_t(*slot)];
    if (option == CfgOption::Timeout && v.size() >= 2 && v[0].toInt() && v[1].toInt()) {
        s.timeout.pktTimeoutS = *v[0].toInt();
        s.timeout.retryTimes = *v[1].toInt();
        if (v.size() >= 3 && v[2].toInt())
            s.timeout.timeoutNotice = *v[2].toInt() != 0;
    } else if (option == CfgOption::DataFormat && v.size() >= 2 && v[0].toInt() && v[1].toInt()) {
        s.sendFormat = *v[0].toInt() ? DataFormat::Hex : DataFormat::Text;
        s.recvFormat = *v[1].toInt() ? DataFormat::Hex : DataFormat::Text;
    }
}

const char *sslItemName(SslItem item)
{
    switch (item) {
    case SslItem::CaCert:
        return "cacert";
    case SslItem::ClientCert:
        return "clientcert";
    case SslItem::ClientKey:
        return "clientkey";
    }
    return "";
}

QmtCommands::QmtCommands()
    : m_settings(std::make_shared<SettingsTable>())
{}

SlotSettings QmtCommands::settings(int connectId) const
{
    if (connectId < 0 || connectId >= SlotCount)
        return {};
    return (*m_settings)[size_t(connectId)];
}

void QmtCommands::setSettings(int connectId, const SlotSettings &settings)
{
    if (connectId >= 0 && connectId < SlotCount)
        (*m_settings)[size_t(connectId)] = settings;
}

void QmtCommands::resetSettings()
{
    m_settings->fill(SlotSettings{});
}

int QmtCommands::packetTimeoutMs(qint64 connectId) const
{
    return settings(int(connectId)).timeout.commandTimeoutMs();
}

AtCommand QmtCommands::testForm(QmtCommand command)
{
    return AtCommand::simple(QByteArrayLiteral("AT") + spec(command).name + QByteArrayLiteral("=?"),
                             QuickFormTimeoutMs);
}

Validated<AtCommand> QmtCommands::cfgQuery(CfgOption option, qint64 connectId) const
{
    if (auto e = check::integer(Param::ConnectId, connectId))
        return *e;
    AtCommand c = AtCommand::simple("AT+QMTCFG=" + quote(spec(option).name) + ',' + num(connectId),
                                    spec(QmtCommand::Cfg).fixedTimeoutMs);
    // Learn the slot's settings from the answer, so later commands get the right time limit and format.
    c.onFinished = [table = m_settings](const AtReply &reply) { learnSlotSettings(*table, reply); };
    return c;
}

Validated<AtCommand> QmtCommands::cfgSet(CfgOption option, qint64 connectId, const QByteArray &values) const
{
    if (auto e = check::integer(Param::ConnectId, connectId))
        return *e;
    AtCommand c = AtCommand::simple("AT+QMTCFG=" + quote(spec(option).name) + ',' + num(connectId) + ',' + values,
                                    spec(QmtCommand::Cfg).fixedTimeoutMs);
    redactForDisplay(c);
    // Once the module took it, the slot's time limits and formats follow (learnSlotSettings()).
    c.onFinished = [table = m_settings](const AtReply &reply) { learnSlotSettings(*table, reply); };
    return c;
}

Validated<AtCommand> QmtCommands::cfgWill(qint64 connectId, const WillConfig &will) const
{
    if (!will.enabled)
        return cfgSet(CfgOption::Will, connectId, "0");
    Checks checks;
    checks.integer(Param::WillQos, will.qos)
        .add(check::publishTopic(will.topic, Param::WillTopic))
        .text(Param::WillMessage, will.message);
    if (checks.error())
        return *checks.error();
    return cfgSet(CfgOption::Will, connectId,
                  "1," + num(will.qos) + ',' + num(will.retain ? 1 : 0) + ',' + quote(will.topic) + ',' +
                      quote(will.message));
}

Validated<AtCommand> QmtCommands::cfgTimeout(qint64 connectId, qint64 pktTimeoutS, qint64 retryTimes,
                                             qint64 timeoutNotice) const
{
    Checks checks;
    checks.integer(Param::PktTimeout, pktTimeoutS)
        .integer(Param::RetryTimes, retryTimes)
        .integer(Param::TimeoutNotice, timeoutNotice);
    if (checks.error())
        return *checks.error();
    return cfgSet(CfgOption::Timeout, connectId, num(pktTimeoutS) + ',' + num(retryTimes) + ',' + num(timeoutNotice));
}

Validated<AtCommand> QmtCommands::cfgSession(qint64 connectId, qint64 cleanSession) const
{
    if (auto e = check::integer(Param::CleanSession, cleanSession))
        return *e;
    return cfgSet(CfgOption::Session, connectId, num(cleanSession));
}

Validated<AtCommand> QmtCommands::cfgKeepAlive(qint64 connectId, qint64 seconds) const
{
    if (auto e = check::integer(Param::KeepAliveTime, seconds))
        return *e;
    return cfgSet(CfgOption::KeepAlive, connectId, num(seconds));
}

Validated<AtCommand> QmtCommands::cfgAliAuth(qint64 connectId, const AliAuth &auth) const
{
    Checks checks;
    checks.text(Param::ProductKey, auth.productKey)
        .text(Param::DeviceName, auth.deviceName)
        .text(Param::DeviceSecret, auth.deviceSecret);
    if (checks.error())
        return *checks.error();
    return cfgSet(CfgOption::AliAuth, connectId,
                  quote(auth.productKey) + ',' + quote(auth.deviceName) + ',' + quote(auth.deviceSecret));
}

Validated<AtCommand> QmtCommands::cfgVersion(qint64 connectId, qint64 version) const
{
    if (auto e = check::integer(Param::VersionNum, version))
        return *e;
    return cfgSet(CfgOption::Version, connectId, num(version));
}

Validated<AtCommand> QmtCommands::cfgShowRecvLen(qint64 connectId, qint64 show) const
{
    if (auto e = check::integer(Param::ShowFlag, show))
        return *e;
    return cfgSet(CfgOption::ShowRecvLen, connectId, num(show));
}

Validated<AtCommand> QmtCommands::cfgEchoMode(qint64 connectId, qint64 echo) const
{
    if (auto e = check::integer(Param::EchoMode, echo))
        return *e;
    return cfgSet(CfgOption::EchoMode, connectId, num(echo));
}

Validated<AtCommand> QmtCommands::cfgDataFormat(qint64 connectId, qint64 sendFormat, qint64 recvFormat) const
{
    Checks checks;
    checks.integer(Param::SendFormat, sendFormat).integer(Param::RecvFormat, recvFormat);
    if (checks.error())
        return *checks.error();
    return cfgSet(CfgOption::DataFormat, connectId, num(sendFormat) + ',' + num(recvFormat));
}

Validated<AtCommand> QmtCommands::cfgSsl(qint64 connectId, qint64 enable, qint64 contextId, qint64 sslConnectId) const
{
    Checks checks;
    checks.integer(Param::SslEnable, enable)
        .integer(Param::SslContextId, contextId)
        .integer(Param::SslConnectId, sslConnectId);
    if (checks.error())
        return *checks.error();
    if (!enable)
        return cfgSet(CfgOption::Ssl, connectId, "0");
    return cfgSet(CfgOption::Ssl, connectId, "1," + num(contextId) + ',' + num(sslConnectId));
}

AtCommand QmtCommands::openRead()
{
    return AtCommand::simple(QByteArrayLiteral("AT+QMTOPEN?"), QuickFormTimeoutMs);
}
AtCommand QmtCommands::connRead()
{
    return AtCommand::simple(QByteArrayLiteral("AT+QMTCONN?"), QuickFormTimeoutMs);
}

Validated<AtCommand> QmtCommands::open(qint64 connectId, const QByteArray &host, qint64 port) const
{
    Checks checks;
    checks.integer(Param::ConnectId, connectId).text(Param::HostName, host).integer(Param::Port, port);
    if (checks.error())
        return *checks.error();
    AtCommand c = AtCommand::simple("AT+QMTOPEN=" + num(connectId) + ',' + quote(host) + ',' + num(port),
                                    spec(QmtCommand::Open).fixedTimeoutMs);
    expectResult(c, QmtCommand::Open, connectId);
    return c;
}

Validated<AtCommand> QmtCommands::close(qint64 connectId) const
{
    if (auto e = check::integer(Param::ConnectId, connectId))
        return *e;
    AtCommand c = AtCommand::simple("AT+QMTCLOSE=" + num(connectId), spec(QmtCommand::Close).fixedTimeoutMs);
    expectResult(c, QmtCommand::Close, connectId);
    return c;
}

Validated<AtCommand> QmtCommands::conn(qint64 connectId, const QByteArray &clientId,
                                       const std::optional<QByteArray> &userName,
                                       const std::optional<QByteArray> &password) const
{
    Checks checks;
    checks.integer(Param::ConnectId, connectId).text(Param::ClientId, clientId);
    if (userName)
        checks.text(Param::UserName, *userName);
    if (password) {
        checks.text(Param::Password, *password);
        if (!userName) {
            checks.add(ValidationError{QStringLiteral("password"), allowedRange(Param::Password),
                                       shownValue(Param::Password, *password),
                                       ValidationError::tr("a password needs a user name")});
        }
    }
    if (checks.error())
        return *checks.error();
    QByteArray text = "AT+QMTCONN=" + num(connectId) + ',' + quote(clientId);
    if (userName)
        text += ',' + quote(*userName);
    AtCommand c = AtCommand::simple(text, packetTimeoutMs(connectId));
    if (password)
        c.text += ',' + quote(*password);
    redactForDisplay(c); // whichever of its parameters the spec table calls secret
    expectResult(c, QmtCommand::Conn, connectId);
    return c;
}

Validated<AtCommand> QmtCommands::disc(qint64 connectId) const
{
    if (auto e = check::integer(Param::ConnectId, connectId))
        return *e;
    AtCommand c = AtCommand::simple("AT+QMTDISC=" + num(connectId), spec(QmtCommand::Disc).fixedTimeoutMs);
    expectResult(c, QmtCommand::Disc, connectId);
    return c;
}

Validated<AtCommand> QmtCommands::subscribe(qint64 connectId, qint64 msgId, const QList<TopicQos> &topics) const
{
    Checks checks;
    checks.integer(Param::ConnectId, connectId).integer(Param::MsgIdSub, msgId);
    if (topics.isEmpty()) {
        checks.add(ValidationError{
            QStringLiteral("topic"), ValidationError::tr("at least one topic"), ValidationError::tr("none"), {}});
    }
    QByteArray text = "AT+QMTSUB=" + num(connectId) + ',' + num(msgId);
    for (const TopicQos &t : topics) {
        checks.add(check::topicFilter(t.topic)).integer(Param::Qos, t.qos);
        text += ',' + quote(t.topic) + ',' + num(t.qos);
    }
    if (checks.error())
        return *checks.error();
    AtCommand c = AtCommand::simple(text, packetTimeoutMs(connectId));
    expectResult(c, QmtCommand::Sub, connectId, msgId);
    return c;
}

Validated<AtCommand> QmtCommands::unsubscribe(qint64 connectId, qint64 msgId, const QList<QByteArray> &topics) const
{
    Checks checks;
    checks.integer(Param::ConnectId, connectId).integer(Param::MsgIdSub, msgId);
    if (topics.isEmpty()) {
        checks.add(ValidationError{
            QStringLiteral("topic"), ValidationError::tr("at least one topic"), ValidationError::tr("none"), {}});
    }
    QByteArray text = "AT+QMTUNS=" + num(connectId) + ',' + num(msgId);
    for (const QByteArray &t : topics) {
        checks.add(check::topicFilter(t));
        text += ',' + quote(t);
    }
    if (checks.error())
        return *checks.error();
    AtCommand c = AtCommand::simple(text, packetTimeoutMs(connectId));
    expectResult(c, QmtCommand::Uns, connectId, msgId);
    return c;
}

PublishForm QmtCommands::chooseForm(const QByteArray &payload, DataFormat format)
{
    if (format == DataFormat::Hex)
        return PublishForm::Inline; // hex digits are always safe on the command line
    return isInlineSafe(payload) ? PublishForm::Inline : PublishForm::FixedLength;
}

Validated<AtCommand> QmtCommands::publish(const Publish &m) const
{
    const DataFormat format = settings(int(std::clamp<qint64>(m.connectId, 0, SlotCount - 1))).sendFormat;
    const Param payloadParam = format == DataFormat::Hex ? Param::PayloadHex : Param::PayloadText;
    Checks checks;
    checks.integer(Param::ConnectId, m.connectId).integer(Param::Qos, m.qos);
    if (!checks.error()) {
        if (m.qos == 0 && m.msgId != 0) {
            checks.add(ValidationError{
                QStringLiteral("msgID"), ValidationError::tr("0 when QoS is 0"), QString::number(m.msgId), {}});
        } else if (m.qos > 0 && check::integer(Param::MsgIdSub, m.msgId)) {
            checks.add(ValidationError{QStringLiteral("msgID"), ValidationError::tr("1–65535 when QoS is 1 or 2"),
                                       QString::number(m.msgId),
                                       ValidationError::tr("MQTT packet identifiers are never 0")});
        }
    }
    checks.add(check::publishTopic(m.topic));
    if (!checks.error() && (m.payload.size() > spec(payloadParam).maximum)) {
        checks.add(ValidationError{QStringLiteral("msg"), allowedRange(payloadParam),
                                   ValidationError::tr("%n bytes", nullptr, int(m.payload.size())),
                                   format == DataFormat::Hex ? ValidationError::tr("the slot sends in hex format")
                                                             : QString()});
    }
    if (checks.error())
        return *checks.error();

    const QByteArray wire = format == DataFormat::Hex ? m.payload.toHex().toUpper() : m.payload;
    const PublishForm form = m.form == PublishForm::Auto ? chooseForm(m.payload, format) : m.form;
    if (form == PublishForm::Inline && !isInlineSafe(wire)) {
        const qsizetype bad = check::firstUnquotableByte(wire);
        return ValidationError{
            QStringLiteral("msg"), ValidationError::tr("printable text without \" for the inline form"),
            ValidationError::tr("%n bytes", nullptr, int(m.payload.size())),
            bad >= 0
                ? ValidationError::tr("byte %1 is 0x%2").arg(bad + 1).arg(uchar(wire[bad]), 2, 16, QLatin1Char('0'))
                : ValidationError::tr("control or non-UTF-8 bytes")};
    }
    if (form == PublishForm::VariableLength) {
        const qsizetype z = wire.indexOf(char(0x1A));
        const qsizetype esc = wire.indexOf(char(0x1B));
        if (z >= 0 || esc >= 0) {
            const bool isZ = z >= 0 && (esc < 0 || z < esc);
            return ValidationError{QStringLiteral("msg"),
                                   ValidationError::tr("no Ctrl+Z or Esc in variable-length data mode"),
                                   ValidationError::tr("%n bytes", nullptr, int(m.payload.size())),
                                   ValidationError::tr("%1 at byte %2; send it in fixed-length mode")
                                       .arg(isZ ? QStringLiteral("Ctrl+Z") : QStringLiteral("Esc"))
                                       .arg((isZ ? z : esc) + 1)};
        }
    }

    QByteArray text = "AT+QMTPUB=" + num(m.connectId) + ',' + num(m.msgId) + ',' + num(m.qos) + ',' +
                      num(m.retain ? 1 : 0) + ',' + quote(m.topic);
    AtCommand c = AtCommand::simple(QByteArray(), packetTimeoutMs(m.connectId));
    switch (form) {
    case PublishForm::Auto:
    case PublishForm::Inline:
        text += ',' + num(m.payload.size()) + ',' + quote(wire);
        break;
    case PublishForm::FixedLength:
        text += ',' + num(m.payload.size());
        c.payload = AtPayload{wire, AtPayload::Termination::FixedLength, false};
        break;
    case PublishForm::VariableLength:
        c.payload = AtPayload{wire, AtPayload::Termination::CtrlZ, false};
        break;
    }
    c.text = text;
    expectResult(c, QmtCommand::Pub, m.connectId, m.msgId);
    return c;
}

namespace {

/// "AT+QSSLCFG=<contextID>,<connectID>," after checking both against the note's ranges.
Validated<QByteArray> sslCfgHead(qint64 contextId, qint64 connectId)
{
    Checks checks;
    checks.integer(Param::SslContextId, contextId).integer(Param::SslConnectId, connectId);
    if (checks.error())
        return *checks.error();
    return "AT+QSSLCFG=" + num(contextId) + ',' + num(connectId) + ',';
}

} // namespace

Validated<AtCommand> QmtCommands::sslSecLevel(qint64 level, qint64 contextId, qint64 connectId) const
{
    if (auto e = check::integer(Param::SecLevel, level))
        return *e;
    const auto head = sslCfgHead(contextId, connectId);
    if (!head)
        return head.error();
    return AtCommand::simple(*head + "\"seclevel\"," + num(level), QuickFormTimeoutMs);
}

Validated<AtCommand> QmtCommands::sslSecLevelQuery(qint64 contextId, qint64 connectId)
{
    const auto head = sslCfgHead(contextId, connectId);
    if (!head)
        return head.error();
    return AtCommand::simple(*head + "\"seclevel\"", QuickFormTimeoutMs);
}

Validated<AtCommand> QmtCommands::sslUpload(SslItem item, const QByteArray &pem, qint64 contextId,
                                            qint64 connectId) const
{
    const auto head = sslCfgHead(contextId, connectId);
    if (!head)
        return head.error();
    const qsizetype z = pem.indexOf(char(0x1A));
    const qsizetype esc = pem.indexOf(char(0x1B));
    const qsizetype bad = z < 0 ? esc : esc < 0 ? z : std::min(z, esc); // the first one, for the message
    if (pem.isEmpty() || bad >= 0) {
        return ValidationError{
            QString::fromLatin1(sslItemName(item)), ValidationError::tr("PEM text without Ctrl+Z or Esc"),
            ValidationError::tr("%n bytes", nullptr, int(pem.size())),
            pem.isEmpty() ? ValidationError::tr("empty") : ValidationError::tr("control byte at %1").arg(bad + 1)};
    }
    AtCommand c = AtCommand::simple(*head + quote(sslItemName(item)), SslUploadTimeoutMs);
    c.payload = AtPayload{pem, AtPayload::Termination::CtrlZ, promptDataIsSecret(c.text)}; // the spec table says
    return c;
}

} // namespace qmt
