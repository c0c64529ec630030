#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class StatePanel;
}

namespace qmt {

class ModuleController;
class SlotStateModel;

/// Connection state: per slot the socket and MQTT state, the last +QMTSTAT with its meaning and what to do,
/// auto-recovery's countdown (or why it gave up) with Reconnect now, counters and uptime; the module's
/// registration, signal, IP address and SIM; the auto-recovery switch.
class StatePanel : public QWidget
{
    Q_OBJECT

public:
    StatePanel(ModuleController &controller, SlotStateModel &slots, QWidget *parent = nullptr);
    ~StatePanel() override;

    /// The slot the panel speaks of: the selected row, else the one with the most recent +QMTSTAT; -1: none.
    [[nodiscard]] int shownSlot() const;
    /// Reconnect now, for `slot`: with its settings, without waiting for recovery.
    void reconnect(int slot);

private:
    void showColumns();
    void fitColumns();
    void showNetwork();
    void showLastStat();
    void updateReconnect();

    std::unique_ptr<Ui::StatePanel> m_ui;
    ModuleController &m_controller;
};

} // namespace qmt
