#include "sim/delayline.h"

namespace qmt::sim {

DelayLine::DelayLine(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    // A coarse timer may fire 5 % early; a network round trip is never shorter than it is set to be.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DelayLine::runDue);
}

void DelayLine::post(int delayMs, std::function<void()> action)
{
    if (delayMs <= 0 && m_waiting.empty()) {
        action();
        return;
    }
    const qint64 now = m_clock.elapsed();
    const qint64 due = m_waiting.empty() ? now + delayMs : std::max(now + delayMs, m_waiting.back().dueMs);
    m_waiting.push_back({due, std::move(action)});
    if (m_waiting.size() > size_t(MaxWaiting)) {
        if (!m_overflowReported) {
            m_overflowReported = true;
            Q_EMIT overflowed(MaxWaiting);
        }
        const std::function<void()> oldest = std::move(m_waiting.front().action);
        m_waiting.pop_front();
        oldest();
    }
    schedule();
}

void DelayLine::clear()
{
    m_waiting.clear();
    m_timer.stop();
}

void DelayLine::runDue()
{
    // An action may clear the line (the connection ended) or post more; each is taken out before it runs.
    while (!m_waiting.empty() && m_waiting.front().dueMs <= m_clock.elapsed()) {
        const std::function<void()> action = std::move(m_waiting.front().action);
        m_waiting.pop_front();
        action();
    }
    if (m_waiting.empty())
        m_overflowReported = false;
    schedule();
}

void DelayLine::schedule()
{
    if (m_waiting.empty()) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(std::max<qint64>(0, m_waiting.front().dueMs - m_clock.elapsed())));
}

} // namespace qmt::sim
