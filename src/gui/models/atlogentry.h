#pragma once

#include "core/at/atcommand.h"
#include "core/at/logkind.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace qmt {

/// One row of the AT log: a line sent to or received from the module, as it may be shown.
///
/// Built only through the factory functions, which apply the redaction rules once, at the door: a
/// command's password or device secret is replaced before the row is stored, and a secret row keeps only
/// its length. So no role, tooltip, filter or export can reveal what the log never holds.
struct AtLogEntry
{
    Q_DECLARE_TR_FUNCTIONS(qmt::AtLogEntry)

public:
    using Direction = LogDirection;
    using Kind = LogKind;
    static constexpr int KindCount = LogKindCount;
    /// A row keeps at most this much of its line (and says how long the line was): the module's longest
    /// line, a 1460-byte message in hex, fits; the log's memory stays rows × this, whatever arrives.
    static constexpr qsizetype MaxTextBytes = 4096;
    static constexpr int NoSlot = -1;

    qint64 timeMs = 0;     ///< milliseconds since the epoch
    QByteArray text;       ///< redacted already; empty for secret rows
    qint32 secretSize = 0; ///< the size of the secret the row stands for
    Direction direction = Direction::FromModule;
    Kind kind = Kind::Unknown;
    qint8 slot = NoSlot; ///< TCP_connectID 0–4 named by the line, or NoSlot
    bool secret = false;

    /// A command line as typed or built; secrets in it are redacted (qmt::redactCommand()).
    [[nodiscard]] static AtLogEntry command(QByteArrayView text, qint64 timeMs);
    /// Bytes written in data mode; `shown` is the payload or a placeholder already. A secret payload keeps
    /// only its size. `slot` is the slot of the command that opened data mode, when the caller knows it.
    [[nodiscard]] static AtLogEntry dataSent(QByteArrayView shown, bool secret, int slot, qint64 timeMs);
    /// A line from the module, classified by the AT channel.
    [[nodiscard]] static AtLogEntry received(const AtLine &line, qint64 timeMs);

    [[nodiscard]] static Kind kindOf(LineKind kind) { return logKindOf(kind); }
    /// The TCP_connectID a line names: `+QMTxxx: <id>,…`, `AT+QMTxxx=<id>,…` (and `AT+QMTCFG="opt",<id>`);
    /// NoSlot for any other line or an id outside 0–4.
    [[nodiscard]] static int slotOf(QByteArrayView text);

    [[nodiscard]] static QString kindName(Kind kind) { return LogKindText::name(kind); }
    [[nodiscard]] static QString directionName(Direction direction) { return LogKindText::name(direction); }
    [[nodiscard]] QString slotName() const;

    /// The bytes as they may be shown: the (redacted) text, or `<redacted, N bytes>` for a secret row.
    [[nodiscard]] QByteArray shownBytes() const;
    /// shownBytes() as text, invisible bytes made visible (PayloadFormatter::visibleText()).
    [[nodiscard]] QString shownText() const;
    /// Whether shownText() differs from the raw bytes (control characters, malformed UTF-8).
    [[nodiscard]] bool hasInvisibleBytes() const;
    [[nodiscard]] QDateTime time() const { return QDateTime::fromMSecsSinceEpoch(timeMs); }
};

} // namespace qmt
