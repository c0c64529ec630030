#include "core/module/slotsubscriptions.h"

#include "core/module/slotmachine.h"

#include "core/qmt/qmtcodes.h"

namespace qmt {

namespace {

/// SUBSCRIBEs one slot has out at once: a long list goes a few at a time, so it never fills the channel's
/// queue or its limit of results awaited (which would refuse or give up on the rest).
constexpr int SubscribeWindow = 8;

} // namespace

SlotSubscriptions::SlotSubscriptions(SlotMachine &slot)
    : m_slot(slot)
{}

Validated<quint64> SlotSubscriptions::subscribe(const QByteArray &filter, int qos)
{
    const int s = m_slot.index();
    // Validate with a stand-in msgID: the real one is allocated only for a command that will be sent.
    if (const auto probe = m_slot.m_host.commands().subscribe(s, 1, {{filter, qos}}); !probe)
        return probe.error();
    SlotStatus &st = m_slot.m_status;
    const Subscription sub{filter, qos, std::nullopt};
    const qsizetype at = m_index.value(filter, -1);
    if (at < 0 && st.subscriptions.size() >= MaxSubscriptionsPerSlot) {
        return ValidationError{SlotMachine::tr("slot %1: subscriptions").arg(s),
                               SlotMachine::tr("at most %1 topic filters").arg(MaxSubscriptionsPerSlot),
                               QString::fromUtf8(filter), SlotMachine::tr("the slot holds that many already")};
    }
    if (at >= 0) {
        st.subscriptions[at] = sub;
    } else {
        m_index.insert(filter, st.subscriptions.size());
        st.subscriptions.append(sub);
    }
    Q_EMIT m_slot.changed(s);
    if (st.state != SlotState::Connected)
        return quint64(0); // goes out when the slot connects
    if (at >= 0 && at < m_sentFrom)
        return send({sub}); // had its SUBSCRIBE in this session already: this one changes it
    resubscribe();
    return quint64(0);
}

void SlotSubscriptions::remove(const QList<QByteArray> &filters)
{
    QList<Subscription> &subs = m_slot.m_status.subscriptions;
    qsizetype removedBefore = 0;
    for (const QByteArray &filter : filters) {
        const qsizetype at = m_index.value(filter, -1);
        if (at >= 0 && at < m_sentFrom)
            ++removedBefore;
    }
    subs.removeIf([&](const Subscription &x) { return filters.contains(x.filter); });
    m_sentFrom -= removedBefore;
    m_index.clear();
    for (qsizetype i = 0; i < subs.size(); ++i)
        m_index.insert(subs[i].filter, i);
}

Validated<quint64> SlotSubscriptions::send(const QList<Subscription> &subs)
{
    const int s = m_slot.index();
    MsgIdAllocator &ids = m_slot.m_ids;
    const int msgId = ids.acquire();
    QList<TopicQos> topics;
    QList<QByteArray> filters;
    for (const Subscription &sub : subs) {
        topics.append({sub.filter, sub.requestedQos});
        filters.append(sub.filter);
    }
    const auto c = m_slot.m_host.commands().subscribe(s, msgId, topics);
    if (!c) {
        ids.release(msgId);
        return c.error();
    }
    m_pendingSub.insert(msgId, filters);
    return m_slot.m_host.submit(*c, [this, msgId](const AtReply &r) {
        m_slot.m_ids.release(msgId);
        const QList<QByteArray> sent = m_pendingSub.take(msgId);
        if (!r.ok() || r.resultLine().startsWith("+QMTSTAT")) {
            m_slot.fail(SlotMachine::tr("Subscribing to %1 failed: %2")
                            .arg(QString::fromUtf8(sent.join(", ")), SlotMachine::describe(r)),
                        false);
        }
        if (m_slot.m_status.state == SlotState::Connected)
            resubscribe(); // the next filters of a long list
    });
}

Validated<quint64> SlotSubscriptions::unsubscribe(const QByteArray &filter)
{
    const int s = m_slot.index();
    if (const auto probe = m_slot.m_host.commands().unsubscribe(s, 1, {filter}); !probe)
        return probe.error();
    if (m_slot.m_status.state != SlotState::Connected) {
        remove({filter});
        Q_EMIT m_slot.changed(s);
        return quint64(0);
    }
    const int msgId = m_slot.m_ids.acquire();
    const auto c = m_slot.m_host.commands().unsubscribe(s, msgId, {filter});
    m_pendingUns.insert(msgId, {filter});
    return m_slot.m_host.submit(*c, [this, msgId](const AtReply &r) {
        m_slot.m_ids.release(msgId);
        m_pendingUns.remove(msgId);
        if (!r.ok())
            m_slot.fail(SlotMachine::tr("Unsubscribing failed: %1").arg(SlotMachine::describe(r)), false);
    });
}

bool SlotSubscriptions::isPending(const QByteArray &filter) const
{
    return std::any_of(m_pendingSub.cbegin(), m_pendingSub.cend(),
                       [&](const QList<QByteArray> &filters) { return filters.contains(filter); });
}

void SlotSubscriptions::resubscribe(bool fromStart)
{
    const QList<Subscription> &subs = m_slot.m_status.subscriptions;
    if (fromStart)
        m_sentFrom = 0;
    // One SUBSCRIBE per filter keeps each grant tied to its filter whatever the server answers; a window of
    // them at a time, each filter passed once per session, so a long list costs time linear in its length.
    while (m_pendingSub.size() < SubscribeWindow && m_sentFrom < subs.size()) {
        const Subscription sub = subs[m_sentFrom++];
        if (!sub.grantedQos && !isPending(sub.filter))
            send({sub});
    }
}

void SlotSubscriptions::endSession()
{
    for (Subscription &sub : m_slot.m_status.subscriptions)
        sub.grantedQos.reset();
    m_pendingSub.clear();
    m_sentFrom = 0;
}

void SlotSubscriptions::forgetPending()
{
    m_pendingSub.clear();
    m_pendingUns.clear();
}

void SlotSubscriptions::onSubscribed(const CommandResult &e)
{
    SlotStatus &st = m_slot.m_status;
    if (e.result == 1) {
        st.counters.retransmissions += quint64(e.values.value(0));
    } else if (e.result == 0 && st.state == SlotState::Connected) {
        const QList<QByteArray> filters = m_pendingSub.value(e.msgId.value_or(-1));
        for (qsizetype i = 0; i < filters.size(); ++i) {
            if (const qsizetype at = m_index.value(filters[i], -1); at >= 0) {
                Subscription &sub = st.subscriptions[at];
                // Acknowledged without a grant vector (older firmware): what was asked for.
                sub.grantedQos = e.values.value(i, e.values.value(0, sub.requestedQos));
            }
        }
        if (e.values.contains(128)) {
            Q_EMIT m_slot.notice(SlotMachine::tr("Slot %1: the server refused a subscription (%2).")
                                     .arg(e.connectId)
                                     .arg(QString::fromUtf8(filters.join(", "))));
        }
    } else {
        m_slot.fail(SlotMachine::tr("Subscribing failed: %1").arg(codes::packetResult(e.result)), true,
                    {SlotFailure::Kind::Packet, e.result});
    }
    Q_EMIT m_slot.changed(e.connectId);
}

void SlotSubscriptions::onUnsubscribed(const CommandResult &e)
{
    if (e.result == 0)
        remove(m_pendingUns.value(e.msgId.value_or(-1)));
    else if (e.result == 2)
        ++m_slot.m_status.counters.failures;
    Q_EMIT m_slot.changed(e.connectId);
}

} // namespace qmt
