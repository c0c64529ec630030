#pragma once

#include <QByteArrayView>

#include <optional>

namespace qmt {

/// The TCP_connectID (client slot 0–4) a line of the AT dialogue names: `+QMTxxx: <id>,…` from the module,
/// `AT+QMTxxx=<id>,…` (and `AT+QMTCFG="<option>",<id>,…`) from the host. A module line's id is the one of the
/// event parseQmtLine() makes of it. nullopt for any other line, for a module line the parser does not type,
/// for +QMTCFG answers and test-form replies (they carry no id) and for an id outside 0–4. Whatever shows or stores log
/// lines per slot (the AT log, the recording) reads the slot through this.
[[nodiscard]] std::optional<int> lineSlot(QByteArrayView line);

} // namespace qmt
