#pragma once

#include "core/qmt/qmtspec.h"

#include "core/at/atcommand.h"

#include <optional>

namespace qmt {

/// Recognises the result URC of a two-phase QMT command, as its row of the spec table describes it: the same
/// `+QMTxxx:` prefix, the same connect ID and, for SUB/UNS/PUB, the same msgID. Result 1 ("retransmit") of
/// CONN/SUB/UNS/PUB is progress. For CONN/SUB/UNS/PUB a +QMTSTAT of the slot also ends the command — the link is gone
/// and the result will not come (protocol-notes §7.1 shows +QMTSTAT in place of a refused +QMTCONN) — and ends every
/// other command of the slot with it (MatchResult::CompleteAll).
[[nodiscard]] ResultMatcher resultMatcherFor(QmtCommand id, qint64 connectId,
                                             std::optional<qint64> msgId = std::nullopt);

} // namespace qmt
