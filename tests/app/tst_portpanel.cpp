// The Port panel with a device path the system's port list does not show: a pseudo-terminal served by
// qmt-sim (as socat or a remote serial bridge would serve one), typed, opened, remembered, found again by
// "Find my module", and shown after a start with --port.

#include "core/module/modulecontroller.h"
#include "core/secrets/sessionsecretstore.h"
#include "gui/mainwindow.h"
#include "gui/models/recentportpaths.h"
#include "gui/models/serialportlistmodel.h"
#include "gui/panels/portpanel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace qmt;

namespace {

template<typename T> T *child(QWidget &parent, const char *name)
{
    T *w = parent.findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no widget %s", name);
    return w;
}

/// qmt-sim serving the virtual module on a pseudo-terminal of its own; stopped on destruction.
class SimOnPty
{
public:
    SimOnPty() { m_process.start(QStringLiteral(QMT_SIM_PROGRAM), {}); }
    ~SimOnPty()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }
    /// The pty's path, as qmt-sim prints it first; empty when it printed none.
    QString path()
    {
        if (m_path.isEmpty() && QTest::qWaitFor([this] { return m_process.canReadLine(); }, 10'000))
            m_path = QString::fromLocal8Bit(m_process.readLine().trimmed());
        return m_path;
    }

private:
    QProcess m_process;
    QString m_path;
};

/// Replaces what the box shows with `text`, typed as a user does.
void typeInto(QComboBox *combo, const QString &text)
{
    combo->lineEdit()->selectAll();
    QTest::keyClick(combo->lineEdit(), Qt::Key_Backspace);
    QTest::keyClicks(combo->lineEdit(), text);
}

bool listsPort(const QComboBox &combo, const QString &path)
{
    for (int row = 0; row < combo.count(); ++row) {
        if (combo.itemData(row, SerialPortListModel::SystemLocationRole).toString() == path)
            return true;
    }
    return false;
}

} // namespace

class TestPortPanel : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> window()
    {
        auto w = std::make_unique<MainWindow>(std::make_unique<SessionSecretStore>());
        w->show();
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_portpanel"));
    }

    void init() { QSettings().remove(RecentPortPaths::SettingsKey); }

    void aPseudoTerminalIsTypedOpenedAndOfferedAgain()
    {
        SimOnPty sim;
        const QString path = sim.path();
        QVERIFY(path.startsWith(QStringLiteral("/dev/pts/")));
        const auto w = window();
        PortPanel &panel = w->portPanel();
        auto *combo = child<QComboBox>(panel, "portCombo");
        QVERIFY(combo->isEditable());
        typeInto(combo, path);
        QTest::mouseClick(child<QPushButton>(panel, "openButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().portState(), ModuleController::PortState::Open, 5000);
        QCOMPARE(child<QLabel>(panel, "statusLabel")->text(), QStringLiteral("Open: %1 at 115200 baud").arg(path));
        // The module on the pty answers: its identity shows.
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(panel, "modelValue")->text().contains(QStringLiteral("BC660K-GL")),
                                 15'000);
        QCOMPARE(combo->currentText(), path);
        // Remembered: in the settings, and in the list while the pty exists.
        QCOMPARE(RecentPortPaths().paths(), QStringList{path});
        QTRY_VERIFY_WITH_TIMEOUT(listsPort(*combo, path), 10'000);
        QCOMPARE(combo->currentText(), path);
    }

    void findMyModuleAlsoAsksTheRecentPaths()
    {
        SimOnPty sim;
        const QString path = sim.path();
        QVERIFY(!path.isEmpty());
        RecentPortPaths().remember(path);
        RecentPortPaths().remember(QStringLiteral("/dev/pts/no-such-pty"));
        const auto w = window();
        PortPanel &panel = w->portPanel();
        QTest::mouseClick(child<QPushButton>(panel, "findButton"), Qt::LeftButton);
        auto *status = child<QLabel>(panel, "statusLabel");
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("A module answered")) ||
                                     status->text().startsWith(QStringLiteral("None of")),
                                 60'000);
        QCOMPARE(status->text(), QStringLiteral("A module answered on %1.").arg(path));
        QCOMPARE(child<QComboBox>(panel, "portCombo")->currentText(), path);
    }

    void afterStartingWithPortThePanelShowsThatPort()
    {
        // What qmt-studio --port <path> does.
        SimOnPty sim;
        const QString path = sim.path();
        QVERIFY(!path.isEmpty());
        const auto w = window();
        PortPanel &panel = w->portPanel();
        QVERIFY(panel.openPort(path, 115200));
        QCOMPARE(w->controller().portState(), ModuleController::PortState::Open);
        auto *combo = child<QComboBox>(panel, "portCombo");
        QCOMPARE(combo->currentText(), path);
        QVERIFY(!combo->currentData(SerialPortListModel::IsVirtualRole).toBool());
        // Closed again, Open opens the same path, not the built-in module.
        QTest::mouseClick(child<QPushButton>(panel, "openButton"), Qt::LeftButton);
        QTRY_COMPARE(w->controller().portState(), ModuleController::PortState::Closed);
        QCOMPARE(combo->currentText(), path);
        QTest::mouseClick(child<QPushButton>(panel, "openButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().portState(), ModuleController::PortState::Open, 5000);
        QCOMPARE(child<QLabel>(panel, "statusLabel")->text(), QStringLiteral("Open: %1 at 115200 baud").arg(path));
    }

    void aDeviceFileIsChosenByBrowsingDev()
    {
        SimOnPty sim;
        const QString path = sim.path();
        QVERIFY(!path.isEmpty());
        const auto w = window();
        PortPanel &panel = w->portPanel();
        QTest::mouseClick(child<QToolButton>(panel, "browseButton"), Qt::LeftButton);
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = panel.findChild<QFileDialog *>()) && dialog->isVisible());
        QCOMPARE(dialog->directory().path(), QStringLiteral("/dev"));
        QVERIFY(dialog->filter() & QDir::System); // device nodes are "system" files
        dialog->selectFile(path);
        QMetaObject::invokeMethod(dialog, "accept"); // the Open button
        QCOMPARE(child<QComboBox>(panel, "portCombo")->currentText(), path);
        QTest::mouseClick(child<QPushButton>(panel, "openButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().portState(), ModuleController::PortState::Open, 5000);
    }

    void theRecentListSaysWhenItDropsAPath()
    {
        SimOnPty sim;
        const QString path = sim.path();
        QVERIFY(!path.isEmpty());
        RecentPortPaths recent;
        for (int i = RecentPortPaths::MaxPaths; i > 0; --i)
            recent.remember(QStringLiteral("/dev/old-%1").arg(i));
        const auto w = window();
        QVERIFY(w->portPanel().openPort(path, 115200));
        QCOMPARE(child<QLabel>(w->portPanel(), "statusLabel")->text(),
                 QStringLiteral("Open: %1 at 115200 baud (The 8 most recent paths are kept; /dev/old-8 was dropped.)")
                     .arg(path));
        QCOMPARE(RecentPortPaths().paths().size(), RecentPortPaths::MaxPaths);
        QCOMPARE(RecentPortPaths().paths().first(), path);
    }

    void aPathThatIsNotThereSaysSoAndIsNotRemembered()
    {
        const auto w = window();
        PortPanel &panel = w->portPanel();
        auto *combo = child<QComboBox>(panel, "portCombo");
        typeInto(combo, QStringLiteral("/dev/pts/no-such-pty"));
        QTest::mouseClick(child<QPushButton>(panel, "openButton"), Qt::LeftButton);
        QCOMPARE(w->controller().portState(), ModuleController::PortState::Closed);
        const QString text = child<QLabel>(panel, "statusLabel")->text();
        QVERIFY2(text.startsWith(QStringLiteral("Cannot open /dev/pts/no-such-pty")), qPrintable(text));
        QVERIFY(RecentPortPaths().paths().isEmpty());
    }
};

QTEST_MAIN(TestPortPanel)
#include "tst_portpanel.moc"
