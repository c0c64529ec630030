// Profiles, their secrets and the running slots, driven through the window's widgets (offscreen) on the
// built-in virtual module and real mosquitto brokers: a profile never changes a running connection behind the
// user's back, a missing secret is said where the user looks, unsaved edits are never dropped silently, and
// recovery shows where the slot is shown.

#include "mosquittobroker.h"
#include "studiodriver.h"

#include "core/module/modulecontroller.h"
#include "core/module/profilestore.h"
#include "core/secrets/sessionsecretstore.h"
#include "gui/mainwindow.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/serialportlistmodel.h"
#include "gui/models/slotstatemodel.h"
#include "gui/panels/configpanel.h"
#include "gui/panels/portpanel.h"
#include "gui/panels/statepanel.h"
#include "gui/panels/subscriptionpanel.h"

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

bool logHas(const AtLogModel &log, const QByteArray &needle)
{
    for (int row = 0; row < log.rowCount(); ++row) {
        if (log.entry(row).shownBytes().contains(needle))
            return true;
    }
    return false;
}

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

    /// A saved profile whose slot 0 was saved with a password the keychain does not have.
    Profile profileWithoutItsPassword(const QString &name, const QByteArray &user)
    {
        Profile p;
        p.name = name;
        Profile::SlotSetup &s = p.slots[0];
        s.enabled = true;
        s.config.host = "127.0.0.1";
        s.config.port = m_authBroker->port();
        s.config.clientId = "studio-" + user;
        s.config.userName = user;
        s.hasPassword = true;
        ProfileStore().save(p);
        return p;
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

    void aProfileWithoutItsPasswordSaysSoAndDoesNotStart()
    {
        const Profile saved = profileWithoutItsPassword(QStringLiteral("Fleet without password"), "fleet");
        const auto w = window();
        QVERIFY(openVirtualPort(*w));
        ConfigPanel &config = w->configPanel();
        QSignalSpy loaded(&config.profiles(), &ProfileManager::secretsLoaded);
        config.switchProfile(saved.name);
        QVERIFY(loaded.wait(10'000));

        // The field, the profile's line and Start all say it, and ask for it.
        auto *password = child<QLineEdit>(config, "passwordEdit");
        QVERIFY2(password->placeholderText().contains(QStringLiteral("not in")),
                 qPrintable(password->placeholderText()));
        auto *notice = child<QLabel>(config, "profileNoticeLabel");
        QVERIFY(notice->isVisible());
        QVERIFY2(notice->text().contains(QStringLiteral("the password of slot 0")), qPrintable(notice->text()));
        QSignalSpy sent(&w->controller().channel(), &AtChannel::commandSent);
        click(child<QPushButton>(config, "startButton"));
        const QString refusal = child<QLabel>(config, "errorLabel")->text();
        QVERIFY2(refusal.contains(QStringLiteral("Slot 0 cannot start")) &&
                     refusal.contains(QStringLiteral("Password")),
                 qPrintable(refusal));
        config.profiles().start(); // Module → Start the profile's slots: the same
        QVERIFY(child<QLabel>(config, "errorLabel")->text().contains(QStringLiteral("Slot 0 cannot start")));
        QTest::qWait(300);
        QVERIFY(std::none_of(sent.cbegin(), sent.cend(),
                             [](const QList<QVariant> &c) { return c.at(1).toByteArray().startsWith("AT+QMTOPEN"); }));

        // Typed, it is no longer missing, and the slot connects with it.
        type(password, QStringLiteral("right-password"));
        QVERIFY(!notice->isVisible());
        QVERIFY(password->placeholderText().isEmpty());
        click(child<QPushButton>(config, "startButton"));
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(0).state, SlotState::Connected, 20'000);
    }

    void recoveryKeepsTheCredentialsTheSlotConnectedWithAndApplyingAnotherProfileAsks()
    {
        const Profile other = profileWithoutItsPassword(QStringLiteral("Other fleet"), "other");
        const auto w = window();
        QVERIFY(openVirtualPort(*w));
        w->controller().setRecoveryDelays(200, 1000);
        w->controller().setAutoRecovery(true);
        ConfigPanel &config = w->configPanel();
        fillSlot(config, 0, m_authBroker->port(), QStringLiteral("studio-kept"), QStringLiteral("fleet"),
                 QStringLiteral("right-password"));
        click(child<QPushButton>(config, "startButton"));
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(0).state, SlotState::Connected, 20'000);

        // Another profile is shown: its user, and no password (the keychain does not have it). The edits of
        // the unnamed profile are not thrown away without asking.
        QSignalSpy loaded(&config.profiles(), &ProfileManager::secretsLoaded);
        config.switchProfile(other.name);
        QVERIFY(answer(*w, QMessageBox::Discard));
        QVERIFY(loaded.wait(10'000));
        QCOMPARE(child<QLineEdit>(config, "userEdit")->text(), QStringLiteral("other"));
        QCOMPARE(w->controller().status(0).state, SlotState::Connected); // still the slot it was
        QVERIFY2(child<QLabel>(config, "profileNoticeLabel")
                     ->text()
                     .contains(QStringLiteral("Running as they were started")),
                 qPrintable(child<QLabel>(config, "profileNoticeLabel")->text()));
        auto *slotNotice = child<QLabel>(config, "slotNoticeLabel");
        QVERIFY(slotNotice->isVisible());
        QVERIFY2(slotNotice->text().contains(QStringLiteral("Apply reconnects")), qPrintable(slotNotice->text()));

        // The broker drops everyone and comes back: recovery reconnects as the slot was, not as shown.
        m_authBroker->stop();
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(0).state, SlotState::Closed, 20'000);
        QString error;
        QVERIFY2(m_authBroker->restart(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(0).state, SlotState::Connected, 30'000);
        QVERIFY(!logHas(w->log(), "AT+QMTCONN=0,\"studio-other\""));
        QVERIFY(w->controller().status(0).notRetrying.isEmpty());

        // Applying the shown settings is the user's: asked, then said, then done.
        type(child<QLineEdit>(config, "userEdit"), QStringLiteral("fleet"));
        type(child<QLineEdit>(config, "passwordEdit"), QStringLiteral("right-password"));
        auto *apply = child<QPushButton>(config, "applyButton");
        QCOMPARE(apply->text(), QStringLiteral("&Apply and reconnect"));
        click(apply);
        QVERIFY(answer(*w, QMessageBox::Yes));
        QTRY_VERIFY_WITH_TIMEOUT(logHas(w->log(), "AT+QMTCONN=0,\"studio-other\",\"fleet\""), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(config, "errorLabel")->text(), QStringLiteral("Slot 0 connected."),
                                  20'000);
        QVERIFY(!slotNotice->isVisible());
        QVERIFY(!child<QLabel>(config, "profileNoticeLabel")->isVisible());
    }

    void unsavedChangesAskBeforeSwitchingOrQuitting()
    {
        Profile stored;
        stored.name = QStringLiteral("Stored");
        stored.slots[0].config.host = "stored.example.net";
        stored.slots[0].config.clientId = "stored";
        ProfileStore().save(stored);
        auto w = window();
        ConfigPanel &config = w->configPanel();
        auto *host = child<QLineEdit>(config, "hostEdit");
        type(host, QStringLiteral("edited.example.net"));
        QVERIFY(config.profiles().hasUnsavedChanges());

        config.switchProfile(stored.name);
        QVERIFY(answer(*w, QMessageBox::Cancel));
        QCOMPARE(host->text(), QStringLiteral("edited.example.net"));
        QCOMPARE(child<QComboBox>(config, "profileCombo")->currentText(), QStringLiteral("(unnamed)"));
        config.switchProfile(stored.name);
        QVERIFY(answer(*w, QMessageBox::Discard));
        QTRY_COMPARE(host->text(), QStringLiteral("stored.example.net"));
        QVERIFY(!config.profiles().hasUnsavedChanges());

        // Quitting with a change: cancelled, the window stays; saved, it goes and the change is kept.
        type(host, QStringLiteral("changed.example.net"));
        w->close();
        QVERIFY(answer(*w, QMessageBox::Cancel));
        QVERIFY(w->isVisible());
        w->close();
        QVERIFY(answer(*w, QMessageBox::Save));
        QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 10'000);
        QCOMPARE(ProfileStore().load(stored.name)->slots[0].config.host, QByteArray("changed.example.net"));
    }

    void saveAsksForANameWhenTheProfileHasNone()
    {
        const auto w = window();
        ConfigPanel &config = w->configPanel();
        type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("named-later"));
        QSignalSpy saved(&config.profiles(), &ProfileManager::secretsSaved);
        click(child<QPushButton>(config, "saveProfileButton"));
        QVERIFY(answerName(*w, QStringLiteral("Named later")));
        QVERIFY(saved.wait(10'000));
        QVERIFY(ProfileStore().names().contains(QStringLiteral("Named later")));
        QCOMPARE(child<QComboBox>(config, "profileCombo")->currentText(), QStringLiteral("Named later"));
        QVERIFY(!config.profiles().hasUnsavedChanges());
    }

    void aProfileKeepsTheSubscriptionsAndTheAutoRecoveryChoice()
    {
        {
            const auto w = window();
            SubscriptionPanel &subs = w->subscriptionPanel();
            type(child<QLineEdit>(subs, "filterEdit"), QStringLiteral("kept/+/state"));
            child<QComboBox>(subs, "subQosCombo")->setCurrentIndex(2);
            click(child<QPushButton>(subs, "subscribeButton"));
            QTRY_COMPARE(w->controller().status(0).subscriptions.size(), 1);
            child<QCheckBox>(w->statePanel(), "autoRecoveryCheck")->setChecked(true);
            QVERIFY(w->profileManager().hasUnsavedChanges());
            QSignalSpy saved(&w->profileManager(), &ProfileManager::secretsSaved);
            click(child<QPushButton>(w->configPanel(), "saveProfileButton"));
            QVERIFY(answerName(*w, QStringLiteral("With subscriptions")));
            QVERIFY(saved.wait(10'000));
        }
        const auto w = window();
        QVERIFY(w->controller().status(0).subscriptions.isEmpty());
        QVERIFY(!w->controller().autoRecovery());
        w->configPanel().switchProfile(QStringLiteral("With subscriptions"));
        QTRY_COMPARE(w->controller().status(0).subscriptions.size(), 1);
        QCOMPARE(w->controller().status(0).subscriptions.front().filter, QByteArray("kept/+/state"));
        QCOMPARE(w->controller().status(0).subscriptions.front().requestedQos, 2);
        QVERIFY(w->controller().autoRecovery());
        QVERIFY(child<QCheckBox>(w->statePanel(), "autoRecoveryCheck")->isChecked());
        QVERIFY(!w->profileManager().hasUnsavedChanges());
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
