#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <initializer_list>
#include <optional>
#include <span>

namespace qmt {

/// Every parameter of the BC660K-GL MQTT command set that a host can set.
///
/// This is the one table the builders validate against, the GUI takes its widget bounds from and the
/// virtual module checks incoming commands with, so a range is written down exactly once.
enum class Param {
    ConnectId,
    MsgIdPub,
    MsgIdSub,
    Qos,
    Retain,
    Topic,
    HostName,
    Port,
    ClientId,
    UserName,
    Password,
    WillFlag,
    WillQos,
    WillRetain,
    WillTopic,
    WillMessage,
    PktTimeout,
    RetryTimes,
    TimeoutNotice,
    CleanSession,
    KeepAliveTime,
    ProductKey,
    DeviceName,
    DeviceSecret,
    VersionNum,
    ShowFlag,
    EchoMode,
    SendFormat,
    RecvFormat,
    SslEnable,
    SslContextId,
    SslConnectId,
    PayloadText,
    PayloadHex,
    SecLevel,
    CaCert,
    ClientCert,
    ClientKey,
    PdpType,
    Apn,
    ApnUserName,
    ApnPassword,
    ApnAuthType,
    PdpContextId,
    Count_
};

/// Marks an argument that is no parameter of the table: a form's keyword, a length the builder computes.
inline constexpr Param NoParam = Param::Count_;

/// The values of <send_format> and <recv_format> (AT+QMTCFG="dataformat"): how a slot's payloads are
/// printed on the line.
enum class DataFormat {
    Text = 0,
    Hex = 1
};

enum class ParamKind {
    Integer, ///< minimum/maximum bound the value
    Text,    ///< a quoted string; minimum/maximum bound its length in bytes
    Payload  ///< message bytes; minimum/maximum bound the length in bytes
};

struct ParamSpec
{
    Param id;
    const char *name; ///< as the application note writes it, without angle brackets
    ParamKind kind;
    int minimum;
    int maximum;
    std::optional<int> defaultValue; ///< the note's default (integers only)
    const char *unit;                ///< "s", "bytes" or "" (source text; translate for display)
    /// Never logged, exported, traced or shown in plain text. The one place that says so: redaction
    /// (redaction.h), widgets, validation messages, the console's prompts and the virtual module's trace
    /// all read it here, through the command forms below.
    bool secret;
    const char *description; ///< source text for tr()
};

/// The parameters of a command form's arguments (or of the fields of its answer), in order.
class ParamList
{
public:
    static constexpr int Capacity = 8;

    constexpr ParamList() = default;
    constexpr ParamList(std::initializer_list<Param> params)
    {
        for (const Param p : params)
            m_items[size_t(m_size++)] = p;
    }
    [[nodiscard]] constexpr int size() const { return m_size; }
    [[nodiscard]] constexpr Param at(int i) const { return m_items[size_t(i)]; }

private:
    std::array<Param, Capacity> m_items{};
    int m_size = 0;
};

/// One form of an AT command as far as its arguments go: which parameter each argument (and each field of
/// the answer to its query) is. Anything that must know where a command carries a secret finds it here.
struct CommandForm
{
    const char *command; ///< "+QMTCONN"
    const char *keyword; ///< the argument naming the form ("aliauth"), or nullptr when the command has one
    int keywordIndex;    ///< where the keyword sits (AT+QSSLCFG=<ctx>,<conn>,"clientkey": 2)
    ParamList arguments; ///< the write form's arguments; NoParam for the keyword and computed lengths
    int repeatFrom;      ///< the arguments from here on repeat as a group (AT+QMTSUB's pairs); -1: none
    ParamList answer;    ///< the fields of the "+NAME: …" line that answers the query of this form
    Param promptData;    ///< what the host types after this form's "> " prompt; NoParam when nothing

    /// The parameter argument `index` is, counting repeated groups; NoParam past the end.
    [[nodiscard]] Param argument(qsizetype index) const;
};

/// The parameters and the command forms: what spec(), allParams() and commandForms() read.
struct SpecTable
{
    std::span<const ParamSpec> params; ///< indexed by Param
    std::span<const CommandForm> forms;
};

/// The table as the application note gives it.
[[nodiscard]] const SpecTable &noteSpecTable();
/// The table in force: the note's, unless a SpecTableOverride is alive.
[[nodiscard]] const SpecTable &specTable();
/// Changes whenever another table comes into force, so what is derived from the table can be found again
/// (a table's address says nothing: a test's copy may live where an earlier one lived).
[[nodiscard]] unsigned specTableGeneration();

/// Puts another table in force while it lives. For tests only: they prove with it that redaction,
/// widgets, validation, the console's prompts and the virtual module's trace follow the table alone (a
/// parameter made secret in a copy of the table is redacted everywhere). Overrides nest.
class SpecTableOverride
{
public:
    explicit SpecTableOverride(const SpecTable &table);
    ~SpecTableOverride();
    SpecTableOverride(const SpecTableOverride &) = delete;
    SpecTableOverride &operator=(const SpecTableOverride &) = delete;

private:
    const SpecTable *m_previous;
};

/// The entry for `p`. Every Param has one.
[[nodiscard]] const ParamSpec &spec(Param p);
[[nodiscard]] std::span<const ParamSpec> allParams();
/// Every command form the table describes.
[[nodiscard]] std::span<const CommandForm> commandForms();
/// Description and unit translated for display.
[[nodiscard]] QString describe(Param p);
[[nodiscard]] QString unitText(Param p);

/// The ten AT+QMTCFG options, in the note's order.
enum class CfgOption {
    Will,
    Timeout,
    Session,
    KeepAlive,
    AliAuth,
    Version,
    ShowRecvLen,
    EchoMode,
    DataFormat,
    Ssl,
    Count_
};

struct CfgOptionSpec
{
    CfgOption id;
    const char *name;     ///< the write form's spelling, e.g. "echomode"
    const char *altName;  ///< another spelling the module prints (test form "echo_mode"), or nullptr
    bool mustPrecedeOpen; ///< the note: set before AT+QMTOPEN or it has no effect
    const char *description;
};

[[nodiscard]] const CfgOptionSpec &spec(CfgOption o);
[[nodiscard]] std::span<const CfgOptionSpec> allCfgOptions();
/// Accepts either spelling, case-insensitively (modules print "SSL" and "ssl" alike).
[[nodiscard]] std::optional<CfgOption> cfgOptionFromName(QByteArrayView name);

/// The AT+QMT commands and how long the module may take to answer each (the note's "Maximum Response Time").
enum class QmtCommand {
    Cfg,
    Open,
    Close,
    Conn,
    Disc,
    Sub,
    Uns,
    Pub,
    Count_
};

/// The fields of a command's result URC after "<TCP_connectID>".
enum class ResultShape : quint8 {
    None,   ///< no result URC: OK or ERROR is the whole answer (AT+QMTCFG)
    Plain,  ///< "<result>": OPEN, CLOSE, DISC
    Packet, ///< "<result>[,<value>…]" of a CONNECT packet: result 1 is a retransmission, +QMTSTAT ends it
    Msg,    ///< "<msgID>,<result>[,<value>…]": a packet with a message ID (SUB, UNS, PUB), otherwise as Packet
};

/// What the values after a result mean.
enum class ResultValues : quint8 {
    None,            ///< there are none
    ReturnCode,      ///< one: the CONNACK return code (CONN)
    GrantedQos,      ///< one per topic when the result is 0, the retransmissions when it is 1 (SUB)
    Retransmissions, ///< one: how often the packet was sent again (PUB)
};

/// One AT+QMT command as the parser, the result matcher and qmt-decode read it: adding a command is a row of
/// the table (and its builder in QmtCommands); its result URC is then parsed, matched and written out.
struct CommandSpec
{
    QmtCommand id;
    const char *name;   ///< "+QMTOPEN"
    int fixedTimeoutMs; ///< 0 when the timeout follows the slot's "timeout" configuration
    ResultShape result;
    ResultValues values;
    QString (*meaning)(int result); ///< the note's text for a result code (qmt::codes); null without a result

    /// OK first, the result later as a URC of the same name.
    [[nodiscard]] constexpr bool twoPhase() const { return result != ResultShape::None; }
    /// The result URC carries a <msgID> before <result>.
    [[nodiscard]] constexpr bool hasMsgId() const { return result == ResultShape::Msg; }
    /// Result 1 reports a retransmission and +QMTSTAT ends the command: it sent an MQTT packet.
    [[nodiscard]] constexpr bool sendsPacket() const
    {
        return result == ResultShape::Packet || result == ResultShape::Msg;
    }
};

[[nodiscard]] const CommandSpec &spec(QmtCommand c);

/// Number of MQTT client slots (TCP_connectID 0–4).
inline constexpr int SlotCount = 5;
/// Payload limits of AT+QMTPUB: bytes in text send format, bytes (before hex encoding) in hex format.
inline constexpr int MaxPayloadText = 1460;
inline constexpr int MaxPayloadHex = 730;

/// A slot's "timeout" configuration; it sets how long CONN/SUB/UNS/PUB may take.
struct TimeoutConfig
{
    int pktTimeoutS = 30;
    int retryTimes = 0;
    bool timeoutNotice = false;

    /// `<pkt_timeout> × (<retry_times> + 1)`, the note's maximum response time.
    [[nodiscard]] int commandTimeoutMs() const { return pktTimeoutS * (retryTimes + 1) * 1000; }
    friend bool operator==(const TimeoutConfig &, const TimeoutConfig &) = default;
};

} // namespace qmt
