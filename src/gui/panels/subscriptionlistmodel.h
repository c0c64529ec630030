#pragma once

#include "module/slotstatus.h"

#include <QAbstractListModel>

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
    void reload();

    struct Row
    {
        int slot;
        Subscription subscription;
        friend bool operator==(const Row &, const Row &) = default;
    };
    ModuleController &m_controller;
    QList<Row> m_rows;
};

} // namespace qmt
