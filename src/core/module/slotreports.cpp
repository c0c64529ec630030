// SlotMachine, continued: what the module reports about the slot (results of its commands, +QMTSTAT, a
// reboot) and what that does to the slot's state.

#include "core/module/slotmachine.h"

#include "core/qmt/qmtcodes.h"

#include <QDateTime>

namespace qmt {

namespace {

/// Refused CONNECTs that a retry cannot fix: a wrong protocol version, client ID or credentials.
bool needsUserToFix(int retCode)
{
    return retCode == 1 || retCode == 2 || retCode == 4 || retCode == 5;
}

} // namespace

void SlotMachine::on(const CommandResult &e)
{
    // Every command is named: a new one whose result nobody handles is a compiler warning (an error in CI).
    switch (e.command) {
    case QmtCommand::Open:
        return onOpened(e);
    case QmtCommand::Close:
        return onClosed(e);
    case QmtCommand::Conn:
        return onConnected(e);
    case QmtCommand::Disc:
        return onDisconnected(e);
    case QmtCommand::Sub:
        return m_subs.onSubscribed(e);
    case QmtCommand::Uns:
        return m_subs.onUnsubscribed(e);
    case QmtCommand::Pub:
        return onPublished(e);
    case QmtCommand::Cfg: // answered by OK or ERROR alone: no result comes
    case QmtCommand::Count_:
        return;
    }
}

void SlotMachine::onOpened(const CommandResult &e)
{
    if (e.result == 0 || e.result == 2) {
        // 2: the slot's socket is already open: it is open either way.
        setState(SlotState::Open);
        reconcile();
    } else {
        fail(codes::openResult(e.result), true, {SlotFailure::Kind::Open, e.result});
        setState(SlotState::Closed);
        if (e.result == 1)
            m_recovery.giveUp(); // "invalid parameter": the configuration must change
        scheduleRecovery(codes::openResult(e.result));
    }
}

void SlotMachine::onConnected(const CommandResult &e)
{
    const std::optional<int> retCode = e.value();
    if (e.result == 0 && retCode.value_or(0) == 0) {
        m_status.connectedSince = QDateTime::currentDateTime();
        m_refusal.clear();
        // The back-off starts over only once the session proved stable (see setState()).
        m_status.recoveryAttempt = 0;
        clearFailure();
        setState(SlotState::Connected);
        m_subs.resubscribe(true);
    } else if (e.result == 1) {
        ++m_status.counters.retransmissions;
        Q_EMIT changed(m_index);
    } else {
        const QString why = e.result == 0 ? codes::connReturnCode(*retCode) : codes::packetResult(e.result);
        m_refusal = why;
        m_refusalFailure = e.result == 0 ? SlotFailure{SlotFailure::Kind::Refused, *retCode}
                                         : SlotFailure{SlotFailure::Kind::Packet, e.result};
        if (retCode && needsUserToFix(*retCode))
            m_recovery.giveUp();
        if (m_status.state == SlotState::Connecting)
            setState(SlotState::Open);
        fail(why, true, m_refusalFailure);
    }
}

void SlotMachine::onDisconnected(const CommandResult &e)
{
    if (e.result == 0)
        setState(SlotState::Closed);
    else
        fail(codes::discResult(e.result), false);
}

void SlotMachine::onClosed(const CommandResult &e)
{
    if (e.result == 0)
        setState(SlotState::Closed);
    else
        fail(codes::closeResult(e.result), false);
}

void SlotMachine::onPublished(const CommandResult &e)
{
    SlotCounters &c = m_status.counters;
    if (e.result == 0)
        ++c.published;
    else if (e.result == 1)
        c.retransmissions += quint64(e.value().value_or(1));
    else
        ++c.failures;
    Q_EMIT changed(m_index);
}

void SlotMachine::on(const StatEvent &e)
{
    m_status.lastStat = e.code;
    m_status.lastStatTime = QDateTime::currentDateTime();
    m_subs.forgetPending();
    const bool restarting = m_restartWhenClosed;
    const bool stable = m_status.state == SlotState::Connected && m_status.connectedSince.isValid() &&
                        m_status.connectedSince.msecsTo(QDateTime::currentDateTime()) >= StableSessionMs;
    setState(SlotState::Closed);
    if (e.code == 5) {
        if (!restarting)
            m_status.wanted = false; // our DISCONNECT, closed by the server: the normal end
        Q_EMIT changed(m_index);
        return;
    }
    // After a refused CONNECT the +QMTSTAT (3 or 4) only repeats that it failed; the refusal says why.
    const QString why = m_refusal.isEmpty() ? codes::statMeaning(e.code) : m_refusal;
    fail(why, m_refusal.isEmpty(), // a refusal was counted when it came
         m_refusal.isEmpty() ? SlotFailure{SlotFailure::Kind::Stat, e.code} : m_refusalFailure);
    m_refusal.clear();
    Q_EMIT notice(tr("Slot %1: +QMTSTAT %2 — %3 %4")
                      .arg(m_index)
                      .arg(e.code)
                      .arg(codes::statMeaning(e.code), codes::statAdvice(e.code)));
    if (e.code == 2)
        m_recovery.setPdpNeeded();
    // A broker that dropped a working session is most likely there again at once (a restart, a load
    // balancer, a NAT timeout): every round trip of the wait is time without messages.
    scheduleRecovery(why, stable);
}

void SlotMachine::forget()
{
    m_openWhenRegistered = false;
    m_recovery.cancel();
    setState(SlotState::Closed);
}

void SlotMachine::rebooted()
{
    m_applied.reset();
    m_subs.forgetPending();
    m_ids.reset();
    m_recovery.cancel();
    setState(SlotState::Closed); // which also ends the grants
    m_status.nextAttempt = QDateTime();
    if (!m_status.wanted || !m_host.autoRecovery())
        m_status.wanted = false;
}

void SlotMachine::autoRecoveryTurnedOff()
{
    if (m_recovery.waiting()) {
        m_recovery.cancel();
        m_recovery.stopRetrying(tr("not retrying: auto-recovery is off"));
    }
}

} // namespace qmt
