#pragma once

#include "core/qmt/qmtspec.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace qmt::sim {

/// What a command that answers with `>` wants from the host.
struct DataModeRequest
{
    /// -1: the data ends with Ctrl+Z and Esc cancels; otherwise exactly this many bytes, whatever they are.
    int fixedLength = -1;
    /// Variable-length input beyond this is dropped (application note 3.3.8, note 2).
    int maxLength = MaxPayloadText;
    /// Echo the data back as it arrives ("echomode", or the certificate display of AT+QSSLCFG).
    bool echo = false;
};

/// The module's receiving side of the UART: turns host bytes into command lines and data-mode input.
///
/// In command mode it echoes each byte as it arrives when echo is on (so the echo of a command ends with the
/// CR that ended it, protocol-notes §1.2), honours backspace, and ends a line at CR. In data mode it collects the data
/// from the prompt on until Ctrl+Z, Esc, the fixed length, or the idle timeout; with early data lost (a
/// fault), what arrives during the settle time after the prompt is dropped. Asleep, it loses the first
/// command line that wakes it.
class HostInput : public QObject
{
    Q_OBJECT

public:
    /// Longest command line kept; a longer one is discarded up to its CR and answered with ERROR.
    static constexpr qsizetype MaxLineLength = 4096;

    explicit HostInput(QObject *parent = nullptr);

    void setSettleMs(int ms) { m_settleMs = ms; }
    /// Bytes within the settle time after a prompt are lost (FaultPlan::loseEarlyData).
    void setLoseEarlyData(bool lose) { m_loseEarlyData = lose; }
    void setIdleMs(int ms) { m_idleMs = ms; }
    void setTypingHoldMs(int ms) { m_typingHold.setInterval(ms); }
    void setEcho(bool on) { m_echo = on; }
    [[nodiscard]] bool echo() const { return m_echo; }
    /// The next command line wakes the module and is lost.
    void setAsleep(bool asleep) { m_asleep = asleep; }
    [[nodiscard]] bool asleep() const { return m_asleep; }

    void feed(QByteArrayView bytes);
    /// Enters data mode; call right after the prompt has been queued for sending.
    void beginDataMode(const DataModeRequest &request);
    /// Forgets the partial line and leaves data mode without a signal (reboot).
    void reset();

    [[nodiscard]] bool inDataMode() const { return m_phase != Phase::Command; }
    /// Data mode has begun (the settle time after the prompt is over).
    [[nodiscard]] bool collectingData() const { return m_phase == Phase::Collecting; }
    /// A command line is partly received and the host typed within the typing hold time.
    [[nodiscard]] bool isTyping() const { return !m_line.isEmpty() && m_typingHold.isActive(); }
    /// Bytes lost because they arrived before data mode began, since the last reset.
    [[nodiscard]] quint64 bytesLostBeforeDataMode() const { return m_lostBeforeData; }

Q_SIGNALS:
    void echoed(const QByteArray &bytes);
    void commandLine(const QByteArray &line);
    void lineTooLong();
    /// The command line that woke the module was lost.
    void commandLost();
    void dataReceived(const QByteArray &data);
    void dataCancelled();
    void dataExpired();
    /// The host stopped typing mid-line or finished the line: held URCs may go out.
    void typingPaused();

private:
    enum class Phase {
        Command,
        Settling,
        Collecting
    };

    void feedCommandByte(char c, QByteArray &echo);
    void feedDataByte(char c, QByteArray &echo);
    void finishData(QByteArray &echo);
    void startCollecting();

    QByteArray m_line;
    QByteArray m_data;
    DataModeRequest m_request;
    QTimer m_settle;
    QTimer m_idle;
    QTimer m_typingHold;
    Phase m_phase = Phase::Command;
    int m_settleMs = 500;
    int m_idleMs = 60'000;
    quint64 m_lostBeforeData = 0;
    bool m_echo = true;
    bool m_asleep = false;
    bool m_loseEarlyData = false;
    bool m_discarding = false; // the line grew too long; drop up to its CR
};

} // namespace qmt::sim
