#include "core/recording/recordingtypes.h"

#include <QDateTime>
#include <QLocale>

namespace qmt {

QString RecordingLimits::validate() const
{
    if (maxBytes != 0 && (maxBytes < MinBytes || maxBytes > MaxBytes)) {
        return tr("Size limit: must be 0 (no limit) or %1–%2 MiB; got %3 bytes")
            .arg(MinBytes / (1024 * 1024))
            .arg(MaxBytes / (1024 * 1024))
            .arg(maxBytes);
    }
    if (maxAgeMs != 0 && (maxAgeMs < MinAgeMs || maxAgeMs > MaxAgeMs)) {
        return tr("Age limit: must be 0 (no limit) or %1–%2 ms (1 minute to 10 years); got %3 ms")
            .arg(MinAgeMs)
            .arg(MaxAgeMs)
            .arg(maxAgeMs);
    }
    return {};
}

QString DroppedSpan::reasonText(Reason reason)
{
    switch (reason) {
    case Reason::SizeLimit:
        return tr("oldest data, to stay within the size limit");
    case Reason::AgeLimit:
        return tr("older than the age limit");
    case Reason::QueueFull:
        return tr("not written: the disk did not keep up");
    case Reason::WriteFailed:
        return tr("not written: the file refused the write");
    }
    return {};
}

QString DroppedSpan::describe() const
{
    const auto utc = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); };
    return tr("%1 message(s) and %2 log row(s) from %3 to %4 (%5)")
        .arg(QLocale().toString(messages), QLocale().toString(logRows), utc(firstTimeMs), utc(lastTimeMs),
             reasonText(reason));
}

} // namespace qmt
