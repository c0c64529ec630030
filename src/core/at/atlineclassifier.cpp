#include "core/at/atlineclassifier.h"

#include <algorithm>
#include <array>

namespace qmt {

namespace {

// Power-up and power-down notices of the BC660K-GL and its siblings (protocol-notes §2.6).
constexpr QByteArrayView PowerNotices[] = {"RDY", "APP RDY", "POWERED DOWN", "NORMAL POWER DOWN", "Leaving the BROM"};

/// ASCII letters and digits, by byte: one lookup per byte of a name read four times per line.
constexpr std::array<bool, 256> AsciiAlphanumeric = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c)
        table[size_t(c)] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    return table;
}();

bool isAsciiAlphanumeric(char c)
{
    return AsciiAlphanumeric[uchar(c)];
}

} // namespace

AtLineClassifier::AtLineClassifier()
{
    for (const QByteArrayView word : PowerNotices)
        m_urcWords.append(word.toByteArray());
}

bool AtLineClassifier::isPowerNotice(QByteArrayView line)
{
    line = line.trimmed();
    return std::any_of(std::begin(PowerNotices), std::end(PowerNotices),
                       [line](QByteArrayView word) { return line == word; });
}

QByteArrayView AtLineClassifier::prefixOf(QByteArrayView line)
{
    if (line.isEmpty() || (line.front() != '+' && line.front() != '^'))
        return {};
    // Asked several times per line: a name of letters and digits right up to its colon ("+QMTRECV:") is the
    // prefix as it is, without the general search below.
    qsizetype end = 1;
    while (end < line.size() && isAsciiAlphanumeric(line[end]))
        ++end;
    if (end > 1 && end < line.size() && line[end] == ':')
        return line.first(end);
    const qsizetype colon = line.indexOf(':');
    if (colon <= 1)
        return {};
    const QByteArrayView name = line.first(colon).trimmed();
    for (char c : name.sliced(1)) {
        if (c == ' ' || c == ',' || c == '"')
            return {};
    }
    return name;
}

QByteArrayView AtLineClassifier::commandNameOf(QByteArrayView command)
{
    if (command.size() < 3 || !looksLikeCommand(command))
        return {};
    const QByteArrayView rest = command.sliced(2);
    if (rest.front() != '+' && rest.front() != '^')
        return {};
    qsizetype end = 1;
    while (end < rest.size() && rest[end] != '=' && rest[end] != '?' && rest[end] != ';' && rest[end] != ' ')
        ++end;
    return rest.first(end);
}

bool AtLineClassifier::commandLineAnswersWith(QByteArrayView command, QByteArrayView prefix)
{
    if (prefix.compare(commandNameOf(command), Qt::CaseInsensitive) == 0)
        return true;
    // Chained commands: "AT+CSQ;+CGATT?;+CEREG?" — only the first carries "AT" (protocol-notes §1.1).
    bool quoted = false;
    for (qsizetype i = 0; i < command.size(); ++i) {
        if (command[i] == '"')
            quoted = !quoted;
        if (command[i] != ';' || quoted || i + 1 >= command.size())
            continue;
        QByteArrayView next = command.sliced(i + 1).trimmed();
        if (next.isEmpty() || (next.front() != '+' && next.front() != '^'))
            continue;
        qsizetype end = 1;
        while (end < next.size() && next[end] != '=' && next[end] != '?' && next[end] != ';')
            ++end;
        if (prefix.compare(next.first(end), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

qsizetype AtLineClassifier::commandStart(QByteArrayView line)
{
    for (qsizetype i = 0; i + 1 < line.size(); ++i) {
        if ((line[i] == 'A' || line[i] == 'a') && (line[i + 1] == 'T' || line[i + 1] == 't'))
            return i;
    }
    return -1;
}

bool AtLineClassifier::looksLikeCommand(QByteArrayView line)
{
    return line.size() >= 2 && (line[0] == 'A' || line[0] == 'a') && (line[1] == 'T' || line[1] == 't');
}

bool AtLineClassifier::isEchoOf(QByteArrayView line, QByteArrayView command)
{
    line = line.trimmed();
    if (line.isEmpty() || command.isEmpty())
        return false;
    if (line == command)
        return true;
    return line.size() + 2 >= command.size() && line.size() < command.size() && command.endsWith(line);
}

bool AtLineClassifier::isPromptLine(QByteArrayView line)
{
    // "CONNECT": the data prompt of sibling modules' file uploads (AT+QFUPL) and of transparent modes.
    return line == ">" || line == "> " || line == "CONNECT";
}

bool AtLineClassifier::isBareNotice(QByteArrayView line)
{
    if (line.size() < 3 || line.front() != '+')
        return false;
    return std::all_of(line.begin() + 1, line.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool AtLineClassifier::isUrcWord(QByteArrayView line) const
{
    const QByteArrayView trimmed = line.trimmed();
    if (isBareNotice(trimmed))
        return true;
    for (const QByteArray &word : m_urcWords) {
        if (trimmed == word)
            return true;
    }
    return false;
}

LineKind AtLineClassifier::classify(QByteArrayView line, const InFlight *inFlight) const
{
    if (parseFinalResult(line))
        return LineKind::Final;
    if (isPromptLine(line))
        return LineKind::Prompt;

    if (!inFlight) {
        if (!prefixOf(line).isEmpty() || isUrcWord(line))
            return LineKind::Urc;
        return LineKind::Unknown;
    }

    if (!inFlight->responseSeen && isEchoOf(line, inFlight->text))
        return LineKind::Echo;
    if (!inFlight->dataSent.isEmpty() && inFlight->dataSent.contains(line))
        return LineKind::Data;

    const QByteArrayView prefix = prefixOf(line);
    if (!prefix.isEmpty())
        return commandLineAnswersWith(inFlight->text, prefix) ? LineKind::Response : LineKind::Urc;
    // Bare lines ("Quectel_BC660K-GL", an IMSI) answer the command in flight, unless they are
    // power-up notices, which can interrupt any command.
    return isUrcWord(line) ? LineKind::Urc : LineKind::Response;
}

} // namespace qmt
