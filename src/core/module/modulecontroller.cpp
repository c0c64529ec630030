#include "modulecontroller.h"

#include "qmt/atfields.h"
#include "qmt/qmtcodes.h"
#include "qmt/qmtparser.h"
#include "qmt/redaction.h"

namespace qmt {

namespace {

constexpr int CfunTimeoutMs = 15'000;
constexpr int RebootSettleMs = 1000;
constexpr int AttachTries = 60;
/// Message counts are reported (slotChanged) at most this often: a UI tick.
constexpr int CountReportIntervalMs = 33;
/// SUBSCRIBEs one slot has out at once: a long list goes a few at a time, so it never fills the channel's
/// queue or its limit of results awaited (which would refuse or give up on the rest).
constexpr int SubscribeWindow = 8;

QString replyText(const AtReply &r)
{
    // The module's final result when that is what decided; otherwise what ended the command (a port lost
    // after the OK of a publish leaves that OK in the reply, and it is no verdict).
    const bool moduleAnswered =
        r.status == ReplyStatus::Ok || r.status == ReplyStatus::Error || r.status == ReplyStatus::CmeError;
    if (!moduleAnswered)
        return r.detail.isEmpty() ? replyStatusText(r.status) : r.detail;
    QString text = r.finalLine.isEmpty() ? replyStatusText(r.status) : QString::fromUtf8(r.finalLine);
    if (r.status == ReplyStatus::CmeError && r.errorCode >= 0)
        text += QStringLiteral(" (") + codes::cmeError(r.errorCode) + QLatin1Char(')');
    if (!r.detail.isEmpty())
        text += QStringLiteral(": ") + r.detail;
    return text;
}

/// Whether a slot running with `running` would connect the same way with `edited`: the broker, the
/// credentials and the options that count only before AT+QMTOPEN are the same.
bool sameConnection(const SlotConfig &running, const SlotConfig &edited)
{
    return running.beforeOpenFields() == edited.beforeOpenFields() &&
           std::tie(running.host, running.port, running.clientId, running.userName, running.password) ==
               std::tie(edited.host, edited.port, edited.clientId, edited.userName, edited.password);
}

/// Refused CONNECTs that a retry cannot fix: a wrong protocol version, client ID or credentials.
bool needsUserToFix(int retCode)
{
    return retCode == 1 || retCode == 2 || retCode == 4 || retCode == 5;
}

} // namespace

struct ModuleController::Slot
{
    SlotConfig config;                 // what the user edits
    std::optional<SlotConfig> session; // what the slot was started with: recovery reconnects with exactly this
    std::optional<SlotConfig> applied; // what the module holds since its last reboot
    SlotStatus status;
    MsgIdAllocator ids;
    QHash<int, QList<QByteArray>> pendingSub; // msgID → filters
    QHash<QByteArray, qsizetype> subIndex;    // filter → its position in status.subscriptions
    qsizetype subscribeFrom = 0;              // the filters before it had their SUBSCRIBE in this session (or a grant)
    QHash<int, QList<QByteArray>> pendingUns;
    Backoff backoff;
    QTimer recovery;
    bool pdpNeeded = false;
    bool stopRecovery = false;      // a refusal only the user can fix
    bool restartWhenClosed = false; // reconnectWithConfig(): up again, with the new session, once down
    QString refusal;                // why the last CONNECT was refused; outlives the +QMTSTAT that follows
    SlotFailure refusalFailure;     // the same, as the module said it
};

QString SlotStateText::name(SlotState state)
{
    switch (state) {
    case SlotState::Closed:
        return tr("Closed");
    case SlotState::Opening:
        return tr("Opening");
    case SlotState::Open:
        return tr("Open");
    case SlotState::Connecting:
        return tr("Connecting");
    case SlotState::Connected:
        return tr("Connected");
    case SlotState::Disconnecting:
        return tr("Disconnecting");
    case SlotState::Closing:
        return tr("Closing");
    }
    return {};
}

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
    connect(&m_console, &ConsoleSession::finished, this, &ModuleController::absorbConsoleReply);
    qRegisterMetaType<qmt::PublishOutcome>();
    for (int i = 0; i < SlotCount; ++i) {
        m_slots[size_t(i)] = std::make_unique<Slot>();
        Slot &s = *m_slots[size_t(i)];
        s.recovery.setSingleShot(true);
        connect(&s.recovery, &QTimer::timeout, this, [this, i] {
            slot(i).status.nextAttempt = QDateTime(); // the wait is over: the attempt is on its way
            reconcile(i);
        });
    }
    connect(&m_port, &PortSession::urcReceived, this, &ModuleController::onUrc);
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

ModuleController::Slot &ModuleController::slot(int index)
{
    return *m_slots[size_t(index)];
}
const ModuleController::Slot &ModuleController::slot(int index) const
{
    return *m_slots[size_t(index)];
}

const SlotConfig &ModuleController::config(int s) const
{
    return slot(std::clamp(s, 0, SlotCount - 1)).config;
}
const SlotStatus &ModuleController::status(int s) const
{
    return slot(std::clamp(s, 0, SlotCount - 1)).status;
}

void ModuleController::setConfig(int s, const SlotConfig &config)
{
    if (s < 0 || s >= SlotCount)
        return;
    slot(s).config = config;
    Q_EMIT slotChanged(s);
}

const std::optional<SlotConfig> &ModuleController::sessionConfig(int s) const
{
    return slot(std::clamp(s, 0, SlotCount - 1)).session;
}

bool ModuleController::runsWithOtherSettings(int s) const
{
    if (s < 0 || s >= SlotCount)
        return false;
    const Slot &sl = slot(s);
    const bool up = sl.status.wanted || sl.status.state != SlotState::Closed;
    return up && sl.session && *sl.session != sl.config;
}

bool ModuleController::needsReconnectToApply(int s) const
{
    return runsWithOtherSettings(s) && !sameConnection(*slot(s).session, slot(s).config);
}

const SlotConfig &ModuleController::activeConfig(int s) const
{
    const Slot &sl = slot(s);
    return sl.session ? *sl.session : sl.config;
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
        s->backoff = Backoff(firstMs, maxMs);
}

void ModuleController::setAutoRecovery(bool on)
{
    if (on == m_autoRecovery)
        return;
    m_autoRecovery = on;
    Q_EMIT autoRecoveryChanged(on);
    if (!on) {
        for (int i = 0; i < SlotCount; ++i) {
            if (slot(i).recovery.isActive()) {
                slot(i).recovery.stop();
                stopRetrying(i, tr("not retrying: auto-recovery is off"));
            }
        }
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
    for (int i = 0; i < SlotCount; ++i) {
        slot(i).recovery.stop();
        setState(i, SlotState::Closed);
    }
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
            const SlotState st = slot(i).status.state;
            if (open.contains(i) && st == SlotState::Closed)
                setState(i, SlotState::Open);
            else if (!open.contains(i) && st != SlotState::Closed && st != SlotState::Opening)
                setState(i, SlotState::Closed);
        }
    });
    submit(QmtCommands::connRead(), [this](const AtReply &r) {
        if (r.ok()) {
            for (const QByteArray &line : r.lines) {
                const auto event = parseQmtLine(line, ParseContext{true, "AT+QMTCONN?", RecvFormat::Auto});
                if (!event || !std::holds_alternative<ConnState>(*event))
                    continue;
                const auto &cs = std::get<ConnState>(*event);
                if (cs.connectId < 0 || cs.connectId >= SlotCount)
                    continue;
                if (cs.state == 3)
                    setState(cs.connectId, SlotState::Connected);
                else if (cs.state == 1 || cs.state == 2)
                    setState(cs.connectId, SlotState::Connecting);
                else if (cs.state == 4)
                    setState(cs.connectId, SlotState::Disconnecting);
            }
        }
        for (int i = 0; i < SlotCount; ++i)
            reconcile(i);
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
    if (r.ok() && m_info.absorb(text, r.lines))
        Q_EMIT infoChanged();
    if (r.ok() && text.toUpper().startsWith("AT+QSCLK=")) {
        m_info.sleepMode = text.mid(9).toInt();
        Q_EMIT infoChanged();
    }
}

void ModuleController::sendConfigThen(int s, const SlotConfig &config, bool includeBeforeOpen,
                                      std::function<void()> then)
{
    const auto built = config.configCommands(s, m_commands, includeBeforeOpen);
    if (!built) {
        failStart(s, built.error().message());
        return;
    }
    const QList<AtCommand> &commands = *built;
    auto failed = std::make_shared<bool>(false);
    auto sent = std::make_shared<const SlotConfig>(config);
    for (qsizetype i = 0; i < commands.size(); ++i) {
        const bool last = i + 1 == commands.size();
        submit(commands[i], [this, s, failed, sent, last, then, includeBeforeOpen](const AtReply &r) {
            if (!r.ok() && !*failed) {
                *failed = true;
                failStart(s, tr("%1 failed: %2").arg(QString::fromUtf8(r.command), replyText(r)));
            }
            if (!last || *failed)
                return;
            if (includeBeforeOpen)
                slot(s).applied = *sent;
            else if (slot(s).applied) {
                // Only the settings that may change while open went out; keep the rest as applied.
                SlotConfig merged = *sent;
                merged.beforeOpenFields() = slot(s).applied->beforeOpenFields();
                slot(s).applied = merged;
            }
            if (then)
                then();
        });
    }
}

// --- actions ----------------------------------------------------------------------------------------

Validated<quint64> ModuleController::applyConfig(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    Slot &sl = slot(s);
    const auto built = sl.config.configCommands(s, m_commands);
    if (!built)
        return built.error();
    if (sl.status.state != SlotState::Closed && sl.applied) {
        const bool beforeOpenChanged = sl.applied->beforeOpenFields() != sl.config.beforeOpenFields();
        if (beforeOpenChanged) {
            return ValidationError{tr("slot %1").arg(s), tr("closed"), SlotStateText::name(sl.status.state),
                                   tr("\"will\", \"session\", \"keepalive\", \"aliauth\", \"version\" and \"ssl\" "
                                      "take effect only when set before AT+QMTOPEN; close the slot, then apply")};
        }
    }
    if (sl.status.state != SlotState::Closed && sl.session && !sameConnection(*sl.session, sl.config)) {
        return ValidationError{tr("slot %1").arg(s), tr("closed"), SlotStateText::name(sl.status.state),
                               tr("the broker, the client ID and the credentials take effect when the slot opens "
                                  "and connects: reconnect it to apply them")};
    }
    if (sl.status.state != SlotState::Closed) {
        // What may change while open goes now, and the slot recovers with it from now on.
        sendConfigThen(s, sl.config, false, [this, s, applied = sl.config] {
            if (slot(s).session && sameConnection(*slot(s).session, applied))
                slot(s).session = applied;
            Q_EMIT slotChanged(s);
        });
        return quint64(0);
    }
    sendConfigThen(s, sl.config, true, {});
    return quint64(0);
}

Validated<quint64> ModuleController::start(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    Slot &sl = slot(s);
    // Check everything that will be sent before anything is.
    if (const auto cfg = sl.config.configCommands(s, m_commands); !cfg)
        return cfg.error();
    if (const auto o = sl.config.openCommand(s, m_commands); !o)
        return o.error();
    if (const auto c = sl.config.connectCommand(s, m_commands); !c)
        return c.error();
    if (m_portState != PortState::Open)
        return ValidationError{tr("port"), tr("open"), tr("closed"), {}};
    // A slot that runs keeps what it runs with (reconnectWithConfig() changes that); any other starts with
    // what the user set, and recovers with exactly that.
    if (!sl.status.wanted || sl.status.state == SlotState::Closed || !sl.session)
        sl.session = sl.config;
    if (sl.status.state == SlotState::Closed)
        sl.recovery.stop(); // started by the user now, not when the recovery wait is over
    sl.status.wanted = true;
    sl.stopRecovery = false;
    sl.backoff.reset();
    sl.status.recoveryAttempt = 0;
    sl.status.nextAttempt = QDateTime();
    sl.status.notRetrying.clear();
    sl.status.lastError.clear(); // a fresh start: an earlier failure is no longer news
    sl.status.lastFailure = {};
    Q_EMIT slotChanged(s);
    reconcile(s);
    return quint64(0);
}

Validated<quint64> ModuleController::reconnectWithConfig(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    Slot &sl = slot(s);
    if (sl.status.state == SlotState::Closed)
        return start(s);
    if (const auto cfg = sl.config.configCommands(s, m_commands); !cfg)
        return cfg.error();
    if (const auto o = sl.config.openCommand(s, m_commands); !o)
        return o.error();
    if (const auto c = sl.config.connectCommand(s, m_commands); !c)
        return c.error();
    sl.session = sl.config;
    sl.recovery.stop();
    sl.stopRecovery = false;
    sl.backoff.reset();
    sl.status.recoveryAttempt = 0;
    sl.status.nextAttempt = QDateTime();
    sl.status.notRetrying.clear();
    sl.status.lastError.clear();
    sl.status.lastFailure = {};
    Validated<quint64> down = quint64(0);
    switch (sl.status.state) {
    case SlotState::Connected:
    case SlotState::Connecting:
        down = disconnectSlot(s);
        break;
    case SlotState::Open:
    case SlotState::Opening:
        down = closeSlot(s);
        break;
    default:
        break; // on its way down already
    }
    if (!down)
        return down;
    // Down first, then up again with the new session (setState() picks it up when the slot is closed).
    sl.restartWhenClosed = true;
    sl.status.wanted = true;
    Q_EMIT notice(tr("Slot %1 reconnects with the new settings.").arg(s));
    Q_EMIT slotChanged(s);
    return down;
}

Validated<quint64> ModuleController::reconnectNow(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    Slot &sl = slot(s);
    if (!sl.session)
        return ValidationError{tr("slot %1").arg(s), tr("started before"), tr("never started"), tr("press Start")};
    if (m_portState != PortState::Open)
        return ValidationError{tr("port"), tr("open"), tr("closed"), {}};
    if (sl.status.state != SlotState::Closed) {
        return ValidationError{tr("slot %1").arg(s), tr("closed"), SlotStateText::name(sl.status.state).toLower(), {}};
    }
    sl.recovery.stop();
    sl.status.wanted = true;
    sl.stopRecovery = false;
    sl.status.nextAttempt = QDateTime();
    sl.status.notRetrying.clear();
    Q_EMIT slotChanged(s);
    reconcile(s);
    return quint64(0);
}

Validated<quint64> ModuleController::stop(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    Slot &sl = slot(s);
    sl.status.wanted = false;
    sl.restartWhenClosed = false;
    sl.recovery.stop();
    sl.status.recoveryAttempt = 0;
    sl.status.nextAttempt = QDateTime();
    sl.status.notRetrying.clear();
    sl.status.lastError.clear(); // what goes wrong from here is the stop's
    sl.status.lastFailure = {};
    Q_EMIT slotChanged(s);
    switch (sl.status.state) {
    case SlotState::Connected:
    case SlotState::Connecting:
        return disconnectSlot(s);
    case SlotState::Open:
    case SlotState::Opening:
        return closeSlot(s);
    default:
        Q_EMIT slotChanged(s);
        return quint64(0);
    }
}

Validated<quint64> ModuleController::open(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    const auto c = activeConfig(s).openCommand(s, m_commands);
    if (!c)
        return c.error();
    setState(s, SlotState::Opening);
    return submit(*c, [this, s](const AtReply &r) {
        if (!r.ok() && slot(s).status.state == SlotState::Opening)
            failStart(s, tr("AT+QMTOPEN failed: %1").arg(replyText(r)));
    });
}

Validated<quint64> ModuleController::connectSlot(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    const auto c = activeConfig(s).connectCommand(s, m_commands);
    if (!c)
        return c.error();
    setState(s, SlotState::Connecting);
    return submit(*c, [this, s](const AtReply &r) {
        if (!r.ok() && slot(s).status.state == SlotState::Connecting) {
            setState(s, SlotState::Open);
            failSlot(s, tr("AT+QMTCONN failed: %1").arg(replyText(r)));
            scheduleRecovery(s, slot(s).status.lastError);
        }
    });
}

Validated<quint64> ModuleController::disconnectSlot(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    const auto c = m_commands.disc(s);
    if (!c)
        return c.error();
    slot(s).status.wanted = false;
    setState(s, SlotState::Disconnecting);
    return submit(*c, [this, s](const AtReply &r) {
        if (!r.ok())
            failSlot(s, tr("AT+QMTDISC failed: %1").arg(replyText(r)), false);
    });
}

Validated<quint64> ModuleController::closeSlot(int s)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    const auto c = m_commands.close(s);
    if (!c)
        return c.error();
    slot(s).status.wanted = false;
    setState(s, SlotState::Closing);
    return submit(*c, [this, s](const AtReply &r) {
        if (!r.ok())
            failSlot(s, tr("AT+QMTCLOSE failed: %1").arg(replyText(r)), false);
    });
}

Validated<quint64> ModuleController::subscribe(int s, const QByteArray &filter, int qos)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    // Validate with a stand-in msgID: the real one is allocated only for a command that will be sent.
    if (const auto probe = m_commands.subscribe(s, 1, {{filter, qos}}); !probe)
        return probe.error();
    Slot &sl = slot(s);
    const Subscription sub{filter, qos, std::nullopt};
    const qsizetype at = sl.subIndex.value(filter, -1);
    if (at < 0 && sl.status.subscriptions.size() >= MaxSubscriptionsPerSlot) {
        return ValidationError{tr("slot %1: subscriptions").arg(s),
                               tr("at most %1 topic filters").arg(MaxSubscriptionsPerSlot), QString::fromUtf8(filter),
                               tr("the slot holds that many already")};
    }
    if (at >= 0) {
        sl.status.subscriptions[at] = sub;
    } else {
        sl.subIndex.insert(filter, sl.status.subscriptions.size());
        sl.status.subscriptions.append(sub);
    }
    Q_EMIT slotChanged(s);
    if (sl.status.state != SlotState::Connected)
        return quint64(0); // goes out when the slot connects
    if (at >= 0 && at < sl.subscribeFrom)
        return sendSubscribe(s, {sub}); // had its SUBSCRIBE in this session already: this one changes it
    resubscribe(s);
    return quint64(0);
}

void ModuleController::removeSubscriptions(int s, const QList<QByteArray> &filters)
{
    Slot &sl = slot(s);
    qsizetype removedBefore = 0;
    for (const QByteArray &filter : filters) {
        const qsizetype at = sl.subIndex.value(filter, -1);
        if (at >= 0 && at < sl.subscribeFrom)
            ++removedBefore;
    }
    sl.status.subscriptions.removeIf([&](const Subscription &x) { return filters.contains(x.filter); });
    sl.subscribeFrom -= removedBefore;
    sl.subIndex.clear();
    for (qsizetype i = 0; i < sl.status.subscriptions.size(); ++i)
        sl.subIndex.insert(sl.status.subscriptions[i].filter, i);
}

Validated<quint64> ModuleController::sendSubscribe(int s, const QList<Subscription> &subs)
{
    Slot &sl = slot(s);
    const int msgId = sl.ids.acquire();
    QList<TopicQos> topics;
    QList<QByteArray> filters;
    for (const Subscription &sub : subs) {
        topics.append({sub.filter, sub.requestedQos});
        filters.append(sub.filter);
    }
    const auto c = m_commands.subscribe(s, msgId, topics);
    if (!c) {
        sl.ids.release(msgId);
        return c.error();
    }
    sl.pendingSub.insert(msgId, filters);
    return submit(*c, [this, s, msgId](const AtReply &r) {
        Slot &x = slot(s);
        x.ids.release(msgId);
        const QList<QByteArray> sent = x.pendingSub.take(msgId);
        if (!r.ok() || r.resultLine().startsWith("+QMTSTAT"))
            failSlot(s, tr("Subscribing to %1 failed: %2").arg(QString::fromUtf8(sent.join(", ")), replyText(r)),
                     false);
        if (x.status.state == SlotState::Connected)
            resubscribe(s); // the next filters of a long list
    });
}

Validated<quint64> ModuleController::unsubscribe(int s, const QByteArray &filter)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    Slot &sl = slot(s);
    if (const auto probe = m_commands.unsubscribe(s, 1, {filter}); !probe)
        return probe.error();
    if (sl.status.state != SlotState::Connected) {
        removeSubscriptions(s, {filter});
        Q_EMIT slotChanged(s);
        return quint64(0);
    }
    const int msgId = sl.ids.acquire();
    const auto c = m_commands.unsubscribe(s, msgId, {filter});
    sl.pendingUns.insert(msgId, {filter});
    return submit(*c, [this, s, msgId](const AtReply &r) {
        Slot &x = slot(s);
        x.ids.release(msgId);
        x.pendingUns.remove(msgId);
        if (!r.ok())
            failSlot(s, tr("Unsubscribing failed: %1").arg(replyText(r)), false);
    });
}

Validated<quint64> ModuleController::publish(int s, const QByteArray &topic, const QByteArray &payload, int qos,
                                             bool retain, PublishForm form)
{
    const auto checked = checkedSlot(s);
    if (!checked)
        return checked.error();
    Slot &sl = slot(s);
    // The module would only say ERROR: say why, and send nothing.
    if (sl.status.state != SlotState::Connected) {
        return ValidationError{tr("slot %1").arg(s), tr("connected to publish"),
                               SlotStateText::name(sl.status.state).toLower(), tr("start it first")};
    }
    // Validate first with the msgID this QoS needs, so a refused publish allocates nothing.
    if (const auto probe = m_commands.publish({s, qos > 0 ? 1 : 0, qos, retain, topic, payload, form}); !probe)
        return probe.error();
    const int msgId = qos > 0 ? sl.ids.acquire() : 0;
    if (qos > 0 && msgId == 0)
        return ValidationError{QStringLiteral("msgID"), tr("a free identifier"), tr("all 65535 in flight"), {}};
    const auto c = m_commands.publish({s, msgId, qos, retain, topic, payload, form});
    ++sl.status.inFlightPublishes;
    Q_EMIT slotChanged(s);
    auto outcome = std::make_shared<PublishOutcome>();
    outcome->slot = s;
    outcome->msgId = msgId;
    const quint64 id = submit(*c, [this, s, msgId, qos, outcome](const AtReply &r) {
        Slot &x = slot(s);
        if (qos > 0)
            x.ids.release(msgId);
        --x.status.inFlightPublishes;
        outcome->commandId = r.id;
        for (const QByteArray &line : r.resultLines) {
            const auto e = parseQmtLine(line);
            if (e && std::holds_alternative<PubResult>(*e)) {
                const auto &pub = std::get<PubResult>(*e);
                if (pub.result == 1 && pub.value)
                    outcome->retransmissions = std::max(outcome->retransmissions, *pub.value);
                if (pub.result == 0)
                    outcome->delivered = true;
            }
        }
        if (!r.ok())
            outcome->text = tr("Not published: %1").arg(replyText(r));
        else if (r.resultLine().startsWith("+QMTSTAT"))
            outcome->text = tr("Not published: the link closed (%1)").arg(QString::fromUtf8(r.resultLine()));
        else if (outcome->delivered)
            outcome->text = outcome->retransmissions > 0
                                ? tr("Published after %n retransmission(s)", nullptr, outcome->retransmissions)
                                : tr("Published");
        else
            outcome->text = tr("Not published: %1").arg(codes::packetResult(2));
        Q_EMIT slotChanged(s);
        Q_EMIT publishFinished(*outcome);
    });
    return id;
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
    if (text.startsWith("+CEREG:") || text.startsWith("+CPIN:")) {
        // URC forms: +CEREG: <stat>[,…] has no <n>; absorb() reads the read form, so shift it.
        if (text.startsWith("+CEREG:")) {
            const QList<AtField> f = splitAtFields(paramsOf(text));
            if (!f.isEmpty() && f[0].toInt()) {
                m_info.registration = f[0].toInt();
                Q_EMIT infoChanged();
            }
        } else if (m_info.absorb("", {text})) {
            Q_EMIT infoChanged();
        }
        return;
    }
    if (!text.startsWith("+QMT"))
        return;
    ParseContext ctx;
    if (const auto s = connectIdOf(text))
        ctx.recvFormat = m_commands.settings(*s).recvFormat == DataFormat::Hex ? RecvFormat::Hex : RecvFormat::Text;
    if (const auto event = parseQmtLine(text, ctx))
        handleEvent(*event);
}

void ModuleController::handleEvent(const QmtEvent &event)
{
    std::visit(
        [this](const auto &e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (requires { e.connectId; }) {
                if (e.connectId < 0 || e.connectId >= SlotCount)
                    return;
            }
            if constexpr (std::is_same_v<T, OpenResult> || std::is_same_v<T, ConnResult> ||
                          std::is_same_v<T, DiscResult> || std::is_same_v<T, CloseResult> ||
                          std::is_same_v<T, SubResult> || std::is_same_v<T, UnsResult> ||
                          std::is_same_v<T, PubResult> || std::is_same_v<T, StatEvent> ||
                          std::is_same_v<T, RecvMessage>)
                on(e);
        },
        event);
}

void ModuleController::on(const OpenResult &e)
{
    if (e.result == 0 || e.result == 2) {
        // 2: the slot's socket is already open: it is open either way.
        setState(e.connectId, SlotState::Open);
        reconcile(e.connectId);
    } else {
        failSlot(e.connectId, codes::openResult(e.result), true, {SlotFailure::Kind::Open, e.result});
        setState(e.connectId, SlotState::Closed);
        if (e.result == 1)
            slot(e.connectId).stopRecovery = true; // "invalid parameter": the configuration must change
        scheduleRecovery(e.connectId, codes::openResult(e.result));
    }
}

void ModuleController::on(const ConnResult &e)
{
    Slot &sl = slot(e.connectId);
    if (e.result == 0 && e.retCode.value_or(0) == 0) {
        sl.status.connectedSince = QDateTime::currentDateTime();
        sl.refusal.clear();
        sl.backoff.reset();
        sl.status.recoveryAttempt = 0;
        sl.status.nextAttempt = QDateTime();
        sl.status.notRetrying.clear();
        sl.status.lastError.clear();
        sl.status.lastFailure = {};
        setState(e.connectId, SlotState::Connected);
        resubscribe(e.connectId, true);
    } else if (e.result == 1) {
        ++sl.status.counters.retransmissions;
        Q_EMIT slotChanged(e.connectId);
    } else {
        const QString why = e.result == 0 ? codes::connReturnCode(*e.retCode) : codes::packetResult(e.result);
        sl.refusal = why;
        sl.refusalFailure = e.result == 0 ? SlotFailure{SlotFailure::Kind::Refused, *e.retCode}
                                          : SlotFailure{SlotFailure::Kind::Packet, e.result};
        if (e.retCode && needsUserToFix(*e.retCode))
            sl.stopRecovery = true;
        if (sl.status.state == SlotState::Connecting)
            setState(e.connectId, SlotState::Open);
        failSlot(e.connectId, why, true, sl.refusalFailure);
    }
}

void ModuleController::on(const DiscResult &e)
{
    if (e.result == 0)
        setState(e.connectId, SlotState::Closed);
    else
        failSlot(e.connectId, codes::discResult(e.result), false);
}

void ModuleController::on(const CloseResult &e)
{
    if (e.result == 0)
        setState(e.connectId, SlotState::Closed);
    else
        failSlot(e.connectId, codes::closeResult(e.result), false);
}

void ModuleController::on(const SubResult &e)
{
    Slot &sl = slot(e.connectId);
    if (e.result == 1) {
        sl.status.counters.retransmissions += quint64(e.values.value(0));
    } else if (e.result == 0 && sl.status.state == SlotState::Connected) {
        const QList<QByteArray> filters = sl.pendingSub.value(e.msgId);
        for (qsizetype i = 0; i < filters.size(); ++i) {
            if (const qsizetype at = sl.subIndex.value(filters[i], -1); at >= 0) {
                Subscription &sub = sl.status.subscriptions[at];
                // Acknowledged without a grant vector (older firmware): what was asked for.
                sub.grantedQos = e.values.value(i, e.values.value(0, sub.requestedQos));
            }
        }
        if (e.values.contains(128)) {
            Q_EMIT notice(tr("Slot %1: the server refused a subscription (%2).")
                              .arg(e.connectId)
                              .arg(QString::fromUtf8(filters.join(", "))));
        }
    } else {
        failSlot(e.connectId, tr("Subscribing failed: %1").arg(codes::packetResult(e.result)), true,
                 {SlotFailure::Kind::Packet, e.result});
    }
    Q_EMIT slotChanged(e.connectId);
}

void ModuleController::on(const UnsResult &e)
{
    Slot &sl = slot(e.connectId);
    if (e.result == 0) {
        removeSubscriptions(e.connectId, sl.pendingUns.value(e.msgId));
    } else if (e.result == 2) {
        ++sl.status.counters.failures;
    }
    Q_EMIT slotChanged(e.connectId);
}

void ModuleController::on(const PubResult &e)
{
    SlotCounters &c = slot(e.connectId).status.counters;
    if (e.result == 0)
        ++c.published;
    else if (e.result == 1)
        c.retransmissions += quint64(e.value.value_or(1));
    else
        ++c.failures;
    Q_EMIT slotChanged(e.connectId);
}

void ModuleController::on(const StatEvent &e)
{
    Slot &sl = slot(e.connectId);
    sl.status.lastStat = e.code;
    sl.status.lastStatTime = QDateTime::currentDateTime();
    sl.pendingSub.clear();
    sl.pendingUns.clear();
    const bool restarting = sl.restartWhenClosed;
    setState(e.connectId, SlotState::Closed);
    if (e.code == 5) {
        if (!restarting)
            sl.status.wanted = false; // our DISCONNECT, closed by the server: the normal end
        Q_EMIT slotChanged(e.connectId);
        return;
    }
    // After a refused CONNECT the +QMTSTAT (3 or 4) only repeats that it failed; the refusal says why.
    const QString why = sl.refusal.isEmpty() ? codes::statMeaning(e.code) : sl.refusal;
    failSlot(e.connectId, why, sl.refusal.isEmpty(), // a refusal was counted when it came
             sl.refusal.isEmpty() ? SlotFailure{SlotFailure::Kind::Stat, e.code} : sl.refusalFailure);
    sl.refusal.clear();
    Q_EMIT notice(tr("Slot %1: +QMTSTAT %2 — %3 %4")
                      .arg(e.connectId)
                      .arg(e.code)
                      .arg(codes::statMeaning(e.code), codes::statAdvice(e.code)));
    if (e.code == 2)
        sl.pdpNeeded = true;
    scheduleRecovery(e.connectId, why);
}

void ModuleController::on(const RecvMessage &e)
{
    ++slot(e.connectId).status.counters.received;
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
    for (int i = 0; i < SlotCount; ++i) {
        Slot &sl = slot(i);
        sl.applied.reset();
        sl.pendingSub.clear();
        sl.pendingUns.clear();
        sl.ids.reset();
        sl.recovery.stop();
        setState(i, SlotState::Closed); // which also ends the grants
        if (sl.status.wanted && m_autoRecovery) {
            sl.recovery.start(RebootSettleMs); // let the module finish booting
            sl.status.nextAttempt = QDateTime::currentDateTime().addMSecs(RebootSettleMs);
        } else {
            sl.status.wanted = false;
        }
    }
    m_info.sleepMode.reset(); // AT+QSCLK is not kept across a reboot (protocol-notes §3.2)
    m_poller.pollIdentity();
    Q_EMIT moduleRebooted();
    Q_EMIT notice(tr("The module rebooted: its MQTT configuration and connections are gone%1.")
                      .arg(m_autoRecovery ? tr("; restoring the slots that were connected") : QString()));
}

// --- state and recovery -----------------------------------------------------------------------------

void ModuleController::setState(int s, SlotState state)
{
    SlotStatus &st = slot(s).status;
    if (st.state == state)
        return;
    st.state = state;
    // A grant lasts as long as the session: out of it, the filters wait to be subscribed again (and a
    // SUBSCRIBE result still on its way when the session ended grants nothing).
    if (state != SlotState::Connected) {
        st.connectedSince = QDateTime();
        for (Subscription &sub : st.subscriptions)
            sub.grantedQos.reset();
        slot(s).pendingSub.clear();
        slot(s).subscribeFrom = 0;
    }
    if (state == SlotState::Closed && std::exchange(slot(s).restartWhenClosed, false) && st.wanted) {
        // Down for reconnectWithConfig(): up again with the new session, once the URC that closed it is
        // handled.
        QTimer::singleShot(0, this, [this, s] { reconcile(s); });
    }
    Q_EMIT slotChanged(s);
}

void ModuleController::failStart(int s, const QString &error)
{
    // A step of starting the slot failed: it is closed again, and recovers (or gives up) like any drop.
    setState(s, SlotState::Closed);
    failSlot(s, error);
    scheduleRecovery(s, error);
}

void ModuleController::failSlot(int s, const QString &error, bool countFailure, SlotFailure failure)
{
    SlotStatus &st = slot(s).status;
    st.lastError = error;
    st.lastFailure = failure;
    if (countFailure)
        ++st.counters.failures;
    Q_EMIT slotChanged(s);
}

void ModuleController::scheduleRecovery(int s, const QString &why)
{
    Slot &sl = slot(s);
    if (!sl.status.wanted)
        return;
    if (!m_autoRecovery || sl.stopRecovery) {
        if (sl.stopRecovery)
            Q_EMIT notice(tr("Slot %1: not retrying — %2. Fix the configuration and start again.").arg(s).arg(why));
        stopRetrying(s, sl.stopRecovery ? tr("gave up: %1").arg(why) : tr("not retrying: auto-recovery is off"));
        return;
    }
    const int delay = sl.backoff.next();
    sl.status.recoveryAttempt = sl.backoff.attempts();
    sl.status.nextAttempt = QDateTime::currentDateTime().addMSecs(delay);
    sl.recovery.start(delay);
    // The countdown is the slot table's, per slot: as a notice it would push another slot's final
    // "not retrying" out of the status bar.
    Q_EMIT slotChanged(s);
}

void ModuleController::stopRetrying(int s, const QString &why)
{
    SlotStatus &st = slot(s).status;
    st.wanted = false;
    st.recoveryAttempt = 0;
    st.nextAttempt = QDateTime();
    st.notRetrying = why;
    Q_EMIT slotChanged(s);
}

void ModuleController::reconcile(int s)
{
    Slot &sl = slot(s);
    if (!sl.status.wanted || m_portState != PortState::Open || sl.recovery.isActive())
        return;
    switch (sl.status.state) {
    case SlotState::Closed:
        if (sl.pdpNeeded) {
            sl.pdpNeeded = false;
            // Cycling the radio takes every slot down: only when no other slot is connected; otherwise
            // the other slots prove the PDP context is up, and reopening is enough.
            if (std::none_of(m_slots.begin(), m_slots.end(),
                             [](const std::unique_ptr<Slot> &o) { return o->status.state == SlotState::Connected; })) {
                reactivatePdp(s);
                return;
            }
        }
        setState(s, SlotState::Opening);
        sendConfigThen(s, activeConfig(s), true, [this, s] {
            if (slot(s).status.wanted && slot(s).status.state == SlotState::Opening)
                if (!open(s))
                    setState(s, SlotState::Closed);
        });
        break;
    case SlotState::Open:
        if (!connectSlot(s))
            setState(s, SlotState::Open);
        break;
    case SlotState::Connected:
        resubscribe(s, true);
        break;
    default:
        break; // a command is on its way; its result moves us on
    }
}

void ModuleController::resubscribe(int s, bool fromStart)
{
    Slot &sl = slot(s);
    if (fromStart)
        sl.subscribeFrom = 0;
    const auto pending = [&sl](const QByteArray &filter) {
        return std::any_of(sl.pendingSub.cbegin(), sl.pendingSub.cend(),
                           [&](const QList<QByteArray> &filters) { return filters.contains(filter); });
    };
    // One SUBSCRIBE per filter keeps each grant tied to its filter whatever the server answers; a window of
    // them at a time, each filter passed once per session, so a long list costs time linear in its length.
    while (sl.pendingSub.size() < SubscribeWindow && sl.subscribeFrom < sl.status.subscriptions.size()) {
        const Subscription sub = sl.status.subscriptions[sl.subscribeFrom++];
        if (!sub.grantedQos && !pending(sub.filter))
            sendSubscribe(s, {sub});
    }
}

void ModuleController::reactivatePdp(int s)
{
    // Table 4, code 2: deactivate and activate the PDP, then reopen. AT+CFUN=0/1 cycles the radio, which
    // takes the PDP context down and up on the BC660K-GL.
    m_port.setRadioCycleRunning(true);
    Q_EMIT notice(tr("Slot %1: reactivating the PDP context (AT+CFUN=0, AT+CFUN=1).").arg(s));
    submit(AtCommand::simple("AT+CFUN=0", CfunTimeoutMs));
    submit(AtCommand::simple("AT+CFUN=1", CfunTimeoutMs),
           [this, s](const AtReply &) { waitForAttach(s, AttachTries); });
}

void ModuleController::waitForAttach(int s, int triesLeft)
{
    submit(AtCommand::simple("AT+CGATT?", 2000), [this, s, triesLeft](const AtReply &r) {
        m_info.absorb("AT+CGATT?", r.lines);
        if ((r.ok() && m_info.attached.value_or(false)) || triesLeft <= 1) {
            m_port.setRadioCycleRunning(false);
            reconcile(s);
            return;
        }
        QTimer::singleShot(1000, this, [this, s, triesLeft] { waitForAttach(s, triesLeft - 1); });
    });
}

} // namespace qmt
