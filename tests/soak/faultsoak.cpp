#include "faultsoak.h"

#include <QTest>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

namespace qmt::soak {

namespace {

constexpr int Slot = 0;
/// Publishes the soak keeps in flight at most (the channel allows 64 awaiting results).
constexpr int MaxOutInFlight = 20;
/// The module falls asleep after this long without traffic. Shorter than the real 10 s to keep the soak
/// short, and longer than the controller's 5 s after which it wakes the module first (protocol-notes §3.5).
constexpr int SleepAfterIdleMs = 6000;
/// The bytes of the garbage fault: noise on the line, a half line, bytes that are no UTF-8.
const QList<QByteArray> &garbagePatterns()
{
    static const QList<QByteArray> patterns{QByteArrayLiteral("\xFF\xFE"),
                                            QByteArrayLiteral("\r\n\x00\x7F\xC3\x28\r\n"),
                                            QByteArrayLiteral("~~~noise"), QByteArrayLiteral("\r\n\r\n\xE2\x82\r\n")};
    return patterns;
}

QString seconds(qint64 ms)
{
    return ms < 0 ? QStringLiteral("—") : QString::number(double(ms) / 1000.0, 'f', 2);
}

} // namespace

const char *faultName(Fault fault)
{
    switch (fault) {
    case Fault::BrokerDrop:
        return "broker drop";
    case Fault::Reboot:
        return "reboot";
    case Fault::Stall:
        return "stall";
    case Fault::Latency:
        return "latency";
    case Fault::Garbage:
        return "garbage";
    case Fault::Swallow:
        return "swallowed response";
    case Fault::Sleep:
        return "sleep";
    case Fault::PortLoss:
        return "port loss";
    case Fault::Count_:
        break;
    }
    return "?";
}

FaultSoak::FaultSoak(SoakOptions options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_random(options.seed)
{
    m_outTimer.setInterval(m_options.intervalMs);
    m_inTimer.setInterval(m_options.intervalMs);
    connect(&m_outTimer, &QTimer::timeout, this, &FaultSoak::publishOut);
    connect(&m_inTimer, &QTimer::timeout, this, &FaultSoak::publishIn);
}

FaultSoak::~FaultSoak()
{
    m_outTimer.stop();
    m_inTimer.stop();
    m_controller.reset(); // before the module it talks to
    m_module.reset();
}

void FaultSoak::log(const QString &text) const
{
    std::printf("[%8.2f s] %s\n", double(m_clock.elapsed()) / 1000.0, qPrintable(text));
    std::fflush(stdout);
}

bool FaultSoak::waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

bool FaultSoak::setUp(QString *error)
{
    if (!m_broker.start(error))
        return false;
    const QByteArray name = QByteArray::number(QRandomGenerator::global()->generate(), 36);
    m_outTopic = "qmt-soak/" + name + "/out";
    m_inTopic = "qmt-soak/" + name + "/in";

    m_peer = std::make_unique<MqttPeer>(QStringLiteral("127.0.0.1"), m_broker.port(), "qmt-soak-peer-" + name);
    connect(m_peer.get(), &MqttPeer::acknowledged, this, [this](int mid) {
        if (const int n = m_inPending.take(mid); m_in.valid(n))
            ++m_in[n].confirmed;
    });
    connect(m_peer.get(), &MqttPeer::received, this, [this](const QByteArray &topic, const QByteArray &payload) {
        if (const int n = MessageLedger::numberOf(payload, "out"); topic == m_outTopic && m_out.valid(n))
            ++m_out[n].arrived;
    });
    if (!m_peer->start(m_outTopic, error))
        return false;

    m_module = std::make_unique<sim::VirtualModule>();
    sim::ModuleTimings timings;
    timings.sleepAfterIdleMs = SleepAfterIdleMs;
    timings.networkDelayMs = m_options.networkDelayMs;
    m_module->setTimings(timings);
    connect(m_module.get(), &sim::VirtualModule::transmit, this, &FaultSoak::onWire);

    m_controller = std::make_unique<ModuleController>();
    auto port = std::make_unique<SoakPort>(*m_module);
    m_port = port.get();
    m_controller->setPortProvider(std::move(port));
    m_controller->setAutoRecovery(true);
    connect(m_controller.get(), &ModuleController::publishFinished, this, &FaultSoak::onPublishFinished);
    connect(m_controller.get(), &ModuleController::messageReceived, this,
            [this](int, const RecvMessage &message, const QDateTime &) {
                if (const int n = MessageLedger::numberOf(message.payload, "in");
                    message.topic == m_inTopic && m_in.valid(n))
                    ++m_in[n].arrived;
            });
    connect(m_controller.get(), &ModuleController::slotChanged, this, [this](int slot) {
        if (slot != Slot || m_runs.isEmpty())
            return;
        FaultRun &run = m_runs.last();
        if (run.downMs < 0 && run.recoveredMs < 0 && m_controller->status(Slot).state != SlotState::Connected)
            run.downMs = now();
    });
    if (m_options.verbose)
        connect(m_controller.get(), &ModuleController::notice, this,
                [this](const QString &n) { log(QStringLiteral("  notice: ") + n); });
    if (m_options.trace) {
        const AtChannel &channel = m_controller->channel();
        connect(&channel, &AtChannel::commandSent, this,
                [this](quint64, const QByteArray &shown) { log(QStringLiteral("  > ") + QString::fromUtf8(shown)); });
        connect(&channel, &AtChannel::lineReceived, this, [this](const AtLine &line) {
            if (!line.text.startsWith("+QMTRECV"))
                log(QStringLiteral("  < ") + QString::fromUtf8(line.text));
        });
    }
    if (!m_controller->openPort(error))
        return false;

    SlotConfig config;
    config.host = "127.0.0.1";
    config.port = m_broker.port();
    config.clientId = "qmt-soak-" + name;
    config.cleanSession = false; // the broker keeps what arrives while the slot is down
    m_controller->setConfig(Slot, config);
    if (const auto subscribed = m_controller->subscribe(Slot, m_inTopic, 1); !subscribed) {
        *error = subscribed.error().message();
        return false;
    }
    if (const auto started = m_controller->start(Slot); !started) {
        *error = started.error().message();
        return false;
    }
    if (!waitFor([this] { return slotHealthy(); }, 60'000)) {
        *error = QStringLiteral("slot %1 did not connect and subscribe: %2")
                     .arg(Slot)
                     .arg(m_controller->status(Slot).lastError);
        return false;
    }
    return true;
}

bool FaultSoak::slotHealthy() const
{
    const SlotStatus &s = m_controller->status(Slot);
    return s.state == SlotState::Connected &&
           std::all_of(s.subscriptions.begin(), s.subscriptions.end(),
                       [](const Subscription &sub) { return sub.grantedQos.has_value(); });
}

void FaultSoak::publishOut()
{
    if (m_controller->status(Slot).state != SlotState::Connected || m_outPending.size() >= MaxOutInFlight)
        return;
    if (m_outRetries.isEmpty() && !m_newOutbound)
        return;
    const bool retry = !m_outRetries.isEmpty();
    const int n = retry ? m_outRetries.first() : m_out.next(m_window);
    const auto id = m_controller->publish(Slot, m_outTopic, MessageLedger::payload("out", n), 1, false);
    if (!id) {
        if (!retry)
            m_outRetries.append(n); // numbered already: it goes out as soon as it can
        return;
    }
    if (retry)
        m_outRetries.removeFirst();
    ++m_out[n].attempts;
    m_outPending.insert(*id, {n, now()});
}

void FaultSoak::onPublishFinished(const PublishOutcome &outcome)
{
    const auto it = m_outPending.constFind(outcome.commandId);
    if (it == m_outPending.cend())
        return;
    const auto [n, submittedMs] = *it;
    m_outPending.erase(it);
    if (outcome.delivered) {
        ++m_out[n].confirmed;
        m_lastDeliveredSubmitMs = std::max(m_lastDeliveredSubmitMs, submittedMs);
    } else {
        // The user was told; as a user would, the soak sends it again.
        ++m_out[n].failed;
        m_outRetries.append(n);
        if (m_options.verbose)
            log(QStringLiteral("  out-%1 not published: %2").arg(n).arg(outcome.text));
    }
}

void FaultSoak::publishIn()
{
    const int n = m_in.next(m_window);
    const int mid = m_peer->publish(m_inTopic, MessageLedger::payload("in", n));
    ++m_in[n].attempts;
    if (mid >= 0)
        m_inPending.insert(mid, n);
}

void FaultSoak::onWire(const QByteArray &bytes)
{
    // +QMTRECV: 0,<id>,"<topic>",10,"in-000042": count each payload the module printed (what the host could
    // have read), across chunk boundaries.
    QByteArray text = m_wireTail + bytes;
    static constexpr QByteArrayView Marker = "\"in-";
    for (qsizetype at = text.indexOf(Marker); at >= 0; at = text.indexOf(Marker, at + 1)) {
        if (at + 11 > text.size())
            break; // the rest of it is in the next chunk
        if (const int n = MessageLedger::numberOf(QByteArrayView(text).sliced(at + 1, 9), "in"); m_in.valid(n)) {
            ++m_in[n].onWire;
            m_in[n].unread += m_port->isAway() ? 1 : 0;
        }
    }
    // Keep what may be the start of a payload cut by the chunk boundary.
    const qsizetype keep = std::min<qsizetype>(text.size(), 10);
    m_wireTail = text.right(keep);
    if (const qsizetype cut = m_wireTail.lastIndexOf(Marker); cut > 0)
        m_wireTail = m_wireTail.mid(cut);
    else if (cut < 0)
        m_wireTail = m_wireTail.right(3); // at most a partial marker
}

Fault FaultSoak::pickFault(int round)
{
    if (m_options.minutes == 0)
        return Fault(round);
    return Fault(m_random.bounded(int(Fault::Count_)));
}

void FaultSoak::applyFault(FaultRun &run)
{
    const bool shortRun = m_options.minutes == 0;
    auto between = [this](int low, int high) { return low + int(m_random.bounded(high - low + 1)); };
    switch (run.fault) {
    case Fault::BrokerDrop:
        run.detail = m_module->dropBrokerConnection(Slot) ? QStringLiteral("connection reset")
                                                          : QStringLiteral("no connection to drop");
        break;
    case Fault::Reboot:
        m_module->reboot();
        run.detail = QStringLiteral("boot %1 ms").arg(m_module->timings().bootMs);
        break;
    case Fault::Stall: {
        const int ms = shortRun ? 3000 : between(1000, 10'000);
        run.detail = QStringLiteral("link stalled %1 s").arg(seconds(ms));
        m_module->setLinkStalled(Slot, true);
        QTest::qWait(ms);
        m_module->setLinkStalled(Slot, false);
        break;
    }
    case Fault::Latency: {
        const int ms = shortRun ? 3000 : between(2000, 8000);
        const int latency = shortRun ? 300 : between(100, 800);
        run.detail = QStringLiteral("+%1 ms on every answer for %2 s").arg(latency).arg(seconds(ms));
        sim::FaultPlan plan = m_module->faults();
        plan.latencyMs = latency;
        m_module->setFaults(plan);
        QTest::qWait(ms);
        plan.latencyMs = 0;
        m_module->setFaults(plan);
        break;
    }
    case Fault::Garbage: {
        const QByteArray &bytes = garbagePatterns()[shortRun ? 1 : m_random.bounded(int(garbagePatterns().size()))];
        run.detail = QStringLiteral("%1 bytes").arg(bytes.size());
        m_module->injectGarbage(bytes);
        break;
    }
    case Fault::Swallow: {
        const int count = shortRun ? 1 : between(1, 2);
        run.detail = QStringLiteral("next %1 response(s)").arg(count);
        m_module->swallowNextResponses(count);
        break;
    }
    case Fault::Sleep:
        sleepFault(run);
        break;
    case Fault::PortLoss: {
        const int ms = shortRun ? 1500 : between(500, 5000);
        run.detail = QStringLiteral("port away %1 s").arg(seconds(ms));
        m_port->lose(ms);
        waitFor([this] { return !m_port->isAway(); }, ms + 10'000);
        break;
    }
    case Fault::Count_:
        break;
    }
    run.clearedMs = now();
}

void FaultSoak::sleepFault(FaultRun &run)
{
    // Sleep as the BC660K-GL does it: allowed by AT+QSCLK=1, it comes after a quiet spell, and the first
    // command after it is lost. The soak goes quiet both ways until the module is asleep.
    m_controller->console().send("AT+QSCLK=1");
    waitFor([this] { return m_controller->info().sleepMode == 1; }, 10'000);
    sim::FaultPlan plan = m_module->faults();
    plan.sleep = true;
    m_module->setFaults(plan);
    m_outTimer.stop();
    m_inTimer.stop();
    const qint64 quietFrom = now();
    const bool slept = waitFor([this] { return m_module->isAsleep(); }, 3 * SleepAfterIdleMs);
    run.detail = slept ? QStringLiteral("asleep after %1 s quiet").arg(seconds(now() - quietFrom))
                       : QStringLiteral("never fell asleep in %1 s quiet").arg(seconds(now() - quietFrom));
    m_outTimer.start();
    m_inTimer.start();
}

void FaultSoak::takeOverInFlight(int window)
{
    // A message still on its way when a fault strikes is the fault's to lose or duplicate, whenever it was
    // first sent.
    for (const auto &[n, submittedMs] : std::as_const(m_outPending))
        m_out[n].window = window;
    for (const int n : std::as_const(m_outRetries))
        m_out[n].window = window;
    for (int n = m_in.count(); n >= 1; --n) {
        if (m_in[n].arrived == 0)
            m_in[n].window = window;
    }
}

void FaultSoak::runFault(FaultRun &run)
{
    m_window = int(m_runs.size()) - 1;
    takeOverInFlight(m_window);
    run.injectedMs = now();
    applyFault(run);
    const bool recovered =
        waitFor([this, &run] { return slotHealthy() && m_lastDeliveredSubmitMs >= run.clearedMs; }, m_options.hangMs);
    if (recovered)
        run.recoveredMs = now();
    else
        run.hung = true;
    log(QStringLiteral("#%1 %2 (%3): %4")
            .arg(m_window + 1)
            .arg(QString::fromLatin1(faultName(run.fault)), run.detail,
                 recovered ? QStringLiteral("recovered in %1 s%2")
                                 .arg(seconds(run.recoveryMs()))
                                 .arg(run.downMs >= 0 ? QStringLiteral(" (slot went down)") : QString())
                           : QStringLiteral("NOT recovered within %1 s").arg(seconds(m_options.hangMs))));
    if (run.fault == Fault::Sleep) {
        // Awake for the faults that follow: quiet spells (a lost port) must not end in sleep as well.
        m_controller->console().send("AT+QSCLK=0");
        sim::FaultPlan plan = m_module->faults();
        plan.sleep = false;
        m_module->setFaults(plan);
    }
}

void FaultSoak::drain()
{
    m_newOutbound = false;
    m_inTimer.stop();
    const bool settled = waitFor(
        [this] { return m_outPending.isEmpty() && m_outRetries.isEmpty() && m_out.settled() && m_in.settled(); },
        m_options.drainMs);
    log(settled ? QStringLiteral("drained: every message arrived")
                : QStringLiteral("drain ended after %1 s with messages still missing").arg(seconds(m_options.drainMs)));
    m_outTimer.stop();
}

int FaultSoak::run()
{
    m_clock.start();
    QString error;
    if (!setUp(&error)) {
        std::fprintf(stderr, "qmt-soak: setting up failed: %s\n", qPrintable(error));
        return 2;
    }
    log(QStringLiteral("connected and subscribed; broker 127.0.0.1:%1; network delay %2 ms; %3")
            .arg(m_broker.port())
            .arg(m_options.networkDelayMs)
            .arg(m_options.minutes
                     ? QStringLiteral("random faults for %1 min, seed %2").arg(m_options.minutes).arg(m_options.seed)
                     : QStringLiteral("each fault once")));
    m_outTimer.start();
    m_inTimer.start();
    QTest::qWait(2000); // a steady flow first
    const qint64 endMs = qint64(m_options.minutes) * 60'000;
    for (int round = 0;; ++round) {
        if (m_options.minutes == 0 ? round >= int(Fault::Count_) : now() >= endMs)
            break;
        FaultRun run;
        run.fault = pickFault(round);
        m_runs.append(run);
        runFault(m_runs.last());
        if (m_runs.last().hung)
            break;
        QTest::qWait(m_options.minutes == 0 ? 2000 : 1000 + int(m_random.bounded(5000)));
    }
    drain();
    return report();
}

int FaultSoak::report() const
{
    QTextStream out(stdout);
    if (m_options.verbose) {
        // Each lost message, placed: which fault's window, and whether (and where) the module printed it.
        for (int n = 1; n <= m_in.count(); ++n) {
            if (m_in[n].arrived == 0)
                out << QStringLiteral("in-%1 lost: window #%2, confirmed by the broker %3, printed %4 (%5 unplugged)\n")
                           .arg(n)
                           .arg(m_in[n].window + 1)
                           .arg(m_in[n].confirmed)
                           .arg(m_in[n].onWire)
                           .arg(m_in[n].unread);
        }
    }
    out << "\nPer fault (recovery: from the fault's end until connected, subscribed and a new publish delivered;\n"
           "a message counts to the last fault injected before it was sent or while it was on its way):\n";
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
               .arg(QStringLiteral("fault"), -19)
               .arg(QStringLiteral("runs"), 4)
               .arg(QStringLiteral("rec. median"), 11)
               .arg(QStringLiteral("rec. max"), 8)
               .arg(QStringLiteral("out sent/fail/lost/dup"), 22)
               .arg(QStringLiteral("in sent/lost/dup"), 16)
               .arg(QStringLiteral("in lost unplugged/unprinted"), 27)
               .arg(QStringLiteral("hung"), 4)
               .arg(QStringLiteral("went down"), 9);
    bool recoveryGoals = true;
    const int bootMs = m_module->timings().bootMs;
    for (int f = 0; f < int(Fault::Count_); ++f) {
        QList<qint64> recoveries;
        MessageLedger::Counts o, i;
        int runs = 0, hung = 0, down = 0;
        for (int r = 0; r < m_runs.size(); ++r) {
            const FaultRun &run = m_runs[r];
            if (int(run.fault) != f)
                continue;
            ++runs;
            hung += run.hung ? 1 : 0;
            down += run.downMs >= 0 ? 1 : 0;
            if (!run.hung)
                recoveries.append(run.recoveryMs());
            const auto ro = m_out.counts(r), ri = m_in.counts(r);
            o.sent += ro.sent, o.failedReports += ro.failedReports, o.lost += ro.lost, o.duplicates += ro.duplicates;
            i.sent += ri.sent, i.lost += ri.lost, i.lostNeverPrinted += ri.lostNeverPrinted,
                i.lostUnplugged += ri.lostUnplugged, i.duplicates += ri.duplicates;
            const qint64 goal = run.fault == Fault::BrokerDrop ? 2000 : run.fault == Fault::Reboot ? bootMs + 3000 : -1;
            if (goal >= 0 && (run.hung || run.recoveryMs() > goal))
                recoveryGoals = false;
        }
        if (runs == 0)
            continue;
        std::sort(recoveries.begin(), recoveries.end());
        const qint64 median = recoveries.isEmpty() ? -1 : recoveries[recoveries.size() / 2];
        const qint64 max = recoveries.isEmpty() ? -1 : recoveries.last();
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
                   .arg(QString::fromLatin1(faultName(Fault(f))), -19)
                   .arg(runs, 4)
                   .arg(seconds(median), 11)
                   .arg(seconds(max), 8)
                   .arg(QStringLiteral("%1/%2/%3/%4").arg(o.sent).arg(o.failedReports).arg(o.lost).arg(o.duplicates),
                        22)
                   .arg(QStringLiteral("%1/%2/%3").arg(i.sent).arg(i.lost).arg(i.duplicates), 16)
                   .arg(QStringLiteral("%1/%2").arg(i.lostUnplugged).arg(i.lostNeverPrinted), 27)
                   .arg(hung, 4)
                   .arg(down, 9);
    }
    const auto o = m_out.counts(), i = m_in.counts();
    const bool hung = std::any_of(m_runs.begin(), m_runs.end(), [](const FaultRun &r) { return r.hung; });
    out << QStringLiteral(
               "\nOutbound (controller → broker): %1 messages, %2 publish commands, %3 reported not published "
               "(sent again), %4 lost (%5 of them confirmed delivered), %6 duplicated.\n")
               .arg(o.sent)
               .arg(o.attempts)
               .arg(o.failedReports)
               .arg(o.lost)
               .arg(o.lostConfirmed)
               .arg(o.duplicates);
    // What the module printed while no host was plugged in is gone for any host: the module acknowledged it
    // to the broker on receipt (a QoS 1 PUBACK), so the persistent session no longer holds it.
    const int inLostByHost = i.lost - i.lostUnplugged;
    out << QStringLiteral("Inbound (broker → controller, persistent session): %1 messages, %2 lost — %3 printed by the "
                          "module only while the port was unplugged, %4 never printed, %5 printed on a plugged port "
                          "and not delivered — %6 duplicated.\n")
               .arg(i.sent)
               .arg(i.lost)
               .arg(i.lostUnplugged)
               .arg(i.lostNeverPrinted)
               .arg(i.lost - i.lostUnplugged - i.lostNeverPrinted)
               .arg(i.duplicates);
    const bool countsHold = o.lost == 0 && o.lostConfirmed == 0 && inLostByHost == 0 && !hung;
    out << QStringLiteral("Goals: outbound 0 lost: %1; inbound 0 lost of what the broker held: %2; no hang: %3; "
                          "recovery ≤ 2 s after a broker drop and ≤ boot (%4 ms) + 3 s after a reboot: %5.\n")
               .arg(o.lost == 0 ? QStringLiteral("met") : QStringLiteral("MISSED"),
                    inLostByHost == 0 ? QStringLiteral("met") : QStringLiteral("MISSED"),
                    hung ? QStringLiteral("MISSED") : QStringLiteral("met"))
               .arg(bootMs)
               .arg(recoveryGoals ? QStringLiteral("met") : QStringLiteral("MISSED"));
    out.flush();
    if (!countsHold)
        return 1;
    return m_options.checkGoals && !recoveryGoals ? 1 : 0;
}

} // namespace qmt::soak
