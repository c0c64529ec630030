#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <deque>
#include <functional>

namespace qmt::sim {

/// Runs actions in the order they were posted, each a given time after it was posted: what the network
/// sends the module reaches it that much later (ModuleTimings::networkDelayMs).
///
/// An action posted with no delay while nothing waits runs at once, so a zero delay changes nothing. A
/// shorter delay never lets an action overtake an earlier one. At most MaxWaiting actions wait; beyond that
/// the oldest runs early rather than being lost, and the line says so once per flood.
class DelayLine : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxWaiting = 10'000;

    explicit DelayLine(QObject *parent = nullptr);

    void post(int delayMs, std::function<void()> action);
    /// Forgets every waiting action (the connection they belong to is gone).
    void clear();
    [[nodiscard]] bool isEmpty() const { return m_waiting.empty(); }

Q_SIGNALS:
    /// Actions came faster than the line holds them: some ran before their time.
    void overflowed(int maxWaiting);

private:
    struct Waiting
    {
        qint64 dueMs;
        std::function<void()> action;
    };

    void runDue();
    void schedule();

    std::deque<Waiting> m_waiting;
    QElapsedTimer m_clock;
    QTimer m_timer;
    bool m_overflowReported = false;
};

} // namespace qmt::sim
