#pragma once

#include "core/qmt/qmtspec.h"
#include "sim/commandgroup.h"

#include <array>

namespace qmt::sim {

class CommandArgs;
class MqttSlot;

/// AT+QMTCFG, AT+QMTOPEN, AT+QMTCLOSE, AT+QMTCONN, AT+QMTDISC, AT+QMTSUB, AT+QMTUNS and AT+QMTPUB in all
/// their forms (application note 3.3), validated against the spec table the host side builds them with.
///
/// The test forms are generated from the same table, so they show the ranges the module enforces.
class MqttCommands : public CommandGroup
{
public:
    explicit MqttCommands(std::array<MqttSlot *, SlotCount> slots);

    [[nodiscard]] bool handles(const QByteArray &name) const override;
    CommandOutcome execute(const CommandRequest &request) override;

private:
    CommandOutcome cfg(const CommandRequest &r);
    CommandOutcome applyCfg(CfgOption option, MqttSlot &slot, CommandArgs &args);
    CommandOutcome open(const CommandRequest &r);
    CommandOutcome close(const CommandRequest &r);
    CommandOutcome conn(const CommandRequest &r);
    CommandOutcome disc(const CommandRequest &r);
    CommandOutcome sub(const CommandRequest &r);
    CommandOutcome uns(const CommandRequest &r);
    CommandOutcome pub(const CommandRequest &r);
    /// The slot named by the first parameter, or nullptr with the failure recorded in `args`.
    MqttSlot *slotOf(CommandArgs &args, qsizetype index = 0);

    std::array<MqttSlot *, SlotCount> m_slots;
};

} // namespace qmt::sim
