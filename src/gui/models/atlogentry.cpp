#include "atlogentry.h"

#include "payloadformatter.h"

#include "at/atlineclassifier.h"
#include "qmt/atfields.h"
#include "qmt/qmtspec.h"
#include "qmt/redaction.h"

namespace qmt {

namespace {

bool startsWithNoCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && text.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

/// The id at the start of `params` when it is a whole field (followed by a comma or the end) in 0–4.
int leadingConnectId(QByteArrayView params)
{
    params = params.trimmed();
    qsizetype end = 0;
    while (end < params.size() && end < 3 && params[end] >= '0' && params[end] <= '9')
        ++end;
    if (end == 0)
        return AtLogEntry::NoSlot;
    const QByteArrayView rest = params.sliced(end).trimmed();
    if (!rest.isEmpty() && rest.front() != ',')
        return AtLogEntry::NoSlot;
    const int id = params.first(end).toInt();
    return id < SlotCount ? id : AtLogEntry::NoSlot;
}

/// An echo whose first byte or two were lost to a module waking from sleep (FACTS §3) reads
/// "T+QMTCONN=…" or "+QMTCONN=…": put the lost bytes back so the command is recognised. Returns the
/// whole command and how many bytes were put back.
std::pair<QByteArray, qsizetype> restoreEcho(const QByteArray &text)
{
    if (AtLineClassifier::looksLikeCommand(text))
        return {text, 0};
    if (text.startsWith("T+"))
        return {'A' + text, 1};
    if (text.startsWith('+'))
        return {"AT" + text, 2};
    return {text, 0};
}

} // namespace

AtLogEntry AtLogEntry::command(QByteArrayView text, qint64 timeMs)
{
    AtLogEntry e;
    e.timeMs = timeMs;
    e.direction = Direction::ToModule;
    e.kind = Kind::Command;
    e.text = redactCommand(text);
    e.slot = qint8(slotOf(text));
    return e;
}

AtLogEntry AtLogEntry::dataSent(QByteArrayView shown, bool secret, int slot, qint64 timeMs)
{
    AtLogEntry e;
    e.timeMs = timeMs;
    e.direction = Direction::ToModule;
    e.kind = Kind::DataSent;
    e.slot = qint8(slot >= 0 && slot < SlotCount ? slot : NoSlot);
    e.secret = secret;
    if (secret)
        e.secretSize = qint32(shown.size());
    else
        e.text = shown.toByteArray();
    return e;
}

AtLogEntry AtLogEntry::received(const AtLine &line, qint64 timeMs)
{
    AtLogEntry e;
    e.timeMs = timeMs;
    e.direction = Direction::FromModule;
    e.kind = kindOf(line.kind);
    if (line.secret) {
        e.secret = true;
        e.secretSize = qint32(line.text.size());
        return e;
    }
    if (line.kind == LineKind::Echo) {
        // The module repeats what was typed, password included.
        const auto [whole, restored] = restoreEcho(line.text);
        e.text = redactCommand(whole).sliced(restored);
        e.slot = qint8(slotOf(whole));
    } else if (AtLineClassifier::looksLikeCommand(line.text)) {
        e.text = redactCommand(line.text);
        e.slot = qint8(slotOf(line.text));
    } else if (line.kind == LineKind::Unknown) {
        e.text = redactEmbedded(line.text); // a line nobody recognised may still be a command behind noise
        e.slot = qint8(slotOf(line.text));
    } else {
        e.text = line.text; // shared, not copied: URCs arrive by the hundred thousand
        e.slot = qint8(slotOf(line.text));
    }
    if (e.text.size() > MaxTextBytes) {
        const qsizetype whole = e.text.size();
        // On a character boundary: no half character shown as <E2><80>.
        e.text = PayloadFormatter::utf8Prefix(e.text, MaxTextBytes).toByteArray() +
                 tr(" … [%1 bytes in all; the log keeps the first %2]").arg(whole).arg(MaxTextBytes).toUtf8();
    }
    return e;
}

AtLogEntry::Kind AtLogEntry::kindOf(LineKind kind)
{
    switch (kind) {
    case LineKind::Echo:
        return Kind::Echo;
    case LineKind::Response:
        return Kind::Response;
    case LineKind::Final:
        return Kind::Final;
    case LineKind::Prompt:
        return Kind::Prompt;
    case LineKind::Urc:
        return Kind::Urc;
    case LineKind::Data:
        return Kind::Data;
    case LineKind::Unknown:
        return Kind::Unknown;
    }
    return Kind::Unknown;
}

int AtLogEntry::slotOf(QByteArrayView text)
{
    if (AtLineClassifier::looksLikeCommand(text)) {
        const QByteArrayView name = AtLineClassifier::commandNameOf(text);
        const qsizetype eq = text.indexOf('=');
        if (!startsWithNoCase(name, "+QMT") || eq < 0)
            return NoSlot;
        QByteArrayView params = text.sliced(eq + 1);
        if (name.compare("+QMTCFG", Qt::CaseInsensitive) == 0) {
            // AT+QMTCFG="<option>",<TCP_connectID>,…: the id is the second field.
            const QList<AtField> fields = splitAtFields(params);
            return fields.size() >= 2 && fields[0].quoted ? leadingConnectId(fields[1].text) : NoSlot;
        }
        return leadingConnectId(params);
    }
    // Only the module prints "+QMT…:" lines, always in upper case. +QMTCFG answers carry no id.
    if (!text.startsWith("+QMT") || text.startsWith("+QMTCFG"))
        return NoSlot;
    if (AtLineClassifier::prefixOf(text).isEmpty())
        return NoSlot;
    return leadingConnectId(paramsOf(text));
}

QString AtLogEntry::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Command:
        return tr("command");
    case Kind::DataSent:
        return tr("data sent");
    case Kind::Echo:
        return tr("echo");
    case Kind::Response:
        return tr("response");
    case Kind::Final:
        return tr("final");
    case Kind::Prompt:
        return tr("prompt");
    case Kind::Urc:
        return tr("URC");
    case Kind::Data:
        return tr("data");
    case Kind::Unknown:
        return tr("unknown");
    }
    return tr("unknown");
}

QString AtLogEntry::directionName(Direction direction)
{
    return direction == Direction::ToModule ? tr("to module") : tr("from module");
}

QString AtLogEntry::slotName() const
{
    return slot == NoSlot ? QString() : QString::number(slot);
}

QByteArray AtLogEntry::shownBytes() const
{
    return secret ? redactedPlaceholder(secretSize) : text;
}

QString AtLogEntry::shownText() const
{
    return PayloadFormatter::visibleText(shownBytes());
}

bool AtLogEntry::hasInvisibleBytes() const
{
    return !secret && PayloadFormatter::hasInvisibleBytes(text);
}

} // namespace qmt
