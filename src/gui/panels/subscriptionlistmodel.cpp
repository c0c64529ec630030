#include "subscriptionlistmodel.h"

#include "module/modulecontroller.h"
#include "qmt/qmtcodes.h"

namespace qmt {

SubscriptionListModel::SubscriptionListModel(ModuleController &controller, QObject *parent)
    : QAbstractListModel(parent)
    , m_controller(controller)
{
    connect(&controller, &ModuleController::slotChanged, this, &SubscriptionListModel::reload);
    reload();
}

void SubscriptionListModel::reload()
{
    QList<Row> rows;
    for (int s = 0; s < SlotCount; ++s) {
        for (const Subscription &sub : m_controller.status(s).subscriptions)
            rows.append(Row{s, sub});
    }
    if (rows == m_rows)
        return;
    // Few rows, changing rarely (a subscribe or a grant): a reset is simplest and cheap.
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int SubscriptionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SubscriptionListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: {
        const QString granted = !r.subscription.grantedQos ? tr("pending")
                                : *r.subscription.grantedQos == 128
                                    ? tr("refused")
                                    : tr("granted QoS %1").arg(*r.subscription.grantedQos);
        return tr("slot %1 · %2 · QoS %3 → %4")
            .arg(r.slot)
            .arg(QString::fromUtf8(r.subscription.filter))
            .arg(r.subscription.requestedQos)
            .arg(granted);
    }
    case Qt::ToolTipRole:
        return r.subscription.grantedQos ? codes::grantedQos(*r.subscription.grantedQos) : tr("Not acknowledged yet");
    case SlotRole:
        return r.slot;
    case FilterRole:
        return r.subscription.filter;
    default:
        return {};
    }
}

} // namespace qmt
