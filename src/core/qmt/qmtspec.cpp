#include "core/qmt/qmtspec.h"

#include "core/qmt/qmtcodes.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>

namespace qmt {

namespace {

constexpr const char *Ctx = "qmt::Spec";

// Ranges, lengths and defaults as the BC660K-GL MQTT Application Note v1.1 gives them (chapter 3.3).
constexpr std::array<ParamSpec, size_t(Param::Count_)> Params{{
    {Param::ConnectId, "TCP_connectID", ParamKind::Integer, 0, 4, std::nullopt, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "MQTT socket identifier (client slot)")},
    {Param::MsgIdPub, "msgID", ParamKind::Integer, 0, 65535, std::nullopt, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Message identifier of the PUBLISH packet; 0 when QoS is 0")},
    {Param::MsgIdSub, "msgID", ParamKind::Integer, 1, 65535, std::nullopt, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Message identifier of the SUBSCRIBE/UNSUBSCRIBE packet")},
    {Param::Qos, "qos", ParamKind::Integer, 0, 2, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Quality of service: 0 at most once, 1 at least once, 2 exactly once")},
    {Param::Retain, "retain", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Whether the server retains the message")},
    {Param::Topic, "topic", ParamKind::Text, 1, 256, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "MQTT topic")},
    {Param::HostName, "host_name", ParamKind::Text, 1, 100, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Server address: IP address or domain name")},
    {Param::Port, "port", ParamKind::Integer, 1, 65535, std::nullopt, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Server port")},
    {Param::ClientId, "clientID", ParamKind::Text, 1, 128, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Client identifier")},
    {Param::UserName, "username", ParamKind::Text, 0, 256, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "User name for authentication")},
    {Param::Password, "password", ParamKind::Text, 0, 256, std::nullopt, "bytes", true,
     QT_TRANSLATE_NOOP("qmt::Spec", "Password for authentication")},
    {Param::WillFlag, "will_fg", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Whether a Will message is configured")},
    {Param::WillQos, "will_QoS", ParamKind::Integer, 0, 2, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "QoS of the Will message")},
    {Param::WillRetain, "will_retain", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Whether the server retains the Will message")},
    {Param::WillTopic, "will_topic", ParamKind::Text, 1, 256, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Topic of the Will message")},
    {Param::WillMessage, "will_msg", ParamKind::Text, 1, 256, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Payload of the Will message")},
    {Param::PktTimeout, "pkt_timeout", ParamKind::Integer, 1, 60, 30, "s", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Timeout of packet delivery")},
    {Param::RetryTimes, "retry_times", ParamKind::Integer, 0, 10, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Retransmissions after a packet delivery timeout")},
    {Param::TimeoutNotice, "timeout_notice", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Whether to report a packet delivery timeout")},
    {Param::CleanSession, "clean_session", ParamKind::Integer, 0, 1, 1, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "1 clean session, 0 the server keeps subscriptions after a disconnect")},
    {Param::KeepAliveTime, "keep_alive_time", ParamKind::Integer, 0, 3600, 120, "s", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Keep-alive interval; 0 disables it")},
    {Param::ProductKey, "product_key", ParamKind::Text, 1, 64, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Alibaba Cloud product key")},
    {Param::DeviceName, "device_name", ParamKind::Text, 1, 64, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Alibaba Cloud device name")},
    {Param::DeviceSecret, "device_secret", ParamKind::Text, 1, 64, std::nullopt, "bytes", true,
     QT_TRANSLATE_NOOP("qmt::Spec", "Alibaba Cloud device secret")},
    {Param::VersionNum, "version_num", ParamKind::Integer, 0, 1, 1, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "MQTT version: 0 is 3.1, 1 is 3.1.1")},
    {Param::ShowFlag, "show_flag", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Whether +QMTRECV shows the payload length")},
    {Param::EchoMode, "echo_mode", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Whether data-mode input is echoed to the UART")},
    {Param::SendFormat, "send_format", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Format of published data: 0 text, 1 hex")},
    {Param::RecvFormat, "recv_format", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Format of received data: 0 text, 1 hex")},
    {Param::SslEnable, "SSL_enable", ParamKind::Integer, 0, 1, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Whether the connection uses SSL/TLS")},
    {Param::SslContextId, "SSL_contextID", ParamKind::Integer, 0, 10, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "SSL context ID (the module currently supports only 0)")},
    {Param::SslConnectId, "SSL_connectID", ParamKind::Integer, 0, 4, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "SSL connect ID (the module currently supports only 0)")},
    {Param::PayloadText, "msg", ParamKind::Payload, 0, MaxPayloadText, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Message payload in text send format")},
    {Param::PayloadHex, "msg", ParamKind::Payload, 0, MaxPayloadHex, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Message payload in hex send format (bytes before encoding)")},
    {Param::SecLevel, "seclevel", ParamKind::Integer, 0, 2, 0, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec",
                       "TLS authentication: 0 none, 1 server authentication, 2 server and client authentication")},
    // The PEM items AT+QSSLCFG takes after its prompt; QMT Studio sends at most 4096 bytes (protocol-notes §10.4).
    {Param::CaCert, "cacert", ParamKind::Payload, 1, 4096, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "CA certificate (PEM)")},
    {Param::ClientCert, "clientcert", ParamKind::Payload, 1, 4096, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Client certificate (PEM)")},
    {Param::ClientKey, "clientkey", ParamKind::Payload, 1, 4096, std::nullopt, "bytes", true,
     QT_TRANSLATE_NOOP("qmt::Spec", "Client private key (PEM)")},
    // AT+QCGDEFCONT and AT+CGAUTH (BC660K-GL AT commands manual 5.6; lengths as the virtual module takes them).
    {Param::PdpType, "PDP_type", ParamKind::Text, 1, 6, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Packet data protocol type: IP, IPV6, IPV4V6 or Non-IP")},
    {Param::Apn, "APN", ParamKind::Text, 0, 99, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Access point name")},
    {Param::ApnUserName, "username", ParamKind::Text, 0, 19, std::nullopt, "bytes", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "User name for the access point")},
    {Param::ApnPassword, "password", ParamKind::Text, 0, 19, std::nullopt, "bytes", true,
     QT_TRANSLATE_NOOP("qmt::Spec", "Password for the access point")},
    {Param::ApnAuthType, "auth_type", ParamKind::Integer, 0, 2, std::nullopt, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Authentication: 0 none, 1 PAP, 2 CHAP")},
    {Param::PdpContextId, "cid", ParamKind::Integer, 1, 10, std::nullopt, "", false,
     QT_TRANSLATE_NOOP("qmt::Spec", "PDP context identifier")},
}};

constexpr int NoRepeat = -1;

// Where each command carries which parameter. Redaction finds every secret through this table, so a form
// that carries a secret must be listed here, with its answer when the answer repeats the secret.
constexpr std::array Forms{
    CommandForm{"+QMTCFG",
                "will",
                0,
                {NoParam, Param::ConnectId, Param::WillFlag, Param::WillQos, Param::WillRetain, Param::WillTopic,
                 Param::WillMessage},
                NoRepeat,
                {},
                NoParam},
    CommandForm{"+QMTCFG",
                "timeout",
                0,
                {NoParam, Param::ConnectId, Param::PktTimeout, Param::RetryTimes, Param::TimeoutNotice},
                NoRepeat,
                {},
                NoParam},
    CommandForm{"+QMTCFG", "session", 0, {NoParam, Param::ConnectId, Param::CleanSession}, NoRepeat, {}, NoParam},
    CommandForm{"+QMTCFG", "keepalive", 0, {NoParam, Param::ConnectId, Param::KeepAliveTime}, NoRepeat, {}, NoParam},
    // The answer to AT+QMTCFG="aliauth",<id> is "+QMTCFG: <product_key>,<device_name>,<device_secret>".
    CommandForm{"+QMTCFG",
                "aliauth",
                0,
                {NoParam, Param::ConnectId, Param::ProductKey, Param::DeviceName, Param::DeviceSecret},
                NoRepeat,
                {Param::ProductKey, Param::DeviceName, Param::DeviceSecret},
                NoParam},
    CommandForm{"+QMTCFG", "version", 0, {NoParam, Param::ConnectId, Param::VersionNum}, NoRepeat, {}, NoParam},
    CommandForm{"+QMTCFG", "showrecvlen", 0, {NoParam, Param::ConnectId, Param::ShowFlag}, NoRepeat, {}, NoParam},
    CommandForm{"+QMTCFG", "echomode", 0, {NoParam, Param::ConnectId, Param::EchoMode}, NoRepeat, {}, NoParam},
    CommandForm{"+QMTCFG",
                "dataformat",
                0,
                {NoParam, Param::ConnectId, Param::SendFormat, Param::RecvFormat},
                NoRepeat,
                {},
                NoParam},
    CommandForm{"+QMTCFG",
                "ssl",
                0,
                {NoParam, Param::ConnectId, Param::SslEnable, Param::SslContextId, Param::SslConnectId},
                NoRepeat,
                {},
                NoParam},
    CommandForm{"+QMTOPEN", nullptr, 0, {Param::ConnectId, Param::HostName, Param::Port}, NoRepeat, {}, NoParam},
    CommandForm{"+QMTCLOSE", nullptr, 0, {Param::ConnectId}, NoRepeat, {}, NoParam},
    CommandForm{"+QMTCONN",
                nullptr,
                0,
                {Param::ConnectId, Param::ClientId, Param::UserName, Param::Password},
                NoRepeat,
                {},
                NoParam},
    CommandForm{"+QMTDISC", nullptr, 0, {Param::ConnectId}, NoRepeat, {}, NoParam},
    CommandForm{"+QMTSUB", nullptr, 0, {Param::ConnectId, Param::MsgIdSub, Param::Topic, Param::Qos}, 2, {}, NoParam},
    CommandForm{"+QMTUNS", nullptr, 0, {Param::ConnectId, Param::MsgIdSub, Param::Topic}, 2, {}, NoParam},
    CommandForm{
        "+QMTPUB",
        nullptr,
        0,
        {Param::ConnectId, Param::MsgIdPub, Param::Qos, Param::Retain, Param::Topic, NoParam, Param::PayloadText},
        NoRepeat,
        {},
        NoParam},
    CommandForm{"+QSSLCFG",
                "seclevel",
                2,
                {Param::SslContextId, Param::SslConnectId, NoParam, Param::SecLevel},
                NoRepeat,
                {},
                NoParam},
    CommandForm{
        "+QSSLCFG", "cacert", 2, {Param::SslContextId, Param::SslConnectId, NoParam}, NoRepeat, {}, Param::CaCert},
    CommandForm{"+QSSLCFG",
                "clientcert",
                2,
                {Param::SslContextId, Param::SslConnectId, NoParam},
                NoRepeat,
                {},
                Param::ClientCert},
    CommandForm{"+QSSLCFG",
                "clientkey",
                2,
                {Param::SslContextId, Param::SslConnectId, NoParam},
                NoRepeat,
                {},
                Param::ClientKey},
    // The default PDP context's credentials; its query answers with them, password included.
    CommandForm{"+QCGDEFCONT",
                nullptr,
                0,
                {Param::PdpType, Param::Apn, Param::ApnUserName, Param::ApnPassword, Param::ApnAuthType},
                NoRepeat,
                {Param::PdpType, Param::Apn, Param::ApnUserName, Param::ApnPassword, Param::ApnAuthType},
                NoParam},
    // 3GPP 27.007 10.1.31; some firmware answers the query with the password too, so the answer is covered.
    CommandForm{"+CGAUTH",
                nullptr,
                0,
                {Param::PdpContextId, Param::ApnAuthType, Param::ApnUserName, Param::ApnPassword},
                NoRepeat,
                {Param::PdpContextId, Param::ApnAuthType, Param::ApnUserName, Param::ApnPassword},
                NoParam},
};

constexpr SpecTable Note{Params, Forms};
std::atomic<const SpecTable *> active{&Note};
std::atomic<unsigned> generation{0};

constexpr std::array<CfgOptionSpec, size_t(CfgOption::Count_)> CfgOptions{{
    {CfgOption::Will, "will", nullptr, true, QT_TRANSLATE_NOOP("qmt::Spec", "Will message")},
    {CfgOption::Timeout, "timeout", nullptr, false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Packet delivery timeout and retransmissions")},
    {CfgOption::Session, "session", nullptr, true, QT_TRANSLATE_NOOP("qmt::Spec", "Session type")},
    {CfgOption::KeepAlive, "keepalive", nullptr, true, QT_TRANSLATE_NOOP("qmt::Spec", "Keep-alive time")},
    {CfgOption::AliAuth, "aliauth", nullptr, true, QT_TRANSLATE_NOOP("qmt::Spec", "Alibaba Cloud device information")},
    {CfgOption::Version, "version", nullptr, true, QT_TRANSLATE_NOOP("qmt::Spec", "MQTT protocol version")},
    {CfgOption::ShowRecvLen, "showrecvlen", nullptr, false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Show the payload length in +QMTRECV")},
    {CfgOption::EchoMode, "echomode", "echo_mode", false, QT_TRANSLATE_NOOP("qmt::Spec", "Echo data-mode input")},
    {CfgOption::DataFormat, "dataformat", nullptr, false,
     QT_TRANSLATE_NOOP("qmt::Spec", "Send and receive data format")},
    {CfgOption::Ssl, "ssl", nullptr, true, QT_TRANSLATE_NOOP("qmt::Spec", "SSL/TLS")},
}};

constexpr std::array<CommandSpec, size_t(QmtCommand::Count_)> Commands{{
    {QmtCommand::Cfg, "+QMTCFG", 300, ResultShape::None, ResultValues::None, nullptr},
    {QmtCommand::Open, "+QMTOPEN", 176'000, ResultShape::Plain, ResultValues::None, &codes::openResult},
    {QmtCommand::Close, "+QMTCLOSE", 300, ResultShape::Plain, ResultValues::None, &codes::closeResult},
    {QmtCommand::Conn, "+QMTCONN", 0, ResultShape::Packet, ResultValues::ReturnCode, &codes::packetResult},
    {QmtCommand::Disc, "+QMTDISC", 300, ResultShape::Plain, ResultValues::None, &codes::discResult},
    {QmtCommand::Sub, "+QMTSUB", 0, ResultShape::Msg, ResultValues::GrantedQos, &codes::packetResult},
    {QmtCommand::Uns, "+QMTUNS", 0, ResultShape::Msg, ResultValues::None, &codes::packetResult},
    {QmtCommand::Pub, "+QMTPUB", 0, ResultShape::Msg, ResultValues::Retransmissions, &codes::packetResult},
}};

template<typename Table> constexpr bool indexedById(const Table &table)
{
    for (size_t i = 0; i < table.size(); ++i) {
        if (size_t(table[i].id) != i)
            return false;
    }
    return true;
}
static_assert(indexedById(Params), "Params must be listed in enum order");
static_assert(indexedById(CfgOptions), "CfgOptions must be listed in enum order");
static_assert(indexedById(Commands), "Commands must be listed in enum order");
// redactEmbedded() looks for a command with a secret only in a line that holds a '+'.
static_assert(std::all_of(Forms.begin(), Forms.end(), [](const CommandForm &f) { return f.command[0] == '+'; }),
              "A form's command is named from its '+' on");

} // namespace

Param CommandForm::argument(qsizetype index) const
{
    if (index < arguments.size())
        return arguments.at(int(index));
    if (repeatFrom < 0 || repeatFrom >= arguments.size())
        return NoParam;
    const qsizetype group = arguments.size() - repeatFrom;
    return arguments.at(int(repeatFrom + (index - repeatFrom) % group));
}

const SpecTable &noteSpecTable()
{
    return Note;
}

const SpecTable &specTable()
{
    return *active.load(std::memory_order_acquire);
}

unsigned specTableGeneration()
{
    return generation.load(std::memory_order_acquire);
}

SpecTableOverride::SpecTableOverride(const SpecTable &table)
    : m_previous(active.exchange(&table, std::memory_order_acq_rel))
{
    Q_ASSERT(table.params.size() == size_t(Param::Count_));
    generation.fetch_add(1, std::memory_order_acq_rel);
}

SpecTableOverride::~SpecTableOverride()
{
    active.store(m_previous, std::memory_order_release);
    generation.fetch_add(1, std::memory_order_acq_rel);
}

const ParamSpec &spec(Param p)
{
    return specTable().params[size_t(p)];
}
std::span<const ParamSpec> allParams()
{
    return specTable().params;
}
std::span<const CommandForm> commandForms()
{
    return specTable().forms;
}

QString describe(Param p)
{
    return QCoreApplication::translate(Ctx, spec(p).description);
}

QString unitText(Param p)
{
    const char *unit = spec(p).unit;
    if (qstrcmp(unit, "s") == 0)
        return QCoreApplication::translate(Ctx, "s", "seconds");
    if (qstrcmp(unit, "bytes") == 0)
        return QCoreApplication::translate(Ctx, "bytes");
    return {};
}

const CfgOptionSpec &spec(CfgOption o)
{
    return CfgOptions[size_t(o)];
}
std::span<const CfgOptionSpec> allCfgOptions()
{
    return CfgOptions;
}

std::optional<CfgOption> cfgOptionFromName(QByteArrayView name)
{
    for (const CfgOptionSpec &o : CfgOptions) {
        if (name.compare(o.name, Qt::CaseInsensitive) == 0 ||
            (o.altName && name.compare(o.altName, Qt::CaseInsensitive) == 0))
            return o.id;
    }
    return std::nullopt;
}

const CommandSpec &spec(QmtCommand c)
{
    return Commands[size_t(c)];
}

} // namespace qmt
