#pragma once

#include "core/at/atcommand.h"

namespace qmt::sim {

/// How long the virtual module takes for the things a real BC660K-GL does in its own time.
///
/// The defaults are the real module's figures where a source gives one; tests shorten them through
/// VirtualModule::setTimings() so that a 60 s data-mode timeout does not cost a minute of wall time.
struct ModuleTimings
{
    /// With FaultPlan::loseEarlyData, data mode begins this long after the `>` prompt and bytes before it are
    /// lost (protocol-notes §4.1); otherwise it begins with the prompt.
    int dataModeSettleMs = DataModeSettleMs;
    /// The module leaves data mode after this long without a byte (application note 3.3.8, note 5).
    int dataModeIdleMs = DataModeIdleExitMs;
    /// From reset to `RDY`. Not documented; a short figure keeps reboots cheap to rehearse.
    int bootMs = 800;
    /// From `+CFUN: 1` (or AT+CFUN=1, AT+CGATT=1) to network registration. Real NB-IoT cells take seconds
    /// to minutes (protocol-notes §9.6); the default stays short so a reboot does not stall a session.
    int registrationMs = 1500;
    /// With sleep modelled, the module falls asleep after this long without traffic: the default of
    /// AT+QCFG="slplocktimes" (protocol-notes §3.2).
    int sleepAfterIdleMs = 10'000;
    /// URCs wait while the host is typing a command line, but not longer than this after the last byte, so a
    /// half-typed line in a terminal does not hold them forever.
    int typingHoldMs = 1'000;
    /// AT+QMTOPEN gives up on an unanswered TCP/TLS connect after this long (the note allows 176 s).
    int openTimeoutMs = 60'000;
    /// How long the network takes to answer: what comes from it (a TCP/TLS connection up or refused, CONNACK,
    /// SUBACK, PUBACK, a message, the end of a connection) reaches the module this long after it happened on
    /// the wire to the broker, so each result comes one round trip after its OK. A real NB-IoT network takes
    /// hundreds of ms to seconds (protocol-notes §11.3); 0 answers as fast as the broker does. Separate from
    /// FaultPlan::latencyMs, which delays the serial line.
    int networkDelayMs = 300;
    /// After AT+QMTCLOSE sent DISCONNECT, how long the module waits for the server to close the link.
    int serverCloseWaitMs = 2'000;
};

} // namespace qmt::sim
