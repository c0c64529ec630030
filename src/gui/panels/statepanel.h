#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class StatePanel;
}

namespace qmt {

class ModuleController;
class SlotStateModel;

/// Connection state: per slot the socket and MQTT state, the last +QMTSTAT with its meaning and advice,
/// counters and uptime; the module's registration, signal, IP address and SIM; the auto-recovery switch.
class StatePanel : public QWidget
{
    Q_OBJECT

public:
    StatePanel(ModuleController &controller, SlotStateModel &slots, QWidget *parent = nullptr);
    ~StatePanel() override;

private:
    void showNetwork();
    void showLastStat();

    std::unique_ptr<Ui::StatePanel> m_ui;
    ModuleController &m_controller;
};

} // namespace qmt
