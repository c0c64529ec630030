#pragma once

#include <QObject>
#include <QTimer>

#include <bitset>

namespace qmt {

class AtLogModel;
class ModuleController;
class SlotStateModel;
class TopicChartModel;
class TopicTreeModel;

/// Feeds the views' models from the controller: every AT exchange into the log, every +QMTRECV into the
/// topic tree and the charts, every slot change into the slot table. The models batch on their UI tick, so a burst of
/// URCs costs one view update per tick.
class ModelFeeder : public QObject
{
    Q_OBJECT

public:
    ModelFeeder(ModuleController &controller, AtLogModel &log, TopicTreeModel &tree, TopicChartModel &charts,
                SlotStateModel &slots, QObject *parent = nullptr);

private:
    void updateSlot(int slot);
    void flushSlots();

    ModuleController &m_controller;
    SlotStateModel &m_slots;
    std::bitset<8> m_dirtySlots; // slot changes come per message: the table takes them once per tick
    QTimer m_slotTick;
};

} // namespace qmt
