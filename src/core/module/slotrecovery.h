#pragma once

#include "core/module/backoff.h"
#include "core/module/slotstatus.h"

#include <QObject>
#include <QTimer>

namespace qmt {

/// The recovery policy of one client slot: when a slot the user wants up goes down, it is tried again after
/// a back-off that doubles up to a limit — unless auto-recovery is off, or the module refused in a way only
/// the user can fix (then the slot says so and stays down). It keeps the slot's recovery fields of
/// SlotStatus (attempt, next attempt, why not retrying) and says when the wait is over.
class SlotRecovery : public QObject
{
    Q_OBJECT

public:
    SlotRecovery(int slot, SlotStatus &status, QObject *parent = nullptr);

    /// Delay before the first attempt, doubling up to `maxMs`.
    void setDelays(int firstMs, int maxMs) { m_backoff = Backoff(firstMs, maxMs); }
    /// The slot went down (or a step of bringing it up failed): try again after the back-off, or say why not.
    /// `atOnce`: the first attempt goes without waiting (a session that had been up dropped).
    void schedule(const QString &why, bool autoRecovery, bool atOnce = false);
    /// The slot is no longer wanted up, and says why.
    void stopRetrying(const QString &why);
    /// Cancels a waiting attempt.
    void cancel() { m_timer.stop(); }
    [[nodiscard]] bool waiting() const { return m_timer.isActive(); }

    /// A refusal only the user can fix (wrong credentials, an invalid parameter): no retry until a new start.
    void giveUp() { m_givenUp = true; }
    void allowRetries() { m_givenUp = false; }
    /// The next drop waits the first delay again, and no attempt is counted.
    void resetBackoff();
    /// A session that stayed up proved the broker reachable: the back-off starts over.
    void restartBackoff() { m_backoff.reset(); }
    /// The +QMTSTAT said the PDP context is gone: it is brought back before the slot reopens.
    void setPdpNeeded() { m_pdpNeeded = true; }
    [[nodiscard]] bool takePdpNeeded() { return std::exchange(m_pdpNeeded, false); }

Q_SIGNALS:
    /// The wait is over: the slot should be brought up again.
    void due();
    /// The slot's recovery fields changed.
    void changed();
    void notice(const QString &text);

private:
    int m_slot;
    SlotStatus &m_status;
    Backoff m_backoff;
    QTimer m_timer;
    bool m_givenUp = false;
    bool m_pdpNeeded = false;
};

} // namespace qmt
