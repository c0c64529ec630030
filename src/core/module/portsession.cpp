#include "core/module/portsession.h"

#include "core/qmt/redaction.h"

namespace qmt {

namespace {

constexpr int WakeTimeoutMs = 500;
constexpr int RebootNoticeWindowMs = 5000;

} // namespace

PortSession::PortSession(MayBeAsleep mayBeAsleep, QObject *parent)
    : QObject(parent)
    , m_mayBeAsleep(std::move(mayBeAsleep))
{
    m_channel.setContinuationPolicy(&m_recvPolicy);
    m_channel.setRedactor([](QByteArrayView command, QByteArrayView line, LineKind kind) {
        return kind == LineKind::Echo ? redactCommand(line) : redactResponse(command, line);
    });
    connect(&m_channel, &AtChannel::urcReceived, this, &PortSession::onUrc);
    connect(&m_channel, &AtChannel::deviceLost, this, [this](const QString &reason) {
        Q_EMIT lost(reason);
        if (m_provider)
            m_provider->watchForReturn();
    });
    connect(&m_channel, &AtChannel::lineReceived, this, [this] { m_lineQuiet.start(); });
    connect(&m_channel, &AtChannel::commandSent, this, [this] { m_lineQuiet.start(); });
}

PortSession::~PortSession()
{
    m_channel.setDevice(nullptr);
}

void PortSession::setProvider(std::unique_ptr<PortProvider> provider)
{
    m_provider = std::move(provider);
    if (m_provider)
        connect(m_provider.get(), &PortProvider::reappeared, this, &PortSession::reappeared);
}

bool PortSession::open(QString &error)
{
    if (!m_provider) {
        error = tr("No port chosen.");
        return false;
    }
    QIODevice *device = m_provider->open(error);
    if (!device)
        return false;
    m_channel.setDevice(device);
    m_lineQuiet.invalidate(); // unknown history: treat the module as possibly asleep
    return true;
}

void PortSession::close()
{
    if (m_provider)
        m_provider->stopWatching();
    m_channel.setDevice(nullptr);
    if (m_provider)
        m_provider->close();
}

void PortSession::onUrc(const AtLine &line)
{
    const auto report = parseModuleUrc(line.text);
    if (!report) {
        Q_EMIT urcReceived(line);
        return;
    }
    const auto *fun = std::get_if<FunctionalityReport>(&*report);
    if (std::holds_alternative<BootReport>(*report) || (fun && fun->fun == 1 && !m_radioCycle)) {
        // A boot prints RDY and then +CFUN: 1: one reboot, handled once.
        if (!m_lastReboot.isValid() || m_lastReboot.elapsed() > RebootNoticeWindowMs)
            Q_EMIT rebooted();
        m_lastReboot.start();
        return;
    }
    Q_EMIT moduleReported(*report);
}

void PortSession::wakeIfIdle()
{
    if (!m_mayBeAsleep())
        return;
    if (m_lineQuiet.isValid() && m_lineQuiet.elapsed() < m_wakeAfterIdleMs)
        return;
    // A sleeping BC660K-GL loses the first command that wakes it (protocol-notes §3.4): spend two AT on that,
    // never a real command.
    m_lineQuiet.start();
    m_channel.submit(AtCommand::simple("AT", WakeTimeoutMs));
    m_channel.submit(AtCommand::simple("AT", WakeTimeoutMs));
}

quint64 PortSession::submit(AtCommand command, std::function<void(const AtReply &)> done)
{
    wakeIfIdle();
    if (done) {
        auto inner = std::move(command.onFinished);
        command.onFinished = [inner = std::move(inner), done = std::move(done)](const AtReply &r) {
            if (inner)
                inner(r);
            done(r);
        };
    }
    return m_channel.submit(std::move(command));
}

} // namespace qmt
