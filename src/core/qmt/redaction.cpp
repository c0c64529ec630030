#include "redaction.h"

#include "atfields.h"

#include "at/atlineclassifier.h"

namespace qmt {

namespace {

/// Replaces the content of the quoted argument number `index` (0-based, after '=') in place.
QByteArray redactArgument(QByteArrayView command, qsizetype index)
{
    const qsizetype eq = command.indexOf('=');
    if (eq < 0)
        return command.toByteArray();
    const QByteArrayView params = command.sliced(eq + 1);
    const QList<AtField> fields = splitAtFields(params);
    if (fields.size() <= index || !fields[index].quoted)
        return command.toByteArray();
    const AtField &f = fields[index];
    if (isRedactedPlaceholder(f.text))
        return command.toByteArray(); // redacted already: redacting is idempotent
    const qsizetype start = eq + 1 + (f.text.data() - params.data());
    QByteArray out = command.toByteArray();
    out.replace(start, f.text.size(), redactedPlaceholder(f.text.size()));
    return out;
}

bool isCommand(QByteArrayView command, QByteArrayView name)
{
    return AtLineClassifier::commandNameOf(command).compare(name, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray redactCommand(QByteArrayView command)
{
    if (isCommand(command, "+QMTCONN"))
        return redactArgument(command, 3);
    if (isCommand(command, "+QMTCFG")) {
        const qsizetype eq = command.indexOf('=');
        const QList<AtField> f = eq < 0 ? QList<AtField>() : splitAtFields(command.sliced(eq + 1));
        if (!f.isEmpty() && f[0].text.compare("aliauth", Qt::CaseInsensitive) == 0)
            return redactArgument(command, 4);
    }
    return command.toByteArray();
}

QByteArray redactResponse(QByteArrayView command, QByteArrayView line)
{
    // +QMTCFG: "<product_key>","<device_name>","<device_secret>" answers the aliauth query.
    if (!line.startsWith("+QMTCFG:") || !isCommand(command, "+QMTCFG"))
        return line.toByteArray();
    const qsizetype eq = command.indexOf('=');
    const QList<AtField> args = eq < 0 ? QList<AtField>() : splitAtFields(command.sliced(eq + 1));
    if (args.size() != 2 || args[0].text.compare("aliauth", Qt::CaseInsensitive) != 0)
        return line.toByteArray();
    const QByteArrayView params = paramsOf(line);
    const QList<AtField> fields = splitAtFields(params);
    if (fields.size() < 3 || !fields[2].quoted || isRedactedPlaceholder(fields[2].text))
        return line.toByteArray();
    const qsizetype start = fields[2].text.data() - line.data();
    QByteArray out = line.toByteArray();
    out.replace(start, fields[2].text.size(), redactedPlaceholder(fields[2].text.size()));
    return out;
}

bool promptDataIsSecret(QByteArrayView command)
{
    return isCommand(command, "+QSSLCFG") && command.contains("\"clientkey\"");
}

} // namespace qmt
