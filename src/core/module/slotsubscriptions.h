#pragma once

#include "core/module/slotstatus.h"

#include "core/qmt/qmtevents.h"
#include "core/qmt/validation.h"

#include <QHash>

namespace qmt {

class SlotMachine;

/// The topic filters of one client slot and their SUBSCRIBE/UNSUBSCRIBE traffic.
///
/// The filters live in the slot's status (what the user asked for, and what each was granted in this
/// session). They are sent when the slot connects, one filter per SUBSCRIBE so each grant is tied to its
/// filter, a window of them at a time so a long list never fills the channel's queue; a grant lasts as long
/// as the session.
class SlotSubscriptions
{
public:
    explicit SlotSubscriptions(SlotMachine &slot);

    /// Adds the filter (at most MaxSubscriptionsPerSlot); sent now when connected, else when it connects.
    Validated<quint64> subscribe(const QByteArray &filter, int qos);
    Validated<quint64> unsubscribe(const QByteArray &filter);
    /// Sends the SUBSCRIBEs the filters still need in this session, a few at a time; `fromStart` looks at
    /// every filter again (a new session, or a start of a connected slot).
    void resubscribe(bool fromStart = false);
    /// The session ended: every grant with it, and a SUBSCRIBE result still on its way grants nothing.
    void endSession();
    /// The link closed or the module rebooted: no result of an earlier (UN)SUBSCRIBE will come.
    void forgetPending();

    void onSubscribed(const CommandResult &e);
    void onUnsubscribed(const CommandResult &e);

private:
    void remove(const QList<QByteArray> &filters);
    Validated<quint64> send(const QList<Subscription> &subs);
    [[nodiscard]] bool isPending(const QByteArray &filter) const;

    SlotMachine &m_slot;
    QHash<int, QList<QByteArray>> m_pendingSub; // msgID → filters
    QHash<int, QList<QByteArray>> m_pendingUns;
    QHash<QByteArray, qsizetype> m_index; // filter → its position in status.subscriptions
    qsizetype m_sentFrom = 0;             // the filters before it had their SUBSCRIBE in this session (or a grant)
};

} // namespace qmt
