#include "sim/commandargs.h"

#include "core/qmt/validation.h"

namespace qmt::sim {

CommandOutcome integerSetting(const CommandRequest &r, const char *name, int maximum, const QByteArray &readLine,
                              const std::function<void(int)> &set)
{
    switch (r.form) {
    case CommandRequest::Form::Read:
        return CommandOutcome::ok({readLine});
    case CommandRequest::Form::Test:
        return CommandOutcome::ok({QByteArray(name) + ": " + shownRange(0, maximum)});
    case CommandRequest::Form::Execute:
        return CommandOutcome::error();
    case CommandRequest::Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> value = args.integerIn(0, 0, maximum);
    if (!value || args.count() != 1)
        return args.failure();
    set(*value);
    return CommandOutcome::ok();
}

QByteArray shownRange(int minimum, int maximum)
{
    return '(' + QByteArray::number(minimum) + (maximum == minimum + 1 ? ',' : '-') + QByteArray::number(maximum) + ')';
}

CommandArgs::CommandArgs(const QByteArray &args)
    : m_args(args)
{
    if (!m_args.isEmpty())
        m_fields = splitAtFields(m_args);
}

qsizetype CommandArgs::endOf(qsizetype i) const
{
    const AtField &f = m_fields[i];
    const qsizetype end = (f.text.data() - m_args.constData()) + f.text.size();
    return f.quoted ? std::min(end + 1, m_args.size()) : end;
}

void CommandArgs::fail(CommandOutcome outcome)
{
    if (!m_failure)
        m_failure = std::move(outcome);
}

std::optional<int> CommandArgs::number(qsizetype i)
{
    if (failed())
        return std::nullopt;
    if (i >= m_fields.size() || m_fields[i].quoted || m_fields[i].text.trimmed().isEmpty()) {
        fail(CommandOutcome::error());
        return std::nullopt;
    }
    bool ok = false;
    const int value = m_fields[i].text.trimmed().toInt(&ok);
    if (!ok) {
        fail(CommandOutcome::error());
        return std::nullopt;
    }
    return value;
}

std::optional<int> CommandArgs::integer(qsizetype i, Param p)
{
    const std::optional<int> value = number(i);
    if (!value)
        return std::nullopt;
    if (check::integer(p, *value)) {
        fail(CommandOutcome::cmeError(cme::InvalidParameter));
        return std::nullopt;
    }
    return value;
}

std::optional<int> CommandArgs::integerIn(qsizetype i, int minimum, int maximum)
{
    const std::optional<int> value = number(i);
    if (!value)
        return std::nullopt;
    if (*value < minimum || *value > maximum) {
        fail(CommandOutcome::cmeError(cme::InvalidParameter));
        return std::nullopt;
    }
    return value;
}

bool CommandArgs::isWellQuoted(qsizetype i) const
{
    // AT strings have no escapes (protocol-notes §6.1): "a"b" is not the string a"b, and the module does not
    // take it. The closing quote must be there, followed by nothing but blanks before the next comma.
    const AtField &f = m_fields[i];
    qsizetype at = (f.text.data() - m_args.constData()) + f.text.size();
    if (at >= m_args.size() || m_args[at] != '"')
        return false;
    for (++at; at < m_args.size() && m_args[at] != ','; ++at) {
        if (m_args[at] != ' ')
            return false;
    }
    return true;
}

bool CommandArgs::hasWellFormedString(qsizetype i)
{
    if (failed())
        return false;
    if (i >= m_fields.size() || (m_fields[i].quoted && !isWellQuoted(i))) {
        fail(CommandOutcome::error());
        return false;
    }
    return true;
}

std::optional<QByteArray> CommandArgs::stringOf(qsizetype i, int maxLength)
{
    if (!hasWellFormedString(i))
        return std::nullopt;
    const QByteArrayView value = m_fields[i].text;
    const int code = check::firstUnquotableByte(value) >= 0 ? cme::IllegalCharacter
                     : value.size() > maxLength             ? cme::InvalidParameter
                                                            : 0;
    if (code != 0) {
        fail(CommandOutcome::cmeError(code));
        return std::nullopt;
    }
    return value.toByteArray();
}

std::optional<QByteArray> CommandArgs::string(qsizetype i, Param p, TextRule rule)
{
    if (!hasWellFormedString(i))
        return std::nullopt;
    const QByteArrayView value = m_fields[i].text;
    int code = 0;
    // The order of the checks decides which error a value with several faults gets, as on the module; so
    // the same code appears in more than one branch.
    if (check::firstUnquotableByte(value) >= 0)
        code = cme::IllegalCharacter; // NOLINT(bugprone-branch-clone)
    else if (check::quoted(p, value))
        code = cme::InvalidParameter;
    else if (rule != TextRule::Bytes && check::utf8Quoted(p, value))
        code = cme::IllegalUtf8;
    else if (rule == TextRule::PublishTopic && check::publishTopic(value, p))
        code = cme::IllegalCharacter;
    else if (rule == TextRule::TopicFilter && check::topicFilter(value, p))
        code = cme::IllegalCharacter;
    if (code != 0) {
        fail(CommandOutcome::cmeError(code));
        return std::nullopt;
    }
    return value.toByteArray();
}

} // namespace qmt::sim
