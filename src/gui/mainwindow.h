#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QTimer;

namespace qmt {

namespace sim {
class VirtualModule;
}

class AtLogModel;
class ConfigPanel;
class ProfileManager;
class KeychainNotice;
class SecretStore;
class SwitchableSecretStore;
class ConsolePanel;
class LogPanel;
class ModelFeeder;
class ModuleController;
class PortPanel;
class ProfileStore;
class PublishPanel;
class SerialPortListModel;
class SlotStateModel;
class StatePanel;
class SubscriptionPanel;
class ChartPanel;
class TopicChartModel;
class TopicTreeModel;

/// QMT Studio's window: the topic tree in the middle, the other panels as docks the user can rearrange
/// (the layout is remembered), the controller and the models behind them.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    /// Secrets go to the OS keychain (KeychainSecretStore, service "QMT Studio").
    explicit MainWindow(QWidget *parent = nullptr);
    /// Secrets go to `keychain` (tests: a keychain service of their own, or a store that fails on purpose).
    explicit MainWindow(std::unique_ptr<SecretStore> keychain, QWidget *parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] ModuleController &controller() const { return *m_controller; }
    [[nodiscard]] AtLogModel &log() const { return *m_log; }
    [[nodiscard]] TopicTreeModel &tree() const { return *m_tree; }
    [[nodiscard]] TopicChartModel &charts() const { return *m_charts; }
    [[nodiscard]] SlotStateModel &slotTable() const { return *m_slots; }
    [[nodiscard]] PortPanel &portPanel() const { return *m_portPanel; }
    [[nodiscard]] ConfigPanel &configPanel() const { return *m_configPanel; }
    /// The profile in use: what the Configuration panel shows, what --profile loads and starts.
    [[nodiscard]] ProfileManager &profileManager() const { return *m_profileManager; }
    [[nodiscard]] StatePanel &statePanel() const { return *m_statePanel; }
    [[nodiscard]] SubscriptionPanel &subscriptionPanel() const { return *m_subscriptionPanel; }
    [[nodiscard]] PublishPanel &publishPanel() const { return *m_publishPanel; }
    [[nodiscard]] LogPanel &logPanel() const { return *m_logPanel; }
    [[nodiscard]] ConsolePanel &consolePanel() const { return *m_consolePanel; }
    [[nodiscard]] ChartPanel &chartPanel() const { return *m_chartPanel; }
    [[nodiscard]] SwitchableSecretStore &secrets() const { return *m_secrets; }
    [[nodiscard]] KeychainNotice &keychainNotice() const { return *m_keychainNotice; }

    /// Puts the docks where they start on a first run, sized for the window's screen.
    void resetLayout();

    /// What the current layout hides or cuts, one line each: a control of a shown panel cut off by its dock,
    /// a scroll area or the window, or squeezed below the size it needs; a dock or the window off the
    /// screen. Empty when every shown panel's controls are whole. A panel's form that scrolls up and down
    /// (Configuration) may hide rows below its fold, never cut them sideways.
    [[nodiscard]] QStringList layoutProblems() const;

Q_SIGNALS:
    /// The layout saved by the last run was restored, found to hide or cut something (`problems`, as
    /// layoutProblems() says), and replaced by the default layout.
    void restoredLayoutRejected(const QStringList &problems);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    /// Whether a panel scrolls what does not fit itself (a form in a scroll area, a table) or the dock does.
    enum class Scrolling {
        Panel,
        Dock
    };
    QDockWidget *addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area,
                          Scrolling scrolling = Scrolling::Panel);
    void buildMenus();
    void restoreLayout();
    void checkRestoredLayout();
    void validateRestoredLayout();
    void fitToScreen();
    void sizeDocks();
    [[nodiscard]] QDockWidget *dock(const char *objectName) const;

    // Declared first, destroyed last: the virtual port of the controller talks to it.
    std::unique_ptr<sim::VirtualModule> m_virtualModule;
    std::unique_ptr<ModuleController> m_controller;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SwitchableSecretStore> m_secrets;
    AtLogModel *m_log;
    TopicTreeModel *m_tree;
    TopicChartModel *m_charts;
    SlotStateModel *m_slots;
    SerialPortListModel *m_ports;
    ModelFeeder *m_feeder;
    PortPanel *m_portPanel;
    ProfileManager *m_profileManager;
    ConfigPanel *m_configPanel;
    StatePanel *m_statePanel;
    SubscriptionPanel *m_subscriptionPanel;
    PublishPanel *m_publishPanel;
    LogPanel *m_logPanel;
    ConsolePanel *m_consolePanel;
    ChartPanel *m_chartPanel;
    QList<QDockWidget *> m_docks;
    QLabel *m_portStateLabel;
    QLabel *m_secretsLabel;
    KeychainNotice *m_keychainNotice;
    QByteArray m_defaultState;
    QTimer *m_sizeDocksTimer;
    bool m_defaultSizesPending = false; // the default layout is sized again as the window takes its size
    QSize m_docksSizedFor;
    QByteArray m_restoredState;  // restored before the window showed: applied again, and checked, once it has
    bool m_closeSettled = false; // the user answered about unsaved changes: this close goes through
};

} // namespace qmt
