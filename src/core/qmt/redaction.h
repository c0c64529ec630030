#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "at/atcommand.h" // redactedPlaceholder()

namespace qmt {

/// The command line with its secrets replaced by `<redacted, N bytes>`: the password of AT+QMTCONN and the
/// device secret of AT+QMTCFG="aliauth". Everything that shows or stores a command a user typed goes
/// through this (logs, exports, the capture decoder), so a secret never reaches a file in plain text.
[[nodiscard]] QByteArray redactCommand(QByteArrayView command);

/// The response line as it may be shown: the answer to AT+QMTCFG="aliauth",<id> (the query) carries the
/// device secret, which is replaced. Other lines come back as they are.
[[nodiscard]] QByteArray redactResponse(QByteArrayView command, QByteArrayView line);

/// Whether the data typed after this command's prompt is secret (AT+QSSLCFG=…,"clientkey").
[[nodiscard]] bool promptDataIsSecret(QByteArrayView command);

} // namespace qmt
