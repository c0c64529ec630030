#include "core/module/slotrecovery.h"

namespace qmt {

SlotRecovery::SlotRecovery(int slot, SlotStatus &status, QObject *parent)
    : QObject(parent)
    , m_slot(slot)
    , m_status(status)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_status.nextAttempt = QDateTime(); // the wait is over: the attempt is on its way
        Q_EMIT due();
    });
}

void SlotRecovery::schedule(const QString &why, bool autoRecovery, bool atOnce)
{
    if (!m_status.wanted)
        return;
    if (!autoRecovery || m_givenUp) {
        if (m_givenUp) {
            Q_EMIT notice(
                tr("Slot %1: not retrying — %2. Fix the configuration and start again.").arg(m_slot).arg(why));
        }
        stopRetrying(m_givenUp ? tr("gave up: %1").arg(why) : tr("not retrying: auto-recovery is off"));
        return;
    }
    const int delay = atOnce ? 0 : m_backoff.next();
    m_status.recoveryAttempt = m_backoff.attempts() + (atOnce ? 1 : 0);
    m_status.nextAttempt = QDateTime::currentDateTime().addMSecs(delay);
    m_timer.start(delay);
    // The countdown is the slot table's, per slot: as a notice it would push another slot's final
    // "not retrying" out of the status bar.
    Q_EMIT changed();
}

void SlotRecovery::stopRetrying(const QString &why)
{
    m_status.wanted = false;
    m_status.recoveryAttempt = 0;
    m_status.nextAttempt = QDateTime();
    m_status.notRetrying = why;
    Q_EMIT changed();
}

void SlotRecovery::resetBackoff()
{
    m_backoff.reset();
    m_status.recoveryAttempt = 0;
}

} // namespace qmt
