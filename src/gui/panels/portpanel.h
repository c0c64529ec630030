#pragma once

#include "module/modulecontroller.h"

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
/// module, the baud rate, "find my module", and the identity the module reports.
class PortPanel : public QWidget
{
    Q_OBJECT

public:
    /// Makes the provider for a port name from the list (the virtual one included) at a baud rate.
    using ProviderFactory = std::function<std::unique_ptr<PortProvider>(const QString &portName, qint32 baud)>;

    PortPanel(ModuleController &controller, SerialPortListModel &ports, ProviderFactory factory,
              QWidget *parent = nullptr);
    ~PortPanel() override;

    /// Selects a port by name (as the list names it) and opens it.
    bool openPort(const QString &portName, qint32 baud);

private:
    void toggleOpen();
    void findModule();
    void showPortState(ModuleController::PortState state, const QString &reason);
    void showIdentity();
    [[nodiscard]] QString selectedPort() const;

    std::unique_ptr<Ui::PortPanel> m_ui;
    ModuleController &m_controller;
    SerialPortListModel &m_ports;
    ProviderFactory m_factory;
    ModuleProbe *m_probe;
    qsizetype m_probedCount = 0; // ports asked by the last search, and at what rate
    int m_probedBaud = 0;
};

} // namespace qmt
