#include "gui/mainwindow.h"

#include "gui/charts/chartpanel.h"
#include "gui/modelfeeder.h"
#include "gui/panels/configpanel.h"
#include "gui/panels/consolepanel.h"
#include "gui/panels/logpanel.h"
#include "gui/panels/portpanel.h"
#include "gui/panels/publishpanel.h"
#include "gui/panels/statepanel.h"
#include "gui/panels/subscriptionpanel.h"
#include "gui/panels/verticalscrolling.h"
#include "gui/profiles/profilemanager.h"
#include "gui/secrets/keychainnotice.h"
#include "gui/secrets/keychainsecretstore.h"
#include "gui/virtualportprovider.h"
#include "sim/virtualmodule.h"

#include "core/module/modulecontroller.h"
#include "core/module/profilestore.h"
#include "core/module/serialportprovider.h"
#include "core/secrets/switchablesecretstore.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/serialportlistmodel.h"
#include "gui/models/slotstatemodel.h"
#include "gui/models/topicchartmodel.h"
#include "gui/models/topictreemodel.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QGroupBox>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTextEdit>
#include <QTimer>
#include <QToolBar>

#include <algorithm>
#include <utility>

namespace qmt {

namespace {
// Bump when docks are added or renamed, so an old saved layout does not hide a new panel.
constexpr int LayoutVersion = 3;

// What the window keeps between runs: each key is named once, for the read and the write.
const QString GeometryKey = QStringLiteral("mainwindow/geometry");
const QString StateKey = QStringLiteral("mainwindow/state");
const QString LogCapacityKey = QStringLiteral("log/capacity");
const QString TreeMaxNodesKey = QStringLiteral("topics/maxNodes");
const QString ChartSamplesKey = QStringLiteral("charts/samplesPerSeries");

/// A widget the user reads or works: its whole rectangle must be on view.
bool isControl(const QWidget *w)
{
    if (const auto *label = qobject_cast<const QLabel *>(w))
        return !label->text().isEmpty() || !label->pixmap().isNull();
    return qobject_cast<const QAbstractButton *>(w) || qobject_cast<const QComboBox *>(w) ||
           qobject_cast<const QLineEdit *>(w) || qobject_cast<const QAbstractSpinBox *>(w) ||
           qobject_cast<const QGroupBox *>(w) || qobject_cast<const QAbstractItemView *>(w) ||
           qobject_cast<const QPlainTextEdit *>(w) || qobject_cast<const QTextEdit *>(w);
}

/// The part of `w` that its ancestors up to the window leave on view, in `w`'s coordinates.
QRect shownPart(const QWidget *w)
{
    QRect shown = w->rect();
    for (const QWidget *a = w->parentWidget(); a; a = a->parentWidget()) {
        shown &= QRect(w->mapFrom(a, QPoint(0, 0)), a->size());
        if (a->isWindow())
            break;
    }
    return shown;
}

/// The smallest size a layout gives `w`, as QLayout reckons it: a minimum size set on it, else its minimum
/// size hint, nothing where its size policy says to ignore it.
QSize smallest(const QWidget *w)
{
    const QSize hint = w->minimumSizeHint();
    const QSize set = w->minimumSize();
    const QSizePolicy policy = w->sizePolicy();
    return {set.width() > 0                                     ? set.width()
            : policy.horizontalPolicy() == QSizePolicy::Ignored ? 0
                                                                : hint.width(),
            set.height() > 0                                  ? set.height()
            : policy.verticalPolicy() == QSizePolicy::Ignored ? 0
                                                              : hint.height()};
}

/// The height `w` needs at its width: its text at that width for a word-wrapped label, else its minimum.
int neededHeight(const QWidget *w, int width)
{
    const int minimum = w->minimumSizeHint().expandedTo(w->minimumSize()).height();
    return w->hasHeightForWidth() ? std::max(minimum, w->heightForWidth(width)) : minimum;
}

/// What cuts or squeezes the controls of `panel` (titled `title`). Within `scrolled`, a form that scrolls
/// up and down, rows may lie below the fold but must not be cut sideways.
void findClippedControls(const QWidget *panel, const QScrollArea *scrolled, const QString &title, QStringList &problems)
{
    const auto children = panel->findChildren<QWidget *>();
    for (const QWidget *w : children) {
        if (!w->isVisible() || !isControl(w))
            continue;
        bool inner = false; // a part of another control (a spin box's editor, a view's header): that one counts
        for (const QWidget *a = w->parentWidget(); a && a != panel; a = a->parentWidget())
            inner = inner || (isControl(a) && !qobject_cast<const QGroupBox *>(a) && !qobject_cast<const QLabel *>(a));
        if (inner)
            continue;
        const QString name =
            w->objectName().isEmpty() ? QString::fromLatin1(w->metaObject()->className()) : w->objectName();
        QRect shown = shownPart(w);
        if (scrolled && scrolled->isAncestorOf(w)) {
            // Above or below the fold is fine; cut at the form's sides is not.
            const int left = w->mapTo(scrolled->viewport(), QPoint(0, 0)).x();
            shown =
                QRect(std::max(0, -left), 0, std::min(w->width(), scrolled->viewport()->width() - left), w->height());
        }
        if (shown.width() < w->width() || shown.height() < w->height()) {
            problems << QStringLiteral("%1: %2 is cut off (%3×%4 of %5×%6 on view)")
                            .arg(title, name)
                            .arg(shown.width())
                            .arg(shown.height())
                            .arg(w->width())
                            .arg(w->height());
            continue;
        }
        const QSize minimum = smallest(w);
        const int minWidth = minimum.width();
        const int minHeight =
            w->hasHeightForWidth() ? std::max(minimum.height(), w->heightForWidth(w->width())) : minimum.height();
        if (w->width() < minWidth || w->height() < minHeight) {
            problems << QStringLiteral("%1: %2 is squeezed to %3×%4, below its %5×%6")
                            .arg(title, name)
                            .arg(w->width())
                            .arg(w->height())
                            .arg(minWidth)
                            .arg(minHeight);
        }
    }
}

/// Whether `rect` lies on one screen's available area (a few pixels over: some window managers put a
/// maximised window's invisible border past the edge).
bool onAScreen(const QRect &rect)
{
    const auto screens = QGuiApplication::screens();
    return std::any_of(screens.begin(), screens.end(), [&rect](const QScreen *s) {
        return s->availableGeometry().adjusted(-16, -16, 16, 16).contains(rect);
    });
}
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
    , m_sizeDocksTimer(new QTimer(this))
{
    setWindowTitle(tr("QMT Studio"));
    setObjectName(QStringLiteral("MainWindow"));
    setDockNestingEnabled(true);
    // The right column (Connection state over Publish) takes the window's whole height: both show all their
    // rows even on a 768-pixel screen. The log, console and charts span the left column and the tree.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_sizeDocksTimer->setSingleShot(true);
    m_sizeDocksTimer->setInterval(0);
    connect(m_sizeDocksTimer, &QTimer::timeout, this, &MainWindow::sizeDocks);
    m_log->setCapacity(QSettings().value(LogCapacityKey, int(AtLogModel::DefaultCapacity)).toInt());
    m_tree->setMaxNodes(QSettings().value(TreeMaxNodesKey, TopicTreeModel::DefaultMaxNodes).toInt());
    m_charts->setSamplesPerSeries(QSettings().value(ChartSamplesKey, TopicChartModel::DefaultSamplesPerSeries).toInt());

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
    const QByteArray geometry = settings.value(GeometryKey).toByteArray();
    const QByteArray state = settings.value(StateKey).toByteArray();
    if (geometry.isEmpty() || state.isEmpty() || !restoreGeometry(geometry) || !restoreState(state, LayoutVersion)) {
        fitToScreen();
        return;
    }
    // Whether it still fits (another screen, a panel that grew, a dock left off screen) shows once the
    // window is laid out at its size.
    m_restoredState = state;
}

void MainWindow::checkRestoredLayout()
{
    if (m_restoredState.isEmpty())
        return;
    // Restored again now that the window has its size: a window restored maximised was still at its
    // normal size when the constructor restored the docks, and would keep them squeezed to that size.
    restoreState(std::exchange(m_restoredState, {}), LayoutVersion);
    QTimer::singleShot(100, this, [this] { validateRestoredLayout(); });
}

void MainWindow::validateRestoredLayout()
{
    const QStringList problems = layoutProblems();
    if (problems.isEmpty())
        return;
    qInfo("The saved layout does not fit: %s", qPrintable(problems.join(QStringLiteral("; "))));
    resetLayout();
    statusBar()->showMessage(tr("The saved layout cut off parts of the panels on this screen: the default layout "
                                "is shown instead."),
                             15'000);
    Q_EMIT restoredLayoutRejected(problems);
}

QDockWidget *MainWindow::dock(const char *objectName) const
{
    return findChild<QDockWidget *>(QLatin1String(objectName), Qt::FindDirectChildrenOnly);
}

void MainWindow::fitToScreen()
{
    const QScreen *s = screen();
    if (!s)
        return;
    setWindowState(windowState() & ~(Qt::WindowMaximized | Qt::WindowFullScreen));
    setGeometry(s->availableGeometry());
    // Maximised, the window manager fits the window and its frame to the screen; the docks are sized again
    // as the window takes that size.
    setWindowState(windowState() | Qt::WindowMaximized);
    m_defaultSizesPending = true;
    m_docksSizedFor = {};
    if (isVisible())
        QTimer::singleShot(2000, this, [this] { m_defaultSizesPending = false; });
    sizeDocks();
}

void MainWindow::sizeDocks()
{
    // The first layout shares the window out by what each panel needs to show whole: Connection state all
    // its rows and columns, Port its module information, Publish its form and Send with room for an error
    // line; the tree in the middle and the Configuration form (which scrolls up and down) get the rest.
    QDockWidget *port = dock("portDock");
    QDockWidget *config = dock("configDock");
    QDockWidget *state = dock("stateDock");
    QDockWidget *publish = dock("publishDock");
    QDockWidget *log = dock("logDock");
    // The log, console and charts share one place: it cannot be shorter than the tallest of them needs.
    int bottomMinimum = 0;
    for (const char *name : {"logDock", "consoleDock", "chartDock"})
        bottomMinimum = std::max(bottomMinimum, dock(name)->minimumSizeHint().height());
    // What a dock adds around its panel: the title bar and frame.
    const auto chrome = [](const QDockWidget *d) { return d->minimumSizeHint() - d->widget()->minimumSizeHint(); };
    // The size a panel in a scrolling dock needs so that the dock does not scroll, at the dock's width.
    const auto whole = [&chrome](const QDockWidget *d, int dockWidth) {
        const auto *scroll = qobject_cast<const QScrollArea *>(d->widget());
        const QWidget *panel = scroll ? scroll->widget() : d->widget();
        const int panelWidth = std::max(dockWidth - chrome(d).width(), panel->minimumSizeHint().width());
        return QSize(panelWidth, neededHeight(panel, panelWidth)) + chrome(d);
    };
    // Sizes asked of resizeDocks() are shared out again to fill the window: lay out, then move the borders
    // by what is measured, keeping each column's total.
    const auto settle = [this] { layout()->activate(); };
    m_docksSizedFor = size();

    const int leftWidth =
        std::max({width() * 28 / 100, config->minimumSizeHint().width(), port->minimumSizeHint().width()});
    const int rightWidth = std::max({width() * 27 / 100, whole(state, 0).width(), whole(publish, 0).width()});
    resizeDocks({port, state}, {leftWidth, rightWidth}, Qt::Horizontal);
    resizeDocks({log}, {std::max(bottomMinimum, height() * 24 / 100)}, Qt::Vertical);
    settle();

    // The left column: Port whole, the Configuration form (which scrolls) the rest but at least its minimum
    // and two more rows; the bottom gives way for that on a short screen.
    const int portHeight = whole(port, port->width()).height();
    const int configHeight = config->minimumSizeHint().height() + 2 * fontMetrics().lineSpacing();
    const int shortBy = portHeight + configHeight - (port->height() + config->height());
    if (shortBy > 0) {
        resizeDocks({log}, {std::max(bottomMinimum, log->height() - shortBy)}, Qt::Vertical);
        settle();
    }
    const int left = port->height() + config->height();
    resizeDocks({port, config}, {portHeight, left - portHeight}, Qt::Vertical);
    // The right column: Connection state whole, with room for three lines of what happened to a slot and
    // what to do under its table; Publish the rest, which leaves room for an error above Send.
    const int stateHeight = whole(state, state->width()).height() + 3 * fontMetrics().lineSpacing();
    const int right = state->height() + publish->height();
    resizeDocks({state, publish}, {stateHeight, right - stateHeight}, Qt::Vertical);
    settle();
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultState, LayoutVersion);
    for (QDockWidget *d : std::as_const(m_docks))
        d->show();
    fitToScreen();
}

QStringList MainWindow::layoutProblems() const
{
    QStringList problems;
    if (!onAScreen(frameGeometry()))
        problems << QStringLiteral("the window (%1,%2 %3×%4) is not on a screen")
                        .arg(frameGeometry().x())
                        .arg(frameGeometry().y())
                        .arg(frameGeometry().width())
                        .arg(frameGeometry().height());
    findClippedControls(centralWidget(), nullptr, QStringLiteral("topics"), problems);
    for (QDockWidget *d : m_docks) {
        // Closed by the user, or a tab behind another (kept visible, but laid out off the window).
        if (!d->isVisible() || (!d->isFloating() && !tabifiedDockWidgets(d).isEmpty() && shownPart(d).isEmpty()))
            continue;
        if (d->isFloating() && !onAScreen(d->frameGeometry()))
            problems << QStringLiteral("%1 floats off the screen").arg(d->windowTitle());
        const auto *scroll = qobject_cast<const QScrollArea *>(d->widget());
        const QWidget *panel = scroll ? scroll->widget() : d->widget();
        const QScrollArea *form = panel->findChild<QScrollArea *>();
        if (form && form->isVisible() && shownPart(form) != form->rect())
            problems << QStringLiteral("%1: its form is cut off").arg(d->windowTitle());
        findClippedControls(panel, form, d->windowTitle(), problems);
    }
    return problems;
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // After a window manager has had the time to give the window the size it was saved with (maximised).
    if (!m_restoredState.isEmpty())
        QTimer::singleShot(500, this, &MainWindow::checkRestoredLayout);
    if (m_defaultSizesPending) {
        // A window manager maximises the window a moment after it shows; after that, the sizes are the user's.
        QTimer::singleShot(2000, this, [this] { m_defaultSizesPending = false; });
    }
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    if (m_defaultSizesPending && size() != m_docksSizedFor)
        m_sizeDocksTimer->start();
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
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState(LayoutVersion));
    settings.setValue(LogCapacityKey, qlonglong(m_log->capacity()));
    settings.setValue(TreeMaxNodesKey, m_tree->maxNodes());
    settings.setValue(ChartSamplesKey, m_charts->samplesPerSeries());
    QMainWindow::closeEvent(event);
}

} // namespace qmt
