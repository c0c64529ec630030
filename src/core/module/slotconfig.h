#pragma once

#include "core/qmt/qmtcommands.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>
#include <tuple>

namespace qmt {

class JsonFields;

/// Everything the host configures for one MQTT client slot: the AT+QMTCFG options, the broker and the
/// CONNECT credentials. Defaults are the note's (via the spec table).
///
/// The password and the Alibaba device secret are held here only in memory; toJson() never writes them
/// (profiles and exports hold references, and the keychain holds the values).
struct SlotConfig
{
    QByteArray host;
    int port = 1883;
    QByteArray clientId;
    QByteArray userName; ///< empty: CONNECT without user name
    QByteArray password; ///< secret; empty: no password
    WillConfig will;
    int pktTimeoutS = 30;
    int retryTimes = 0;
    bool timeoutNotice = false;
    bool cleanSession = true;
    int keepAliveS = 120;
    bool aliAuthEnabled = false;
    QByteArray productKey;
    QByteArray deviceName;
    QByteArray deviceSecret; ///< secret
    int version = 1;         ///< 0 MQTT 3.1, 1 MQTT 3.1.1
    bool showRecvLen = true; ///< the application's choice: exact framing of payloads with CR/LF (protocol-notes §6.2)
    bool echoMode = false;
    DataFormat sendFormat = DataFormat::Text;
    DataFormat recvFormat = DataFormat::Text;
    bool sslEnabled = false;
    int sslContextId = 0;
    int sslConnectId = 0;

    /// The AT+QMTCFG commands that put this configuration on the module, in the note's option order.
    /// Without `includeBeforeOpen`, the options that take effect only before AT+QMTOPEN are left out.
    [[nodiscard]] Validated<QList<AtCommand>> configCommands(int slot, const QmtCommands &commands,
                                                             bool includeBeforeOpen = true) const;
    /// AT+QMTOPEN and AT+QMTCONN for this configuration.
    [[nodiscard]] Validated<AtCommand> openCommand(int slot, const QmtCommands &commands) const;
    [[nodiscard]] Validated<AtCommand> connectCommand(int slot, const QmtCommands &commands) const;

    /// Without secrets: `password` and `deviceSecret` are left out (hasPassword/hasDeviceSecret say whether
    /// one is set, so a profile knows to ask the keychain).
    [[nodiscard]] QJsonObject toJson() const;
    /// Reads what toJson() wrote; unknown keys are ignored, missing keys keep the defaults. A member of the
    /// wrong type or a number out of the note's ranges is refused with the error naming the field.
    [[nodiscard]] static Validated<SlotConfig> fromJson(const QJsonObject &json);
    /// As above, the error going to `fields` (see JsonFields).
    [[nodiscard]] static SlotConfig fromJson(JsonFields &fields);
    /// The first text field the spec table refuses, named by its JSON key ("will: topic"), as the builders
    /// would refuse it at Start. An empty field is not set, and passes.
    [[nodiscard]] std::optional<ValidationError> problem() const;

    /// The fields of the options that count only when set before AT+QMTOPEN (the note 3.3.1, note 6:
    /// "will", "session", "keepalive", "aliauth", "version", "ssl"), as one tuple of references: compared
    /// and copied as a whole, listed once.
    [[nodiscard]] auto beforeOpenFields()
    {
        return std::tie(will, cleanSession, keepAliveS, aliAuthEnabled, productKey, deviceName, deviceSecret, version,
                        sslEnabled, sslContextId, sslConnectId);
    }
    [[nodiscard]] auto beforeOpenFields() const
    {
        return std::tie(will, cleanSession, keepAliveS, aliAuthEnabled, productKey, deviceName, deviceSecret, version,
                        sslEnabled, sslContextId, sslConnectId);
    }

    friend bool operator==(const SlotConfig &, const SlotConfig &) = default;
};

} // namespace qmt
