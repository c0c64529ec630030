#include "core/qmt/redaction.h"

#include "core/qmt/atfields.h"
#include "core/qmt/qmtspec.h"

#include "core/at/atlineclassifier.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <vector>

namespace qmt {

namespace {

/// Whether `field` (a view into `text`) still holds something to hide: it is not empty and not a placeholder
/// already. A quoted field must be a whole placeholder; an unquoted one is cut at the placeholder's own comma
/// by the split, so the placeholder is read from the field's start and must end the field: only the white
/// space the split trims off a field may follow it before the text or the field ends.
bool stillToHide(QByteArrayView text, const AtField &field)
{
    if (field.text.isEmpty())
        return false;
    if (field.quoted)
        return !isRedactedPlaceholder(field.text);
    const QByteArrayView rest = text.sliced(field.text.data() - text.data());
    const qsizetype end = rest.indexOf('>');
    if (end < 0 || !isRedactedPlaceholder(rest.first(end + 1)))
        return true;
    const QByteArrayView after = rest.sliced(end + 1);
    const qsizetype comma = after.indexOf(',');
    return !(comma < 0 ? after : after.first(comma)).trimmed().isEmpty();
}

/// `text` with the fields at `indexes` (ascending; `fields` point into `text`) replaced by placeholders.
QByteArray redactFields(QByteArrayView text, const QList<AtField> &fields, const QList<qsizetype> &indexes)
{
    QByteArray out = text.toByteArray();
    // Last first, so that the offsets of the earlier fields still hold.
    for (auto it = indexes.crbegin(); it != indexes.crend(); ++it) {
        const AtField &f = fields[*it];
        if (stillToHide(text, f))
            out.replace(f.text.data() - text.data(), f.text.size(), redactedPlaceholder(f.text.size()));
    }
    return out;
}

bool isSecret(Param p)
{
    return p != NoParam && spec(p).secret;
}

bool argumentsHaveSecret(const CommandForm &form)
{
    for (int i = 0; i < form.arguments.size(); ++i) {
        if (isSecret(form.arguments.at(i)))
            return true;
    }
    return false;
}

bool answerHasSecret(const CommandForm &form)
{
    for (int i = 0; i < form.answer.size(); ++i) {
        if (isSecret(form.answer.at(i)))
            return true;
    }
    return false;
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

bool keywordMatches(const CommandForm &form, const QList<AtField> &args)
{
    return !form.keyword || (args.size() > form.keywordIndex &&
                             args[form.keywordIndex].text.trimmed().compare(form.keyword, Qt::CaseInsensitive) == 0);
}

/// The names of the forms that have a secret `Where` (each once), found again only when another table comes
/// into force: a line's name is compared with these few rather than with the whole table (once per line of a
/// capture, the table walk was a tenth of qmt-decode's time). Per thread, as the serial reader redacts too.
template<bool (*Where)(const CommandForm &)> std::span<const QByteArrayView> namesWithSecret()
{
    // Trivially destructible on purpose: a message logged after main() returns passes through redaction,
    // when the thread's thread_local objects with destructors are gone already.
    struct Names
    {
        std::array<QByteArrayView, 64> names;
        size_t count = 0;
        unsigned foundFor = ~0u;
    };
    thread_local Names cache;
    if (const unsigned now = specTableGeneration(); cache.foundFor != now) {
        cache.count = 0;
        for (const CommandForm &form : commandForms()) {
            const QByteArrayView name(form.command);
            const auto known = cache.names.begin() + cache.count;
            if (Where(form) && std::find(cache.names.begin(), known, name) == known && cache.count < cache.names.size())
                cache.names[cache.count++] = name;
        }
        cache.foundFor = now;
    }
    return {cache.names.data(), cache.count};
}

/// Whether a form of the command `name` has a secret `Where` (its arguments, its answer, its prompt's
/// data): most commands have none, and need not be split into fields at all.
template<bool (*Where)(const CommandForm &)> bool anyFormOf(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    const std::span<const QByteArrayView> names = namesWithSecret<Where>();
    return std::any_of(names.begin(), names.end(), [name](QByteArrayView n) {
        return name.size() == n.size() && name.compare(n, Qt::CaseInsensitive) == 0;
    });
}

bool promptDataSecret(const CommandForm &form)
{
    return isSecret(form.promptData);
}

/// The table's form of the command `name` with these arguments, or nullptr.
const CommandForm *formOf(QByteArrayView name, const QList<AtField> &args)
{
    if (name.isEmpty())
        return nullptr;
    for (const CommandForm &form : commandForms()) {
        if (name.compare(form.command, Qt::CaseInsensitive) == 0 && keywordMatches(form, args))
            return &form;
    }
    return nullptr;
}

/// Whether a keyword names one of the forms of `command` ("will" of +QMTCFG).
bool isKeywordOf(QByteArrayView command, QByteArrayView keyword)
{
    for (const CommandForm &form : commandForms()) {
        if (form.keyword && command.compare(form.command, Qt::CaseInsensitive) == 0 &&
            keyword.compare(form.keyword, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

/// Whether replacing `field` changes where the rest of its line splits into commands: splitCommandChain()
/// counts quotes, and an unquoted field of a damaged line may hold an odd number of them.
bool shiftsChainSplit(const AtField &field)
{
    return !field.quoted && field.text.count('"') % 2 == 1;
}

/// One command of a chain read for its secrets: its arguments and which of them the spec table calls secret.
struct SecretReading
{
    QList<AtField> args;
    QList<qsizetype> secret; ///< ascending
};

std::optional<SecretReading> readSecrets(QByteArrayView part)
{
    const QByteArrayView name = nameOf(part);
    if (!part.contains('=') || !anyFormOf<argumentsHaveSecret>(name))
        return std::nullopt;
    SecretReading reading{argumentsOf(part), {}};
    const CommandForm *form = formOf(name, reading.args);
    if (!form || !argumentsHaveSecret(*form))
        return std::nullopt;
    for (qsizetype i = 0; i < reading.args.size(); ++i) {
        if (isSecret(form->argument(i)))
            reading.secret.append(i);
    }
    return reading;
}

/// One command of a chain, `part`, with its secret arguments replaced; `rest` is the line from `part` on.
/// Sets `hidRest` when the last placeholder hides the rest of the line too.
QByteArray redactOne(QByteArrayView part, QByteArrayView rest, bool &hidRest)
{
    const std::optional<SecretReading> reading = readSecrets(part);
    if (!reading)
        return part.toByteArray();
    QList<qsizetype> before;
    for (const qsizetype i : reading->secret) {
        // Once a secret that shifts the chain split is gone, a second reading (a log redacting what the channel
        // redacted) would cut the rest of the line elsewhere and hide more. Hiding everything from it on
        // reads the same both times, and hides no less.
        if (shiftsChainSplit(reading->args[i])) {
            const qsizetype start = reading->args[i].text.data() - part.data();
            hidRest = true;
            return redactFields(part.first(start), reading->args, before) + redactedPlaceholder(rest.size() - start);
        }
        before.append(i);
    }
    return redactFields(part, reading->args, reading->secret);
}

/// Whether `command` holds the query of `form`: the form, without the arguments that would carry its
/// secrets (AT+QMTCFG="aliauth",0 asks for what AT+QMTCFG="aliauth",0,… sets).
bool asksFor(QByteArrayView command, const CommandForm &form)
{
    qsizetype firstSecret = form.arguments.size();
    for (int i = form.arguments.size() - 1; i >= 0; --i) {
        if (isSecret(form.arguments.at(i)))
            firstSecret = i;
    }
    for (const QByteArrayView part : splitCommandChain(command)) {
        const QList<AtField> args = argumentsOf(part);
        if (nameOf(part).compare(form.command, Qt::CaseInsensitive) == 0 && keywordMatches(form, args) &&
            args.size() < firstSecret)
            return true;
    }
    return false;
}

/// Whether the fields are shaped as the answer of `form`: as many, strings quoted and numbers not, and the
/// first not a keyword (another form's answer names its form first). So an answer is known even when the
/// command it answers is not (a pipelined command, a capture without the host's side).
bool shapedAsAnswer(const CommandForm &form, const QList<AtField> &fields)
{
    if (fields.size() != form.answer.size() || fields.isEmpty() || isKeywordOf(form.command, fields[0].text))
        return false;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const Param p = form.answer.at(int(i));
        if (p != NoParam && fields[i].quoted != (spec(p).kind != ParamKind::Integer))
            return false;
    }
    return true;
}

/// Where `name` followed by `terminator` first occurs in `text`, or -1.
qsizetype find(QByteArrayView text, QByteArrayView name, char terminator)
{
    for (qsizetype at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
        if (at + name.size() < text.size() && text[at + name.size()] == terminator)
            return at;
    }
    return -1;
}

/// Where in `text` the first of `names` followed by `terminator` starts, or -1.
qsizetype firstOf(QByteArrayView text, std::span<const QByteArrayView> names, char terminator)
{
    qsizetype first = -1;
    for (const QByteArrayView name : names) {
        const qsizetype at = find(text, name, terminator);
        if (at >= 0 && (first < 0 || at < first))
            first = at;
    }
    return first;
}

} // namespace

QByteArray redactCommand(QByteArrayView command)
{
    if (command.isEmpty()) // no command in flight: every URC of a busy line
        return {};
    const QList<QByteArrayView> parts = splitCommandChain(command);
    QByteArray out;
    out.reserve(command.size());
    bool hidRest = false;
    for (qsizetype i = 0; i < parts.size() && !hidRest; ++i) {
        if (i > 0)
            out += ';';
        out += redactOne(parts[i], command.sliced(parts[i].data() - command.data()), hidRest);
    }
    return out;
}

QList<QByteArrayView> secretArgumentsOf(QByteArrayView command)
{
    QList<QByteArrayView> secrets;
    for (const QByteArrayView part : splitCommandChain(command)) {
        const std::optional<SecretReading> reading = readSecrets(part);
        for (const qsizetype i : reading ? reading->secret : QList<qsizetype>()) {
            if (stillToHide(part, reading->args[i]))
                secrets.append(reading->args[i].text);
        }
    }
    return secrets;
}

void redactForDisplay(AtCommand &command)
{
    command.display = redactCommand(command.text);
    command.secrets.clear();
    for (const QByteArrayView secret : secretArgumentsOf(command.text))
        command.secrets.append(secret.toByteArray());
}

bool answerMayRepeatSecret(QByteArrayView line)
{
    return anyFormOf<answerHasSecret>(AtLineClassifier::prefixOf(line));
}

QByteArray redactResponse(QByteArrayView command, QByteArrayView line)
{
    if (!answerMayRepeatSecret(line))
        return line.toByteArray();
    const QByteArrayView name = AtLineClassifier::prefixOf(line);
    const QList<AtField> fields = splitAtFields(paramsOf(line));
    for (const CommandForm &form : commandForms()) {
        if (name.compare(form.command, Qt::CaseInsensitive) != 0 || !answerHasSecret(form))
            continue;
        // A command of several forms answers each query differently: the query in flight or the shape says
        // which answer this is. A command of one form answers its query in one way.
        if (form.keyword && !asksFor(command, form) && !shapedAsAnswer(form, fields))
            continue;
        QList<qsizetype> secret;
        for (qsizetype i = 0; i < std::min(fields.size(), qsizetype(form.answer.size())); ++i) {
            // "(0-32)": the test form's range, no value.
            if (isSecret(form.answer.at(int(i))) && !(!fields[i].quoted && fields[i].text.startsWith('(')))
                secret.append(i);
        }
        return redactFields(line, fields, secret);
    }
    return line.toByteArray();
}

qsizetype secretAnswerStart(QByteArrayView line)
{
    return firstOf(line, namesWithSecret<answerHasSecret>(), ':');
}

QByteArray redactEmbedded(QByteArrayView line)
{
    // Every name with a secret starts with '+': most lines of a busy capture are done at this check.
    if (!line.contains('+'))
        return line.toByteArray();
    // From the command's '+' on, as redactCommand() reads the later commands of a chain.
    if (const qsizetype command = firstOf(line.toByteArray().toUpper(), namesWithSecret<argumentsHaveSecret>(), '=');
        command >= 0)
        return line.first(command).toByteArray() + redactCommand(line.sliced(command));
    if (const qsizetype answer = secretAnswerStart(line); answer >= 0)
        return line.first(answer).toByteArray() + redactResponse({}, line.sliced(answer));
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
        const QByteArrayView name = nameOf(part);
        if (!anyFormOf<promptDataSecret>(name))
            continue;
        const CommandForm *form = formOf(name, argumentsOf(part));
        if (form && isSecret(form->promptData))
            return true;
    }
    return false;
}

} // namespace qmt
