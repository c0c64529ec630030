#include "core/qmt/lineslot.h"

#include "core/qmt/atfields.h"
#include "core/qmt/qmtparser.h"
#include "core/qmt/qmtspec.h"

#include "core/at/atlineclassifier.h"

namespace qmt {

namespace {

bool startsWithNoCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && text.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

/// The id at the start of `params` when it is a whole field (followed by a comma or the end) in 0–4.
std::optional<int> leadingConnectId(QByteArrayView params)
{
    params = params.trimmed();
    qsizetype end = 0;
    while (end < params.size() && end < 3 && params[end] >= '0' && params[end] <= '9')
        ++end;
    if (end == 0)
        return std::nullopt;
    const QByteArrayView rest = params.sliced(end).trimmed();
    if (!rest.isEmpty() && rest.front() != ',')
        return std::nullopt;
    const int id = params.first(end).toInt();
    return id < SlotCount ? std::optional<int>(id) : std::nullopt;
}

} // namespace

std::optional<int> lineSlot(QByteArrayView text)
{
    if (AtLineClassifier::looksLikeCommand(text)) {
        const QByteArrayView name = AtLineClassifier::commandNameOf(text);
        const qsizetype eq = text.indexOf('=');
        if (!startsWithNoCase(name, "+QMT") || eq < 0)
            return std::nullopt;
        QByteArrayView params = text.sliced(eq + 1);
        if (name.compare("+QMTCFG", Qt::CaseInsensitive) == 0) {
            // AT+QMTCFG="<option>",<TCP_connectID>,…: the id is the second field.
            const QList<AtField> fields = splitAtFields(params);
            return fields.size() >= 2 && fields[0].quoted ? leadingConnectId(fields[1].text) : std::nullopt;
        }
        return leadingConnectId(params);
    }
    // Only the module prints "+QMT…:" lines, always in upper case. Their id is the one of the event the parser
    // makes of them, the same reading the controller and the decoder act on (issue 10: one reader of module lines).
    if (!text.startsWith("+QMT"))
        return std::nullopt;
    const std::optional<QmtEvent> event = parseQmtLine(text);
    const std::optional<int> id = event ? eventConnectId(*event) : std::nullopt;
    return id && *id >= 0 && *id < SlotCount ? id : std::nullopt;
}

} // namespace qmt
