#pragma once

#include "core/module/msgidallocator.h"
#include "core/module/slotconfig.h"
#include "core/module/slotrecovery.h"
#include "core/module/slotstatus.h"
#include "core/module/slotsubscriptions.h"

#include "core/qmt/qmtcommands.h"
#include "core/qmt/qmtevents.h"

#include <QObject>

#include <functional>
#include <optional>

namespace qmt {

/// The result of one publish, as the composer shows it.
struct PublishOutcome
{
    quint64 commandId = 0;
    int slot = 0;
    int msgId = 0;
    bool delivered = false;  ///< +QMTPUB result 0
    int retransmissions = 0; ///< from result-1 reports
    QString text;            ///< the outcome in words
};

/// What a client slot needs from the module around it.
class SlotHost
{
public:
    /// Sends a command (waking the module first if need be); `done` runs when it finished.
    virtual quint64 submit(AtCommand command, std::function<void(const AtReply &)> done) = 0;
    [[nodiscard]] virtual const QmtCommands &commands() const = 0;
    [[nodiscard]] virtual bool portOpen() const = 0;
    [[nodiscard]] virtual bool autoRecovery() const = 0;
    /// The module rebooted and has not registered again: no slot opens before it has.
    [[nodiscard]] virtual bool slotsOnHold() const = 0;
    /// The slot's link dropped with the PDP context: true when the host brings the context back first (and
    /// reconciles the slot once attached); false when another connected slot shows it is up.
    virtual bool reactivatePdpFor(int slot) = 0;

protected:
    ~SlotHost() = default;
};

/// One MQTT client slot (TCP_connectID 0–4): its configuration, the state the module reports for it, its
/// in-flight publishes, its subscriptions (SlotSubscriptions) and its recovery (SlotRecovery).
///
/// State follows the module's own reports: every +QMTOPEN/+QMTCONN/+QMTDISC/+QMTCLOSE/+QMTSTAT moves the
/// slot, whoever sent the command. Actions are validated before anything is sent; an invalid one returns the
/// ValidationError and sends nothing.
class SlotMachine : public QObject
{
    Q_OBJECT

public:
    SlotMachine(int index, SlotHost &host, QObject *parent = nullptr);

    [[nodiscard]] int index() const { return m_index; }
    [[nodiscard]] const SlotConfig &config() const { return m_config; }
    void setConfig(const SlotConfig &config);
    [[nodiscard]] const std::optional<SlotConfig> &session() const { return m_session; }
    [[nodiscard]] bool runsWithOtherSettings() const;
    [[nodiscard]] bool needsReconnectToApply() const;
    [[nodiscard]] const SlotStatus &status() const { return m_status; }
    [[nodiscard]] SlotRecovery &recovery() { return m_recovery; }

    // --- actions (see ModuleController) ---
    Validated<quint64> applyConfig();
    Validated<quint64> start();
    Validated<quint64> stop();
    Validated<quint64> reconnectWithConfig();
    Validated<quint64> reconnectNow();
    Validated<quint64> open();
    Validated<quint64> connectSlot();
    Validated<quint64> disconnectSlot();
    Validated<quint64> closeSlot();
    Validated<quint64> subscribe(const QByteArray &filter, int qos) { return m_subs.subscribe(filter, qos); }
    Validated<quint64> unsubscribe(const QByteArray &filter) { return m_subs.unsubscribe(filter); }
    Validated<quint64> publish(const QByteArray &topic, const QByteArray &payload, int qos, bool retain,
                               PublishForm form);

    // --- what the module reports ---
    /// The result of one of its two-phase commands.
    void on(const CommandResult &e);
    void on(const StatEvent &e);
    /// A +QMTRECV: counted, reported with the next slotChanged.
    void countReceived() { ++m_status.counters.received; }
    /// The state the module reports when asked (AT+QMTOPEN?, AT+QMTCONN?).
    void setReportedState(SlotState state) { setState(state); }
    /// Nothing is known of the module (the port closed or was lost): the slot is closed, no attempt waits.
    void forget();
    /// The module rebooted: its configuration and connections are gone; a wanted slot comes back when
    /// auto-recovery is on (once the host no longer holds the slots).
    void rebooted();
    /// Auto-recovery was turned off: a waiting attempt is called off.
    void autoRecoveryTurnedOff();
    /// Moves the slot one step towards what the user wants (up, connected, subscribed).
    void reconcile();
    /// The host no longer holds the slots (the rebooted module has registered): a slot configured while it
    /// did opens now; any other moves on.
    void registered();

    /// A finished command's outcome in words: the module's final result when that decided, else what ended it.
    [[nodiscard]] static QString describe(const AtReply &reply);

Q_SIGNALS:
    void changed(int slot);
    void notice(const QString &text);
    void publishFinished(const qmt::PublishOutcome &outcome);

private:
    friend class SlotSubscriptions;

    /// A session that stayed up this long and then dropped is retried at once, and its back-off starts over;
    /// one that drops sooner (a broker that takes the connection and closes it again, two devices with one
    /// client ID) keeps backing off.
    static constexpr int StableSessionMs = 1000;

    /// What the slot opens and connects with: its session, or config() before the first start.
    [[nodiscard]] const SlotConfig &activeConfig() const { return m_session ? *m_session : m_config; }
    void setState(SlotState state);
    void fail(const QString &error, bool countFailure = true, SlotFailure failure = {SlotFailure::Kind::Command, 0});
    void failStart(const QString &error);
    void scheduleRecovery(const QString &why, bool atOnce = false)
    {
        m_recovery.schedule(why, m_host.autoRecovery(), atOnce);
    }
    void clearFailure();
    void onOpened(const CommandResult &e);
    void onConnected(const CommandResult &e);
    void onDisconnected(const CommandResult &e);
    void onClosed(const CommandResult &e);
    void onPublished(const CommandResult &e);
    Validated<quint64> checkStartable() const;
    void sendConfigThen(const SlotConfig &config, bool includeBeforeOpen, std::function<void()> then);
    void finishPublish(PublishOutcome &outcome, const AtReply &reply);

    int m_index;
    SlotHost &m_host;
    SlotConfig m_config;                 // what the user edits
    std::optional<SlotConfig> m_session; // what the slot was started with: recovery reconnects with exactly this
    std::optional<SlotConfig> m_applied; // what the module holds since its last reboot
    SlotStatus m_status;
    MsgIdAllocator m_ids;
    SlotSubscriptions m_subs;
    SlotRecovery m_recovery;
    bool m_restartWhenClosed = false;  // reconnectWithConfig(): up again, with the new session, once down
    bool m_openWhenRegistered = false; // configured after a reboot; AT+QMTOPEN waits for the registration
    QString m_refusal;                 // why the last CONNECT was refused; outlives the +QMTSTAT that follows
    SlotFailure m_refusalFailure;      // the same, as the module said it
};

} // namespace qmt

Q_DECLARE_METATYPE(qmt::PublishOutcome)
