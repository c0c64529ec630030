#include "core/at/atchannel.h"
#include "core/at/atchannelrunning.h"
#include "core/at/portdevice.h"

#include <QIODevice>
#include <QSerialPort>

namespace qmt {

namespace {

constexpr char CtrlZ = 0x1A;
constexpr char Esc = 0x1B;

} // namespace

AtChannel::AtChannel(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<qmt::AtLine>();
    qRegisterMetaType<qmt::AtReply>();
    for (QTimer *timer : {&m_timeoutTimer, &m_settleTimer, &m_dataModeTimer, &m_awaitTimer}) {
        timer->setSingleShot(true);
        // Coarse timers may fire 5 % early; a time limit from the note and the module's settle time must not.
        timer->setTimerType(Qt::PreciseTimer);
    }
    connect(&m_timeoutTimer, &QTimer::timeout, this, &AtChannel::onInFlightTimeout);
    connect(&m_awaitTimer, &QTimer::timeout, this, &AtChannel::onAwaitTimeout);
    m_holdTimer.setSingleShot(true);
    connect(&m_holdTimer, &QTimer::timeout, this, &AtChannel::startNext);
    m_abandonedTimer.setSingleShot(true);
    connect(&m_abandonedTimer, &QTimer::timeout, this, &AtChannel::startNext);
    connect(&m_settleTimer, &QTimer::timeout, this, [this] {
        if (!m_inFlight || m_inFlight->phase != Running::Phase::Settling || !m_inFlight->command.payload)
            return;
        const AtPayload &payload = *m_inFlight->command.payload;
        writePayload(payload.bytes, payload.termination, payload.secret);
    });
    connect(&m_dataModeTimer, &QTimer::timeout, this, [this] {
        if (!m_inFlight || m_inFlight->phase != Running::Phase::AwaitUserData)
            return;
        const quint64 id = m_inFlight->reply.id;
        Q_EMIT dataModeExpired(id);
        finishInFlight(ReplyStatus::DataModeExpired,
                       tr("The module left data mode after %1 ms without data.").arg(m_dataModeIdleMs));
    });
}

AtChannel::~AtChannel()
{
    detachDevice();
}

quint64 AtChannel::inFlightId() const
{
    return m_inFlight ? m_inFlight->reply.id : 0;
}

bool AtChannel::inDataMode() const
{
    return m_inFlight &&
           (m_inFlight->phase == Running::Phase::Settling || m_inFlight->phase == Running::Phase::AwaitUserData);
}

void AtChannel::detachDevice()
{
    if (m_device)
        disconnect(m_device, nullptr, this, nullptr);
    m_device = nullptr;
}

void AtChannel::setDevice(QIODevice *device)
{
    if (device == m_device)
        return;
    detachDevice();
    m_framer.reset();
    abortAll(ReplyStatus::PortClosed, tr("The port was changed."));
    m_device = device;
    if (!device)
        return;
    connect(device, &QIODevice::readyRead, this, &AtChannel::onReadyRead);
    connect(device, &QIODevice::bytesWritten, this, &AtChannel::onBytesWritten);
    connect(device, &QIODevice::aboutToClose, this, [this] { onDeviceGone(tr("it was closed")); });
    connect(device, &QIODevice::readChannelFinished, this, [this] { onDeviceGone(tr("end of file")); });
    if (auto *port = qobject_cast<QSerialPort *>(device)) {
        connect(port, &QSerialPort::errorOccurred, this, [this, port](QSerialPort::SerialPortError error) {
            // ResourceError is how Qt reports a USB adapter pulled out; the others cannot be recovered
            // without reopening either. Timeouts and parity errors are not fatal.
            if (error == QSerialPort::ResourceError || error == QSerialPort::PermissionError ||
                error == QSerialPort::DeviceNotFoundError || error == QSerialPort::ReadError ||
                error == QSerialPort::WriteError) {
                const QString reason = port->errorString();
                onDeviceGone(reason);
                if (port->isOpen())
                    port->close(); // stop the notifier from firing on a dead descriptor
            }
        });
    }
    if (auto *port = qobject_cast<PortDevice *>(device))
        connect(port, &PortDevice::lost, this, &AtChannel::onDeviceGone);
    if (device->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &AtChannel::onReadyRead, Qt::QueuedConnection);
}

void AtChannel::onDeviceGone(const QString &reason)
{
    if (!m_device)
        return;
    detachDevice();
    m_framer.reset();
    abortAll(ReplyStatus::PortClosed, tr("The port was lost (%1)").arg(reason));
    Q_EMIT deviceLost(reason);
}

void AtChannel::abortAll(ReplyStatus status, const QString &reason)
{
    m_settleTimer.stop();
    m_dataModeTimer.stop();
    m_timeoutTimer.stop();
    m_awaitTimer.stop();
    m_abandonedTimer.stop();
    m_framer.setPromptExpected(false);
    std::deque<std::unique_ptr<Running>> doomed;
    if (m_inFlight)
        doomed.push_back(std::move(m_inFlight));
    for (auto &r : m_awaiting)
        doomed.push_back(std::move(r));
    for (auto &r : m_queue)
        doomed.push_back(std::move(r));
    m_awaiting.clear();
    m_queue.clear();
    for (auto &r : doomed) {
        r->reply.status = status;
        r->reply.detail = reason;
        finish(std::move(r));
    }
}

quint64 AtChannel::submit(AtCommand command)
{
    auto running = std::make_unique<Running>();
    running->reply.id = m_nextId++;
    running->reply.command = command.shownText();
    running->command = std::move(command);
    const quint64 id = running->reply.id;
    if (!m_device || !m_device->isOpen()) {
        rejectLater(std::move(running), tr("No port is open."));
        return id;
    }
    if (int(m_queue.size()) >= m_maxQueued) {
        rejectLater(std::move(running),
                    tr("The command queue is full (%1 commands); the command was not sent.").arg(m_maxQueued));
        return id;
    }
    m_queue.push_back(std::move(running));
    startNext();
    return id;
}

void AtChannel::rejectLater(std::unique_ptr<Running> running, const QString &reason)
{
    running->reply.status = ReplyStatus::Rejected;
    running->reply.detail = reason;
    // Reported from the event loop, so a caller never sees its own submit() re-entered.
    auto shared = std::shared_ptr<Running>(std::move(running));
    QMetaObject::invokeMethod(
        this,
        [this, shared] {
            if (shared->command.onFinished)
                shared->command.onFinished(shared->reply);
            Q_EMIT commandFinished(shared->reply);
        },
        Qt::QueuedConnection);
}

bool AtChannel::write(const QByteArray &bytes)
{
    if (!m_device)
        return false;
    if (m_device->write(bytes) != bytes.size()) {
        onDeviceGone(tr("writing to it failed: %1").arg(m_device->errorString()));
        return false;
    }
    return true;
}

void AtChannel::startNext()
{
    if (m_inFlight || m_queue.empty() || !m_device || m_abandonedTimer.isActive())
        return;
    Running &front = *m_queue.front();
    if (mustWaitForResults(front.command)) {
        // Held for a result of its own name — but not for long: the queue keeps its order, and a result
        // that takes 176 s must not stall everything behind it. After the hold it goes anyway.
        if (!front.heldSince.isValid())
            front.heldSince.start();
        const qint64 left = ReadFormHoldMs - front.heldSince.elapsed();
        if (left > 0) {
            m_holdTimer.start(int(left));
            return;
        }
    }
    m_holdTimer.stop();
    m_inFlight = std::move(m_queue.front());
    m_queue.pop_front();
    Running &r = *m_inFlight;
    r.clock.start();
    r.phase = r.command.expectsPrompt() ? Running::Phase::AwaitPrompt : Running::Phase::AwaitFinal;
    m_framer.setPromptExpected(r.command.expectsPrompt());
    const quint64 id = r.reply.id;
    const QByteArray shown = r.command.shownText();
    m_restartTimeoutWhenDrained = true;
    m_timeoutTimer.start(r.command.timeoutMs);
    for (const QByteArray &secret : r.command.secrets)
        m_sentSecrets.learn(secret);
    if (!write(r.command.text + '\r'))
        return; // onDeviceGone() failed everything
    Q_EMIT commandSent(id, shown);
}

void AtChannel::onBytesWritten()
{
    // The time limit is for the module's answer, so a slow UART should not eat it: restart the clock once
    // the command has left the host.
    if (m_restartTimeoutWhenDrained && m_inFlight && m_device && m_device->bytesToWrite() == 0) {
        m_restartTimeoutWhenDrained = false;
        if (m_timeoutTimer.isActive())
            m_timeoutTimer.start(m_inFlight->command.timeoutMs);
    }
}

void AtChannel::writePayload(const QByteArray &bytes, AtPayload::Termination termination, bool secret)
{
    Running &r = *m_inFlight;
    r.phase = Running::Phase::AwaitFinal;
    r.dataSent = bytes;
    r.dataSecret = secret;
    m_sentSecrets.learnData(secret ? QByteArrayView(bytes) : QByteArrayView());
    const quint64 id = r.reply.id;
    QByteArray wire = bytes;
    if (termination == AtPayload::Termination::CtrlZ)
        wire += CtrlZ;
    m_restartTimeoutWhenDrained = true;
    m_timeoutTimer.start(r.command.timeoutMs);
    if (!write(wire))
        return;
    Q_EMIT dataSent(id, secret ? redactedPlaceholder(bytes.size()) : bytes);
    if (r.linkClosed)
        abandonInFlight(
            ReplyStatus::Cancelled,
            tr("The link closed (%1) before the module answered.").arg(QString::fromUtf8(r.reply.resultLine())));
}

bool AtChannel::sendData(const QByteArray &bytes, AtPayload::Termination termination, bool secret)
{
    if (!m_inFlight || m_inFlight->phase != Running::Phase::AwaitUserData)
        return false;
    m_dataModeTimer.stop();
    // The module takes data only 500 ms after its prompt (protocol-notes §4.1); a user or a paste can be quicker, and
    // what arrives earlier is lost. Held until then, as a payload given with the command is.
    if (const qint64 waited = m_sincePrompt.elapsed(); waited < m_settleMs) {
        m_inFlight->command.payload = AtPayload{bytes, termination, secret};
        m_inFlight->phase = Running::Phase::Settling;
        m_settleTimer.start(int(m_settleMs - waited));
        return true;
    }
    writePayload(bytes, termination, secret);
    return true;
}

bool AtChannel::cancelData()
{
    if (!inDataMode())
        return false;
    m_settleTimer.stop();
    m_dataModeTimer.stop();
    m_inFlight->cancelled = true;
    m_inFlight->phase = Running::Phase::AwaitFinal;
    m_timeoutTimer.start(m_inFlight->command.timeoutMs);
    write(QByteArray(1, Esc));
    return true;
}

void AtChannel::onReadyRead()
{
    if (!m_device)
        return;
    const QByteArray chunk = m_device->readAll();
    if (chunk.isEmpty())
        return;
    // Collect first, act after: a slot reacting to a line may detach the device or reset the framer,
    // which must not happen while the framer is still walking this chunk.
    struct Item
    {
        AtFramer::EventType type;
        QByteArray bytes;
        qsizetype discarded;
    };
    QList<Item> items;
    m_framer.feed(chunk, [&items](const AtFramer::Event &e) {
        items.append(Item{e.type, e.bytes.toByteArray(), e.discarded});
    });
    for (Item &item : items) {
        switch (item.type) {
        case AtFramer::EventType::Line:
            handleLine(std::move(item.bytes));
            break;
        case AtFramer::EventType::Prompt:
            handlePrompt();
            break;
        case AtFramer::EventType::Overflow:
            Q_EMIT lineOverflow(item.discarded);
            break;
        }
    }
}

void AtChannel::handlePrompt()
{
    AtLine line{QByteArrayLiteral(">"), LineKind::Prompt, m_inFlight ? m_inFlight->reply.id : 0, false};
    Q_EMIT lineReceived(line);
    if (!m_inFlight || m_inFlight->phase != Running::Phase::AwaitPrompt)
        return;
    Running &r = *m_inFlight;
    m_sincePrompt.start();
    if (r.command.payload) {
        r.phase = Running::Phase::Settling;
        m_settleTimer.start(m_settleMs);
    } else {
        // Wait for the user's data; the module gives up after 60 s, and so do we.
        r.phase = Running::Phase::AwaitUserData;
        m_timeoutTimer.stop();
        m_dataModeTimer.start(m_dataModeIdleMs);
        Q_EMIT promptReceived(r.reply.id);
    }
}

/// What a line means is read from it as the module sent it (`received`): a secret the channel learned may be
/// a piece of an answer ("ERROR", a publish's msgID), and the scrubbed line would say nothing. Only what is
/// shown and handed on (`line`) loses the secret.
void AtChannel::handleLine(QByteArray text)
{
    std::optional<AtLineClassifier::InFlight> view;
    if (m_inFlight)
        view = m_inFlight->inFlightView();
    const LineKind kind = m_classifier.classify(text, view ? &*view : nullptr);
    if (m_redactor && m_inFlight && (kind == LineKind::Echo || kind == LineKind::Response))
        text = m_redactor(m_inFlight->command.text, text, kind);
    const QByteArray received = text; // shares its bytes with `text` unless the scrubber finds a secret
    AtLine line{m_sentSecrets.scrubbed(std::move(text)), kind, 0, false};

    if (m_inFlight) {
        Running &r = *m_inFlight;
        switch (line.kind) {
        case LineKind::Echo:
        case LineKind::Prompt:
            line.commandId = r.reply.id;
            Q_EMIT lineReceived(line);
            return;
        case LineKind::Data:
            line.commandId = r.reply.id;
            line.secret = r.dataSecret;
            Q_EMIT lineReceived(line);
            return;
        case LineKind::Final: {
            line.commandId = r.reply.id;
            Q_EMIT lineReceived(line);
            const FinalResult final = *parseFinalResult(received);
            r.reply.finalLine = line.text;
            if (final.kind == FinalKind::Ok) {
                if (r.cancelled)
                    finishInFlight(ReplyStatus::Cancelled, tr("Data mode was cancelled with Esc."));
                else if (r.command.resultMatcher)
                    moveToAwaiting();
                else
                    finishInFlight(ReplyStatus::Ok);
            } else if (final.kind == FinalKind::Error) {
                finishInFlight(r.cancelled ? ReplyStatus::Cancelled : ReplyStatus::Error);
            } else {
                r.reply.errorCode = final.code;
                finishInFlight(ReplyStatus::CmeError);
            }
            return;
        }
        case LineKind::Response:
            if (r.command.resultMatcher) {
                // A write form has no information response of its own name: a line with that prefix is a
                // result URC — of an older command first, else this command's result overtaking its OK.
                if (auto older = offerToMatchers(line, received); !older.empty()) {
                    deliverResult(line, std::move(older));
                    return;
                }
                if (line.commandId != 0) { // progress of an older command
                    Q_EMIT lineReceived(line);
                    Q_EMIT urcReceived(line);
                    return;
                }
                if (const MatchResult own = r.command.resultMatcher(received);
                    own == MatchResult::Complete || own == MatchResult::CompleteAll) {
                    line.kind = LineKind::Urc;
                    line.commandId = r.reply.id;
                    r.earlyResult = line.text;
                    if (r.phase == Running::Phase::AwaitFinal) // the module took it: its OK comes now, or was lost
                        m_timeoutTimer.start(std::min(r.command.timeoutMs, AbandonedAnswerMs));
                    Q_EMIT lineReceived(line);
                    Q_EMIT urcReceived(line);
                    return;
                }
            }
            r.responseSeen = true;
            line.commandId = r.reply.id;
            r.reply.lines.append(line.text);
            m_timeoutTimer.start(r.command.timeoutMs); // a long answer at a slow baud rate is progress
            Q_EMIT lineReceived(line);
            return;
        case LineKind::Urc:
        case LineKind::Unknown:
            break;
        }
    } else if (line.kind == LineKind::Final || line.kind == LineKind::Prompt) {
        // A final result nobody waits for (late after a timeout, or of an abandoned command): keep it
        // visible as an unknown line.
        const bool abandonedAnswer = line.kind == LineKind::Final && m_abandonedTimer.isActive();
        line.kind = LineKind::Unknown;
        if (abandonedAnswer) {
            m_abandonedTimer.stop();
            Q_EMIT lineReceived(line);
            Q_EMIT urcReceived(line);
            startNext();
            return;
        }
    }

    // A +QMTSTAT ends the slot's link: the command in flight on it will get no result either.
    const quint64 inFlight = inFlightId();
    const bool endsInFlight = m_inFlight && m_inFlight->command.resultMatcher &&
                              m_inFlight->command.resultMatcher(received) == MatchResult::CompleteAll;
    deliverResult(line, offerToMatchers(line, received));
    if (endsInFlight && inFlightId() == inFlight)
        endInFlightForClosedLink(line.text);
}

void AtChannel::endInFlightForClosedLink(const QByteArray &statLine)
{
    Running &r = *m_inFlight;
    r.reply.resultLines.append(statLine);
    // In data mode the module waits for the payload it prompted for; without it, it would take the next
    // command for the payload. The command ends once the payload is out.
    if (r.phase == Running::Phase::AwaitPrompt || r.phase == Running::Phase::Settling) {
        r.linkClosed = true;
        return;
    }
    abandonInFlight(ReplyStatus::Cancelled,
                    tr("The link closed (%1) before the module answered.").arg(QString::fromUtf8(statLine)));
}

void AtChannel::abandonInFlight(ReplyStatus status, const QString &detail)
{
    m_abandonedTimer.start(AbandonedAnswerMs);
    finishInFlight(status, detail);
}

void AtChannel::onInFlightTimeout()
{
    if (!m_inFlight)
        return;
    if (m_inFlight->earlyResult && m_inFlight->phase == Running::Phase::AwaitFinal) {
        // Its result came and its OK did not (lost on the line): the result completes it. Waiting for the OK
        // its whole time limit (30 s for a publish) would hold the line, and the publish would be reported
        // failed and sent again though it was delivered.
        moveToAwaiting();
        return;
    }
    // Waiting for the prompt or about to send data: the module may be in data mode (or enter it after a
    // late prompt) and would take the next command as payload. Esc leaves data mode and is ignored outside.
    if (m_inFlight->phase == Running::Phase::AwaitPrompt || m_inFlight->phase == Running::Phase::Settling)
        write(QByteArray(1, Esc));
    if (!m_inFlight)
        return; // the write failed and the port is gone
    finishInFlight(ReplyStatus::Timeout, tr("No final result within %1 ms.").arg(m_inFlight->command.timeoutMs));
}

void AtChannel::finishInFlight(ReplyStatus status, const QString &detail)
{
    m_timeoutTimer.stop();
    m_settleTimer.stop();
    m_dataModeTimer.stop();
    m_framer.setPromptExpected(false);
    std::unique_ptr<Running> r = std::move(m_inFlight);
    r->reply.status = status;
    r->reply.detail = detail;
    finish(std::move(r));
    startNext();
}

void AtChannel::finish(std::unique_ptr<Running> running)
{
    running->reply.elapsedMs = running->clock.isValid() ? running->clock.elapsed() : 0;
    if (running->command.onFinished)
        running->command.onFinished(running->reply);
    Q_EMIT commandFinished(running->reply);
}

} // namespace qmt
