#pragma once

#include "core/qmt/qmtspec.h"
#include "core/qmt/validation.h"

#include "core/at/atcommand.h"

#include <QByteArray>
#include <QList>

#include <array>
#include <memory>

namespace qmt {

struct WillConfig
{
    bool enabled = false;
    int qos = 0;
    bool retain = false;
    QByteArray topic;
    QByteArray message;
    friend bool operator==(const WillConfig &, const WillConfig &) = default;
};

struct AliAuth
{
    QByteArray productKey;
    QByteArray deviceName;
    QByteArray deviceSecret;
};

struct TopicQos
{
    QByteArray topic;
    qint64 qos = 0;
};

/// The three AT+QMTPUB write forms (note 3.3.8); Auto picks one from the payload.
enum class PublishForm {
    Auto,           ///< Inline for printable text, FixedLength for anything else (binary, quotes, CR/LF)
    VariableLength, ///< data mode ended by Ctrl+Z: the payload must not contain Ctrl+Z or Esc
    FixedLength,    ///< data mode of exactly <msg_len> bytes: any bytes
    Inline          ///< <msg_len>,"<msg>" on the command line: printable text without quotes
};

struct Publish
{
    qint64 connectId = 0;
    qint64 msgId = 0;
    qint64 qos = 0;
    bool retain = false;
    QByteArray topic;
    QByteArray payload; ///< the message bytes; hex-encoded on the wire when the slot sends in hex
    PublishForm form = PublishForm::Auto;
};

/// AT+QSSLCFG certificate items (BC660K SSL application note; protocol-notes §5.1).
enum class SslItem {
    CaCert,
    ClientCert,
    ClientKey
};
[[nodiscard]] const char *sslItemName(SslItem item);

/// What the host last told the module about a slot, as far as building commands depends on it.
struct SlotSettings
{
    TimeoutConfig timeout;
    DataFormat sendFormat = DataFormat::Text;
    DataFormat recvFormat = DataFormat::Text;
};

/// Updates what is known of a slot's settings from a command the module finished: an AT+QMTCFG "timeout"
/// or "dataformat" that it accepted, or its answer to their query — whoever sent it (the builders, the AT
/// console, a capture being decoded).
void learnSlotSettings(std::array<SlotSettings, SlotCount> &table, const AtReply &reply);

/// Builds every command form of the note's chapter 3, validated against the spec table.
///
/// Nothing invalid comes out: a builder returns a ValidationError naming the parameter, the allowed range
/// and the value, and no bytes exist to be sent. Commands carry their maximum response time — for CONN,
/// SUB, UNS and PUB taken from the slot's current "timeout" configuration, which this object tracks from
/// the configuration commands it built as they succeed — and, for two-phase commands, the matcher that
/// recognises their result URC by connect ID and msgID.
class QmtCommands
{
public:
    QmtCommands();

    [[nodiscard]] SlotSettings settings(int connectId) const;
    void setSettings(int connectId, const SlotSettings &settings);
    /// The module rebooted: its MQTT configuration is back to the defaults (the note: not saved).
    void resetSettings();
    /// Learns from a command that did not come from these builders (see learnSlotSettings()).
    void learn(const AtReply &reply) { learnSlotSettings(*m_settings, reply); }

    // Test forms: AT+QMTCFG=?, AT+QMTOPEN=? … AT+QMTPUB=?
    [[nodiscard]] static AtCommand testForm(QmtCommand command);

    // AT+QMTCFG
    [[nodiscard]] Validated<AtCommand> cfgQuery(CfgOption option, qint64 connectId) const;
    [[nodiscard]] Validated<AtCommand> cfgWill(qint64 connectId, const WillConfig &will) const;
    [[nodiscard]] Validated<AtCommand> cfgTimeout(qint64 connectId, qint64 pktTimeoutS, qint64 retryTimes,
                                                  qint64 timeoutNotice) const;
    [[nodiscard]] Validated<AtCommand> cfgSession(qint64 connectId, qint64 cleanSession) const;
    [[nodiscard]] Validated<AtCommand> cfgKeepAlive(qint64 connectId, qint64 seconds) const;
    [[nodiscard]] Validated<AtCommand> cfgAliAuth(qint64 connectId, const AliAuth &auth) const;
    [[nodiscard]] Validated<AtCommand> cfgVersion(qint64 connectId, qint64 version) const;
    [[nodiscard]] Validated<AtCommand> cfgShowRecvLen(qint64 connectId, qint64 show) const;
    [[nodiscard]] Validated<AtCommand> cfgEchoMode(qint64 connectId, qint64 echo) const;
    [[nodiscard]] Validated<AtCommand> cfgDataFormat(qint64 connectId, qint64 sendFormat, qint64 recvFormat) const;
    [[nodiscard]] Validated<AtCommand> cfgSsl(qint64 connectId, qint64 enable, qint64 contextId = 0,
                                              qint64 sslConnectId = 0) const;

    // Network and session
    [[nodiscard]] static AtCommand openRead();
    [[nodiscard]] Validated<AtCommand> open(qint64 connectId, const QByteArray &host, qint64 port) const;
    [[nodiscard]] Validated<AtCommand> close(qint64 connectId) const;
    [[nodiscard]] static AtCommand connRead();
    /// user name and password are optional; a password needs a user name (the command's syntax).
    [[nodiscard]] Validated<AtCommand> conn(qint64 connectId, const QByteArray &clientId,
                                            const std::optional<QByteArray> &userName = std::nullopt,
                                            const std::optional<QByteArray> &password = std::nullopt) const;
    [[nodiscard]] Validated<AtCommand> disc(qint64 connectId) const;

    // Messages
    [[nodiscard]] Validated<AtCommand> subscribe(qint64 connectId, qint64 msgId, const QList<TopicQos> &topics) const;
    [[nodiscard]] Validated<AtCommand> unsubscribe(qint64 connectId, qint64 msgId,
                                                   const QList<QByteArray> &topics) const;
    [[nodiscard]] Validated<AtCommand> publish(const Publish &message) const;
    /// The form Auto would choose for `payload` on a slot with `format`.
    [[nodiscard]] static PublishForm chooseForm(const QByteArray &payload, DataFormat format);

    // AT+QSSLCFG=<contextID>,<connectID>,…: the SSL context and connect ID a slot names in AT+QMTCFG="ssl".
    [[nodiscard]] Validated<AtCommand> sslSecLevel(qint64 level, qint64 contextId = 0, qint64 connectId = 0) const;
    /// The query form: AT+QSSLCFG=<contextID>,<connectID>,"seclevel".
    [[nodiscard]] static Validated<AtCommand> sslSecLevelQuery(qint64 contextId = 0, qint64 connectId = 0);
    [[nodiscard]] Validated<AtCommand> sslUpload(SslItem item, const QByteArray &pem, qint64 contextId = 0,
                                                 qint64 connectId = 0) const;

private:
    using SettingsTable = std::array<SlotSettings, SlotCount>;
    [[nodiscard]] Validated<AtCommand> cfgSet(CfgOption option, qint64 connectId, const QByteArray &values) const;
    [[nodiscard]] int packetTimeoutMs(qint64 connectId) const;

    std::shared_ptr<SettingsTable> m_settings;
};

} // namespace qmt
