#include "core/module/consolesession.h"

#include "core/at/atchannel.h"
#include "core/qmt/qmtcommands.h"
#include "core/qmt/redaction.h"

namespace qmt {

namespace {

constexpr int ConsoleTimeoutMs = 10'000; // general commands (AT+CFUN, AT+COPS) can take seconds

} // namespace

ConsoleSession::ConsoleSession(AtChannel &channel, Submit submit, QObject *parent)
    : QObject(parent)
    , m_channel(channel)
    , m_submit(std::move(submit))
{
    connect(&m_channel, &AtChannel::promptReceived, this, [this](quint64 id) {
        if (m_running.contains(id))
            Q_EMIT prompted(id);
    });
    connect(&m_channel, &AtChannel::dataModeExpired, this, &ConsoleSession::dataModeExpired);
}

quint64 ConsoleSession::send(const QByteArray &line)
{
    const QByteArray text = line.trimmed();
    AtCommand c = AtCommand::simple(text, ConsoleTimeoutMs);
    redactForDisplay(c);
    c.interactivePrompt = true;
    const quint64 id = m_submit(std::move(c), [this, text](const AtReply &r) {
        m_running.remove(r.id);
        Q_EMIT finished(r, text);
    });
    // Kept until the command finishes (bounded by the channel's queue): a prompt it gets is answered
    // with sendData(), which needs to know whether the data is a private key.
    m_running.insert(id, text);
    return id;
}

quint64 ConsoleSession::sendTestForm(QmtCommand command)
{
    // The console's time limit, not the builder's: the user waits for the answer, whatever the module does.
    return send(QmtCommands::testForm(command).text);
}

bool ConsoleSession::sendData(const QByteArray &data)
{
    // A key pasted after the wrong prompt ("clientcert") is as secret as after "clientkey".
    const bool secret = promptIsSecret() || holdsPrivateKey(data);
    return m_channel.sendData(data, AtPayload::Termination::CtrlZ, secret);
}

bool ConsoleSession::cancelData()
{
    return m_channel.cancelData();
}

bool ConsoleSession::promptIsSecret() const
{
    return promptDataIsSecret(m_running.value(m_channel.inFlightId()));
}

} // namespace qmt
