#pragma once

#include "core/module/modulecontroller.h"
#include "gui/models/recentportpaths.h"

#include <QWidget>

#include <functional>
#include <memory>

namespace Ui {
class PortPanel;
}

namespace qmt {

class ModuleProbe;
class SerialPortListModel;

/// Choosing and opening the module's port: the serial ports (busy ones greyed), the built-in virtual
/// module, any device path typed or browsed (a pseudo-terminal of qmt-sim, socat or a serial bridge;
/// remembered in RecentPortPaths and listed again), the baud rate, "find my module" (which asks the
/// recent paths too), and the identity the module reports.
class PortPanel : public QWidget
{
    Q_OBJECT

public:
    /// Makes the provider for a port name from the list (the virtual one included) at a baud rate.
    using ProviderFactory = std::function<std::unique_ptr<PortProvider>(const QString &portName, qint32 baud)>;

    PortPanel(ModuleController &controller, SerialPortListModel &ports, ProviderFactory factory,
              QWidget *parent = nullptr);
    ~PortPanel() override;

    /// Shows a port by name (as the list names it) or by device path, and opens it; a path is remembered.
    bool openPort(const QString &portName, qint32 baud);

private:
    void toggleOpen();
    void findModule();
    void browse();
    /// Makes the port box show `port`: its row when the list has one, else the path as text.
    void showPort(const QString &port);
    /// Remembers the device path just opened; says so when that drops the oldest one.
    void rememberPath(const QString &portName);
    void showPortState(ModuleController::PortState state, const QString &reason);
    void showIdentity();
    [[nodiscard]] QString selectedPort() const;

    std::unique_ptr<Ui::PortPanel> m_ui;
    ModuleController &m_controller;
    SerialPortListModel &m_ports;
    ProviderFactory m_factory;
    ModuleProbe *m_probe;
    RecentPortPaths m_recent;
    qsizetype m_probedCount = 0; // ports asked by the last search, and at what rate
    int m_probedBaud = 0;
};

} // namespace qmt
