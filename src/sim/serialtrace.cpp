#include "sim/serialtrace.h"

#include "core/at/atcommand.h"
#include "core/at/atlineclassifier.h"
#include "core/qmt/redaction.h"

#include <algorithm>
#include <utility>

namespace qmt::sim {

namespace {

constexpr char CtrlZ = 0x1A;
constexpr char Esc = 0x1B;
constexpr char Backspace = 0x08;
constexpr char Delete = 0x7F;

bool endsData(char c)
{
    return c == CtrlZ || c == Esc;
}

/// The line as the module reads it: backspace and DEL take back the byte before them.
QByteArray edited(QByteArrayView raw)
{
    QByteArray line;
    line.reserve(raw.size());
    for (const char c : raw) {
        if (c == Backspace || c == Delete)
            line.chop(1);
        else
            line += c;
    }
    return line;
}

/// `shown` between the blanks and line ends that `raw` begins and ends with.
QByteArray reframed(QByteArrayView raw, QByteArrayView shown)
{
    const auto isBlank = [](char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; };
    qsizetype begin = 0;
    while (begin < raw.size() && isBlank(raw[begin]))
        ++begin;
    qsizetype end = raw.size();
    while (end > begin && isBlank(raw[end - 1]))
        --end;
    return raw.first(begin).toByteArray() + shown.toByteArray() + raw.sliced(end).toByteArray();
}

/// Where a command may start in a line still being typed: its first "AT", or a last 'A' whose 'T' is to come.
qsizetype possibleCommandStart(QByteArrayView line)
{
    const qsizetype at = AtLineClassifier::commandStart(line);
    if (at >= 0)
        return at;
    return !line.isEmpty() && (line.back() == 'A' || line.back() == 'a') ? line.size() - 1 : -1;
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
            out += redactedPlaceholder(m_hostSecretBytes) + c;
            m_hostInSecretData = false;
            m_hostSecretBytes = 0;
            continue;
        }
        if (c == '\r' || c == '\n' || endsData(c)) {
            hostLineEnded(out, c);
            continue;
        }
        if (m_hostLine.size() < MaxLine && m_hostOverlong == 0)
            m_hostLine += c;
        else
            ++m_hostOverlong;
    }
    if (m_hostInPlainData)
        flushPlainData(out);
    return out;
}

void SerialTrace::flushPlainData(QByteArray &out)
{
    // Data after an ordinary prompt has no line ending until Ctrl+Z (or none at all, by length): shown as it
    // comes, up to where the next command may begin.
    if (m_hostOverlong > 0)
        return;
    const qsizetype start = possibleCommandStart(m_hostLine);
    const qsizetype shown = start < 0 ? m_hostLine.size() : start;
    out += m_hostLine.first(shown);
    m_hostLine.remove(0, shown);
}

void SerialTrace::hostLineEnded(QByteArray &out, char terminator)
{
    // In data mode a backspace is data; in a command line the module applies it.
    const QByteArray line = m_hostInPlainData ? m_hostLine : edited(m_hostLine);
    if (m_hostOverlong > 0) {
        // Cut off, the line cannot be redacted reliably: only its length is shown.
        out += "<line of " + QByteArray::number(line.size() + m_hostOverlong) + " bytes not shown>";
        m_hostOverlong = 0;
    } else if (m_hostKeyGuard.withholds(line)) {
        out += redactedPlaceholder(line.size());
    } else {
        showHostCommand(out, line);
    }
    if (endsData(terminator))
        m_hostInPlainData = false;
    out += terminator;
    m_hostLine.clear();
}

void SerialTrace::showHostCommand(QByteArray &out, QByteArrayView line)
{
    const qsizetype at = AtLineClassifier::commandStart(line);
    if (at < 0) {
        out += line;
        return;
    }
    const QByteArrayView command = line.sliced(at);
    out += line.first(at);
    out += redactCommand(command);
    m_hostInPlainData = false;
    if (qsizetype(m_pending.size()) >= MaxPending)
        m_pending.pop_front();
    m_pending.push_back(PendingCommand{command.toByteArray(), promptDataIsSecret(command)});
    if (m_pending.back().secretData) {
        m_hostInSecretData = true; // the host may type before the prompt shows
        m_hostSecretBytes = 0;
    }
}

QByteArray SerialTrace::fromModule(QByteArrayView bytes)
{
    QByteArray out;
    for (const char c : bytes) {
        if (m_moduleInSecretData && endsData(c)) {
            // The echo of the terminator: the data is over; what was on the line so far was data too.
            m_moduleWithheld += m_moduleLine.size();
            m_moduleLine.clear();
            showModuleWithheld(out);
            out += c;
            m_moduleInSecretData = false;
            continue;
        }
        m_moduleLine += c;
        if (c == '\n' || m_moduleLine.size() >= MaxLine)
            moduleLineEnded(out);
    }
    // A prompt has no line ending; it is shown as soon as it arrives.
    if (!m_moduleInSecretData && AtLineClassifier::isPromptLine(m_moduleLine.trimmed())) {
        showModuleWithheld(out);
        out += m_moduleLine;
        m_moduleLine.clear();
        m_moduleInSecretData = secretDataPending();
        m_hostInPlainData = !m_moduleInSecretData;
    }
    return out;
}

void SerialTrace::moduleLineEnded(QByteArray &out)
{
    const QByteArray raw = std::exchange(m_moduleLine, {});
    const QByteArray line = edited(raw).trimmed();
    if (parseFinalResult(line)) {
        showModuleWithheld(out);
        commandAnswered();
        out += raw;
        return;
    }
    // The echo of secret data. The module's own lines in between carry a +NAME: prefix, which no line of
    // PEM text has (Base64 has no ':'); anything else, even a line that starts like a command, is data.
    const bool secretEcho = m_moduleInSecretData && !line.isEmpty() && AtLineClassifier::prefixOf(line).isEmpty();
    if (secretEcho || m_moduleKeyGuard.withholds(line)) {
        m_moduleWithheld += raw.size();
        return;
    }
    showModuleWithheld(out);
    out += line.isEmpty() ? raw : reframed(raw, shownModuleLine(line));
}

QByteArray SerialTrace::shownModuleLine(QByteArrayView line) const
{
    const QByteArray command = m_pending.empty() ? QByteArray() : m_pending.front().text;
    if (const qsizetype answer = secretAnswerStart(line); answer >= 0)
        return line.first(answer).toByteArray() + redactResponse(command, line.sliced(answer));
    if (const qsizetype at = AtLineClassifier::commandStart(line); at >= 0)
        return line.first(at).toByteArray() + redactCommand(line.sliced(at)); // the echo
    return line.toByteArray();
}

void SerialTrace::commandAnswered()
{
    // The data mode is over, whether or not the data ended in Ctrl+Z (a timeout, a refused command).
    m_moduleInSecretData = false;
    m_hostInPlainData = false;
    if (!m_pending.empty())
        m_pending.pop_front();
    if (!secretDataPending()) {
        m_hostInSecretData = false; // what the host types now is the next command
        m_hostSecretBytes = 0;
    }
}

void SerialTrace::showModuleWithheld(QByteArray &out)
{
    if (m_moduleWithheld > 0)
        out += redactedPlaceholder(m_moduleWithheld);
    m_moduleWithheld = 0;
}

bool SerialTrace::secretDataPending() const
{
    return std::any_of(m_pending.begin(), m_pending.end(), [](const PendingCommand &c) { return c.secretData; });
}

} // namespace qmt::sim
