#include "gui/modelfeeder.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/topicmatcher.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/slotstatemodel.h"
#include "gui/models/topicchartmodel.h"
#include "gui/models/topictreemodel.h"

namespace qmt {

namespace {

SlotSnapshot snapshotOf(const SlotStatus &s)
{
    SlotSnapshot out;
    switch (s.state) {
    case SlotState::Closed:
        break;
    case SlotState::Opening:
        out.socket = SlotSnapshot::Socket::Opening;
        break;
    case SlotState::Open:
        out.socket = SlotSnapshot::Socket::Open;
        break;
    case SlotState::Connecting:
        out.socket = SlotSnapshot::Socket::Open;
        out.mqtt = SlotSnapshot::Mqtt::Connecting;
        break;
    case SlotState::Connected:
        out.socket = SlotSnapshot::Socket::Open;
        out.mqtt = SlotSnapshot::Mqtt::Connected;
        break;
    case SlotState::Disconnecting:
        out.socket = SlotSnapshot::Socket::Open;
        out.mqtt = SlotSnapshot::Mqtt::Disconnecting;
        break;
    case SlotState::Closing:
        out.socket = SlotSnapshot::Socket::Closing;
        break;
    }
    out.lastStatCode = s.lastStat;
    out.lastStatTime = s.lastStatTime;
    out.sent = s.counters.published;
    out.received = s.counters.received;
    out.retransmissions = s.counters.retransmissions;
    out.failures = s.counters.failures;
    out.connectedSince = s.connectedSince;
    out.recoveryAttempt = s.recoveryAttempt;
    out.nextAttempt = s.nextAttempt;
    out.notRetrying = s.notRetrying;
    return out;
}

/// The module does not print a message's QoS; the grant of the subscription that brought it is the best
/// guess there is.
std::optional<int> grantedQosFor(const SlotStatus &status, QByteArrayView topic)
{
    for (const Subscription &sub : status.subscriptions) {
        if (sub.grantedQos && *sub.grantedQos <= 2 && TopicMatcher(sub.filter).matches(topic))
            return sub.grantedQos;
    }
    return std::nullopt;
}

} // namespace

ModelFeeder::ModelFeeder(ModuleController &controller, AtLogModel &log, TopicTreeModel &tree, TopicChartModel &charts,
                         SlotStateModel &slots, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_slots(slots)
{
    const AtChannel &channel = controller.channel();
    connect(&channel, &AtChannel::commandSent, &log,
            [&log](quint64, const QByteArray &text) { log.appendCommand(text); });
    connect(&channel, &AtChannel::dataSent, &log, [&log](quint64, const QByteArray &shown) {
        // The channel already replaced secret data by "<redacted, N bytes>".
        log.appendDataSent(shown, false);
    });
    connect(&channel, &AtChannel::lineReceived, &log, [&log](const AtLine &line) { log.appendLine(line); });
    connect(&channel, &AtChannel::lineOverflow, &log, [&log](qsizetype discarded) {
        AtLine line{tr("<a line of %n byte(s) dropped: longer than the line cap>", nullptr, int(discarded)).toUtf8(),
                    LineKind::Unknown, 0, false};
        log.appendLine(line);
    });
    connect(&controller, &ModuleController::messageReceived, &tree,
            [this, &tree](int slot, const RecvMessage &message, const QDateTime &time) {
                tree.add(message, time, grantedQosFor(m_controller.status(slot), message.topic));
            });
    connect(&controller, &ModuleController::messageReceived, &charts,
            [&charts](int, const RecvMessage &message, const QDateTime &time) {
                charts.add(message.topic, message.payload, time);
            });
    connect(&controller, &ModuleController::slotChanged, this, &ModelFeeder::updateSlot);
    m_slotTick.setSingleShot(true);
    m_slotTick.setInterval(AtLogModel::DefaultTickIntervalMs);
    connect(&m_slotTick, &QTimer::timeout, this, &ModelFeeder::flushSlots);
    for (int s = 0; s < SlotCount; ++s)
        m_slots.setSlot(s, snapshotOf(m_controller.status(s)));
}

void ModelFeeder::updateSlot(int slot)
{
    m_dirtySlots.set(size_t(slot));
    if (!m_slotTick.isActive())
        m_slotTick.start();
}

void ModelFeeder::flushSlots()
{
    for (int s = 0; s < SlotCount; ++s) {
        if (m_dirtySlots.test(size_t(s)))
            m_slots.setSlot(s, snapshotOf(m_controller.status(s)));
    }
    m_dirtySlots.reset();
}

} // namespace qmt
