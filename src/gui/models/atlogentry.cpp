#include "gui/models/atlogentry.h"

#include "gui/models/payloadformatter.h"

#include "core/at/atlineclassifier.h"
#include "core/qmt/lineslot.h"
#include "core/qmt/qmtspec.h"
#include "core/qmt/redaction.h"

namespace qmt {

namespace {

/// An echo whose first byte or two were lost to a module waking from sleep (protocol-notes §3.4, §1.8) reads
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

int AtLogEntry::slotOf(QByteArrayView text)
{
    return lineSlot(text).value_or(NoSlot);
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
