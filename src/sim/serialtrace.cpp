#include "serialtrace.h"

#include "at/atcommand.h"
#include "at/atlineclassifier.h"
#include "qmt/redaction.h"

namespace qmt::sim {

namespace {

constexpr char CtrlZ = 0x1A;
constexpr char Esc = 0x1B;

bool endsData(char c)
{
    return c == CtrlZ || c == Esc;
}

QByteArray trimmedLine(QByteArrayView line)
{
    return line.toByteArray().trimmed();
}

bool mayBeCommand(QByteArrayView partialLine)
{
    return partialLine.front() == 'A' || partialLine.front() == 'a';
}

} // namespace

QByteArray SerialTrace::fromHost(QByteArrayView bytes)
{
    QByteArray out;
    for (const char c : bytes) {
        if (m_hostInSecretData) {
            if (!endsData(c)) {
                ++m_hostSecretBytes;
                continue;
            }
            out += redactedPlaceholder(m_hostSecretBytes);
            out += c;
            m_hostInSecretData = false;
            m_hostSecretBytes = 0;
            continue;
        }
        if (c == '\r' || c == '\n') {
            hostLineEnded(out, c);
            continue;
        }
        if (m_hostLine.size() < MaxLine && m_hostOverlong == 0)
            m_hostLine += c;
        else
            ++m_hostOverlong;
    }
    // Data typed after an ordinary prompt (AT+QMTPUB) has no line ending until Ctrl+Z: shown as it comes.
    // What may still become a command (a terminal sends "A", then "T…") waits for its line to end.
    if (!m_hostLine.isEmpty() && m_hostOverlong == 0 && !mayBeCommand(m_hostLine)) {
        out += m_hostLine;
        m_hostLine.clear();
    }
    return out;
}

void SerialTrace::hostLineEnded(QByteArray &out, char terminator)
{
    if (m_hostOverlong > 0) {
        // Cut off, the line cannot be redacted reliably: only its length is shown.
        out += "<line of " + QByteArray::number(m_hostLine.size() + m_hostOverlong) + " bytes not shown>";
        m_hostOverlong = 0;
    } else if (AtLineClassifier::looksLikeCommand(m_hostLine)) {
        out += redactCommand(m_hostLine);
        m_lastCommand = m_hostLine;
        if (promptDataIsSecret(m_hostLine)) {
            m_secretCommandOpen = true;
            m_hostInSecretData = true; // the host may type before the prompt shows
        }
    } else {
        out += m_hostLine;
    }
    out += terminator;
    m_hostLine.clear();
}

QByteArray SerialTrace::fromModule(QByteArrayView bytes)
{
    QByteArray out;
    for (const char c : bytes) {
        if (m_moduleInSecretData && endsData(c)) {
            // The echo of the terminator: the data is over; what was on the line so far was data too.
            m_moduleSecretBytes += m_moduleLine.size();
            m_moduleLine.clear();
            showSecretDataSoFar(out);
            out += c;
            m_moduleInSecretData = false;
            continue;
        }
        m_moduleLine += c;
        if (c == '\n' || m_moduleLine.size() >= MaxLine)
            moduleLineEnded(out);
    }
    // A prompt has no line ending; it is shown as soon as it arrives.
    if (!m_moduleInSecretData && AtLineClassifier::isPromptLine(trimmedLine(m_moduleLine))) {
        out += m_moduleLine;
        m_moduleLine.clear();
        m_moduleInSecretData = m_secretCommandOpen;
    }
    return out;
}

void SerialTrace::moduleLineEnded(QByteArray &out)
{
    const QByteArray line = trimmedLine(m_moduleLine);
    if (m_secretCommandOpen && parseFinalResult(line)) {
        // The data mode is over, whether or not the data ended in Ctrl+Z (a timeout, a refused command).
        endSecretData(out);
        out += m_moduleLine;
    } else if (m_moduleInSecretData && !line.isEmpty() && AtLineClassifier::prefixOf(line).isEmpty()) {
        // The echo of the data. The module's own lines in between carry a +NAME: prefix, which no line of
        // PEM text has (Base64 has no ':'); anything else, even a line that starts like a command, is data.
        m_moduleSecretBytes += m_moduleLine.size();
    } else {
        showSecretDataSoFar(out);
        if (AtLineClassifier::looksLikeCommand(line))
            out += m_moduleLine.replace(line, redactCommand(line)); // the echo
        else
            out += m_moduleLine.replace(line, redactResponse(m_lastCommand, line));
    }
    m_moduleLine.clear();
}

void SerialTrace::showSecretDataSoFar(QByteArray &out)
{
    if (m_moduleSecretBytes > 0)
        out += redactedPlaceholder(m_moduleSecretBytes);
    m_moduleSecretBytes = 0;
}

void SerialTrace::endSecretData(QByteArray &out)
{
    showSecretDataSoFar(out);
    m_moduleInSecretData = false;
    m_secretCommandOpen = false;
    m_hostInSecretData = false; // what the host types now is the next command
    m_hostSecretBytes = 0;
}

} // namespace qmt::sim
