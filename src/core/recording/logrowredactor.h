#pragma once

#include "core/recording/recordingtypes.h"

#include "core/at/atcommand.h"
#include "core/qmt/redaction.h"

namespace qmt {

/// Turns what the AT channel reports into log rows that may be written to a recording: the door through
/// which every log line reaches the file, so no secret ever does.
///
/// Commands lose the password of AT+QMTCONN and the device secret of AT+QMTCFG="aliauth"; lines from the
/// module lose the same (an echo of the command, the answer to the "aliauth" query, a command behind noise);
/// secret data (the channel's secret lines, data after an AT+QSSLCFG "clientkey" prompt) and every line of a
/// PEM private key block, in either direction and whatever command it follows, keep only their length. Rows
/// are cut to RecordedLogRow::MaxTextBytes. Fed every event in order: it follows the dialogue (the last
/// command sent, open key blocks), so one instance serves one AT channel.
class LogRowRedactor
{
public:
    /// A command line as typed or built.
    [[nodiscard]] RecordedLogRow command(QByteArrayView text, qint64 timeMs);
    /// Bytes written in data mode as the channel shows them (secret data is `<redacted, N bytes>` already).
    /// `slot` is the slot of the command that opened data mode, when the caller knows it.
    [[nodiscard]] RecordedLogRow dataSent(QByteArrayView shown, qint64 timeMs, int slot = RecordedLogRow::NoSlot);
    /// A line from the module, classified by the AT channel.
    [[nodiscard]] RecordedLogRow line(const AtLine &line, qint64 timeMs);

private:
    [[nodiscard]] static RecordedLogRow row(RecordedLogRow::Direction direction, RecordedLogRow::Kind kind,
                                            QByteArray text, qint64 timeMs, int slot);
    [[nodiscard]] static RecordedLogRow secretRow(RecordedLogRow::Direction direction, RecordedLogRow::Kind kind,
                                                  qsizetype size, qint64 timeMs, int slot);

    QByteArray m_lastCommand;            // what an "aliauth" query answer answers
    PrivateKeyBlockGuard m_toModuleKeys; // one per direction: each side's lines of a block come in order
    PrivateKeyBlockGuard m_fromModuleKeys;
};

} // namespace qmt
