// The window's layout at the screen sizes it must fit, 1366×768, 1600×1000 and 1920×1080 (three offscreen
// screens side by side), with a session on the virtual module and a real mosquitto filling the panels; and
// a saved layout that cuts panels off falling back to the default one.

#include "mosquittobroker.h"

#include "core/module/modulecontroller.h"
#include "core/module/profile.h"
#include "core/secrets/sessionsecretstore.h"
#include "gui/mainwindow.h"
#include "gui/models/serialportlistmodel.h"
#include "gui/panels/configpanel.h"
#include "gui/panels/portpanel.h"
#include "gui/panels/publishpanel.h"
#include "gui/panels/statepanel.h"
#include "gui/profiles/profilemanager.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;

namespace {

struct ScreenSize
{
    int width;
    int height;
};
constexpr ScreenSize Sizes[] = {{1366, 768}, {1600, 1000}, {1920, 1080}};

QScreen *screenOf(int width, int height)
{
    const auto screens = QGuiApplication::screens();
    for (QScreen *s : screens) {
        if (s->geometry().size() == QSize(width, height))
            return s;
    }
    qFatal("no %dx%d screen: the offscreen platform did not read the test's screens", width, height);
}

template<typename T> T *child(const QObject &parent, const char *name)
{
    T *w = parent.findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no widget %s", name);
    return w;
}

QDockWidget *dock(const MainWindow &w, const char *name)
{
    return child<QDockWidget>(w, name);
}

/// The part of `w` on view: its rectangle less what its ancestors up to the window cut off.
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

bool wholeOnView(const QWidget *w)
{
    return w->isVisible() && shownPart(w) == w->rect();
}

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::MosquittoBroker> m_broker;

    /// The window laid out by default on the screen of that size, with slot 0 of the virtual module connected.
    void showDefault(MainWindow &w, QScreen *screen, bool connect = true)
    {
        w.setScreen(screen);
        w.resetLayout();
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        if (connect) {
            QVERIFY(w.portPanel().openPort(SerialPortListModel::VirtualPortName, 115200));
            Profile p;
            p.name = QStringLiteral("layout");
            p.slots[0].enabled = true;
            p.slots[0].config.host = "127.0.0.1";
            p.slots[0].config.port = m_broker->port();
            p.slots[0].config.clientId = "tst-layout";
            p.slots[0].subscriptions = {{"layout/#", 1}};
            w.profileManager().setProfile(p);
            w.profileManager().start();
            w.profileManager().keepAsSaved(); // closing does not ask about the profile
            QTRY_COMPARE_WITH_TIMEOUT(w.controller().status(0).state, SlotState::Connected, 20000);
            // The module's information fills the Port and Connection state panels.
            QTRY_VERIFY_WITH_TIMEOUT(!w.controller().info().ipAddress.isEmpty(), 20000);
        }
        QTRY_COMPARE(w.frameGeometry(), screen->availableGeometry());
    }

    static QString problems(const MainWindow &w) { return w.layoutProblems().join(QLatin1Char('\n')); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_layout"));
        QSettings().clear();
        m_broker = std::make_unique<test::MosquittoBroker>();
        QString error;
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void init() { QSettings().clear(); }
    void theDefaultLayoutShowsEveryPanelWhole_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        for (const ScreenSize &s : Sizes)
            QTest::addRow("%dx%d", s.width, s.height) << s.width << s.height;
    }
    void theDefaultLayoutShowsEveryPanelWhole()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        MainWindow w(std::make_unique<SessionSecretStore>());
        showDefault(w, screenOf(width, height));
        // The log, the console and the charts share the bottom: each in turn.
        for (const char *bottom : {"consoleDock", "chartDock", "logDock"}) {
            dock(w, bottom)->raise();
            QTRY_VERIFY2(problems(w).isEmpty(),
                         qPrintable(QStringLiteral("%1 shown:\n%2").arg(QLatin1String(bottom), problems(w))));
        }
        // Port, Connection state and Publish show whole, without the scroll bars a dock adds when it is short.
        for (const char *name : {"portDock", "stateDock", "publishDock"}) {
            const auto *scroll = qobject_cast<QScrollArea *>(dock(w, name)->widget());
            QVERIFY(scroll);
            QVERIFY2(!scroll->verticalScrollBar()->isVisible() && !scroll->horizontalScrollBar()->isVisible(), name);
        }
        // The Configuration form scrolls up and down only, at no less than the width its rows need.
        const auto *form = child<QScrollArea>(w.configPanel(), "scrollArea");
        QVERIFY(!form->horizontalScrollBar()->isVisible());
        QVERIFY2(
            form->widget()->width() >= form->widget()->minimumSizeHint().width(),
            qPrintable(
                QStringLiteral("%1 < %2").arg(form->widget()->width()).arg(form->widget()->minimumSizeHint().width())));
        // Every column of Connection state's table shown whole, its Network box too.
        const auto *table = child<QTableView>(w.statePanel(), "slotTable");
        QVERIFY(!table->horizontalScrollBar()->isVisible());
        for (int c = 0; c < table->model()->columnCount(); ++c) {
            if (table->isColumnHidden(c))
                continue;
            const int left = table->columnViewportPosition(c);
            QVERIFY2(left >= 0 && left + table->columnWidth(c) <= table->viewport()->width(),
                     qPrintable(table->model()->headerData(c, Qt::Horizontal).toString()));
            QVERIFY2(table->columnWidth(c) >= table->horizontalHeader()->sectionSizeHint(c),
                     qPrintable(table->model()->headerData(c, Qt::Horizontal).toString()));
        }
        QVERIFY(wholeOnView(child<QWidget>(w.statePanel(), "networkBox")));
        QVERIFY(wholeOnView(child<QWidget>(w.statePanel(), "simValue")));
        w.close();
    }

    void sendStaysInViewWithAnErrorShown_data() { theDefaultLayoutShowsEveryPanelWhole_data(); }
    void sendStaysInViewWithAnErrorShown()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        MainWindow w(std::make_unique<SessionSecretStore>());
        showDefault(w, screenOf(width, height), false);
        PublishPanel &pub = w.publishPanel();
        child<QComboBox>(pub, "topicCombo")->setCurrentText(QStringLiteral("layout/a"));
        child<QRadioButton>(pub, "pubJsonRadio")->setChecked(true);
        child<QPlainTextEdit>(pub, "payloadEdit")->setPlainText(QStringLiteral("{\"temperature\": 21.5, \"unit\": }"));
        auto *send = child<QPushButton>(pub, "sendButton");
        QTest::mouseClick(send, Qt::LeftButton);
        auto *error = child<QLabel>(pub, "publishErrorLabel");
        QTRY_VERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("valid JSON")), qPrintable(error->text()));
        QTRY_VERIFY2(wholeOnView(send) && wholeOnView(error), qPrintable(QStringLiteral("Send %1 of %2, error %3 of %4")
                                                                             .arg(shownPart(send).height())
                                                                             .arg(send->height())
                                                                             .arg(shownPart(error).height())
                                                                             .arg(error->height())));
        QTRY_VERIFY2(problems(w).isEmpty(), qPrintable(problems(w)));
        w.close();
    }

    void theBottomAreaCanBeMadeShort()
    {
        // At least the log's toolbar and a few rows; no more, so that it can give way on a short screen.
        constexpr int Short = 150;
        MainWindow w(std::make_unique<SessionSecretStore>());
        showDefault(w, screenOf(1600, 1000), false);
        w.resizeDocks({dock(w, "logDock")}, {Short}, Qt::Vertical);
        for (const char *bottom : {"logDock", "consoleDock", "chartDock"}) {
            dock(w, bottom)->raise();
            QTRY_VERIFY2(
                dock(w, bottom)->height() <= Short,
                qPrintable(
                    QStringLiteral("%1 is %2 px high").arg(QLatin1String(bottom)).arg(dock(w, bottom)->height())));
        }
        w.close();
    }

    void aRestoredLayoutThatCutsPanelsFallsBackToTheDefault_data()
    {
        QTest::addColumn<int>("damage");
        QTest::newRow("bottom area over most of the height") << 0;
        QTest::newRow("connection state squeezed") << 1;
        QTest::newRow("window smaller than its panels") << 2;
    }
    void aRestoredLayoutThatCutsPanelsFallsBackToTheDefault()
    {
        QFETCH(int, damage);
        QScreen *screen = screenOf(1366, 768);
        {
            MainWindow saved(std::make_unique<SessionSecretStore>());
            showDefault(saved, screen, false);
            switch (damage) {
            case 0:
                saved.resizeDocks({dock(saved, "logDock")}, {600}, Qt::Vertical);
                break;
            case 1:
                saved.resizeDocks({dock(saved, "stateDock"), dock(saved, "publishDock")}, {60, 2000}, Qt::Vertical);
                break;
            case 2:
                saved.setWindowState(Qt::WindowNoState);
                saved.setGeometry(QRect(screen->availableGeometry().topLeft() + QPoint(20, 20), QSize(700, 450)));
                break;
            }
            QTRY_VERIFY(!saved.layoutProblems().isEmpty()); // the damage is real
            saved.close();
        }
        MainWindow restored(std::make_unique<SessionSecretStore>());
        QSignalSpy rejected(&restored, &MainWindow::restoredLayoutRejected);
        restored.setScreen(screen);
        restored.show();
        QVERIFY(rejected.wait(10'000));
        QVERIFY(!rejected.front().front().toStringList().isEmpty());
        QTRY_COMPARE(restored.frameGeometry(), screen->availableGeometry());
        QTRY_VERIFY2(problems(restored).isEmpty(), qPrintable(problems(restored)));
        restored.close();
    }

    void aRestoredLayoutThatFitsIsKept()
    {
        QScreen *screen = screenOf(1600, 1000);
        int width = 0;
        int portHeight = 0;
        {
            MainWindow saved(std::make_unique<SessionSecretStore>());
            showDefault(saved, screen, false);
            // The user's choice: a wider right column, a taller Port.
            QDockWidget *state = dock(saved, "stateDock");
            QDockWidget *port = dock(saved, "portDock");
            QDockWidget *config = dock(saved, "configDock");
            const int before = state->width();
            saved.resizeDocks({state}, {before + 60}, Qt::Horizontal);
            saved.resizeDocks({port, config}, {port->height() + 40, config->height() - 40}, Qt::Vertical);
            QTRY_COMPARE(state->width(), before + 60);
            width = state->width();
            portHeight = port->height();
            QTRY_VERIFY2(problems(saved).isEmpty(), qPrintable(problems(saved)));
            saved.close();
        }
        MainWindow restored(std::make_unique<SessionSecretStore>());
        QSignalSpy rejected(&restored, &MainWindow::restoredLayoutRejected);
        restored.setScreen(screen);
        restored.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restored));
        QTRY_COMPARE(dock(restored, "stateDock")->width(), width);
        QTRY_COMPARE(dock(restored, "portDock")->height(), portHeight);
        QVERIFY(!QTest::qWaitFor([&] { return !rejected.isEmpty(); }, 1000));
        restored.close();
    }
};

int main(int argc, char *argv[])
{
    // Three screens of the sizes the layout must fit, side by side (the offscreen platform's configfile).
    QTemporaryDir dir;
    QFile config(dir.filePath(QStringLiteral("screens.json")));
    if (!config.open(QIODevice::WriteOnly))
        qFatal("cannot write the screens' configuration");
    QByteArray screens;
    int x = 0;
    for (const ScreenSize &s : Sizes) {
        screens += QStringLiteral(R"(%1{"name": "screen%2x%3", "x": %4, "y": 0, "width": %2, "height": %3,)"
                                  R"( "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1})")
                       .arg(screens.isEmpty() ? QString() : QStringLiteral(", "))
                       .arg(s.width)
                       .arg(s.height)
                       .arg(x)
                       .toUtf8();
        x += s.width;
    }
    config.write(R"({"synchronousWindowSystemEvents": false, "windowFrameMargins": false, "screens": [)" + screens +
                 "]}");
    config.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.fileName().toLocal8Bit());
    QApplication app(argc, argv);
    TestLayout test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_layout.moc"
