// Profiles, their secrets and the running slots, driven through the window's widgets (offscreen) on the
// built-in virtual module and real mosquitto brokers: a profile never changes a running connection behind the
// user's back, a missing secret is said where the user looks, unsaved edits are never dropped silently, and
// recovery shows where the slot is shown.

#include "mosquittobroker.h"
#include "studiodriver.h"

#include "mainwindow.h"
#include "models/atlogmodel.h"
#include "models/serialportlistmodel.h"
#include "models/slotstatemodel.h"
#include "module/modulecontroller.h"
#include "module/profilestore.h"
#include "panels/configpanel.h"
#include "panels/portpanel.h"
#include "panels/statepanel.h"
#include "panels/subscriptionpanel.h"
#include "secrets/sessionsecretstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace qmt;
using namespace qmt::test;

namespace {

QString recoveryText(const MainWindow &w, int slot)
{
    return w.slotTable().index(slot, SlotStateModel::RecoveryColumn).data().toString();
}

} // namespace

class TestProfiles : public QObject
{
    Q_OBJECT

    std::unique_ptr<MosquittoBroker> m_broker;     // anyone may connect; stopped and started by tests
    std::unique_ptr<MosquittoBroker> m_authBroker; // user "fleet", password "right-password" only

    /// A window whose secrets are kept in memory (a keychain of the test's own, empty at first).
    static std::unique_ptr<MainWindow> window()
    {
        auto w = std::make_unique<MainWindow>(std::make_unique<SessionSecretStore>());
        w->controller().setInfoPollIntervalMs(3'600'000);
        w->show();
        return w;
    }

    /// Fills slot `slot` of the form: the broker, the client ID and the credentials.
    static void fillSlot(ConfigPanel &config, int slot, quint16 port, const QString &clientId, const QString &user,
                         const QString &password)
    {
        child<QComboBox>(config, "slotCombo")->setCurrentIndex(slot);
        type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
        child<QSpinBox>(config, "portSpin")->setValue(port);
        type(child<QLineEdit>(config, "clientIdEdit"), clientId);
        type(child<QLineEdit>(config, "userEdit"), user);
        type(child<QLineEdit>(config, "passwordEdit"), password);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profiles"));
        QSettings().clear();
        QString error;
        m_broker = std::make_unique<MosquittoBroker>();
        QVERIFY2(m_broker->start(&error), qPrintable(error));
        MosquittoBroker::Options auth;
        auth.user = QStringLiteral("fleet");
        auth.password = QStringLiteral("right-password");
        m_authBroker = std::make_unique<MosquittoBroker>(auth);
        QVERIFY2(m_authBroker->start(&error), qPrintable(error));
    }

    void init()
    {
        QString error;
        if (!m_broker->isRunning())
            QVERIFY2(m_broker->restart(&error), qPrintable(error));
    }

    void theSlotTableShowsRecoveryAndAFinalWordStaysWithItsSlot()
    {
        const auto w = window();
        QVERIFY(openVirtualPort(*w));
        w->controller().setAutoRecovery(true);
        w->controller().setRecoveryDelays(60'000, 60'000); // long enough to read, and to skip
        ConfigPanel &config = w->configPanel();
        // Slot 0: credentials the broker refuses — a refusal only the user can fix, so recovery gives up.
        fillSlot(config, 0, m_authBroker->port(), QStringLiteral("studio-refused"), QStringLiteral("fleet"),
                 QStringLiteral("wrong-password"));
        click(child<QPushButton>(config, "startButton"));
        QTRY_VERIFY_WITH_TIMEOUT(recoveryText(*w, 0).startsWith(QStringLiteral("gave up: ")), 20'000);
        // Slot 1: connected, then its broker goes away: it counts down.
        fillSlot(config, 1, m_broker->port(), QStringLiteral("studio-counting"), QString(), QString());
        click(child<QPushButton>(config, "startButton"));
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(1).state, SlotState::Connected, 20'000);
        m_broker->stop();
        QTRY_VERIFY_WITH_TIMEOUT(recoveryText(*w, 1).startsWith(QStringLiteral("recovering in ")), 20'000);
        QVERIFY2(recoveryText(*w, 1).endsWith(QStringLiteral(", attempt 1")), qPrintable(recoveryText(*w, 1)));
        QVERIFY2(recoveryText(*w, 0).startsWith(QStringLiteral("gave up: ")), qPrintable(recoveryText(*w, 0)));

        // The refused slot says what to do in this window; the note's words are the detail.
        StatePanel &state = w->statePanel();
        auto *table = child<QTableView>(state, "slotTable");
        table->setCurrentIndex(w->slotTable().index(0, 0));
        auto *line = child<QLabel>(state, "lastStatLabel");
        QVERIFY2(line->text().contains(QStringLiteral("What to do:")) &&
                     line->text().contains(QStringLiteral("in Configuration")),
                 qPrintable(line->text()));
        QVERIFY2(line->toolTip().contains(QStringLiteral("+QMTCONN ret_code")), qPrintable(line->toolTip()));

        // Reconnect now: slot 1 does not wait out its minute.
        QString error;
        QVERIFY2(m_broker->restart(&error), qPrintable(error));
        table->setCurrentIndex(w->slotTable().index(1, 0));
        auto *reconnect = child<QPushButton>(state, "reconnectButton");
        QTRY_VERIFY(reconnect->isEnabled());
        click(reconnect);
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(1).state, SlotState::Connected, 20'000);
        QTRY_COMPARE(recoveryText(*w, 1), QString());
        QVERIFY(recoveryText(*w, 0).startsWith(QStringLiteral("gave up: ")));
    }
};

QTEST_MAIN(TestProfiles)
#include "tst_profiles.moc"
