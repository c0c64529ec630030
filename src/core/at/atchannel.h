#pragma once

#include "core/at/atcommand.h"
#include "core/at/atframer.h"
#include "core/at/atlineclassifier.h"
#include "core/at/secretscrubber.h"

#include <QElapsedTimer>
#include <QIODevice>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <memory>
#include <vector>

namespace qmt {

class LineContinuationPolicy;

/// Runs the AT dialogue with a module over any QIODevice: one command in flight, the rest queued.
///
/// Frames the incoming bytes, tells echo, responses, final results, prompts and URCs apart, times every
/// command out after its own maximum response time, sends data-mode payloads after the module's settle
/// time, and completes two-phase commands (OK now, result URC later) when their result arrives — while
/// further commands proceed. Every line is reported through lineReceived(); lines that belong to no
/// command are also reported through urcReceived(). A vanished port fails everything that was pending and
/// is reported once through deviceLost(); the channel never blocks and never throws.
class AtChannel : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultMaxQueued = 256;
    static constexpr int DefaultMaxAwaitingResults = 64;
    /// How long a read or test form (AT+QMTOPEN?) waits while a result URC of its name is outstanding.
    static constexpr int ReadFormHoldMs = 2000;
    /// A command ended before its final result (a reboot, its link closed) may still be answered; the next
    /// command waits for that answer this long at most, so the answer is not taken for the next one's.
    static constexpr int AbandonedAnswerMs = 1000;

    explicit AtChannel(QObject *parent = nullptr);
    ~AtChannel() override;

    /// Talks to `device` (not owned; must be open). nullptr detaches; pending commands fail as PortClosed.
    void setDevice(QIODevice *device);
    [[nodiscard]] QIODevice *device() const { return m_device; }

    void setContinuationPolicy(const LineContinuationPolicy *policy) { m_framer.setContinuationPolicy(policy); }
    /// Rewrites echoes and responses before anyone sees them, given the command they belong to: the QMT
    /// layer replaces secrets there (an echoed password, a queried device secret), so no listener, reply or
    /// log can hold one. Beyond that, the channel remembers the secrets it sent (what a command's display
    /// text hides, a secret payload) and removes them from every line it reports, whatever its shape.
    using Redactor = std::function<QByteArray(QByteArrayView command, QByteArrayView line, LineKind kind)>;
    void setRedactor(Redactor redactor) { m_redactor = std::move(redactor); }
    [[nodiscard]] AtLineClassifier &classifier() { return m_classifier; }

    /// Wait between the prompt and the payload (protocol-notes §4.1: 500 ms on the BC660K-GL, plus a margin).
    void setDataModeSettleMs(int ms) { m_settleMs = ms; }
    /// How long an interactive prompt waits for data before the module leaves data mode (60 s).
    void setDataModeIdleExitMs(int ms) { m_dataModeIdleMs = ms; }
    void setMaxQueuedCommands(int count) { m_maxQueued = count; }
    [[nodiscard]] int maxQueuedCommands() const { return m_maxQueued; }

    /// Queues a command; returns its id. A command that cannot be queued (no port, queue full) still gets
    /// an id, and commandFinished() reports it as Rejected from the event loop.
    quint64 submit(AtCommand command);

    /// Answers an interactive prompt (AtCommand::interactivePrompt), no sooner than the settle time after the
    /// prompt. False when no prompt is waiting.
    bool sendData(const QByteArray &bytes, AtPayload::Termination termination, bool secret = false);
    /// Leaves data mode with Esc; the command finishes as Cancelled. False when not in data mode.
    bool cancelData();
    /// Fails every queued, running and awaiting command with `status`.
    void abortAll(ReplyStatus status, const QString &reason);
    /// Fails at once every command the module was sent and has not finished: the one in flight, even while
    /// it waits for its OK, and those awaiting a result URC (the module rebooted: no answer will come, and a
    /// new session's must not be taken for theirs). Queued commands stay queued for the new session.
    void abortSent(ReplyStatus status, const QString &reason);

    [[nodiscard]] bool isIdle() const { return !m_inFlight && m_queue.empty(); }
    [[nodiscard]] int queuedCount() const { return int(m_queue.size()); }
    [[nodiscard]] int awaitingResultCount() const { return int(m_awaiting.size()); }
    [[nodiscard]] quint64 inFlightId() const;
    [[nodiscard]] bool inDataMode() const;
    [[nodiscard]] const AtFramer::Stats &framerStats() const { return m_framer.stats(); }

Q_SIGNALS:
    void commandSent(quint64 id, const QByteArray &shownText);
    /// Data-mode bytes written; `shown` is the payload, or "<redacted, N bytes>" for secrets.
    void dataSent(quint64 id, const QByteArray &shown);
    void lineReceived(const qmt::AtLine &line);
    void urcReceived(const qmt::AtLine &line);
    void promptReceived(quint64 id);
    void resultProgress(quint64 id, const QByteArray &line);
    void commandFinished(const qmt::AtReply &reply);
    void lineOverflow(qsizetype discardedBytes);
    /// The port went away (`reason`: the system's words, or "it was closed", "end of file").
    void deviceLost(const QString &reason);
    void dataModeExpired(quint64 id);

private:
    struct Running;

    void onReadyRead();
    void onBytesWritten();
    void onDeviceGone(const QString &reason);
    void handleLine(QByteArray line);
    void handlePrompt();
    void startNext();
    bool write(const QByteArray &bytes);
    void writePayload(const QByteArray &bytes, AtPayload::Termination termination, bool secret);
    void finishInFlight(ReplyStatus status, const QString &detail = {});
    void abandonInFlight(ReplyStatus status, const QString &detail);
    void endInFlightForClosedLink(const QByteArray &statLine);
    void moveToAwaiting();
    void completeAwaiting(std::unique_ptr<Running> running, ReplyStatus status, const QString &detail = {});
    void finish(std::unique_ptr<Running> running);
    void rejectLater(std::unique_ptr<Running> running, const QString &reason);
    /// `received` is the line as the module sent it (`line` is what is shown: scrubbed of secrets).
    std::vector<std::unique_ptr<Running>> offerToMatchers(AtLine &line, QByteArrayView received);
    void deliverResult(const AtLine &line, std::vector<std::unique_ptr<Running>> completed);
    [[nodiscard]] bool mustWaitForResults(const AtCommand &command) const;
    void armAwaitTimer();
    void onAwaitTimeout();
    void onInFlightTimeout();
    void detachDevice();

    QPointer<QIODevice> m_device;
    AtFramer m_framer;
    AtLineClassifier m_classifier;
    std::unique_ptr<Running> m_inFlight;
    std::deque<std::unique_ptr<Running>> m_queue;
    std::deque<std::unique_ptr<Running>> m_awaiting;
    QTimer m_timeoutTimer;
    QTimer m_settleTimer;
    QElapsedTimer m_sincePrompt; // user data typed faster than the settle time waits for it
    QTimer m_dataModeTimer;
    QTimer m_awaitTimer;
    QTimer m_holdTimer;
    QTimer m_abandonedTimer; // running: an abandoned command's answer may still come, nothing else goes out
    quint64 m_nextId = 1;
    int m_settleMs = HostDataModeSettleMs;
    int m_dataModeIdleMs = DataModeIdleExitMs;
    int m_maxQueued = DefaultMaxQueued;
    bool m_restartTimeoutWhenDrained = false;
    Redactor m_redactor;
    SecretScrubber m_sentSecrets; // what the host sent that must not come back out (issue 14, defect 2)
};

} // namespace qmt
