#include "core/module/slotmachine.h"

#include "core/qmt/qmtcodes.h"
#include "core/qmt/qmtparser.h"

#include <QTimer>

namespace qmt {

namespace {

/// Whether a slot running with `running` would connect the same way with `edited`: the broker, the
/// credentials and the options that count only before AT+QMTOPEN are the same.
bool sameConnection(const SlotConfig &running, const SlotConfig &edited)
{
    return running.beforeOpenFields() == edited.beforeOpenFields() &&
           std::tie(running.host, running.port, running.clientId, running.userName, running.password) ==
               std::tie(edited.host, edited.port, edited.clientId, edited.userName, edited.password);
}

} // namespace

QString SlotMachine::describe(const AtReply &r)
{
    // The module's final result when that is what decided; otherwise what ended the command (a port lost
    // after the OK of a publish leaves that OK in the reply, and it is no verdict).
    const bool moduleAnswered =
        r.status == ReplyStatus::Ok || r.status == ReplyStatus::Error || r.status == ReplyStatus::CmeError;
    if (!moduleAnswered)
        return r.detail.isEmpty() ? replyStatusText(r.status) : r.detail;
    QString text = r.finalLine.isEmpty() ? replyStatusText(r.status) : QString::fromUtf8(r.finalLine);
    if (r.status == ReplyStatus::CmeError && r.errorCode >= 0)
        text += QStringLiteral(" (") + codes::cmeError(r.errorCode) + QLatin1Char(')');
    if (!r.detail.isEmpty())
        text += QStringLiteral(": ") + r.detail;
    return text;
}

SlotMachine::SlotMachine(int index, SlotHost &host, QObject *parent)
    : QObject(parent)
    , m_index(index)
    , m_host(host)
    , m_subs(*this)
    , m_recovery(index, m_status)
{
    connect(&m_recovery, &SlotRecovery::due, this, &SlotMachine::reconcile);
    connect(&m_recovery, &SlotRecovery::changed, this, [this] { Q_EMIT changed(m_index); });
    connect(&m_recovery, &SlotRecovery::notice, this, &SlotMachine::notice);
}

void SlotMachine::setConfig(const SlotConfig &config)
{
    m_config = config;
    Q_EMIT changed(m_index);
}

bool SlotMachine::runsWithOtherSettings() const
{
    const bool up = m_status.wanted || m_status.state != SlotState::Closed;
    return up && m_session && *m_session != m_config;
}

bool SlotMachine::needsReconnectToApply() const
{
    return runsWithOtherSettings() && !sameConnection(*m_session, m_config);
}

// --- actions ----------------------------------------------------------------------------------------

Validated<quint64> SlotMachine::applyConfig()
{
    const int s = m_index;
    const auto built = m_config.configCommands(s, m_host.commands());
    if (!built)
        return built.error();
    if (m_status.state != SlotState::Closed && m_applied) {
        const bool beforeOpenChanged = m_applied->beforeOpenFields() != m_config.beforeOpenFields();
        if (beforeOpenChanged) {
            return ValidationError{tr("slot %1").arg(s), tr("closed"), SlotStateText::name(m_status.state),
                                   tr("\"will\", \"session\", \"keepalive\", \"aliauth\", \"version\" and \"ssl\" "
                                      "take effect only when set before AT+QMTOPEN; close the slot, then apply")};
        }
    }
    if (m_status.state != SlotState::Closed && m_session && !sameConnection(*m_session, m_config)) {
        return ValidationError{tr("slot %1").arg(s), tr("closed"), SlotStateText::name(m_status.state),
                               tr("the broker, the client ID and the credentials take effect when the slot opens "
                                  "and connects: reconnect it to apply them")};
    }
    if (m_status.state != SlotState::Closed) {
        // What may change while open goes now, and the slot recovers with it from now on.
        sendConfigThen(m_config, false, [this, applied = m_config] {
            if (m_session && sameConnection(*m_session, applied))
                m_session = applied;
            Q_EMIT changed(m_index);
        });
        return quint64(0);
    }
    sendConfigThen(m_config, true, {});
    return quint64(0);
}

Validated<quint64> SlotMachine::checkStartable() const
{
    // Check everything that will be sent before anything is.
    if (const auto cfg = m_config.configCommands(m_index, m_host.commands()); !cfg)
        return cfg.error();
    if (const auto o = m_config.openCommand(m_index, m_host.commands()); !o)
        return o.error();
    if (const auto c = m_config.connectCommand(m_index, m_host.commands()); !c)
        return c.error();
    return quint64(0);
}

void SlotMachine::clearFailure()
{
    m_status.nextAttempt = QDateTime();
    m_status.notRetrying.clear();
    m_status.lastError.clear(); // a fresh start: an earlier failure is no longer news
    m_status.lastFailure = {};
}

Validated<quint64> SlotMachine::start()
{
    if (const auto startable = checkStartable(); !startable)
        return startable;
    if (!m_host.portOpen())
        return ValidationError{tr("port"), tr("open"), tr("closed"), {}};
    // A slot that runs keeps what it runs with (reconnectWithConfig() changes that); any other starts with
    // what the user set, and recovers with exactly that.
    if (!m_status.wanted || m_status.state == SlotState::Closed || !m_session)
        m_session = m_config;
    if (m_status.state == SlotState::Closed)
        m_recovery.cancel(); // started by the user now, not when the recovery wait is over
    m_status.wanted = true;
    m_recovery.allowRetries();
    m_recovery.resetBackoff();
    clearFailure();
    Q_EMIT changed(m_index);
    reconcile();
    return quint64(0);
}

Validated<quint64> SlotMachine::reconnectWithConfig()
{
    if (m_status.state == SlotState::Closed)
        return start();
    if (const auto startable = checkStartable(); !startable)
        return startable;
    m_session = m_config;
    m_recovery.cancel();
    m_recovery.allowRetries();
    m_recovery.resetBackoff();
    clearFailure();
    Validated<quint64> down = quint64(0);
    switch (m_status.state) {
    case SlotState::Connected:
    case SlotState::Connecting:
        down = disconnectSlot();
        break;
    case SlotState::Open:
    case SlotState::Opening:
        down = closeSlot();
        break;
    default:
        break; // on its way down already
    }
    if (!down)
        return down;
    // Down first, then up again with the new session (setState() picks it up when the slot is closed).
    m_restartWhenClosed = true;
    m_status.wanted = true;
    Q_EMIT notice(tr("Slot %1 reconnects with the new settings.").arg(m_index));
    Q_EMIT changed(m_index);
    return down;
}

Validated<quint64> SlotMachine::reconnectNow()
{
    const int s = m_index;
    if (!m_session)
        return ValidationError{tr("slot %1").arg(s), tr("started before"), tr("never started"), tr("press Start")};
    if (!m_host.portOpen())
        return ValidationError{tr("port"), tr("open"), tr("closed"), {}};
    if (m_status.state != SlotState::Closed)
        return ValidationError{tr("slot %1").arg(s), tr("closed"), SlotStateText::name(m_status.state).toLower(), {}};
    m_recovery.cancel();
    m_status.wanted = true;
    m_recovery.allowRetries();
    m_status.nextAttempt = QDateTime();
    m_status.notRetrying.clear();
    Q_EMIT changed(s);
    reconcile();
    return quint64(0);
}

Validated<quint64> SlotMachine::stop()
{
    m_status.wanted = false;
    m_restartWhenClosed = false;
    m_recovery.cancel();
    m_status.recoveryAttempt = 0;
    clearFailure(); // what goes wrong from here is the stop's
    Q_EMIT changed(m_index);
    switch (m_status.state) {
    case SlotState::Connected:
    case SlotState::Connecting:
        return disconnectSlot();
    case SlotState::Open:
    case SlotState::Opening:
        return closeSlot();
    default:
        Q_EMIT changed(m_index);
        return quint64(0);
    }
}

Validated<quint64> SlotMachine::open()
{
    const auto c = activeConfig().openCommand(m_index, m_host.commands());
    if (!c)
        return c.error();
    setState(SlotState::Opening);
    return m_host.submit(*c, [this](const AtReply &r) {
        if (!r.ok() && m_status.state == SlotState::Opening)
            failStart(tr("AT+QMTOPEN failed: %1").arg(describe(r)));
    });
}

Validated<quint64> SlotMachine::connectSlot()
{
    const auto c = activeConfig().connectCommand(m_index, m_host.commands());
    if (!c)
        return c.error();
    setState(SlotState::Connecting);
    return m_host.submit(*c, [this](const AtReply &r) {
        if (!r.ok() && m_status.state == SlotState::Connecting) {
            setState(SlotState::Open);
            fail(tr("AT+QMTCONN failed: %1").arg(describe(r)));
            scheduleRecovery(m_status.lastError);
        }
    });
}

Validated<quint64> SlotMachine::disconnectSlot()
{
    const auto c = m_host.commands().disc(m_index);
    if (!c)
        return c.error();
    m_status.wanted = false;
    setState(SlotState::Disconnecting);
    return m_host.submit(*c, [this](const AtReply &r) {
        if (!r.ok())
            fail(tr("AT+QMTDISC failed: %1").arg(describe(r)), false);
    });
}

Validated<quint64> SlotMachine::closeSlot()
{
    const auto c = m_host.commands().close(m_index);
    if (!c)
        return c.error();
    m_status.wanted = false;
    setState(SlotState::Closing);
    return m_host.submit(*c, [this](const AtReply &r) {
        if (!r.ok())
            fail(tr("AT+QMTCLOSE failed: %1").arg(describe(r)), false);
    });
}

Validated<quint64> SlotMachine::publish(const QByteArray &topic, const QByteArray &payload, int qos, bool retain,
                                        PublishForm form)
{
    const int s = m_index;
    // The module would only say ERROR: say why, and send nothing.
    if (m_status.state != SlotState::Connected) {
        return ValidationError{tr("slot %1").arg(s), tr("connected to publish"),
                               SlotStateText::name(m_status.state).toLower(), tr("start it first")};
    }
    const QmtCommands &commands = m_host.commands();
    // Validate first with the msgID this QoS needs, so a refused publish allocates nothing.
    if (const auto probe = commands.publish({s, qos > 0 ? 1 : 0, qos, retain, topic, payload, form}); !probe)
        return probe.error();
    const int msgId = qos > 0 ? m_ids.acquire() : 0;
    if (qos > 0 && msgId == 0)
        return ValidationError{QStringLiteral("msgID"), tr("a free identifier"), tr("all 65535 in flight"), {}};
    const auto c = commands.publish({s, msgId, qos, retain, topic, payload, form});
    ++m_status.inFlightPublishes;
    Q_EMIT changed(s);
    auto outcome = std::make_shared<PublishOutcome>();
    outcome->slot = s;
    outcome->msgId = msgId;
    return m_host.submit(*c, [this, msgId, qos, outcome](const AtReply &r) {
        if (qos > 0)
            m_ids.release(msgId);
        --m_status.inFlightPublishes;
        finishPublish(*outcome, r);
        Q_EMIT changed(m_index);
        Q_EMIT publishFinished(*outcome);
    });
}

void SlotMachine::finishPublish(PublishOutcome &outcome, const AtReply &r)
{
    outcome.commandId = r.id;
    for (const QByteArray &line : r.resultLines) {
        const auto e = parseQmtLine(line);
        const auto *pub = e ? std::get_if<CommandResult>(&*e) : nullptr;
        if (pub && pub->command == QmtCommand::Pub) {
            if (pub->result == 1 && pub->value())
                outcome.retransmissions = std::max(outcome.retransmissions, *pub->value());
            if (pub->result == 0)
                outcome.delivered = true;
        }
    }
    if (!r.ok())
        outcome.text = tr("Not published: %1").arg(describe(r));
    else if (r.resultLine().startsWith("+QMTSTAT"))
        outcome.text = tr("Not published: the link closed (%1)").arg(QString::fromUtf8(r.resultLine()));
    else if (outcome.delivered)
        outcome.text = outcome.retransmissions > 0
                           ? tr("Published after %n retransmission(s)", nullptr, outcome.retransmissions)
                           : tr("Published");
    else
        outcome.text = tr("Not published: %1").arg(codes::packetResult(2));
}

void SlotMachine::sendConfigThen(const SlotConfig &config, bool includeBeforeOpen, std::function<void()> then)
{
    const auto built = config.configCommands(m_index, m_host.commands(), includeBeforeOpen);
    if (!built) {
        failStart(built.error().message());
        return;
    }
    const QList<AtCommand> &commands = *built;
    auto failed = std::make_shared<bool>(false);
    auto sent = std::make_shared<const SlotConfig>(config);
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const bool last = i + 1 == commands.size();
        m_host.submit(commands[i], [this, failed, sent, last, then, includeBeforeOpen](const AtReply &r) {
            if (!r.ok() && !*failed) {
                *failed = true;
                failStart(tr("%1 failed: %2").arg(QString::fromUtf8(r.command), describe(r)));
            }
            if (!last || *failed)
                return;
            if (includeBeforeOpen) {
                m_applied = *sent;
            } else if (m_applied) {
                // Only the settings that may change while open went out; keep the rest as applied.
                SlotConfig merged = *sent;
                merged.beforeOpenFields() = m_applied->beforeOpenFields();
                m_applied = merged;
            }
            if (then)
                then();
        });
    }
}

// --- state ------------------------------------------------------------------------------------------

void SlotMachine::setState(SlotState state)
{
    if (m_status.state == state)
        return;
    m_status.state = state;
    // A grant lasts as long as the session: out of it, the filters wait to be subscribed again (and a
    // SUBSCRIBE result still on its way when the session ended grants nothing).
    if (state != SlotState::Connected) {
        // A session that stayed up proved the broker reachable: the back-off starts over.
        if (m_status.connectedSince.isValid() &&
            m_status.connectedSince.msecsTo(QDateTime::currentDateTime()) >= StableSessionMs)
            m_recovery.restartBackoff();
        m_status.connectedSince = QDateTime();
        m_subs.endSession();
    } else if (!m_status.connectedSince.isValid()) {
        // Found connected by AT+QMTCONN? (after a port loss, or a session from before we came): it is up
        // from now on, as far as we can tell, so its uptime shows and a later drop is judged by it.
        m_status.connectedSince = QDateTime::currentDateTime();
    }
    if (state == SlotState::Closed && std::exchange(m_restartWhenClosed, false) && m_status.wanted) {
        // Down for reconnectWithConfig(): up again with the new session, once the URC that closed it is
        // handled.
        QTimer::singleShot(0, this, &SlotMachine::reconcile);
    }
    Q_EMIT changed(m_index);
}

void SlotMachine::failStart(const QString &error)
{
    // A step of starting the slot failed: it is closed again, and recovers (or gives up) like any drop.
    setState(SlotState::Closed);
    fail(error);
    scheduleRecovery(error);
}

void SlotMachine::fail(const QString &error, bool countFailure, SlotFailure failure)
{
    m_status.lastError = error;
    m_status.lastFailure = failure;
    if (countFailure)
        ++m_status.counters.failures;
    Q_EMIT changed(m_index);
}

void SlotMachine::reconcile()
{
    if (!m_status.wanted || !m_host.portOpen() || m_recovery.waiting())
        return;
    switch (m_status.state) {
    case SlotState::Closed:
        // Cycling the radio takes every slot down: only when no other slot is connected; otherwise the
        // other slots prove the PDP context is up, and reopening is enough.
        if (m_recovery.takePdpNeeded() && m_host.reactivatePdpFor(m_index))
            return;
        setState(SlotState::Opening);
        sendConfigThen(activeConfig(), true, [this] {
            if (!m_status.wanted || m_status.state != SlotState::Opening)
                return;
            if (m_host.slotsOnHold()) {
                m_openWhenRegistered = true; // configured while the module registers; opens once it has
                return;
            }
            if (!open())
                setState(SlotState::Closed);
        });
        break;
    case SlotState::Open:
        if (!connectSlot())
            setState(SlotState::Open);
        break;
    case SlotState::Connected:
        m_subs.resubscribe(true);
        break;
    default:
        break; // a command is on its way; its result moves us on
    }
}

void SlotMachine::registered()
{
    if (std::exchange(m_openWhenRegistered, false) && m_status.wanted && m_status.state == SlotState::Opening) {
        if (!open())
            setState(SlotState::Closed);
    } else {
        reconcile();
    }
}

} // namespace qmt
