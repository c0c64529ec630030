#pragma once

#include "core/qmt/qmtcommands.h"
#include "core/qmt/qmtspec.h"

#include <QByteArray>
#include <optional>

namespace qmt::sim {

/// The AT+QMTCFG settings of one client slot as the virtual module holds them, starting from the note's
/// defaults (the spec table's). Not the host's qmt::SlotConfig (core/module/slotconfig.h), which is what
/// QMT Studio wants a slot to be and differs in its defaults (showrecvlen on, protocol-notes §6.2).
///
/// The note: "The configuration will not be saved", so a reboot brings these back.
struct SlotSettings
{
    WillConfig will;
    TimeoutConfig timeout;
    bool cleanSession = true;
    int keepAliveS = 120;
    std::optional<AliAuth> aliAuth;
    int version = 1; ///< 0 MQTT 3.1, 1 MQTT 3.1.1
    bool showRecvLen = false;
    bool echoMode = false;
    DataFormat sendFormat = DataFormat::Text;
    DataFormat recvFormat = DataFormat::Text;
    bool sslEnabled = false;
    int sslContextId = 0;
    int sslConnectId = 0;

    /// Every value from the spec table's defaults.
    [[nodiscard]] static SlotSettings defaults();

    /// The information line of the query form AT+QMTCFG="<option>",<id>; nullopt when the note prints none
    /// (an unset "aliauth").
    [[nodiscard]] std::optional<QByteArray> queryLine(CfgOption option) const;
};

} // namespace qmt::sim
