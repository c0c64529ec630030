#pragma once

#include "core/qmt/qmtspec.h"
#include "sim/brokerredirect.h"
#include "sim/commandoutcome.h"
#include "sim/faultplan.h"
#include "sim/moduletimings.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTimer>
#include <array>
#include <memory>

namespace qmt::sim {

class CommandGroup;
class GeneralCommands;
class HostInput;
class LinePacer;
class MqttCommands;
class MqttSlot;
class NetworkCommands;
class NetworkModel;
class SslCommands;

/// A virtual Quectel BC660K-GL: the module's side of the AT dialogue, with a real MQTT client behind it.
///
/// Bytes from the host go in through receive(); the module's bytes come out through transmit(), paced like
/// a UART. It answers as the application note and docs/protocol-notes.md describe (echo, result codes, every AT+QMT
/// command, data mode, URCs, AT+QSSLCFG, the general commands), connects to whatever broker AT+QMTOPEN
/// names (or the redirect), and reports what the broker really did. Faults can be standing (FaultPlan) or
/// one-shot (the methods below). Everything runs on the object's thread without blocking it; the MQTT
/// clients run their I/O on worker threads. Wrap it in a VirtualModuleDevice to use it as a QIODevice, or
/// serve it on a pseudo-terminal with PseudoTerminal.
class VirtualModule : public QObject
{
    Q_OBJECT

public:
    /// URCs held back (data mode, a command running) beyond this many are dropped, oldest first.
    static constexpr int MaxHeldUrcs = 256;
    /// Command lines that arrive while one is still running wait; beyond this many they are dropped.
    static constexpr int MaxPendingLines = 64;

    explicit VirtualModule(QObject *parent = nullptr);
    ~VirtualModule() override;

    void setTimings(const ModuleTimings &timings);
    [[nodiscard]] const ModuleTimings &timings() const { return m_timings; }
    void setFaults(const FaultPlan &faults);
    [[nodiscard]] const FaultPlan &faults() const { return m_faults; }
    void setBrokerRedirects(const BrokerRedirects &redirects) { m_redirects = redirects; }
    [[nodiscard]] const BrokerRedirects &brokerRedirects() const { return m_redirects; }

    /// Bytes from the host, as they would arrive on the module's RXD.
    void receive(const QByteArray &bytes);

    // One-shot faults.
    /// Resets the broker connection of client `connectId` (all clients for -1) as a broker restart would.
    /// False when there was no connection to drop.
    bool dropBrokerConnection(int connectId = -1);
    /// Stops (or restarts) all traffic on the link of client `connectId` (all for -1), as a dead radio link.
    void setLinkStalled(int connectId, bool stalled);
    /// The next `count` responses are never sent.
    void swallowNextResponses(int count);
    /// Sends these bytes now, between lines.
    void injectGarbage(const QByteArray &bytes);
    /// Resets the module now: RDY and +CFUN: 1 follow after ModuleTimings::bootMs.
    void reboot();
    /// With sleep modelled and sleep enabled by AT+QSCLK, falls asleep now rather than after the idle time.
    void sleepNow();

    [[nodiscard]] bool isAsleep() const;
    [[nodiscard]] bool isBooting() const { return m_booting; }
    /// From the prompt until the data is in (or cancelled, or timed out).
    [[nodiscard]] bool inDataMode() const;
    /// Data mode has begun: bytes now count as data.
    [[nodiscard]] bool acceptingData() const;
    /// URCs waiting for the line to be free (a command running, data mode).
    [[nodiscard]] int heldUrcCount() const { return int(m_heldUrcs.size()); }
    /// Bytes the host sent during the settle time after a prompt, lost with FaultPlan::loseEarlyData.
    [[nodiscard]] quint64 bytesLostBeforeDataMode() const;

Q_SIGNALS:
    /// Bytes on the module's TXD.
    void transmit(const QByteArray &bytes);
    /// Why something failed (a refused TLS handshake, an unknown host), for the program's log.
    void diagnostic(const QString &text);
    void rebooted();

private:
    void onHostBytes(const QByteArray &bytes);
    void onCommandLine(const QByteArray &line);
    void execute(const QByteArray &line);
    CommandOutcome dispatch(const QByteArray &line);
    void respond(const CommandOutcome &outcome);
    void processPendingLines();
    void onUrc(const QByteArray &line);
    void flushUrcs();
    [[nodiscard]] bool canSendUrcs() const;
    /// Queues module output; `delayed` applies the latency fault.
    void send(const QByteArray &bytes, bool delayed);
    /// Appends a line (CR LF around it, or after it when it continues a block) and any garbage due.
    void appendLine(QByteArray &out, const QByteArray &line, bool opensBlock);
    [[nodiscard]] QByteArray finalText(const CommandOutcome &outcome) const;
    void noteActivity();
    void finishBoot();

    ModuleTimings m_timings;
    FaultPlan m_faults;
    BrokerRedirects m_redirects;

    LinePacer *m_rx;
    LinePacer *m_tx;
    HostInput *m_input;
    NetworkModel *m_network;
    GeneralCommands *m_general;
    std::unique_ptr<NetworkCommands> m_networkCommands;
    std::unique_ptr<SslCommands> m_ssl;
    std::array<MqttSlot *, SlotCount> m_slots{};
    std::unique_ptr<MqttCommands> m_mqtt;
    QList<CommandGroup *> m_groups;

    std::function<CommandOutcome(const QByteArray &)> m_dataHandler;
    QList<QByteArray> m_pendingLines;
    QList<QByteArray> m_heldUrcs;
    QTimer m_sleepTimer;
    QTimer m_bootTimer;
    QTimer m_rebootFault;
    quint64 m_responses = 0;
    quint64 m_lines = 0;
    int m_swallowNext = 0;
    bool m_busy = false;
    bool m_booting = false;
    bool m_rebootOnArmed = false;
    bool m_processScheduled = false;
};

} // namespace qmt::sim
