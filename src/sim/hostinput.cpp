#include "sim/hostinput.h"

namespace qmt::sim {

namespace {

constexpr char Cr = '\r';
constexpr char Lf = '\n';
constexpr char Backspace = 0x08;
constexpr char Delete = 0x7F;
constexpr char CtrlZ = 0x1A;
constexpr char Esc = 0x1B;

} // namespace

HostInput::HostInput(QObject *parent)
    : QObject(parent)
{
    for (QTimer *timer : {&m_settle, &m_idle, &m_typingHold})
        timer->setSingleShot(true);
    // The settle time decides which bytes are lost; a coarse timer could end it up to 5 % (25 ms) late, and a
    // host that waits exactly the documented 500 ms would then lose its first bytes.
    m_settle.setTimerType(Qt::PreciseTimer);
    // Nor does the module leave data mode early (a coarse timer: up to 3 s before the note's 60 s), while a
    // host that keeps to the 60 s still sends.
    m_idle.setTimerType(Qt::PreciseTimer);
    m_typingHold.setInterval(1000);
    connect(&m_settle, &QTimer::timeout, this, &HostInput::startCollecting);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        m_phase = Phase::Command;
        m_data.clear();
        Q_EMIT dataExpired();
    });
    connect(&m_typingHold, &QTimer::timeout, this, &HostInput::typingPaused);
}

void HostInput::reset()
{
    m_line.clear();
    m_data.clear();
    m_settle.stop();
    m_idle.stop();
    m_typingHold.stop();
    m_phase = Phase::Command;
    m_discarding = false;
    m_lostBeforeData = 0;
}

void HostInput::beginDataMode(const DataModeRequest &request)
{
    m_request = request;
    m_data.clear();
    m_typingHold.stop();
    if (m_loseEarlyData) {
        m_phase = Phase::Settling;
        m_settle.start(m_settleMs);
        return;
    }
    startCollecting();
}

void HostInput::startCollecting()
{
    m_phase = Phase::Collecting;
    if (m_request.fixedLength == 0) {
        QByteArray none;
        finishData(none); // AT+QMTPUB with <msg_len> 0: nothing to wait for
        return;
    }
    m_idle.start(m_idleMs);
}

void HostInput::feed(QByteArrayView bytes)
{
    QByteArray echo;
    for (const char c : bytes) {
        // A handler may have entered data mode for the rest of this chunk; phases are checked per byte.
        if (m_phase == Phase::Command)
            feedCommandByte(c, echo);
        else
            feedDataByte(c, echo);
    }
    if (!echo.isEmpty())
        Q_EMIT echoed(echo);
}

void HostInput::feedCommandByte(char c, QByteArray &echo)
{
    if (m_asleep) {
        // protocol-notes §3.3: the command that wakes the module is lost; nothing is echoed.
        if (c == Cr) {
            m_asleep = false;
            Q_EMIT commandLost();
        }
        return;
    }
    if (c == Lf && m_line.isEmpty())
        return; // the LF of a host that ends lines with CR LF
    if (m_echo)
        echo += c;
    if (c == Cr) {
        m_typingHold.stop();
        if (m_discarding) {
            m_discarding = false;
            if (!echo.isEmpty()) {
                Q_EMIT echoed(echo);
                echo.clear();
            }
            Q_EMIT lineTooLong();
            return;
        }
        const QByteArray line = std::exchange(m_line, QByteArray());
        // The echo must be on the wire before the response, so it leaves now.
        if (!echo.isEmpty()) {
            Q_EMIT echoed(echo);
            echo.clear();
        }
        Q_EMIT commandLine(line);
        Q_EMIT typingPaused();
        return;
    }
    if (c == Backspace || c == Delete) {
        if (!m_line.isEmpty())
            m_line.chop(1);
        return;
    }
    if (m_discarding)
        return;
    m_line += c;
    if (m_line.size() > MaxLineLength) {
        m_line.clear();
        m_discarding = true;
    }
    m_typingHold.start();
}

void HostInput::feedDataByte(char c, QByteArray &echo)
{
    if (m_phase == Phase::Settling) {
        ++m_lostBeforeData;
        return;
    }
    m_idle.start(m_idleMs);
    if (m_request.fixedLength >= 0) {
        m_data += c;
        if (m_request.echo)
            echo += c;
        if (m_data.size() >= m_request.fixedLength)
            finishData(echo);
        return;
    }
    if (c == CtrlZ) {
        finishData(echo);
        return;
    }
    if (c == Esc) {
        m_idle.stop();
        m_phase = Phase::Command;
        m_data.clear();
        if (!echo.isEmpty()) {
            Q_EMIT echoed(echo);
            echo.clear();
        }
        Q_EMIT dataCancelled();
        return;
    }
    if (m_data.size() < m_request.maxLength) {
        m_data += c;
        if (m_request.echo)
            echo += c;
    }
}

void HostInput::finishData(QByteArray &echo)
{
    m_idle.stop();
    m_phase = Phase::Command;
    // The data echo precedes the module's answer on the wire.
    if (!echo.isEmpty()) {
        Q_EMIT echoed(echo);
        echo.clear();
    }
    Q_EMIT dataReceived(std::exchange(m_data, QByteArray()));
}

} // namespace qmt::sim
