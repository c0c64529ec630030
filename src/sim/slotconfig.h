#pragma once

#include "qmt/qmtcommands.h"
#include "qmt/qmtspec.h"

#include <QByteArray>
#include <optional>

namespace qmt::sim {

/// The AT+QMTCFG settings of one client slot, starting from the note's defaults (the spec table's).
///
/// The note: "The configuration will not be saved", so a reboot brings these back.
struct SlotConfig
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
    [[nodiscard]] static SlotConfig defaults();

    /// The information line of the query form AT+QMTCFG="<option>",<id>; nullopt when the note prints none
    /// (an unset "aliauth").
    [[nodiscard]] std::optional<QByteArray> queryLine(CfgOption option) const;
};

} // namespace qmt::sim
