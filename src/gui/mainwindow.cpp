#include "mainwindow.h"

#include "charts/chartpanel.h"
#include "modelfeeder.h"
#include "panels/configpanel.h"
#include "panels/consolepanel.h"
#include "panels/logpanel.h"
#include "panels/portpanel.h"
#include "panels/publishpanel.h"
#include "panels/statepanel.h"
#include "panels/subscriptionpanel.h"
#include "panels/verticalscrolling.h"
#include "profiles/profilemanager.h"
#include "secrets/keychainnotice.h"
#include "secrets/keychainsecretstore.h"
#include "virtualmodule.h"
#include "virtualportprovider.h"

#include "models/atlogmodel.h"
#include "models/serialportlistmodel.h"
#include "models/slotstatemodel.h"
#include "models/topicchartmodel.h"
#include "models/topictreemodel.h"
#include "module/modulecontroller.h"
#include "module/profilestore.h"
#include "module/serialportprovider.h"
#include "secrets/switchablesecretstore.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

namespace qmt {

namespace {
// Bump when docks are added or renamed, so an old saved layout does not hide a new panel.
constexpr int LayoutVersion = 3;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : MainWindow(std::make_unique<KeychainSecretStore>(), parent)
{}

MainWindow::MainWindow(std::unique_ptr<SecretStore> keychain, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(std::make_unique<ModuleController>())
    , m_profiles(std::make_unique<ProfileStore>())
    , m_secrets(std::make_unique<SwitchableSecretStore>(std::move(keychain)))
    , m_log(new AtLogModel(this))
    , m_tree(new TopicTreeModel(this))
    , m_charts(new TopicChartModel(this))
    , m_slots(new SlotStateModel(this))
    , m_ports(new SerialPortListModel(this))
    , m_feeder(new ModelFeeder(*m_controller, *m_log, *m_tree, *m_charts, *m_slots, this))
    , m_portStateLabel(new QLabel(this))
    , m_secretsLabel(new QLabel(this))
    , m_keychainNotice(new KeychainNotice(*m_secrets, this))
{
    setWindowTitle(tr("QMT Studio"));
    setObjectName(QStringLiteral("MainWindow"));
    setDockNestingEnabled(true);
    m_log->setCapacity(QSettings().value(QStringLiteral("log/capacity"), int(AtLogModel::DefaultCapacity)).toInt());
    m_tree->setMaxNodes(QSettings().value(QStringLiteral("topics/maxNodes"), TopicTreeModel::DefaultMaxNodes).toInt());
    m_charts->setSamplesPerSeries(
        QSettings().value(QStringLiteral("charts/samplesPerSeries"), TopicChartModel::DefaultSamplesPerSeries).toInt());

    const auto factory = [this](const QString &name, qint32 baud) -> std::unique_ptr<PortProvider> {
        if (name == SerialPortListModel::VirtualPortName) {
            // One virtual module for the window's life, as a module stays powered while its port closes.
            if (!m_virtualModule)
                m_virtualModule = std::make_unique<sim::VirtualModule>();
            return std::make_unique<VirtualPortProvider>(*m_virtualModule);
        }
        return std::make_unique<SerialPortProvider>(name, baud);
    };
    m_subscriptionPanel = new SubscriptionPanel(*m_controller, *m_tree, this);
    setCentralWidget(m_subscriptionPanel);
    m_portPanel = new PortPanel(*m_controller, *m_ports, factory, this);
    m_profileManager = new ProfileManager(*m_controller, *m_profiles, *m_secrets, this);
    m_configPanel = new ConfigPanel(*m_controller, *m_profileManager, this);
    m_statePanel = new StatePanel(*m_controller, *m_slots, this);
    m_publishPanel = new PublishPanel(*m_controller, *m_tree, this);
    m_logPanel = new LogPanel(*m_log, this);
    m_consolePanel = new ConsolePanel(*m_controller, this);
    m_chartPanel = new ChartPanel(*m_charts, this);
    addPanel(m_portPanel, tr("Port"), QStringLiteral("portDock"), Qt::LeftDockWidgetArea, Scrolling::Dock);
    addPanel(m_configPanel, tr("Configuration"), QStringLiteral("configDock"), Qt::LeftDockWidgetArea);
    addPanel(m_statePanel, tr("Connection state"), QStringLiteral("stateDock"), Qt::RightDockWidgetArea,
             Scrolling::Dock);
    addPanel(m_publishPanel, tr("Publish"), QStringLiteral("publishDock"), Qt::RightDockWidgetArea, Scrolling::Dock);
    QDockWidget *logDock = addPanel(m_logPanel, tr("AT/URC log"), QStringLiteral("logDock"), Qt::BottomDockWidgetArea);
    QDockWidget *consoleDock =
        addPanel(m_consolePanel, tr("AT console"), QStringLiteral("consoleDock"), Qt::BottomDockWidgetArea);
    QDockWidget *chartDock =
        addPanel(m_chartPanel, tr("Charts"), QStringLiteral("chartDock"), Qt::BottomDockWidgetArea);
    tabifyDockWidget(logDock, consoleDock);
    tabifyDockWidget(consoleDock, chartDock);
    connect(m_subscriptionPanel, &SubscriptionPanel::chartRequested, this,
            [this, chartDock](const QByteArray &topic, const QByteArray &lastPayload, const QDateTime &received) {
                const bool charted = m_charts->isWatched(topic);
                if (!m_charts->watch(topic)) {
                    statusBar()->showMessage(tr("At most %1 topics are charted at once: stop charting one first.")
                                                 .arg(TopicChartModel::MaxTopics),
                                             10'000);
                    return;
                }
                if (!charted)
                    m_charts->add(topic, lastPayload, received); // the line starts at the message on show
                chartDock->show();
                chartDock->raise();
                statusBar()->showMessage(tr("Charting the numbers of %1.").arg(QString::fromUtf8(topic)), 10'000);
            });
    logDock->raise();
    m_defaultState = saveState(LayoutVersion);

    // Said once, plainly, at the top when no keychain answers; the status bar always says where secrets go.
    auto *keychainBar = new QToolBar(tr("Keychain"), this);
    keychainBar->setObjectName(QStringLiteral("keychainBar"));
    keychainBar->setMovable(false);
    keychainBar->addWidget(m_keychainNotice);
    keychainBar->hide();
    addToolBar(Qt::TopToolBarArea, keychainBar);
    connect(m_keychainNotice, &KeychainNotice::stateChanged, this, [this, keychainBar] {
        keychainBar->setVisible(m_keychainNotice->wantsAttention());
        m_secretsLabel->setText(m_keychainNotice->summary());
    });
    statusBar()->addPermanentWidget(m_secretsLabel);
    statusBar()->addPermanentWidget(m_portStateLabel);
    connect(m_controller.get(), &ModuleController::notice, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10'000); });
    connect(m_controller.get(), &ModuleController::portStateChanged, this,
            [this](ModuleController::PortState state, const QString &) {
                const QString name =
                    m_controller->portProvider() ? m_controller->portProvider()->displayName() : QString();
                m_portStateLabel->setText(state == ModuleController::PortState::Open   ? tr("● %1").arg(name)
                                          : state == ModuleController::PortState::Lost ? tr("◌ %1 lost").arg(name)
                                                                                       : tr("○ no port"));
            });
    m_portStateLabel->setText(tr("○ no port"));
    buildMenus();
    restoreLayout();
    m_keychainNotice->check();
}

MainWindow::~MainWindow()
{
    // The controller's channel reports to models and panels while it shuts down: close it first. Then the
    // panels and the feeder go, while the controller and stores they hold references to still exist
    // (QObject children would otherwise die after the members).
    m_controller->closePort();
    delete m_feeder;
    delete takeCentralWidget();
    qDeleteAll(m_docks);
    m_docks.clear();
    delete m_profileManager; // after the Configuration panel, which shows it; before the stores it uses
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &title, const QString &objectName,
                                  Qt::DockWidgetArea area, Scrolling scrolling)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    if (scrolling == Scrolling::Dock) {
        // On a small screen a dock may get less height than its panel needs: it scrolls rather than
        // squeezing the panel's rows on top of each other.
        auto *scroll = new QScrollArea(dock);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(panel);
        dock->setWidget(scroll);
    } else {
        // A form the panel scrolls itself scrolls up and down only, never cut at its right edge.
        for (QScrollArea *form : panel->findChildren<QScrollArea *>())
            VerticalScrolling::apply(form);
        dock->setWidget(panel);
    }
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Export the &log…"), m_logPanel, &LogPanel::exportDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *module = menuBar()->addMenu(tr("&Module"));
    module->addAction(tr("&Start the profile's slots"), this, [this] { m_profileManager->start(); });
    module->addAction(tr("Certificate &wizard…"), this, [this] { m_configPanel->openCertificateWizard(); });
    module->addAction(tr("Certificat&es…"), this, [this] { m_configPanel->openCertificates(); });
    QAction *recovery = module->addAction(tr("&Auto-recovery"));
    recovery->setCheckable(true);
    recovery->setChecked(m_controller->autoRecovery());
    connect(recovery, &QAction::toggled, m_controller.get(), &ModuleController::setAutoRecovery);
    connect(m_controller.get(), &ModuleController::autoRecoveryChanged, recovery, &QAction::setChecked);
    module->addAction(tr("&Close the port"), this, [this] { m_controller->closePort(); });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : std::as_const(m_docks))
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About QMT Studio"), this, [this] {
        QMessageBox::about(this, tr("About QMT Studio"),
                           tr("<p><b>QMT Studio</b> %1</p><p>Provisioning, certificate upload and live monitoring for "
                              "the Quectel BC660K-GL's MQTT AT commands.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainwindow/geometry")).toByteArray());
    if (!restoreState(settings.value(QStringLiteral("mainwindow/state")).toByteArray(), LayoutVersion))
        fitToScreen();
}

void MainWindow::fitToScreen()
{
    const QScreen *s = screen();
    if (!s)
        return;
    const QRect area = s->availableGeometry();
    setGeometry(area);
    // The first layout shares the screen out by what each column shows: the tree in the middle, forms on
    // either side wide enough for their fields, the log a quarter of the height.
    const auto dock = [this](const char *name) { return findChild<QDockWidget *>(QLatin1String(name)); };
    resizeDocks({dock("portDock"), dock("stateDock")}, {area.width() * 32 / 100, area.width() * 28 / 100},
                Qt::Horizontal);
    resizeDocks({dock("logDock")}, {area.height() * 25 / 100}, Qt::Vertical);
    resizeDocks({dock("portDock"), dock("configDock")}, {area.height() * 28 / 100, area.height() * 44 / 100},
                Qt::Vertical);
    resizeDocks({dock("stateDock"), dock("publishDock")}, {area.height() * 38 / 100, area.height() * 34 / 100},
                Qt::Vertical);
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultState, LayoutVersion);
    for (QDockWidget *dock : std::as_const(m_docks))
        dock->show();
    fitToScreen();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Unsaved profile changes are not lost silently: the window stays until the user has saved them,
    // discarded them, or cancelled quitting.
    if (!m_closeSettled && m_profileManager->hasUnsavedChanges()) {
        event->ignore();
        m_configPanel->settleUnsavedChanges(tr("Save them before quitting?"), [this] {
            m_closeSettled = true;
            close();
        });
        return;
    }
    m_closeSettled = false;
    QSettings settings;
    settings.setValue(QStringLiteral("mainwindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainwindow/state"), saveState(LayoutVersion));
    settings.setValue(QStringLiteral("log/capacity"), qlonglong(m_log->capacity()));
    settings.setValue(QStringLiteral("topics/maxNodes"), m_tree->maxNodes());
    settings.setValue(QStringLiteral("charts/samplesPerSeries"), m_charts->samplesPerSeries());
    QMainWindow::closeEvent(event);
}

} // namespace qmt
