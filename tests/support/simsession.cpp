#include "simsession.h"

#include "sim/moduletimings.h"
#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"

#include <QTest>
#include <QUuid>

namespace qmt::test {

SimSession::SimSession(QObject *parent)
    : QObject(parent)
    , m_device(std::make_unique<sim::VirtualModuleDevice>())
{
    m_device->open(QIODevice::ReadWrite);
    // The tests that drive this session check what the module answers, not when: the network answers as
    // fast as the broker does. Tests about timing set their own delay; the GUI's and qmt-sim's tests keep
    // the realistic default.
    sim::ModuleTimings timings;
    timings.networkDelayMs = 0;
    module().setTimings(timings);
    m_channel.setContinuationPolicy(&m_continuation);
    // The host keeps to the AT manual's 500 ms wait after the prompt, as QMT Studio does (a margin more:
    // the channel's coarse timer may fire a little early).
    m_channel.setDataModeSettleMs(sim::ModuleTimings{}.dataModeSettleMs + 50);
    m_channel.setDevice(m_device.get());
    connect(&m_channel, &AtChannel::commandFinished, this, [this](const AtReply &reply) { m_finished.append(reply); });
    connect(&m_channel, &AtChannel::urcReceived, this, [this](const AtLine &line) { m_urcs.append(line.text); });
    connect(&m_channel, &AtChannel::lineReceived, this, [this](const AtLine &line) { m_lines.append(line); });
    connect(&module(), &sim::VirtualModule::transmit, this, [this](const QByteArray &bytes) { m_wire += bytes; });
}

SimSession::~SimSession()
{
    m_channel.setDevice(nullptr);
}

sim::VirtualModule &SimSession::module() const
{
    return *m_device->module();
}

AtReply SimSession::run(AtCommand command, int waitMs)
{
    const quint64 id = m_channel.submit(std::move(command));
    const auto done = [this, id] {
        return std::any_of(m_finished.cbegin(), m_finished.cend(), [id](const AtReply &r) { return r.id == id; });
    };
    if (!QTest::qWaitFor(done, waitMs)) {
        AtReply reply;
        reply.id = id;
        reply.status = ReplyStatus::Timeout;
        reply.detail = QStringLiteral("the test gave up waiting");
        return reply;
    }
    const auto it = std::find_if(m_finished.cbegin(), m_finished.cend(), [id](const AtReply &r) { return r.id == id; });
    return *it;
}

AtReply SimSession::run(const Validated<AtCommand> &command, int waitMs)
{
    if (!command) {
        AtReply reply;
        reply.status = ReplyStatus::Rejected;
        reply.detail = command.error().message();
        return reply;
    }
    return run(command.value(), waitMs);
}

AtReply SimSession::send(const QByteArray &text, int timeoutMs)
{
    AtCommand command;
    command.text = text;
    command.timeoutMs = timeoutMs;
    return run(command, timeoutMs + 5'000);
}

QByteArray SimSession::takeUrc(const QByteArray &prefix, int waitMs)
{
    qsizetype found = -1;
    [[maybe_unused]] const bool arrived = QTest::qWaitFor(
        [&] {
            for (qsizetype i = 0; i < m_urcs.size(); ++i) {
                if (m_urcs[i].startsWith(prefix)) {
                    found = i;
                    return true;
                }
            }
            return false;
        },
        waitMs);
    if (found < 0)
        return {};
    const QByteArray line = m_urcs[found];
    m_urcs.remove(0, found + 1);
    return line;
}

QByteArray uniqueName(const char *stem)
{
    return QByteArray(stem) + '-' + QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
}

} // namespace qmt::test
