#pragma once

#include "core/module/consolesession.h"
#include "core/module/moduleinfo.h"
#include "core/module/moduleinfopoller.h"
#include "core/module/portprovider.h"
#include "core/module/portsession.h"
#include "core/module/slotconfig.h"
#include "core/module/slotmachine.h"
#include "core/module/slotstatus.h"

#include "core/qmt/qmtcommands.h"
#include "core/qmt/qmtevents.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <array>
#include <bitset>
#include <memory>

namespace qmt {

/// The module as the application sees it, and the one way to it: a small façade over the parts of the module
/// layer — the line to the module (PortSession), the five client slots (SlotMachine, each with its
/// subscriptions and recovery policy), the AT console (ConsoleSession) and the module information
/// (ModuleInfo, kept fresh by ModuleInfoPoller). The GUI acts through its typed operations and watches its
/// signals; it never holds the AT channel for writing.
///
/// State follows the module's own reports: every +QMTOPEN/+QMTCONN/+QMTDISC/+QMTCLOSE/+QMTSTAT URC moves a
/// slot, whoever sent the command (the user's AT console included). Actions are validated before anything
/// is sent; an invalid one returns the ValidationError and sends nothing. Nothing here blocks: everything
/// is signals, timers and the channel's queue.
class ModuleController : public QObject, private SlotHost
{
    Q_OBJECT

public:
    enum class PortState {
        Closed,
        Open,
        Lost
    };
    Q_ENUM(PortState)

    explicit ModuleController(QObject *parent = nullptr);
    ~ModuleController() override;

    /// The AT channel, to watch (what is sent and received, whether it is idle); commands go through the
    /// typed operations below.
    [[nodiscard]] const AtChannel &channel() const { return m_port.channel(); }
    [[nodiscard]] const QmtCommands &commands() const override { return m_commands; }

    // --- port ---
    /// Replaces the port (closing the current one).
    void setPortProvider(std::unique_ptr<PortProvider> provider);
    [[nodiscard]] PortProvider *portProvider() const { return m_port.provider(); }
    bool openPort(QString *error = nullptr);
    void closePort();
    [[nodiscard]] PortState portState() const { return m_portState; }

    // --- configuration and state ---
    /// The configuration as the user edits it (what the Configuration panel shows).
    [[nodiscard]] const SlotConfig &config(int slot) const;
    /// Stores the configuration; it goes to the module with applyConfig(), start() or reconnectWithConfig().
    /// A running slot keeps the settings it was started with: recovery never picks up an edit on its own.
    void setConfig(int slot, const SlotConfig &config);
    /// The settings the slot was last started with, credentials included: what it runs with and what
    /// recovery and reconnectNow() reconnect with. nullopt before the slot was first started.
    [[nodiscard]] const std::optional<SlotConfig> &sessionConfig(int slot) const;
    /// The slot is up (or on its way back up) with other settings than config(): they apply only when
    /// the user applies them (reconnectWithConfig()).
    [[nodiscard]] bool runsWithOtherSettings(int slot) const;
    /// Of those, settings that count only when the slot opens and connects (the broker, the client ID, the
    /// credentials, the options set before AT+QMTOPEN): applying them takes a reconnectWithConfig().
    [[nodiscard]] bool needsReconnectToApply(int slot) const;
    [[nodiscard]] const SlotStatus &status(int slot) const;
    [[nodiscard]] const ModuleInfo &info() const { return m_info; }

    // --- actions (each returns the command id — 0 when it queued several or none — or why nothing was sent) ---
    /// Sends the slot's AT+QMTCFG settings. While the slot is open, the settings that only count before
    /// AT+QMTOPEN ("will", "session", "keepalive", "aliauth", "version", "ssl") cannot change: refused with
    /// an explanation, and nothing is sent.
    Validated<quint64> applyConfig(int slot);
    /// Configure, open, connect and subscribe, and keep it so (with auto-recovery).
    Validated<quint64> start(int slot);
    /// Disconnect (or close) and stop recovering.
    Validated<quint64> stop(int slot);
    /// Applies config() to a running slot: it disconnects (or closes), and is configured, opened, connected
    /// and subscribed again with config(), which from then on is what it recovers with. On a closed slot,
    /// the same as start().
    Validated<quint64> reconnectWithConfig(int slot);
    /// Tries again now with the session's settings: the recovery wait is skipped, or a slot that dropped
    /// and was not retried (a refusal, auto-recovery off) is brought up again.
    Validated<quint64> reconnectNow(int slot);
    Validated<quint64> open(int slot);
    Validated<quint64> connectSlot(int slot);
    Validated<quint64> disconnectSlot(int slot);
    Validated<quint64> closeSlot(int slot);
    /// Adds the filter to the slot's subscriptions (at most MaxSubscriptionsPerSlot); sent now when connected,
    /// else when it connects.
    Validated<quint64> subscribe(int slot, const QByteArray &filter, int qos);
    Validated<quint64> unsubscribe(int slot, const QByteArray &filter);
    /// msgID is allocated (unique among the slot's in-flight publishes); the form follows the payload.
    Validated<quint64> publish(int slot, const QByteArray &topic, const QByteArray &payload, int qos, bool retain,
                               PublishForm form = PublishForm::Auto);
    /// Asks the module what it holds for a slot's TLS: the security level at SSL context `contextId` and
    /// connect ID `connectId`, and the slot's AT+QMTCFG="ssl". `done` gets the replies once all have come,
    /// in the order they came.
    void queryTls(int slot, int contextId, int connectId, std::function<void(const QList<AtReply> &)> done);
    /// The AT console: commands the user types, their prompts and the data that answers them.
    [[nodiscard]] ConsoleSession &console() { return m_console; }

    void setAutoRecovery(bool on);
    [[nodiscard]] bool autoRecovery() const override { return m_autoRecovery; }
    void setInfoPollIntervalMs(int ms) { m_poller.setIntervalMs(ms); }
    /// A line quiet for this long may mean a sleeping module: wake it before the next command (protocol-notes §3.4).
    void setWakeAfterIdleMs(int ms) { m_port.setWakeAfterIdleMs(ms); }
    /// Delay before the first recovery attempt (doubling up to a minute).
    void setRecoveryDelays(int firstMs, int maxMs);

Q_SIGNALS:
    void portStateChanged(qmt::ModuleController::PortState state, const QString &reason);
    void slotChanged(int slot);
    /// `time` is UTC (converting each message to local time would cost a time-zone lookup).
    void messageReceived(int slot, const qmt::RecvMessage &message, const QDateTime &time);
    void publishFinished(const qmt::PublishOutcome &outcome);
    void infoChanged();
    /// Every control that shows the setting follows it, whoever changed it (a menu, a panel, --demo).
    void autoRecoveryChanged(bool on);
    void moduleRebooted();
    /// Something the user should read: an outcome, a failure and its advice.
    void notice(const QString &text);

private:
    // The TLS helpers of the core drive the line themselves (uploads answer prompts with PEM data).
    friend class CertificateUploader;
    friend class SecLevelKeeper;

    [[nodiscard]] PortSession &port() { return m_port; }
    [[nodiscard]] SlotMachine &slot(int index) { return *m_slots[size_t(index)]; }
    [[nodiscard]] const SlotMachine &slot(int index) const { return *m_slots[size_t(index)]; }
    [[nodiscard]] Validated<int> checkedSlot(qint64 slot) const;
    /// `action` on a slot in range; the range error otherwise.
    template<typename Action> Validated<quint64> onSlot(qint64 slot, Action action);

    // SlotHost
    quint64 submit(AtCommand command, std::function<void(const AtReply &)> done) override;
    [[nodiscard]] bool portOpen() const override { return m_portState == PortState::Open; }
    [[nodiscard]] bool slotsOnHold() const override { return m_awaitingRegistration; }
    bool reactivatePdpFor(int slot) override;

    void setPortState(PortState state, const QString &reason = {});
    void onDeviceLost(const QString &reason);
    void onReappeared();
    void forgetModule();
    void syncWithModule();
    void onUrc(const AtLine &line);
    void handleEvent(const QmtEvent &event);
    void onMessage(const RecvMessage &e);
    void handleReboot();
    /// After a reboot: the slots reopen once the module has registered again (AT+CEREG? until it has).
    void awaitRegistration();
    void pollRegistration(int generation, int nextDelayMs);
    void endRegistrationWait();
    void absorbConsoleReply(const AtReply &reply, const QByteArray &typed);
    void waitForAttach(int slot, int triesLeft);

    PortSession m_port; // first: its channel outlives the callbacks the slots hand it
    QmtCommands m_commands;
    PortState m_portState = PortState::Closed;
    std::array<std::unique_ptr<SlotMachine>, SlotCount> m_slots;
    ModuleInfo m_info;
    ModuleInfoPoller m_poller;
    ConsoleSession m_console;
    bool m_autoRecovery = false;
    bool m_awaitingRegistration = false; // rebooted: no slot opens before the module registered
    int m_registrationGeneration = 0;    // a poll of an older wait ends nothing
    QElapsedTimer m_registrationWait;
    std::bitset<SlotCount> m_countedSlots; // slots whose message count grew since the last report
    QTimer m_countReport;                  // reports them once per UI tick (see onMessage())
};

} // namespace qmt
