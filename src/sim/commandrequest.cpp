#include "sim/commandrequest.h"

#include "core/at/atlineclassifier.h"
#include "core/qmt/atfields.h"

namespace qmt::sim {

namespace {

bool isAlnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

CommandRequest extended(QByteArrayView part)
{
    CommandRequest r;
    qsizetype i = 1;
    while (i < part.size() && isAlnum(part[i]))
        ++i;
    r.name = part.first(i).toByteArray().toUpper();
    if (i == 1) { // a "+" with no name after it
        r.valid = false;
        return r;
    }
    const QByteArrayView rest = part.sliced(i);
    if (rest.isEmpty()) {
        r.form = CommandRequest::Form::Execute;
    } else if (rest == "=?") {
        r.form = CommandRequest::Form::Test;
    } else if (rest == "?") {
        r.form = CommandRequest::Form::Read;
    } else if (rest.front() == '=') {
        r.form = CommandRequest::Form::Write;
        r.args = rest.sliced(1).toByteArray();
    } else {
        r.valid = false;
    }
    return r;
}

/// "E0", "I", "E1Q0": letters, each with an optional number.
void basic(QByteArrayView part, QList<CommandRequest> &out)
{
    qsizetype i = 0;
    while (i < part.size()) {
        CommandRequest r;
        const char c = part[i];
        if (c == '&' && i + 1 < part.size()) {
            r.name = QByteArray(1, '&') + QByteArray(1, part[i + 1]).toUpper();
            i += 2;
        } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            r.name = QByteArray(1, c).toUpper();
            ++i;
        } else {
            r.valid = false;
            out.append(r);
            return;
        }
        const qsizetype digits = i;
        while (i < part.size() && isDigit(part[i]))
            ++i;
        r.args = part.sliced(digits, i - digits).toByteArray();
        if (i < part.size() && part[i] == '?') {
            r.form = CommandRequest::Form::Read;
            ++i;
        }
        out.append(r);
    }
}

} // namespace

std::optional<QList<CommandRequest>> parseCommandLine(QByteArrayView line)
{
    const qsizetype at = AtLineClassifier::commandStart(line);
    if (at < 0)
        return std::nullopt;
    const QByteArrayView body = line.sliced(at + 2);
    QList<CommandRequest> commands;
    if (body.trimmed().isEmpty()) {
        commands.append(CommandRequest{});
        return commands;
    }
    const QList<QByteArrayView> parts = splitCommandChain(body);
    for (qsizetype k = 0; k < parts.size(); ++k) {
        QByteArrayView part = parts[k];
        // A trailing ';' leaves an empty last part, which is allowed.
        if (part.isEmpty() && k == parts.size() - 1 && k > 0)
            break;
        if (!part.isEmpty() && (part.front() == '+' || part.front() == '^'))
            commands.append(extended(part));
        else if (part.isEmpty())
            commands.append(CommandRequest{{}, CommandRequest::Form::Execute, {}, false});
        else
            basic(part, commands);
    }
    return commands;
}

} // namespace qmt::sim
