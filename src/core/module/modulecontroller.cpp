#include "core/module/modulecontroller.h"

#include "core/qmt/atfields.h"
#include "core/qmt/overloaded.h"
#include "core/qmt/qmtparser.h"

namespace qmt {

namespace {

constexpr int CfunTimeoutMs = 15'000;
/// After a reboot the module registers again before it can open anything (it answers AT+QMTOPEN with
/// +QMTOPEN: <id>,3 until then): AT+CEREG? this often for RegistrationFastPollForMs, then less often up to
/// RegistrationPollMaxMs apart, for at most RegistrationWaitMs; then the slots try anyway, with their back-off.
constexpr int RegistrationPollMs = 150;
constexpr int RegistrationFastPollForMs = 5000;
constexpr int RegistrationPollMaxMs = 2000;
constexpr int RegistrationWaitMs = 60'000;
constexpr int AttachTries = 60;
/// Message counts are reported (slotChanged) at most this often: a UI tick.
constexpr int CountReportIntervalMs = 33;

} // namespace

ModuleController::ModuleController(QObject *parent)
    : QObject(parent)
    , m_port([this] { return m_info.sleepMode != 0; })
    , m_poller(
          [this](AtCommand c, std::function<void(const AtReply &)> done) { submit(std::move(c), std::move(done)); },
          [this] { return m_portState == PortState::Open && m_port.channel().isIdle(); })
    , m_console(m_port.channel(), [this](AtCommand c, std::function<void(const AtReply &)> done) {
        return submit(std::move(c), std::move(done));
    })
{
    qRegisterMetaType<qmt::PublishOutcome>();
    connect(&m_console, &ConsoleSession::finished, this, &ModuleController::absorbConsoleReply);
    for (int i = 0; i < SlotCount; ++i) {
        m_slots[size_t(i)] = std::make_unique<SlotMachine>(i, static_cast<SlotHost &>(*this));
        SlotMachine *s = m_slots[size_t(i)].get();
        connect(s, &SlotMachine::changed, this, &ModuleController::slotChanged);
        connect(s, &SlotMachine::notice, this, &ModuleController::notice);
        connect(s, &SlotMachine::publishFinished, this, &ModuleController::publishFinished);
    }
    connect(&m_port, &PortSession::urcReceived, this, &ModuleController::onUrc);
    connect(&m_port, &PortSession::moduleReported, this, [this](const ModuleReport &report) {
        if (!m_info.absorb(report))
            return;
        Q_EMIT infoChanged();
        const auto *cereg = std::get_if<RegistrationReport>(&report);
        if (cereg && (m_info.registration == 1 || m_info.registration == 5))
            endRegistrationWait(); // reported by the module itself (AT+CEREG=1 or more)
    });
    connect(&m_port, &PortSession::rebooted, this, &ModuleController::handleReboot);
    connect(&m_port, &PortSession::lost, this, &ModuleController::onDeviceLost);
    connect(&m_port, &PortSession::reappeared, this, &ModuleController::onReappeared);
    m_countReport.setSingleShot(true);
    m_countReport.setInterval(CountReportIntervalMs);
    connect(&m_countReport, &QTimer::timeout, this, [this] {
        const auto counted = std::exchange(m_countedSlots, {});
        for (int i = 0; i < SlotCount; ++i) {
            if (counted.test(size_t(i)))
                Q_EMIT slotChanged(i);
        }
    });
    connect(&m_poller, &ModuleInfoPoller::replied, this, [this](const AtReply &r) {
        if (r.ok() && m_info.absorb(r.command, r.lines))
            Q_EMIT infoChanged();
    });
}

ModuleController::~ModuleController()
{
    m_poller.stop();
    m_port.channel().setDevice(nullptr);
}

// --- configuration and state ------------------------------------------------------------------------

const SlotConfig &ModuleController::config(int s) const
{
    return slot(std::clamp(s, 0, SlotCount - 1)).config();
}

const SlotStatus &ModuleController::status(int s) const
{
    return slot(std::clamp(s, 0, SlotCount - 1)).status();
}

void ModuleController::setConfig(int s, const SlotConfig &config)
{
    if (s >= 0 && s < SlotCount)
        slot(s).setConfig(config);
}

const std::optional<SlotConfig> &ModuleController::sessionConfig(int s) const
{
    return slot(std::clamp(s, 0, SlotCount - 1)).session();
}

bool ModuleController::runsWithOtherSettings(int s) const
{
    return s >= 0 && s < SlotCount && slot(s).runsWithOtherSettings();
}

bool ModuleController::needsReconnectToApply(int s) const
{
    return s >= 0 && s < SlotCount && slot(s).needsReconnectToApply();
}

Validated<int> ModuleController::checkedSlot(qint64 s) const
{
    if (auto e = check::integer(Param::ConnectId, s))
        return *e;
    return int(s);
}

void ModuleController::setRecoveryDelays(int firstMs, int maxMs)
{
    for (auto &s : m_slots)
        s->recovery().setDelays(firstMs, maxMs);
}

void ModuleController::setAutoRecovery(bool on)
{
    if (on == m_autoRecovery)
        return;
    m_autoRecovery = on;
    Q_EMIT autoRecoveryChanged(on);
    if (!on) {
        for (auto &s : m_slots)
            s->autoRecoveryTurnedOff();
    }
}

// --- port -------------------------------------------------------------------------------------------

void ModuleController::setPortProvider(std::unique_ptr<PortProvider> provider)
{
    closePort();
    m_port.setProvider(std::move(provider));
}

void ModuleController::onReappeared()
{
    Q_EMIT notice(tr("%1 is back; reconnecting.").arg(m_port.provider()->displayName()));
    openPort();
}

bool ModuleController::openPort(QString *error)
{
    if (!m_port.provider()) {
        if (error)
            *error = tr("No port chosen.");
        return false;
    }
    if (m_portState == PortState::Open)
        return true;
    QString why;
    if (!m_port.open(why)) {
        if (error)
            *error = why;
        Q_EMIT notice(why);
        return false;
    }
    setPortState(PortState::Open);
    syncWithModule();
    m_poller.start();
    return true;
}

void ModuleController::forgetModule()
{
    // What the module said is only known while it can be asked: no stale registration or identity, and
    // every slot unknown (so closed) until a port opens and the module is asked again.
    m_poller.stop();
    m_info = ModuleInfo{};
    Q_EMIT infoChanged();
    m_awaitingRegistration = false;
    ++m_registrationGeneration;
    for (auto &s : m_slots)
        s->forget();
}

void ModuleController::closePort()
{
    m_port.close();
    forgetModule();
    if (m_portState != PortState::Closed)
        setPortState(PortState::Closed);
}

void ModuleController::setPortState(PortState state, const QString &reason)
{
    m_portState = state;
    Q_EMIT portStateChanged(state, reason);
}

void ModuleController::onDeviceLost(const QString &reason)
{
    forgetModule();
    setPortState(PortState::Lost, reason);
    Q_EMIT notice(tr("The port was lost (%1); waiting for it to come back.").arg(reason));
}

/// Learns which slots the module has open and connected (it may have been running before we came).
void ModuleController::syncWithModule()
{
    submit(QmtCommands::openRead(), [this](const AtReply &r) {
        if (!r.ok())
            return;
        QSet<int> open;
        for (const QByteArray &line : r.lines) {
            if (auto s = connectIdOf(line))
                open.insert(*s);
        }
        for (int i = 0; i < SlotCount; ++i) {
            const SlotState st = slot(i).status().state;
            if (open.contains(i) && st == SlotState::Closed)
                slot(i).setReportedState(SlotState::Open);
            else if (!open.contains(i) && st != SlotState::Closed && st != SlotState::Opening)
                slot(i).setReportedState(SlotState::Closed);
        }
    });
    submit(QmtCommands::connRead(), [this](const AtReply &r) {
        if (r.ok()) {
            for (const QByteArray &line : r.lines) {
                const auto event = parseQmtLine(line, ParseContext{true, "AT+QMTCONN?", std::nullopt});
                if (!event || !std::holds_alternative<ConnState>(*event))
                    continue;
                const auto &cs = std::get<ConnState>(*event);
                if (cs.connectId < 0 || cs.connectId >= SlotCount)
                    continue;
                if (cs.state == 3)
                    slot(cs.connectId).setReportedState(SlotState::Connected);
                else if (cs.state == 1 || cs.state == 2)
                    slot(cs.connectId).setReportedState(SlotState::Connecting);
                else if (cs.state == 4)
                    slot(cs.connectId).setReportedState(SlotState::Disconnecting);
            }
        }
        for (auto &s : m_slots)
            s->reconcile();
    });
}

// --- sending ----------------------------------------------------------------------------------------

quint64 ModuleController::submit(AtCommand command, std::function<void(const AtReply &)> done)
{
    return m_port.submit(std::move(command), std::move(done));
}

void ModuleController::absorbConsoleReply(const AtReply &r, const QByteArray &text)
{
    m_commands.learn(r); // an AT+QMTCFG typed by hand changes the slot's formats and time limits too
    // AT+QSCLK=<mode> included: its reply says nothing, and the mode asked for is the module's from now on.
    if (r.ok() && m_info.absorb(text, r.lines))
        Q_EMIT infoChanged();
}

// --- actions ----------------------------------------------------------------------------------------

template<typename Action> Validated<quint64> ModuleController::onSlot(qint64 s, Action action)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    return action(slot(*checked));
}

Validated<quint64> ModuleController::applyConfig(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.applyConfig(); });
}

Validated<quint64> ModuleController::start(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.start(); });
}

Validated<quint64> ModuleController::reconnectWithConfig(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.reconnectWithConfig(); });
}

Validated<quint64> ModuleController::reconnectNow(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.reconnectNow(); });
}

Validated<quint64> ModuleController::stop(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.stop(); });
}

Validated<quint64> ModuleController::open(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.open(); });
}

Validated<quint64> ModuleController::connectSlot(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.connectSlot(); });
}

Validated<quint64> ModuleController::disconnectSlot(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.disconnectSlot(); });
}

Validated<quint64> ModuleController::closeSlot(int s)
{
    return onSlot(s, [](SlotMachine &m) { return m.closeSlot(); });
}

Validated<quint64> ModuleController::subscribe(int s, const QByteArray &filter, int qos)
{
    return onSlot(s, [&](SlotMachine &m) { return m.subscribe(filter, qos); });
}

Validated<quint64> ModuleController::unsubscribe(int s, const QByteArray &filter)
{
    return onSlot(s, [&](SlotMachine &m) { return m.unsubscribe(filter); });
}

Validated<quint64> ModuleController::publish(int s, const QByteArray &topic, const QByteArray &payload, int qos,
                                             bool retain, PublishForm form)
{
    return onSlot(s, [&](SlotMachine &m) { return m.publish(topic, payload, qos, retain, form); });
}

void ModuleController::queryTls(int s, int contextId, int connectId, std::function<void(const QList<AtReply> &)> done)
{
    QList<AtCommand> queries;
    if (const auto level = QmtCommands::sslSecLevelQuery(contextId, connectId))
        queries.append(*level);
    if (const auto ssl = m_commands.cfgQuery(CfgOption::Ssl, s))
        queries.append(*ssl);
    auto replies = std::make_shared<QList<AtReply>>();
    const qsizetype count = queries.size();
    for (AtCommand &q : queries) {
        q.onFinished = [replies, count, done](const AtReply &r) {
            replies->append(r);
            if (replies->size() == count && done)
                done(*replies);
        };
        m_port.channel().submit(std::move(q)); // as the dialog always sent them: without waking the module
    }
}

// --- what the module says ---------------------------------------------------------------------------

void ModuleController::onUrc(const AtLine &line)
{
    const QByteArray &text = line.text;
    if (!text.startsWith("+QMT"))
        return;
    ParseContext ctx;
    if (const auto s = connectIdOf(text))
        ctx.recvFormat = m_commands.settings(*s).recvFormat;
    if (const auto event = parseQmtLine(text, ctx))
        handleEvent(*event);
}

void ModuleController::handleEvent(const QmtEvent &event)
{
    const auto toSlot = [this](const auto &e) {
        if (e.connectId >= 0 && e.connectId < SlotCount)
            slot(e.connectId).on(e);
    };
    // Every event type is named here: a new one that nobody handles does not compile.
    std::visit(Overloaded{
                   [&](const CommandResult &e) { toSlot(e); },
                   [&](const StatEvent &e) { toSlot(e); },
                   [&](const RecvMessage &e) {
                       if (e.connectId >= 0 && e.connectId < SlotCount)
                           onMessage(e);
                   },
                   // Answers to read and test forms, and the +CME ERROR that ends a command: the command
                   // that asked takes them from its reply.
                   [](const OpenInfo &) {},
                   [](const ConnState &) {},
                   [](const CfgReply &) {},
                   [](const CfgTestLine &) {},
                   [](const TestReply &) {},
                   [](const CmeError &) {},
               },
               event);
}

void ModuleController::onMessage(const RecvMessage &e)
{
    slot(e.connectId).countReceived();
    // UTC: a local time costs a time-zone lookup (with TZ unset, a stat of /etc/localtime) per message;
    // the views convert the rows they show.
    Q_EMIT messageReceived(e.connectId, e, QDateTime::currentDateTimeUtc());
    // A flood brings thousands of messages a second, and whoever listens to slotChanged (the panels'
    // locks and tooltips, the slot table) re-reads the whole slot: the new count is reported once per UI
    // tick instead. Any other change of the slot reports it at once, count included.
    m_countedSlots.set(size_t(e.connectId));
    if (!m_countReport.isActive())
        m_countReport.start();
}

void ModuleController::handleReboot()
{
    // Answers and results the old session still owed will never come (the command waiting for its OK
    // included: it would hold the line for its whole time limit), and a new session's must not be taken for
    // them; their callbacks release msgIDs, so this goes before the allocators are reset.
    m_port.channel().abortSent(ReplyStatus::Cancelled, tr("The module rebooted."));
    m_commands.resetSettings();
    for (auto &s : m_slots)
        s->rebooted();
    m_info.sleepMode.reset(); // AT+QSCLK is not kept across a reboot (protocol-notes §3.2)
    m_poller.pollIdentity();
    Q_EMIT moduleRebooted();
    Q_EMIT notice(tr("The module rebooted: its MQTT configuration and connections are gone%1.")
                      .arg(m_autoRecovery ? tr("; restoring the slots that were connected") : QString()));
    if (std::any_of(m_slots.begin(), m_slots.end(),
                    [](const std::unique_ptr<SlotMachine> &o) { return o->status().wanted; })) {
        awaitRegistration();
        for (auto &s : m_slots)
            s->reconcile(); // the configuration goes now; AT+QMTOPEN once the module has registered
    }
}

void ModuleController::awaitRegistration()
{
    // A rebooted module is not registered yet (protocol-notes §9.2, §9.6): an AT+QMTOPEN now fails with
    // +QMTOPEN: <id>,3 and the retry waits a back-off. The slots open once it has registered instead.
    m_info.registration.reset();
    m_awaitingRegistration = true;
    m_registrationWait.start();
    pollRegistration(++m_registrationGeneration, RegistrationPollMs);
}

void ModuleController::pollRegistration(int generation, int nextDelayMs)
{
    submit(AtCommand::simple("AT+CEREG?", 2000), [this, generation, nextDelayMs](const AtReply &r) {
        if (generation != m_registrationGeneration || !m_awaitingRegistration)
            return;
        if (r.ok() && m_info.absorb("AT+CEREG?", r.lines))
            Q_EMIT infoChanged();
        // Waiting only while the module says it is not registered yet (0 idle, 2 searching, 4 unknown); a
        // refusal (3), an answer without the registration or no answer: the slots try, and back off.
        const std::optional<int> stat = r.ok() ? m_info.registration : std::nullopt;
        const bool searching = stat && (*stat == 0 || *stat == 2 || *stat == 4);
        if (!searching || m_registrationWait.elapsed() >= RegistrationWaitMs) {
            endRegistrationWait();
            return;
        }
        const int after = m_registrationWait.elapsed() < RegistrationFastPollForMs
                              ? nextDelayMs
                              : std::min(nextDelayMs * 2, RegistrationPollMaxMs);
        QTimer::singleShot(nextDelayMs, this, [this, generation, after] {
            if (generation == m_registrationGeneration && m_awaitingRegistration)
                pollRegistration(generation, after);
        });
    });
}

void ModuleController::endRegistrationWait()
{
    if (!std::exchange(m_awaitingRegistration, false))
        return;
    ++m_registrationGeneration;
    for (auto &s : m_slots)
        s->registered();
}

// --- PDP reactivation -------------------------------------------------------------------------------

bool ModuleController::reactivatePdpFor(int s)
{
    if (std::any_of(m_slots.begin(), m_slots.end(),
                    [](const std::unique_ptr<SlotMachine> &o) { return o->status().state == SlotState::Connected; }))
        return false;
    // Table 4, code 2: deactivate and activate the PDP, then reopen. AT+CFUN=0/1 cycles the radio, which
    // takes the PDP context down and up on the BC660K-GL.
    m_port.setRadioCycleRunning(true);
    Q_EMIT notice(tr("Slot %1: reactivating the PDP context (AT+CFUN=0, AT+CFUN=1).").arg(s));
    submit(AtCommand::simple("AT+CFUN=0", CfunTimeoutMs), {});
    submit(AtCommand::simple("AT+CFUN=1", CfunTimeoutMs),
           [this, s](const AtReply &) { waitForAttach(s, AttachTries); });
    return true;
}

void ModuleController::waitForAttach(int s, int triesLeft)
{
    submit(AtCommand::simple("AT+CGATT?", 2000), [this, s, triesLeft](const AtReply &r) {
        m_info.absorb("AT+CGATT?", r.lines);
        if ((r.ok() && m_info.attached.value_or(false)) || triesLeft <= 1) {
            m_port.setRadioCycleRunning(false);
            slot(s).reconcile();
            return;
        }
        QTimer::singleShot(1000, this, [this, s, triesLeft] { waitForAttach(s, triesLeft - 1); });
    });
}

} // namespace qmt
