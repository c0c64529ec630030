#pragma once

#include "core/module/slotstatus.h"
#include "core/qmt/qmtspec.h"

#include <QAbstractListModel>

#include <array>

namespace qmt {

class ModuleController;

/// The subscriptions of all slots, one row each: "slot · filter · asked QoS → granted".
class SubscriptionListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        SlotRole = Qt::UserRole + 1,
        FilterRole
    };

    explicit SubscriptionListModel(ModuleController &controller, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    /// Follows one slot's list: rows appended, rows changed in place, or (a removal) the slot's rows again.
    /// Only that slot's rows are touched, so a profile's filters subscribed one by one cost each one row.
    void follow(int slot);
    [[nodiscard]] int firstRowOf(int slot) const;
    [[nodiscard]] std::pair<int, const Subscription *> locate(int row) const;

    ModuleController &m_controller;
    std::array<QList<Subscription>, SlotCount> m_shown; // shares its data with the controller's lists
};

} // namespace qmt
