#include "core/recording/logrowredactor.h"

#include "core/qmt/lineslot.h"

namespace qmt {

namespace {

using Direction = RecordedLogRow::Direction;
using Kind = RecordedLogRow::Kind;

int slotOf(QByteArrayView text)
{
    return lineSlot(text).value_or(RecordedLogRow::NoSlot);
}

} // namespace

RecordedLogRow LogRowRedactor::row(Direction direction, Kind kind, QByteArray text, qint64 timeMs, int slot)
{
    RecordedLogRow r;
    r.timeMs = timeMs;
    r.direction = direction;
    r.kind = kind;
    r.slot = slot;
    r.fullLength = text.size();
    if (text.size() > RecordedLogRow::MaxTextBytes)
        text.truncate(RecordedLogRow::MaxTextBytes); // after redaction: a secret is never half kept
    r.text = std::move(text);
    return r;
}

RecordedLogRow LogRowRedactor::secretRow(Direction direction, Kind kind, qsizetype size, qint64 timeMs, int slot)
{
    return row(direction, kind, redactedPlaceholder(size), timeMs, slot);
}

RecordedLogRow LogRowRedactor::command(QByteArrayView text, qint64 timeMs)
{
    m_lastCommand = text.toByteArray();
    const int slot = slotOf(text);
    if (m_toModuleKeys.withholds(text))
        return secretRow(Direction::ToModule, Kind::Command, text.size(), timeMs, slot);
    return row(Direction::ToModule, Kind::Command, redactCommand(text), timeMs, slot);
}

RecordedLogRow LogRowRedactor::dataSent(QByteArrayView shown, qint64 timeMs, int slot)
{
    if (isRedactedPlaceholder(shown)) // the channel withheld it already
        return row(Direction::ToModule, Kind::DataSent, shown.toByteArray(), timeMs, slot);
    // A key typed after the wrong prompt is as secret as one after "clientkey". The data goes as one piece;
    // the guard still sees each of its lines, so that a block it opens stays open for what follows.
    bool secret = promptDataIsSecret(m_lastCommand);
    for (qsizetype start = 0; start <= shown.size();) {
        qsizetype end = shown.indexOf('\n', start);
        if (end < 0)
            end = shown.size();
        secret = m_toModuleKeys.withholds(shown.sliced(start, end - start)) || secret;
        start = end + 1;
    }
    if (secret)
        return secretRow(Direction::ToModule, Kind::DataSent, shown.size(), timeMs, slot);
    return row(Direction::ToModule, Kind::DataSent, shown.toByteArray(), timeMs, slot);
}

RecordedLogRow LogRowRedactor::line(const AtLine &line, qint64 timeMs)
{
    const Kind kind = logKindOf(line.kind);
    const int slot = slotOf(line.text);
    if (m_fromModuleKeys.withholds(line.text) || line.secret)
        return secretRow(Direction::FromModule, kind, line.text.size(), timeMs, slot);
    if (line.kind == LineKind::Urc)
        return row(Direction::FromModule, kind, line.text, timeMs,
                   slot); // shared, not copied: they come by the 100,000
    // An echo, a response, a line nobody recognised: a command may hide anywhere in it (behind noise, with its
    // first bytes lost to a waking module), and an "aliauth" answer carries the device secret.
    return row(Direction::FromModule, kind, redactResponse(m_lastCommand, redactEmbedded(line.text)), timeMs, slot);
}

} // namespace qmt
