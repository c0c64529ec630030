#include "sim/virtualmodule.h"

#include "core/qmt/qmtcodes.h"
#include "sim/commandrequest.h"
#include "sim/generalcommands.h"
#include "sim/hostinput.h"
#include "sim/linepacer.h"
#include "sim/mqttcommands.h"
#include "sim/mqttslot.h"
#include "sim/networkcommands.h"
#include "sim/networkmodel.h"
#include "sim/sslcommands.h"

namespace qmt::sim {

namespace {

const QByteArray CrLf = QByteArrayLiteral("\r\n");

} // namespace

VirtualModule::VirtualModule(QObject *parent)
    : QObject(parent)
    , m_rx(new LinePacer(this))
    , m_tx(new LinePacer(this))
    , m_input(new HostInput(this))
    , m_network(new NetworkModel(this))
    , m_general(new GeneralCommands(m_network, this))
    , m_networkCommands(std::make_unique<NetworkCommands>(m_network))
    , m_ssl(std::make_unique<SslCommands>())
{
    MqttSlot::Environment env;
    env.ssl = &m_ssl->contexts();
    env.timings = &m_timings;
    env.faults = &m_faults;
    env.redirects = &m_redirects;
    env.packetDataReady = [network = m_network] { return network->packetDataReady(); };
    for (int id = 0; id < SlotCount; ++id) {
        auto *slot = new MqttSlot(id, env, this);
        connect(slot, &MqttSlot::urc, this, &VirtualModule::onUrc);
        connect(slot, &MqttSlot::diagnostic, this, &VirtualModule::diagnostic);
        m_slots[size_t(id)] = slot;
    }
    m_mqtt = std::make_unique<MqttCommands>(m_slots);
    m_groups = {m_general, m_networkCommands.get(), m_mqtt.get(), m_ssl.get()};

    connect(m_rx, &LinePacer::delivered, this, &VirtualModule::onHostBytes);
    connect(m_tx, &LinePacer::delivered, this, &VirtualModule::transmit);

    m_input->setEcho(m_general->echo());
    connect(m_general, &GeneralCommands::echoChanged, m_input, &HostInput::setEcho);
    connect(m_general, &GeneralCommands::rebootRequested, this, &VirtualModule::reboot);
    connect(m_input, &HostInput::echoed, this, [this](const QByteArray &bytes) { send(bytes, false); });
    connect(m_input, &HostInput::commandLine, this, &VirtualModule::onCommandLine);
    connect(m_input, &HostInput::lineTooLong, this, [this] { respond(CommandOutcome::error()); });
    connect(m_input, &HostInput::commandLost, this, [this] {
        // The real module answers the command that woke it with an empty line only (protocol-notes §3.4).
        send(CrLf, false);
        flushUrcs();
    });
    connect(m_input, &HostInput::dataReceived, this, [this](const QByteArray &data) {
        const auto handler = std::exchange(m_dataHandler, {});
        respond(handler ? handler(data) : CommandOutcome::error());
    });
    // Esc: nothing is sent, and the module confirms the cancellation.
    connect(m_input, &HostInput::dataCancelled, this, [this] { respond(CommandOutcome::ok()); });
    connect(m_input, &HostInput::dataExpired, this, [this] { respond(CommandOutcome::error()); });
    connect(m_input, &HostInput::typingPaused, this, &VirtualModule::flushUrcs);

    connect(m_network, &NetworkModel::urc, this, &VirtualModule::onUrc);
    connect(m_network, &NetworkModel::linkLost, this, [this] {
        for (MqttSlot *slot : m_slots)
            slot->onNetworkLost();
    });

    for (QTimer *timer : {&m_sleepTimer, &m_bootTimer, &m_rebootFault})
        timer->setSingleShot(true);
    connect(&m_sleepTimer, &QTimer::timeout, this, &VirtualModule::sleepNow);
    connect(&m_bootTimer, &QTimer::timeout, this, &VirtualModule::finishBoot);
    connect(&m_rebootFault, &QTimer::timeout, this, &VirtualModule::reboot);

    setTimings(m_timings);
    m_network->startRegistered();
}

VirtualModule::~VirtualModule()
{
    // Slots close their connections before the SSL context they point at goes away.
    for (MqttSlot *slot : m_slots)
        slot->reset();
}

void VirtualModule::setTimings(const ModuleTimings &timings)
{
    m_timings = timings;
    m_input->setSettleMs(timings.dataModeSettleMs);
    m_input->setIdleMs(timings.dataModeIdleMs);
    m_input->setTypingHoldMs(timings.typingHoldMs);
    m_network->setRegistrationMs(timings.registrationMs);
    noteActivity();
}

void VirtualModule::setFaults(const FaultPlan &faults)
{
    // The one-shot reboots are armed when they change, so changing another fault does not reboot again.
    const bool rearmTimedReboot = faults.rebootAfterMs != m_faults.rebootAfterMs;
    const bool rearmCommandReboot = faults.rebootOnCommand != m_faults.rebootOnCommand;
    m_faults = faults;
    m_input->setLoseEarlyData(faults.loseEarlyData);
    m_rx->setBaudRate(faults.baudRate);
    m_tx->setBaudRate(faults.baudRate);
    if (rearmCommandReboot)
        m_rebootOnArmed = !faults.rebootOnCommand.isEmpty();
    if (rearmTimedReboot) {
        if (faults.rebootAfterMs >= 0)
            m_rebootFault.start(faults.rebootAfterMs);
        else
            m_rebootFault.stop();
    }
    if (!faults.sleep)
        m_input->setAsleep(false);
    noteActivity();
}

bool VirtualModule::isAsleep() const
{
    return m_input->asleep();
}

bool VirtualModule::inDataMode() const
{
    return m_input->inDataMode();
}

bool VirtualModule::acceptingData() const
{
    return m_input->collectingData();
}

quint64 VirtualModule::bytesLostBeforeDataMode() const
{
    return m_input->bytesLostBeforeDataMode();
}

// ---- the wire ------------------------------------------------------------------------------------------

void VirtualModule::receive(const QByteArray &bytes)
{
    m_rx->send(bytes);
}

void VirtualModule::onHostBytes(const QByteArray &bytes)
{
    if (m_booting)
        return; // the UART is not running yet
    noteActivity();
    m_input->feed(bytes);
}

void VirtualModule::send(const QByteArray &bytes, bool delayed)
{
    noteActivity();
    m_tx->send(bytes, delayed ? m_faults.latencyMs : 0);
}

void VirtualModule::appendLine(QByteArray &out, const QByteArray &line, bool opensBlock)
{
    if (opensBlock)
        out += CrLf;
    out += line;
    out += CrLf;
    ++m_lines;
    if (m_faults.garbageEvery > 0 && m_lines % quint64(m_faults.garbageEvery) == 0)
        out += m_faults.garbage;
}

// ---- commands ------------------------------------------------------------------------------------------

void VirtualModule::onCommandLine(const QByteArray &line)
{
    if (m_busy) {
        // "Execute a new AT command only when the previous one is finished" (protocol-notes §1.1); one that comes early
        // waits rather than being lost.
        if (m_pendingLines.size() >= MaxPendingLines) {
            Q_EMIT diagnostic(tr("A command line was dropped: %1 were already waiting.").arg(MaxPendingLines));
            return;
        }
        m_pendingLines.append(line);
        return;
    }
    execute(line);
}

void VirtualModule::execute(const QByteArray &line)
{
    const std::optional<QList<CommandRequest>> commands = parseCommandLine(line);
    if (!commands)
        return; // no "AT" in it: V.250 modules ignore such lines
    m_busy = true;
    const bool rebootAfter = m_rebootOnArmed && line.trimmed().toUpper().startsWith(m_faults.rebootOnCommand.toUpper());
    CommandOutcome result = CommandOutcome::ok();
    QList<std::function<void()>> afterFinal;
    for (const CommandRequest &command : *commands) {
        CommandGroup *group = nullptr;
        for (CommandGroup *g : std::as_const(m_groups)) {
            if (command.valid && g->handles(command.name)) {
                group = g;
                break;
            }
        }
        CommandOutcome outcome = group ? group->execute(command) : CommandOutcome::error();
        if (outcome.result == CommandOutcome::Result::Prompt && commands->size() > 1)
            outcome = CommandOutcome::error(); // data mode only for a command of its own
        if (outcome.afterFinal)
            afterFinal.append(outcome.afterFinal);
        if (outcome.result != CommandOutcome::Result::Ok) {
            outcome.info = result.info + outcome.info;
            result = outcome;
            break;
        }
        result.info += outcome.info;
    }
    respond(result);
    for (const auto &action : afterFinal)
        action();
    if (rebootAfter) {
        m_rebootOnArmed = false;
        reboot();
    }
}

QByteArray VirtualModule::finalText(const CommandOutcome &outcome) const
{
    switch (outcome.result) {
    case CommandOutcome::Result::Ok:
        return QByteArrayLiteral("OK");
    case CommandOutcome::Result::Error:
        return QByteArrayLiteral("ERROR");
    case CommandOutcome::Result::CmeError:
        if (m_general->errorMode() == 0)
            return QByteArrayLiteral("ERROR");
        if (m_general->errorMode() == 2)
            return "+CME ERROR: " + codes::cmeError(outcome.cmeCode).toUtf8();
        return "+CME ERROR: " + QByteArray::number(outcome.cmeCode);
    case CommandOutcome::Result::Prompt:
        break;
    }
    return {};
}

void VirtualModule::respond(const CommandOutcome &outcome)
{
    QByteArray out;
    for (qsizetype i = 0; i < outcome.info.size(); ++i)
        appendLine(out, outcome.info[i], i == 0);
    if (outcome.result == CommandOutcome::Result::Prompt) {
        // "\r\n> " with nothing after it; data mode begins at once, or with early data lost (a fault)
        // ModuleTimings::dataModeSettleMs later.
        out += QByteArrayLiteral("\r\n> ");
        send(out, true);
        m_dataHandler = outcome.onData;
        m_input->beginDataMode(outcome.dataMode);
        return;
    }
    appendLine(out, finalText(outcome), true);
    ++m_responses;
    bool swallowed = false;
    if (m_swallowNext > 0) {
        --m_swallowNext;
        swallowed = true;
    } else if (m_faults.swallowEvery > 0 && m_responses % quint64(m_faults.swallowEvery) == 0) {
        swallowed = true;
    }
    if (!swallowed)
        send(out, true);
    m_busy = false;
    flushUrcs();
    if (!m_pendingLines.isEmpty() && !m_processScheduled) {
        m_processScheduled = true;
        QMetaObject::invokeMethod(this, &VirtualModule::processPendingLines, Qt::QueuedConnection);
    }
}

void VirtualModule::processPendingLines()
{
    m_processScheduled = false;
    if (m_busy || m_pendingLines.isEmpty())
        return;
    execute(m_pendingLines.takeFirst());
    if (!m_busy && !m_pendingLines.isEmpty() && !m_processScheduled) {
        m_processScheduled = true;
        QMetaObject::invokeMethod(this, &VirtualModule::processPendingLines, Qt::QueuedConnection);
    }
}

// ---- URCs ----------------------------------------------------------------------------------------------

bool VirtualModule::canSendUrcs() const
{
    // Held while a command runs, while the host types one, and in data mode (protocol-notes §4.1), so a URC never
    // splits an echo or a response and never lands in the middle of the data the host is sending.
    return !m_busy && !m_booting && !m_input->inDataMode() && !m_input->isTyping();
}

void VirtualModule::onUrc(const QByteArray &line)
{
    if (m_booting)
        return;
    m_heldUrcs.append(line);
    if (m_heldUrcs.size() > MaxHeldUrcs) {
        m_heldUrcs.removeFirst();
        Q_EMIT diagnostic(tr("A URC was dropped: more than %1 were held back.").arg(MaxHeldUrcs));
    }
    flushUrcs();
}

void VirtualModule::flushUrcs()
{
    if (!canSendUrcs() || m_heldUrcs.isEmpty())
        return;
    QByteArray out;
    for (const QByteArray &line : std::as_const(m_heldUrcs))
        appendLine(out, line, true);
    m_heldUrcs.clear();
    send(out, true);
}

// ---- sleep, reboot and faults --------------------------------------------------------------------------

void VirtualModule::noteActivity()
{
    if (m_faults.sleep && m_general->sleepMode() != 0)
        m_sleepTimer.start(m_timings.sleepAfterIdleMs);
    else
        m_sleepTimer.stop();
}

void VirtualModule::sleepNow()
{
    if (!m_faults.sleep || m_general->sleepMode() == 0 || m_booting)
        return;
    if (m_busy || m_input->inDataMode()) {
        noteActivity();
        return;
    }
    m_input->setAsleep(true);
}

void VirtualModule::reboot()
{
    m_booting = true;
    m_rebootFault.stop();
    m_sleepTimer.stop();
    m_rx->clear();
    m_input->reset();
    m_input->setAsleep(false);
    m_dataHandler = {};
    m_pendingLines.clear();
    m_heldUrcs.clear();
    m_busy = false;
    // The connections die with the module; the broker sees them reset and publishes their wills.
    for (MqttSlot *slot : m_slots)
        slot->reset();
    m_network->powerOff();
    m_general->restoreVolatileDefaults();
    m_ssl->restoreVolatileDefaults();
    m_bootTimer.start(m_timings.bootMs);
    Q_EMIT rebooted();
}

void VirtualModule::finishBoot()
{
    m_booting = false;
    // protocol-notes §2.1: RDY, then +CFUN: 1, then +CEREG if reporting is on (the mode survives in NVRAM).
    onUrc(QByteArrayLiteral("RDY"));
    onUrc(QByteArrayLiteral("+CFUN: 1"));
    m_network->powerOn();
    noteActivity();
}

bool VirtualModule::dropBrokerConnection(int connectId)
{
    bool dropped = false;
    for (MqttSlot *slot : m_slots) {
        if (connectId < 0 || slot->id() == connectId)
            dropped = slot->dropConnection() || dropped;
    }
    return dropped;
}

void VirtualModule::setLinkStalled(int connectId, bool stalled)
{
    for (MqttSlot *slot : m_slots) {
        if (connectId < 0 || slot->id() == connectId)
            slot->setStalled(stalled);
    }
}

void VirtualModule::swallowNextResponses(int count)
{
    m_swallowNext = std::max(0, count);
}

void VirtualModule::injectGarbage(const QByteArray &bytes)
{
    send(bytes, false);
}

} // namespace qmt::sim
