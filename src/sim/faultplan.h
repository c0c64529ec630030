#pragma once

#include <QByteArray>
#include <QList>

namespace qmt::sim {

/// Standing faults of the virtual module, for reliability tests and for users rehearsing failures.
///
/// Every field's default means "no fault". One-shot faults (drop the broker connection now, swallow the
/// next response, reboot now, stall a link) are methods of VirtualModule; this struct holds what stays in
/// force until changed.
struct FaultPlan
{
    /// Line-rate cap in baud (8N1: ten bits per byte) for both directions; 0 leaves the line unthrottled.
    int baudRate = 0;
    /// Added before every response and URC (not the echo, which a UART sends as the bytes arrive).
    int latencyMs = 0;
    /// Every Nth response (information lines and final result) is never sent; 0 swallows none.
    int swallowEvery = 0;
    /// After every Nth line the module prints, `garbage` follows on the wire; 0 adds none.
    int garbageEvery = 0;
    QByteArray garbage = QByteArrayLiteral("\xFF\xFE");
    /// Models sleep: with AT+QSCLK=1 or 2 and the line idle for ModuleTimings::sleepAfterIdleMs, the first
    /// command that arrives wakes the module and is lost (protocol-notes §3.3). Off by default so a terminal session
    /// typed at human speed works like the note's examples.
    bool sleep = false;
    /// Data mode begins only ModuleTimings::dataModeSettleMs after the `>` prompt, and what the host sends
    /// earlier is lost: what the AT manual's advice to wait 500 ms guards against (protocol-notes §4.1). Off by
    /// default, as a real module takes data sent at once (protocol-notes §11.2).
    bool loseEarlyData = false;
    /// Each MQTT connection is dropped (as if the broker reset it) this long after its CONNACK; -1 never.
    int dropBrokerAfterMs = -1;
    /// One reboot this long after this value is set; -1 never.
    int rebootAfterMs = -1;
    /// Reboots right after answering the first command (since this value was set) that starts with this
    /// text, case-insensitively: "AT+QMTOPEN" reboots between its OK and its result. Empty: never.
    QByteArray rebootOnCommand;

    /// The baud rates a BC660K-GL host may use and the cap accepts (protocol-notes §3.1, up to 921600).
    [[nodiscard]] static const QList<int> &supportedBaudRates();
    [[nodiscard]] static bool isSupportedBaudRate(int baud);
};

} // namespace qmt::sim
