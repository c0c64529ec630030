#include "redaction.h"

#include "atfields.h"
#include "qmtspec.h"

#include "at/atlineclassifier.h"

namespace qmt {

namespace {

/// Whether the field starting at `start` of `text` is redacted already. A quoted field must be a whole
/// placeholder; an unquoted one is cut at the placeholder's own comma by the split, so the placeholder is
/// read from `start` and must end the text or a field.
bool redactedAlready(QByteArrayView text, qsizetype start, const AtField &field)
{
    if (field.quoted)
        return isRedactedPlaceholder(field.text);
    const QByteArrayView rest = text.sliced(start);
    const qsizetype end = rest.indexOf('>');
    return end >= 0 && isRedactedPlaceholder(rest.first(end + 1)) && (end + 1 == rest.size() || rest[end + 1] == ',');
}

/// Replaces argument number `index` (0-based, after '=') of one command, quoted or not: the module takes
/// unquoted strings too, so a secret typed without quotes is as secret.
QByteArray redactArgument(QByteArrayView command, qsizetype index)
{
    const qsizetype eq = command.indexOf('=');
    if (eq < 0)
        return command.toByteArray();
    const QByteArrayView params = command.sliced(eq + 1);
    const QList<AtField> fields = splitAtFields(params);
    if (fields.size() <= index || fields[index].text.isEmpty())
        return command.toByteArray();
    const AtField &f = fields[index];
    const qsizetype start = eq + 1 + (f.text.data() - params.data());
    // Redacted already (redacting is idempotent); an unquoted placeholder is cut at its comma by the split.
    if (redactedAlready(command, start, f))
        return command.toByteArray();
    QByteArray out = command.toByteArray();
    out.replace(start, f.text.size(), redactedPlaceholder(f.text.size()));
    return out;
}

/// The name of one command of a chain: "+QMTCONN" for "AT+QMTCONN=…" and, after a ';', for "+QMTCONN=…".
QByteArrayView nameOf(QByteArrayView part)
{
    part = part.trimmed();
    if (AtLineClassifier::looksLikeCommand(part))
        return AtLineClassifier::commandNameOf(part);
    if (part.isEmpty() || (part.front() != '+' && part.front() != '^'))
        return {};
    qsizetype end = 1;
    while (end < part.size() && part[end] != '=' && part[end] != '?' && part[end] != ' ')
        ++end;
    return part.first(end);
}

bool isCommand(QByteArrayView part, QByteArrayView name)
{
    return nameOf(part).compare(name, Qt::CaseInsensitive) == 0;
}

bool isAliAuth(QByteArrayView part)
{
    if (!isCommand(part, "+QMTCFG"))
        return false;
    const QList<AtField> args = argumentsOf(part);
    return !args.isEmpty() && args[0].text.compare("aliauth", Qt::CaseInsensitive) == 0;
}

QByteArray redactOne(QByteArrayView part)
{
    if (isCommand(part, "+QMTCONN"))
        return redactArgument(part, 3);
    if (isAliAuth(part))
        return redactArgument(part, 4);
    return part.toByteArray();
}

/// "+QMTCFG: "<product_key>","<device_name>","<device_secret>"": the one +QMTCFG answer whose first field
/// is not an option name. Known by its shape, so it is redacted even when the command it answers is not
/// known (a pipelined command, a capture without the host's side).
bool isAliAuthAnswer(const QList<AtField> &fields)
{
    // Three quoted strings; a test-form answer of another module's option ("pdpcid",(0-5),(1-15)) is not.
    return fields.size() == 3 && fields[0].quoted && fields[1].quoted && fields[2].quoted &&
           !cfgOptionFromName(fields[0].text);
}

} // namespace

QByteArray redactCommand(QByteArrayView command)
{
    const QList<QByteArrayView> parts = splitCommandChain(command);
    QByteArray out;
    out.reserve(command.size());
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out += ';';
        out += redactOne(parts[i]);
    }
    return out;
}

QByteArray redactResponse(QByteArrayView command, QByteArrayView line)
{
    if (!line.startsWith("+QMTCFG:"))
        return line.toByteArray();
    const QByteArrayView params = paramsOf(line);
    const QList<AtField> fields = splitAtFields(params);
    bool answersAliAuthQuery = false;
    for (const QByteArrayView part : splitCommandChain(command))
        answersAliAuthQuery = answersAliAuthQuery || (isAliAuth(part) && argumentsOf(part).size() == 2);
    if (!(answersAliAuthQuery && fields.size() >= 3) && !isAliAuthAnswer(fields))
        return line.toByteArray();
    const AtField &secret = fields[2];
    const qsizetype start = secret.text.data() - line.data();
    if (secret.text.isEmpty() || redactedAlready(line, start, secret))
        return line.toByteArray();
    QByteArray out = line.toByteArray();
    out.replace(start, secret.text.size(), redactedPlaceholder(secret.text.size()));
    return out;
}

QByteArray redactEmbedded(QByteArrayView line)
{
    const QByteArray upper = line.toByteArray().toUpper();
    qsizetype command = -1;
    for (const QByteArrayView name : {QByteArrayView("+QMTCONN="), QByteArrayView("+QMTCFG=")}) {
        const qsizetype at = upper.indexOf(name);
        if (at >= 0 && (command < 0 || at < command))
            command = at;
    }
    // From the command's '+' on, as redactCommand() reads the later commands of a chain.
    if (command >= 0)
        return line.first(command).toByteArray() + redactCommand(line.sliced(command));
    if (const qsizetype cfg = line.indexOf("+QMTCFG:"); cfg >= 0)
        return line.first(cfg).toByteArray() + redactResponse({}, line.sliced(cfg));
    return line.toByteArray();
}

bool holdsPrivateKey(QByteArrayView bytes)
{
    return bytes.contains("BEGIN") && bytes.contains("PRIVATE KEY");
}

bool PrivateKeyBlockGuard::withholds(QByteArrayView line)
{
    if (m_open > 0 && (parseFinalResult(line) || !AtLineClassifier::prefixOf(line).isEmpty()))
        m_open = 0; // the module answered: whatever key was being typed is over
    const bool opens = holdsPrivateKey(line);
    const bool closes = line.contains("END") && line.contains("PRIVATE KEY");
    const bool withheld = m_open > 0 || opens || closes;
    if (opens) {
        ++m_open;
        if (m_open == 1)
            m_bytes = 0;
    }
    m_bytes += line.size();
    if (closes && m_open > 0)
        --m_open;
    if (m_bytes > MaxBlockBytes)
        m_open = 0;
    return withheld;
}

bool promptDataIsSecret(QByteArrayView command)
{
    // Any spelling: the module takes "CLIENTKEY" as well as "clientkey".
    for (const QByteArrayView part : splitCommandChain(command)) {
        if (isCommand(part, "+QSSLCFG") && part.toByteArray().toLower().contains("clientkey"))
            return true;
    }
    return false;
}

} // namespace qmt
