#pragma once

#include "core/at/atcommand.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <span>

namespace qmt {

/// Asks the module about itself at a low rate, only when the AT line is idle, so user commands never wait
/// behind it: identity once per session (ATI, AT+CGMR, AT+CGSN=1, AT+QCCID, AT+CIMI, AT+QSCLK?), network
/// state every interval (AT+CPIN?, AT+CEREG?, AT+CESQ, AT+QENG=0, AT+CGPADDR, AT+CGATT?).
class ModuleInfoPoller : public QObject
{
    Q_OBJECT

public:
    using Submit = std::function<void(AtCommand, std::function<void(const AtReply &)>)>;
    using Idle = std::function<bool()>;

    ModuleInfoPoller(Submit submit, Idle idle, QObject *parent = nullptr);

    void start(); ///< identity, then network state, then network state every interval
    void stop();
    void pollIdentity(); ///< after a reboot or a new port
    void setIntervalMs(int ms) { m_interval.setInterval(ms); }
    [[nodiscard]] int intervalMs() const { return m_interval.interval(); }

Q_SIGNALS:
    void replied(const qmt::AtReply &reply);

private:
    void queueNetwork();
    void queue(std::span<const char *const> commands); // each at most once in m_due
    void tick();

    Submit m_submit;
    Idle m_idle;
    std::deque<QByteArray> m_due;
    QTimer m_interval; // schedules a network round
    QTimer m_tick;     // checks for an idle line while polls are due
    bool m_waiting = false;
};

} // namespace qmt
