#include "core/tls/sslindex.h"

#include "core/module/modulecontroller.h"

#include <QCoreApplication>

namespace qmt {

SslIndex SslIndex::of(const SlotConfig &config)
{
    return {config.sslContextId, config.sslConnectId};
}

SslIndex SslIndex::proposedFor(int slot, const SlotConfig &config)
{
    const SslIndex named = of(config);
    return config.sslEnabled || named != SslIndex{} ? named : defaultFor(slot);
}

std::optional<SslIndex> SslIndex::usedBy(const ModuleController &controller, int slot)
{
    const SlotStatus &status = controller.status(slot);
    const bool running = status.state != SlotState::Closed || status.wanted;
    const std::optional<SlotConfig> &session = controller.sessionConfig(slot);
    const SlotConfig &config = running && session ? *session : controller.config(slot);
    return config.sslEnabled ? std::optional<SslIndex>(of(config)) : std::nullopt;
}

QList<int> SslIndex::activeSlotsUsing(const ModuleController &controller, int exceptSlot) const
{
    QList<int> slots;
    for (int s = 0; s < SlotCount; ++s) {
        const SlotStatus &status = controller.status(s);
        if (s != exceptSlot && (status.state != SlotState::Closed || status.wanted) && usedBy(controller, s) == *this)
            slots.append(s);
    }
    return slots;
}

QString SslIndex::text() const
{
    return QCoreApplication::translate("qmt::SslIndex", "SSL context %1, connect ID %2").arg(contextId).arg(connectId);
}

QString SslIndex::key() const
{
    return QString::number(contextId) + QLatin1Char('-') + QString::number(connectId);
}

QString slotListText(const QList<int> &slots)
{
    QStringList numbers;
    for (int s : slots)
        numbers.append(QString::number(s));
    if (numbers.size() <= 1)
        return QCoreApplication::translate("qmt::SslIndex", "slot %1").arg(numbers.value(0));
    const QString last = numbers.takeLast();
    return QCoreApplication::translate("qmt::SslIndex", "slots %1 and %2")
        .arg(numbers.join(QStringLiteral(", ")), last);
}

} // namespace qmt
