#include "core/module/moduleinfopoller.h"

namespace qmt {

namespace {

constexpr int PollTimeoutMs = 2000;
const char *const IdentityCommands[] = {"ATI", "AT+CGMR", "AT+CGSN=1", "AT+QCCID", "AT+CIMI", "AT+QSCLK?"};
const char *const NetworkCommands[] = {"AT+CPIN?", "AT+CEREG?", "AT+CESQ", "AT+QENG=0", "AT+CGPADDR", "AT+CGATT?"};

} // namespace

ModuleInfoPoller::ModuleInfoPoller(Submit submit, Idle idle, QObject *parent)
    : QObject(parent)
    , m_submit(std::move(submit))
    , m_idle(std::move(idle))
{
    m_interval.setInterval(30'000);
    connect(&m_interval, &QTimer::timeout, this, &ModuleInfoPoller::queueNetwork);
    m_tick.setInterval(50); // only looks; a poll goes out only on an idle line
    connect(&m_tick, &QTimer::timeout, this, &ModuleInfoPoller::tick);
}

void ModuleInfoPoller::start()
{
    m_due.clear();
    pollIdentity();
    queueNetwork();
    m_interval.start();
}

void ModuleInfoPoller::stop()
{
    m_interval.stop();
    m_tick.stop();
    m_due.clear();
    m_waiting = false;
}

void ModuleInfoPoller::queue(std::span<const char *const> commands)
{
    for (const char *c : commands) {
        if (std::find(m_due.begin(), m_due.end(), QByteArray(c)) == m_due.end())
            m_due.emplace_back(c);
    }
    m_tick.start();
}

void ModuleInfoPoller::pollIdentity()
{
    queue(IdentityCommands);
}

void ModuleInfoPoller::queueNetwork()
{
    queue(NetworkCommands);
}

void ModuleInfoPoller::tick()
{
    if (m_due.empty()) {
        m_tick.stop();
        return;
    }
    if (m_waiting || !m_idle())
        return; // user commands first: poll only on a quiet line
    AtCommand c;
    c.text = m_due.front();
    c.timeoutMs = PollTimeoutMs;
    m_due.pop_front();
    m_waiting = true;
    m_submit(std::move(c), [this](const AtReply &reply) {
        m_waiting = false;
        Q_EMIT replied(reply);
    });
}

} // namespace qmt
