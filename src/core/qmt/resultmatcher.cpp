#include "core/qmt/resultmatcher.h"

#include "core/qmt/atfields.h"

namespace qmt {

ResultMatcher resultMatcherFor(QmtCommand id, qint64 connectId, std::optional<qint64> msgId)
{
    const CommandSpec &command = spec(id);
    const QByteArray prefix = QByteArray(command.name) + ':';
    const bool packetCommand = command.sendsPacket();
    const bool hasMsgId = command.hasMsgId();
    // The result follows the connect ID, and the msgID when there is one.
    const int resultField = hasMsgId ? 2 : 1;
    return [prefix, packetCommand, hasMsgId, resultField, connectId, msgId](QByteArrayView line) {
        if (line.startsWith(prefix)) {
            const QList<AtField> f = splitAtFields(paramsOf(line));
            if (f.isEmpty() || f[0].toInt() != connectId)
                return MatchResult::NoMatch;
            if (hasMsgId && msgId && (f.size() < 2 || f[1].toInt() != *msgId))
                return MatchResult::NoMatch;
            if (packetCommand && f.size() > resultField && f[resultField].toInt() == 1)
                return MatchResult::Progress;
            return MatchResult::Complete;
        }
        if (packetCommand && line.startsWith("+QMTSTAT:") && connectIdOf(line) == connectId)
            return MatchResult::CompleteAll;
        return MatchResult::NoMatch;
    };
}

} // namespace qmt
