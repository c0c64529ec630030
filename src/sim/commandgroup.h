#pragma once

#include "sim/commandoutcome.h"
#include "sim/commandrequest.h"

namespace qmt::sim {

/// A set of AT commands the virtual module implements.
class CommandGroup
{
public:
    virtual ~CommandGroup() = default;

    /// Whether the group implements the command of this (upper-case) name: "+QMTCFG", "E", "" (bare AT).
    [[nodiscard]] virtual bool handles(const QByteArray &name) const = 0;
    virtual CommandOutcome execute(const CommandRequest &request) = 0;
};

} // namespace qmt::sim
