#pragma once

// The values a recording holds and hands out: what the recorder takes, what the reader returns. Plain data,
// shared by every part of the recording component and by whatever shows a recording.

#include "core/at/logkind.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>

#include <limits>
#include <optional>
#include <variant>

namespace qmt {

/// One MQTT message as recorded.
struct RecordedMessage
{
    qint64 id = 0;          ///< its sequence number in the recording, rising in arrival order; 0 before it is written
    qint64 timeMs = 0;      ///< when it arrived: UTC, milliseconds since the epoch
    int slot = 0;           ///< the client slot (TCP_connectID 0–4) it came on
    QByteArray topic;       ///< as received
    std::optional<int> qos; ///< 0–2 when known: the module does not print it, so the grant of the subscription
    QByteArray payload;     ///< the bytes received, as many as were kept (see truncated)
    qint64 fullLength = 0;  ///< the message's length: announced by the module, or payload.size()
    bool truncated = false; ///< payload holds less than the message had (cut by the module or the recorder)
    /// Arrived for a filter right after its +QMTSUB result: probably a retained message redelivered by the
    /// subscription, not a new one (+QMTRECV carries no retain flag).
    bool withSubscription = false;
};

/// One row of the AT log as recorded: a line sent to or received from the module. Its text is redacted
/// before it is queued (LogRowRedactor): no secret is ever written.
struct RecordedLogRow
{
    using Direction = LogDirection; ///< stored as its number
    using Kind = LogKind;           ///< stored as its number
    static constexpr int NoSlot = -1;
    /// A row keeps at most this much of its line: the module's longest line (a 1460-byte message printed as
    /// hex) fits; what is cut is counted in fullLength.
    static constexpr qsizetype MaxTextBytes = 4096;

    qint64 id = 0;     ///< its sequence number in the recording; 0 before it is written
    qint64 timeMs = 0; ///< UTC, milliseconds since the epoch
    Direction direction = Direction::FromModule;
    Kind kind = Kind::Unknown;
    int slot = NoSlot;     ///< the client slot the line names, or NoSlot
    QByteArray text;       ///< redacted; a secret is `<redacted, N bytes>`; at most MaxTextBytes
    qint64 fullLength = 0; ///< the length of the (redacted) line before it was cut to MaxTextBytes

    [[nodiscard]] bool isCut() const { return fullLength > text.size(); }
};

/// One event of a recording, in time order: what replay hands out.
using RecordedEvent = std::variant<RecordedMessage, RecordedLogRow>;

/// A topic of a recording: one per slot and topic name.
struct RecordedTopic
{
    qint64 id = 0; ///< to ask the reader for its messages
    int slot = 0;
    QByteArray name;
    qint64 messageCount = 0;
    qint64 firstTimeMs = 0;
    qint64 lastTimeMs = 0;
};

/// A span of time, both ends included, in UTC milliseconds since the epoch. The default is all of time.
struct TimeSpan
{
    qint64 fromMs = std::numeric_limits<qint64>::min();
    qint64 toMs = std::numeric_limits<qint64>::max();

    [[nodiscard]] bool contains(qint64 ms) const { return ms >= fromMs && ms <= toMs; }
    [[nodiscard]] bool isEverything() const { return *this == TimeSpan{}; }
    friend bool operator==(const TimeSpan &, const TimeSpan &) = default;
};

/// What the recorder keeps: the oldest data goes when the file outgrows maxBytes or data is older than
/// maxAgeMs. 0 means no limit.
struct RecordingLimits
{
    Q_DECLARE_TR_FUNCTIONS(qmt::RecordingLimits)

public:
    static constexpr qint64 MinBytes = 4LL * 1024 * 1024;
    static constexpr qint64 MaxBytes = 1024LL * 1024 * 1024 * 1024;
    static constexpr qint64 MinAgeMs = 60'000;
    static constexpr qint64 MaxAgeMs = 3650LL * 24 * 3600 * 1000;

    qint64 maxBytes = 0;
    qint64 maxAgeMs = 0;

    /// Empty when the limits can be used; otherwise what is wrong, naming the field, its range and the value.
    [[nodiscard]] QString validate() const;
    friend bool operator==(const RecordingLimits &, const RecordingLimits &) = default;
};

/// Data a recording does not hold, and why: the oldest data dropped to keep within the limits, or data
/// that never reached the file because the disk did not keep up (or a write failed).
struct DroppedSpan
{
    Q_DECLARE_TR_FUNCTIONS(qmt::DroppedSpan)

public:
    /// Stored in the file as these numbers: never renumber, only add.
    enum class Reason : quint8 {
        SizeLimit = 0,  ///< the oldest data, to keep the file within RecordingLimits::maxBytes
        AgeLimit = 1,   ///< data older than RecordingLimits::maxAgeMs
        QueueFull = 2,  ///< the writer did not keep up: the producer's queue was full
        WriteFailed = 3 ///< the file refused a write (disk full, I/O error)
    };

    Reason reason = Reason::SizeLimit;
    qint64 messages = 0;
    qint64 logRows = 0;
    qint64 firstTimeMs = 0; ///< the span of the data dropped
    qint64 lastTimeMs = 0;

    [[nodiscard]] static QString reasonText(Reason reason);
    /// "1,204 messages and 1,311 log rows from … to … (oldest data, to stay within the size limit)".
    [[nodiscard]] QString describe() const;
};

/// One run of the recorder on a file (a file may hold several, each appended when recording resumed).
struct RecordingSession
{
    qint64 id = 0;
    qint64 startedMs = 0;
    std::optional<qint64> endedMs; ///< nullopt while recording, or when the recorder did not end cleanly
    /// "tool", "tool_version", "port", "module_manufacturer", "module_model", "module_revision",
    /// "module_imei": what was known (see SessionKeys).
    QMap<QString, QString> info;
};

/// The keys of RecordingSession::info the recorder fills.
namespace SessionKeys {
inline constexpr QLatin1String Tool{"tool"};
inline constexpr QLatin1String ToolVersion{"tool_version"};
inline constexpr QLatin1String Port{"port"};
inline constexpr QLatin1String ModuleManufacturer{"module_manufacturer"};
inline constexpr QLatin1String ModuleModel{"module_model"};
inline constexpr QLatin1String ModuleRevision{"module_revision"};
inline constexpr QLatin1String ModuleImei{"module_imei"};
} // namespace SessionKeys

} // namespace qmt
