#include "rulemodule.h"

namespace qmt::test {

RuleModule::RuleModule(QObject *parent)
    : ScriptedDevice(parent)
{
    connect(this, &ScriptedDevice::hostWrote, this, &RuleModule::onHostBytes);
}

qsizetype RuleModule::count(const QByteArray &prefix) const
{
    return std::count_if(m_commands.begin(), m_commands.end(),
                         [&](const QByteArray &c) { return c.startsWith(prefix); });
}

void RuleModule::onHostBytes(const QByteArray &bytes)
{
    for (char c : bytes) {
        if (m_dataLeft != -1) {
            if (m_dataLeft == -2 && (c == 0x1A || c == 0x1B)) {
                m_dataLeft = -1;
                respond(c == 0x1B ? QByteArray("\r\nOK\r\n")
                                  : (m_dataRule ? m_dataRule(m_data) : QByteArray("\r\nOK\r\n")));
                continue;
            }
            m_data += c;
            if (m_dataLeft > 0 && --m_dataLeft == 0) {
                m_dataLeft = -1;
                respond(m_dataRule ? m_dataRule(m_data) : QByteArray("\r\nOK\r\n"));
            }
            continue;
        }
        if (c != '\r') {
            m_line += c;
            continue;
        }
        const QByteArray command = m_line;
        m_line.clear();
        m_commands.append(command);
        const QByteArray answer = m_rule ? m_rule(command) : QByteArray("\r\nOK\r\n");
        respond(answer);
        if (answer.endsWith("> ")) {
            m_data.clear();
            // Fixed length when the command announced one: AT+QMTPUB=<id>,<msgID>,<qos>,<retain>,"<topic>",<len>
            const qsizetype lastComma = command.lastIndexOf(',');
            bool numeric = false;
            const int len = command.mid(lastComma + 1).toInt(&numeric);
            m_dataLeft = command.startsWith("AT+QMTPUB=") && numeric && command.count(',') == 5 ? len : -2;
            if (m_dataLeft == 0) {
                m_dataLeft = -1;
                respond(m_dataRule ? m_dataRule({}) : QByteArray("\r\nOK\r\n"));
            }
        }
    }
}

} // namespace qmt::test
