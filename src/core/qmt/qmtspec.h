#pragma once

#include <QByteArray>
#include <QString>

#include <array>
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
    Count_
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
    bool secret;                     ///< never logged or exported in plain text
    const char *description;         ///< source text for tr()
};

/// The entry for `p`. Every Param has one.
[[nodiscard]] const ParamSpec &spec(Param p);
[[nodiscard]] std::span<const ParamSpec> allParams();
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

struct CommandSpec
{
    QmtCommand id;
    const char *name;   ///< "+QMTOPEN"
    bool twoPhase;      ///< OK first, the result later as a URC of the same name
    int fixedTimeoutMs; ///< 0 when the timeout follows the slot's "timeout" configuration
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
