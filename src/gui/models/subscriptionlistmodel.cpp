#include "gui/models/subscriptionlistmodel.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/qmtcodes.h"

namespace qmt {

SubscriptionListModel::SubscriptionListModel(ModuleController &controller, QObject *parent)
    : QAbstractListModel(parent)
    , m_controller(controller)
{
    connect(&controller, &ModuleController::slotChanged, this, &SubscriptionListModel::follow);
    for (int s = 0; s < SlotCount; ++s)
        m_shown[size_t(s)] = controller.status(s).subscriptions;
}

int SubscriptionListModel::firstRowOf(int slot) const
{
    int row = 0;
    for (int s = 0; s < slot; ++s)
        row += int(m_shown[size_t(s)].size());
    return row;
}

std::pair<int, const Subscription *> SubscriptionListModel::locate(int row) const
{
    for (int s = 0; s < SlotCount; ++s) {
        const QList<Subscription> &subs = m_shown[size_t(s)];
        if (row < subs.size())
            return {s, &subs[row]};
        row -= int(subs.size());
    }
    return {-1, nullptr};
}

void SubscriptionListModel::follow(int slot)
{
    if (slot < 0 || slot >= SlotCount)
        return;
    const QList<Subscription> &now = m_controller.status(slot).subscriptions;
    QList<Subscription> &shown = m_shown[size_t(slot)];
    if (now == shown) // while the controller has not touched its list, both share one copy: no comparing
        return;
    const int first = firstRowOf(slot);
    const qsizetype common = std::min(now.size(), shown.size());
    qsizetype firstDiff = 0;
    while (firstDiff < common && now[firstDiff] == shown[firstDiff])
        ++firstDiff;
    if (now.size() >= shown.size() && firstDiff == common) {
        // Appended.
        beginInsertRows({}, first + int(shown.size()), first + int(now.size()) - 1);
        shown = now;
        endInsertRows();
        return;
    }
    if (now.size() == shown.size()) {
        // Changed in place (a grant, a new QoS): from the first changed row to the last.
        qsizetype lastDiff = now.size() - 1;
        while (lastDiff > firstDiff && now[lastDiff] == shown[lastDiff])
            --lastDiff;
        shown = now;
        Q_EMIT dataChanged(index(first + int(firstDiff)), index(first + int(lastDiff)));
        return;
    }
    // Removed (or otherwise rearranged): the slot's rows from the first difference on are replaced.
    if (firstDiff < shown.size()) {
        beginRemoveRows({}, first + int(firstDiff), first + int(shown.size()) - 1);
        shown.resize(firstDiff);
        endRemoveRows();
    }
    if (firstDiff < now.size()) {
        beginInsertRows({}, first + int(firstDiff), first + int(now.size()) - 1);
        shown = now;
        endInsertRows();
    }
    shown = now;
}

int SubscriptionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : firstRowOf(SlotCount);
}

QVariant SubscriptionListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const auto [slot, subscription] = locate(index.row());
    if (!subscription)
        return {};
    const Subscription &sub = *subscription;
    switch (role) {
    case Qt::DisplayRole: {
        const QString granted = !sub.grantedQos          ? tr("pending")
                                : *sub.grantedQos == 128 ? tr("refused")
                                                         : tr("granted QoS %1").arg(*sub.grantedQos);
        return tr("slot %1 · %2 · QoS %3 → %4")
            .arg(slot)
            .arg(QString::fromUtf8(sub.filter))
            .arg(sub.requestedQos)
            .arg(granted);
    }
    case Qt::ToolTipRole:
        return sub.grantedQos ? codes::grantedQos(*sub.grantedQos) : tr("Not acknowledged yet");
    case SlotRole:
        return slot;
    case FilterRole:
        return sub.filter;
    default:
        return {};
    }
}

} // namespace qmt
