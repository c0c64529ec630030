#include "core/qmt/resultmatcher.h"

#include "core/qmt/atfields.h"

namespace qmt {

ResultMatcher resultMatcherFor(QmtCommand command, qint64 connectId, std::optional<qint64> msgId)
{
    const QByteArray prefix = QByteArray(spec(command).name) + ':';
    const bool packetCommand = command == QmtCommand::Conn || command == QmtCommand::Sub ||
                               command == QmtCommand::Uns || command == QmtCommand::Pub;
    const bool hasMsgId = command == QmtCommand::Sub || command == QmtCommand::Uns || command == QmtCommand::Pub;
    // CONN's result is field 1; SUB/UNS/PUB's is field 2, after the msgID.
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
