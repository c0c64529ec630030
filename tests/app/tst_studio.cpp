// QMT Studio end to end: the main window's real widgets, driven offscreen, on the built-in virtual module
// talking to a real mosquitto, checked with mosquitto_pub and mosquitto_sub.

#include "mosquittobroker.h"
#include "mosquittosubscriber.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/qmtcodes.h"
#include "gui/applicationtranslations.h"
#include "gui/charts/chartpanel.h"
#include "gui/mainwindow.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/serialportlistmodel.h"
#include "gui/models/slotstatemodel.h"
#include "gui/models/topicchartmodel.h"
#include "gui/models/topictreemodel.h"
#include "gui/panels/configpanel.h"
#include "gui/panels/consolepanel.h"
#include "gui/panels/logpanel.h"
#include "gui/panels/portpanel.h"
#include "gui/panels/publishpanel.h"
#include "gui/panels/statepanel.h"
#include "gui/panels/subscriptionpanel.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QChart>
#include <QCheckBox>
#include <QColor>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

using namespace qmt;

namespace {

template<typename T> T *child(QWidget &parent, const char *name)
{
    T *w = parent.findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no widget %s", name);
    return w;
}

void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

bool logHas(const AtLogModel &log, const QByteArray &needle)
{
    for (int row = 0; row < log.rowCount(); ++row) {
        if (log.entry(row).shownBytes().contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestStudio : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::MosquittoBroker> m_broker;

    /// Opens the virtual port and starts slot 0 on the test broker through the panels, as a user would.
    void openAndStart(MainWindow &w, const QString &clientId)
    {
        PortPanel &port = w.portPanel();
        auto *combo = child<QComboBox>(port, "portCombo");
        for (int row = 0; row < combo->count(); ++row) {
            if (combo->itemData(row, SerialPortListModel::IsVirtualRole).toBool())
                combo->setCurrentIndex(row);
        }
        QTest::mouseClick(child<QPushButton>(port, "openButton"), Qt::LeftButton);
        QTRY_COMPARE(w.controller().portState(), ModuleController::PortState::Open);

        ConfigPanel &config = w.configPanel();
        child<QComboBox>(config, "slotCombo")->setCurrentIndex(0);
        type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
        child<QSpinBox>(config, "portSpin")->setValue(m_broker->port());
        type(child<QLineEdit>(config, "clientIdEdit"), clientId);
        QTest::mouseClick(child<QPushButton>(config, "startButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.controller().status(0).state, SlotState::Connected, 20000);
        QTRY_COMPARE(w.slotTable().index(0, SlotStateModel::MqttColumn).data(SlotStateModel::MqttStateRole).toInt(),
                     int(SlotSnapshot::Mqtt::Connected));
        // The panel's own line follows the start to its end rather than staying at "Starting…".
        QTRY_COMPARE(child<QLabel>(config, "errorLabel")->text(), QStringLiteral("Slot 0 connected."));
    }

    void subscribe(MainWindow &w, const QString &filter)
    {
        SubscriptionPanel &subs = w.subscriptionPanel();
        type(child<QLineEdit>(subs, "filterEdit"), filter);
        child<QComboBox>(subs, "subQosCombo")->setCurrentIndex(1);
        QTest::mouseClick(child<QPushButton>(subs, "subscribeButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller().status(0).subscriptions.isEmpty() &&
                                     w.controller().status(0).subscriptions.front().grantedQos == 1,
                                 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio"));
        QSettings().clear(); // each run starts from the defaults a new user has
        QVERIFY(installApplicationTranslations(*QCoreApplication::instance())); // as qmt-studio does
        m_broker = std::make_unique<test::MosquittoBroker>();
        QString error;
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void aSessionOnTheVirtualModuleFillsTheTreeAndTheLogAndPublishes()
    {
        MainWindow w;
        w.show();
        openAndStart(w, QStringLiteral("studio-session"));
        subscribe(w, QStringLiteral("gui/#"));

        // A message from a third-party client appears in the tree and the log, payload intact.
        const QByteArray payload = "{\"t\": 21.5, \"note\": \"a, \\\"quoted\\\"\r\nline\"}";
        QString error;
        QVERIFY2(test::mosquittoPublish(m_broker->port(), "gui/room/1", payload, 1, false, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(w.tree().indexOfTopic("gui/room/1").isValid(), 10000);
        const QModelIndex node = w.tree().indexOfTopic("gui/room/1");
        QCOMPARE(node.data(TopicTreeModel::PayloadRole).toByteArray(), payload);
        QTRY_VERIFY(logHas(w.log(), "+QMTRECV: 0,"));

        // A composed message reaches mosquitto_sub byte for byte (quotes and CR LF go by length).
        test::MosquittoSubscriber sub(m_broker->port(), "gui/out", 2);
        QVERIFY2(sub.start(&error), qPrintable(error));
        PublishPanel &pub = w.publishPanel();
        child<QComboBox>(pub, "topicCombo")->setCurrentText(QStringLiteral("gui/out"));
        child<QComboBox>(pub, "pubQosCombo")->setCurrentIndex(2);
        auto *editor = child<QPlainTextEdit>(pub, "payloadEdit");
        editor->setPlainText(QStringLiteral("line one\nline \"two\", done"));
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(sub.waitForMessages(1));
        QCOMPARE(sub.messages().front().payload, QByteArray("line one\nline \"two\", done"));
        QTRY_VERIFY(child<QLabel>(pub, "resultLabel")->text().startsWith(QStringLiteral("Published")));

        // Hex mode publishes the bytes the digits stand for. The result line was about the message sent:
        // composing the next one takes it away.
        child<QRadioButton>(pub, "pubHexRadio")->setChecked(true);
        QCOMPARE(child<QLabel>(pub, "resultLabel")->text(), QString());
        editor->setPlainText(QStringLiteral("00 ff 1a 0d 0a"));
        QTest::mouseClick(child<QPushButton>(pub, "sendButton"), Qt::LeftButton);
        QVERIFY(sub.waitForMessages(2));
        QCOMPARE(sub.messages().at(1).payload, QByteArray("\x00\xff\x1a\r\n", 5));
    }

    void aStoppedBrokerShowsQmtstat1AndAutoRecoveryRestoresTheSlot()
    {
        MainWindow w;
        w.show();
        openAndStart(w, QStringLiteral("studio-recovery"));
        subscribe(w, QStringLiteral("rec/#"));
        w.controller().setRecoveryDelays(200, 1000);
        child<QCheckBox>(w.statePanel(), "autoRecoveryCheck")->setChecked(true);

        m_broker->stop();
        QTRY_COMPARE_WITH_TIMEOUT(
            w.slotTable().index(0, SlotStateModel::StatColumn).data(SlotStateModel::StatCodeRole).toInt(), 1, 20000);
        auto *statLine = child<QLabel>(w.statePanel(), "lastStatLabel");
        QTRY_VERIFY(statLine->text().contains(QStringLiteral("+QMTSTAT 1")));
        // What to do is said in this window's terms; the note's AT advice is the detail behind it.
        QVERIFY2(statLine->text().contains(QStringLiteral("What to do: Auto-recovery tries again")),
                 qPrintable(statLine->text()));
        QVERIFY(!statLine->text().contains(QStringLiteral("AT+QMTOPEN")));
        QVERIFY2(statLine->toolTip().contains(codes::statAdvice(1)), qPrintable(statLine->toolTip()));
        const QModelIndex stat = w.slotTable().index(0, SlotStateModel::StatColumn);
        const QColor red(0xd0, 0x30, 0x30);
        QCOMPARE(stat.data(Qt::ForegroundRole).value<QColor>(), red);

        QString error;
        QVERIFY2(m_broker->restart(&error), qPrintable(error)); // the same port
        QTRY_COMPARE_WITH_TIMEOUT(w.controller().status(0).state, SlotState::Connected, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(w.controller().status(0).subscriptions.front().grantedQos, std::optional<int>(1),
                                  10000);
        // Back up, the advice gives way: one line says what happened.
        QTRY_VERIFY(
            child<QLabel>(w.statePanel(), "lastStatLabel")->text().endsWith(QStringLiteral("Connected again.")));
        QVERIFY(!child<QLabel>(w.statePanel(), "lastStatLabel")->text().contains(QStringLiteral("What to do")));
        // The drop is history now: the table no longer shows it as an alarm.
        QTRY_VERIFY(stat.data(Qt::ForegroundRole).value<QColor>() != red);
        QVERIFY2(test::mosquittoPublish(m_broker->port(), "rec/again", "back", 1, false, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(w.tree().indexOfTopic("rec/again").isValid(), 10000);
    }

    void aChartedTopicPlotsTheNumbersOfItsMessages()
    {
        MainWindow w;
        w.show();
        openAndStart(w, QStringLiteral("studio-charts"));
        subscribe(w, QStringLiteral("chart/#"));
        QString error;
        QVERIFY2(test::mosquittoPublish(m_broker->port(), "chart/room", R"({"t": 20.5, "rh": 40})", 1, false, &error),
                 qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(w.tree().indexOfTopic("chart/room").isValid(), 10000);

        // Select the topic in the tree, as a user clicks it, and press Chart.
        SubscriptionPanel &subs = w.subscriptionPanel();
        auto *view = child<QTreeView>(subs, "topicTree");
        auto *proxy = qobject_cast<QAbstractProxyModel *>(view->model());
        QVERIFY(proxy);
        view->setCurrentIndex(proxy->mapFromSource(w.tree().indexOfTopic("chart/room")));
        QTest::mouseClick(child<QPushButton>(subs, "chartButton"), Qt::LeftButton);
        QVERIFY(w.charts().isWatched("chart/room"));

        QVERIFY2(test::mosquittoPublish(m_broker->port(), "chart/room", R"({"t": 21.5, "rh": 41})", 1, false, &error),
                 qPrintable(error));
        // Two lines (rh, t), each with the message shown when charting began and the one after it.
        QChart &chart = w.chartPanel().chart();
        QTRY_VERIFY_WITH_TIMEOUT(
            chart.series().size() == 2 && static_cast<QLineSeries *>(chart.series().at(1))->count() == 2, 10000);
        auto *t = static_cast<QLineSeries *>(chart.series().at(1));
        QCOMPARE(t->name(), QStringLiteral("t")); // one topic: the legend names fields
        QCOMPARE(t->at(0).y(), 20.5);
        QCOMPARE(t->at(1).y(), 21.5);
        QCOMPARE(static_cast<QLineSeries *>(chart.series().at(0))->at(1).y(), 41.0);

        // Pressing Chart again on a charted topic adds nothing.
        QTest::mouseClick(child<QPushButton>(subs, "chartButton"), Qt::LeftButton);
        w.charts().flush();
        QCOMPARE(w.charts().samples(1).size(), 2);
    }

    void aMessageBeyondTheModulesLimitReachesTheTreeMarkedTruncated()
    {
        MainWindow w;
        w.show();
        openAndStart(w, QStringLiteral("studio-big"));
        subscribe(w, QStringLiteral("big/#"));
        QByteArray payload(70'000, 'x');
        payload.replace(0, 9, "{\"start\":");
        QString error;
        QVERIFY2(test::mosquittoPublish(m_broker->port(), "big/blob", payload, 1, false, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(w.tree().indexOfTopic("big/blob").isValid(), 10000);
        const QModelIndex node = w.tree().indexOfTopic("big/blob");
        QVERIFY(node.data(TopicTreeModel::TruncatedRole).toBool());
        QCOMPARE(node.data(TopicTreeModel::FullLengthRole).toLongLong(), 70'000);
        QVERIFY(node.data(TopicTreeModel::PayloadRole).toByteArray().startsWith("{\"start\":"));
        // The log keeps the head of the line and says how long it was.
        QTRY_VERIFY(logHas(w.log(), "bytes in all; the log keeps the first 4096]"));
    }

    void stopSaysWhenTheSlotIsDownAndAStartResubscribes()
    {
        MainWindow w;
        w.show();
        openAndStart(w, QStringLiteral("studio-stop"));
        subscribe(w, QStringLiteral("stop/#"));
        ConfigPanel &config = w.configPanel();
        QTest::mouseClick(child<QPushButton>(config, "stopButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(config, "errorLabel")->text(), QStringLiteral("Slot 0 stopped."),
                                  10000);
        // The grant ended with the session; the filter waits, and comes back with the next start.
        QCOMPARE(w.controller().status(0).subscriptions.front().grantedQos, std::nullopt);
        QTest::mouseClick(child<QPushButton>(config, "startButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.controller().status(0).subscriptions.front().grantedQos, std::optional<int>(1),
                                  10000);
        QString error;
        QVERIFY2(test::mosquittoPublish(m_broker->port(), "stop/again", "back", 1, false, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(w.tree().indexOfTopic("stop/again").isValid(), 10000);
    }

    void theConsoleSendsDataWithCtrlZAsTheModuleLineDoes()
    {
        MainWindow w;
        w.show();
        openAndStart(w, QStringLiteral("studio-console"));
        QString error;
        test::MosquittoSubscriber sub(m_broker->port(), "console/out", 0);
        QVERIFY2(sub.start(&error), qPrintable(error));
        ConsolePanel &console = w.consolePanel();
        auto *input = child<QLineEdit>(console, "commandEdit");
        type(input, QStringLiteral("AT+QMTPUB=0,0,0,0,\"console/out\""));
        QTest::keyClick(input, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(console, "ctrlZButton")->isEnabled(), 5000);
        type(input, QStringLiteral("typed, then Ctrl+Z"));
        QTest::keyClick(input, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(sub.waitForMessages(1));
        QCOMPARE(sub.messages().front().payload, QByteArray("typed, then Ctrl+Z")); // no line break added
        QVERIFY(input->text().isEmpty());
        QVERIFY(!child<QPushButton>(console, "ctrlZButton")->isEnabled());
    }

    void eachTestFormButtonAsksForItsCommandsRanges()
    {
        MainWindow w;
        w.show();
        PortPanel &port = w.portPanel();
        auto *combo = child<QComboBox>(port, "portCombo");
        for (int row = 0; row < combo->count(); ++row) {
            if (combo->itemData(row, SerialPortListModel::IsVirtualRole).toBool())
                combo->setCurrentIndex(row);
        }
        QTest::mouseClick(child<QPushButton>(port, "openButton"), Qt::LeftButton);
        QTRY_COMPARE(w.controller().portState(), ModuleController::PortState::Open);
        ConsolePanel &console = w.consolePanel();
        const std::pair<const char *, QByteArray> buttons[] = {
            {"cfgTestButton", "+QMTCFG"},   {"openTestButton", "+QMTOPEN"}, {"closeTestButton", "+QMTCLOSE"},
            {"connTestButton", "+QMTCONN"}, {"discTestButton", "+QMTDISC"}, {"subTestButton", "+QMTSUB"},
            {"unsTestButton", "+QMTUNS"},   {"pubTestButton", "+QMTPUB"}};
        auto *transcript = child<QPlainTextEdit>(console, "transcriptView");
        for (const auto &[button, name] : buttons) {
            QSignalSpy sent(&w.controller().channel(), &AtChannel::commandSent);
            QTest::mouseClick(child<QPushButton>(console, button), Qt::LeftButton);
            const QByteArray command = "AT" + name + "=?";
            QTRY_VERIFY_WITH_TIMEOUT(
                std::any_of(sent.cbegin(), sent.cend(),
                            [&](const QList<QVariant> &a) { return a.at(1).toByteArray() == command; }),
                10000);
            // The module's ranges reach the console's transcript.
            QTRY_VERIFY_WITH_TIMEOUT(transcript->toPlainText().contains(QString::fromLatin1(name + ": ")), 10000);
        }
    }

    void everyAutoRecoveryControlFollowsTheSetting()
    {
        MainWindow w;
        w.show();
        auto *check = child<QCheckBox>(w.statePanel(), "autoRecoveryCheck");
        w.controller().setAutoRecovery(true); // as --demo and --auto-recovery do
        QVERIFY(check->isChecked());
        QAction *menu = nullptr;
        for (QAction *a : w.findChildren<QAction *>()) {
            if (a->text() == QStringLiteral("&Auto-recovery"))
                menu = a;
        }
        QVERIFY(menu);
        QVERIFY(menu->isChecked());
        check->setChecked(false);
        QVERIFY(!w.controller().autoRecovery());
        QVERIFY(!menu->isChecked());
    }

    void theLogSaysWhenItHidesKindsOrSlots()
    {
        MainWindow w;
        w.show();
        auto *kinds = child<QToolButton>(w.logPanel(), "kindsButton");
        QCOMPARE(kinds->text(), QStringLiteral("Kinds"));
        kinds->menu()->actions().front()->setChecked(false);
        QCOMPARE(kinds->text(), QStringLiteral("Kinds (8 of 9)"));
        kinds->menu()->actions().front()->setChecked(true);
        QCOMPARE(kinds->text(), QStringLiteral("Kinds"));
        auto *slots = child<QToolButton>(w.logPanel(), "slotsButton");
        slots->menu()->actions().at(1)->setChecked(false);
        QCOMPARE(slots->text(), QStringLiteral("Slots (5 of 6)"));
    }

    void aStartThatFailsSaysWhyInTheConfigurationPanel()
    {
        MainWindow w;
        w.show();
        openAndStart(w, QStringLiteral("studio-fails-elsewhere"));
        ConfigPanel &config = w.configPanel();
        child<QComboBox>(config, "slotCombo")->setCurrentIndex(1);
        type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
        child<QSpinBox>(config, "portSpin")->setValue(test::MosquittoBroker::freePort()); // nobody listens
        type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("studio-refused"));
        QTest::mouseClick(child<QPushButton>(config, "startButton"), Qt::LeftButton);
        auto *line = child<QLabel>(config, "errorLabel");
        QTRY_VERIFY_WITH_TIMEOUT(
            line->text().startsWith(QStringLiteral("Slot 1: ")) && !line->text().endsWith(QStringLiteral("…")), 20000);
        QVERIFY(!w.controller().status(1).lastError.isEmpty());
        // The failure, then what to do about it in this window; the module's words as the detail.
        QVERIFY2(line->text().startsWith(QStringLiteral("Slot 1: %1").arg(w.controller().status(1).lastError)),
                 qPrintable(line->text()));
        QVERIFY2(line->text().contains(QStringLiteral("Check the host and port in Configuration")),
                 qPrintable(line->text()));
        QVERIFY2(line->toolTip().contains(QStringLiteral("+QMTOPEN result -1")), qPrintable(line->toolTip()));
        QCOMPARE(w.controller().status(0).state, SlotState::Connected); // the other slot is untouched
    }

    void theTopicCapIsTheUsersAndTheTreeCanBeCleared()
    {
        {
            MainWindow w;
            SubscriptionPanel &subs = w.subscriptionPanel();
            auto *cap = child<QSpinBox>(subs, "maxTopicsSpin");
            QCOMPARE(cap->value(), w.tree().maxNodes());
            cap->setValue(100);
            Q_EMIT cap->editingFinished();
            QCOMPARE(w.tree().maxNodes(), 100);
            for (int i = 0; i < 150; ++i)
                w.tree().add(RecvMessage{0, 0, "cap/t" + QByteArray::number(i), {}, "x", "x"});
            w.tree().flush();
            QVERIFY(w.tree().nodeCount() <= 100);
            const quint64 dropped = w.tree().droppedMessages();
            QVERIFY(dropped > 1);
            auto *label = child<QLabel>(subs, "droppedTopicsLabel");
            // The English translation gives the count its plural ("%n message(s)" in the source).
            QTRY_COMPARE(label->text(),
                         QStringLiteral("%1 messages on new topics dropped: the tree is full").arg(dropped));

            QTest::mouseClick(child<QPushButton>(subs, "clearTopicsButton"), Qt::LeftButton);
            QCOMPARE(w.tree().rowCount(), 0);
            QTRY_VERIFY(label->text().isEmpty());
            for (int i = 0; w.tree().droppedMessages() == 0; ++i) {
                w.tree().add(RecvMessage{0, 0, "cap/u" + QByteArray::number(i), {}, "x", "x"});
                w.tree().flush();
            }
            QTRY_COMPARE(label->text(), QStringLiteral("1 message on new topics dropped: the tree is full"));
            w.close();
        }
        MainWindow again; // the cap is remembered
        QCOMPARE(again.tree().maxNodes(), 100);
        QCOMPARE(child<QSpinBox>(again.subscriptionPanel(), "maxTopicsSpin")->value(), 100);
    }

    void theTopicColumnWidensToShowALongTopic()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *view = child<QTreeView>(w.subscriptionPanel(), "topicTree");
        const auto fits = [view] {
            const auto *v = static_cast<QAbstractItemView *>(view); // QTreeView makes it protected
            return view->columnWidth(TopicTreeModel::TopicColumn) >= v->sizeHintForColumn(TopicTreeModel::TopicColumn);
        };
        w.tree().add(RecvMessage{0, 0, "fit/a", {}, "x", "x"});
        w.tree().flush();
        QTRY_VERIFY(fits());
        const int before = view->columnWidth(TopicTreeModel::TopicColumn);

        w.tree().add(RecvMessage{0, 0, "fit/" + QByteArray(60, 'w'), {}, "x", "x"});
        w.tree().flush();
        QTRY_VERIFY(view->columnWidth(TopicTreeModel::TopicColumn) > before);
        QTRY_VERIFY(fits());

        w.close();
    }

    void invalidInputShowsItsErrorAndSendsNothing_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("host with a quote") << 0 << QStringLiteral("host_name");
        QTest::newRow("empty client ID") << 1 << QStringLiteral("clientID");
        QTest::newRow("will enabled without a topic") << 2 << QStringLiteral("will_topic");
        QTest::newRow("subscription filter a/#/b") << 3 << QStringLiteral("# only as its last level");
        QTest::newRow("publish to a wildcard topic") << 4 << QStringLiteral("wildcard");
        QTest::newRow("hex payload with a stray letter") << 5 << QStringLiteral("not a hex digit");
        QTest::newRow("JSON payload that is not JSON") << 6 << QStringLiteral("valid JSON");
        QTest::newRow("payload over 1460 bytes") << 7 << QStringLiteral("at most 1460 bytes");
        QTest::newRow("will message with a quote") << 8 << QStringLiteral("will_msg");
        QTest::newRow("user name with a quote") << 9 << QStringLiteral("username");
        QTest::newRow("password with a quote") << 10 << QStringLiteral("password");
        QTest::newRow("product key with a quote") << 11 << QStringLiteral("product_key");
        QTest::newRow("device name with a quote") << 12 << QStringLiteral("device_name");
        QTest::newRow("device secret with a quote") << 13 << QStringLiteral("device_secret");
        QTest::newRow("will topic with a wildcard") << 14 << QStringLiteral("will_topic");
    }
    void invalidInputShowsItsErrorAndSendsNothing()
    {
        QFETCH(int, field);
        QFETCH(QString, mentions);
        MainWindow w;
        w.show();
        w.controller().setInfoPollIntervalMs(3'600'000);
        openAndStart(w, QStringLiteral("studio-invalid"));
        // The first round of module-information polls runs on the idle line; let it finish.
        QTRY_VERIFY_WITH_TIMEOUT(logHas(w.log(), "AT+CGATT?") && w.controller().channel().isIdle(), 10000);
        QSignalSpy sent(&w.controller().channel(), &AtChannel::commandSent);
        ConfigPanel &config = w.configPanel();
        PublishPanel &pub = w.publishPanel();
        QLabel *error = nullptr;
        auto setSlot1 = [&] { child<QComboBox>(config, "slotCombo")->setCurrentIndex(1); };
        auto start = [&] { QTest::mouseClick(child<QPushButton>(config, "startButton"), Qt::LeftButton); };
        switch (field) {
        case 0:
            setSlot1();
            type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("bad\"host"));
            type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("c"));
            start();
            error = child<QLabel>(config, "errorLabel");
            // The field is named by its label and marked until it is edited.
            QVERIFY2(error->text().startsWith(QStringLiteral("Host: ")), qPrintable(error->text()));
            QVERIFY(child<QLineEdit>(config, "hostEdit")->styleSheet().contains(QStringLiteral("#b00020")));
            break;
        case 1:
            setSlot1();
            type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
            type(child<QLineEdit>(config, "clientIdEdit"), QString());
            start();
            error = child<QLabel>(config, "errorLabel");
            break;
        case 2:
            setSlot1();
            type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
            type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("c"));
            child<QCheckBox>(config, "willCheck")->setChecked(true);
            type(child<QLineEdit>(config, "willMessageEdit"), QStringLiteral("bye"));
            start();
            error = child<QLabel>(config, "errorLabel");
            break;
        case 3: {
            SubscriptionPanel &subs = w.subscriptionPanel();
            type(child<QLineEdit>(subs, "filterEdit"), QStringLiteral("a/#/b"));
            QVERIFY(!child<QPushButton>(subs, "subscribeButton")->isEnabled());
            QTest::keyClick(child<QLineEdit>(subs, "filterEdit"), Qt::Key_Return);
            error = child<QLabel>(subs, "subscribeErrorLabel");
            break;
        }
        case 4:
            child<QComboBox>(pub, "topicCombo")->setCurrentText(QStringLiteral("a/+/c"));
            child<QPlainTextEdit>(pub, "payloadEdit")->setPlainText(QStringLiteral("x"));
            QTest::mouseClick(child<QPushButton>(pub, "sendButton"), Qt::LeftButton);
            error = child<QLabel>(pub, "publishErrorLabel");
            break;
        case 5:
            child<QComboBox>(pub, "topicCombo")->setCurrentText(QStringLiteral("a"));
            child<QRadioButton>(pub, "pubHexRadio")->setChecked(true);
            child<QPlainTextEdit>(pub, "payloadEdit")->setPlainText(QStringLiteral("00 1g"));
            QTest::mouseClick(child<QPushButton>(pub, "sendButton"), Qt::LeftButton);
            error = child<QLabel>(pub, "publishErrorLabel");
            break;
        case 6:
            child<QComboBox>(pub, "topicCombo")->setCurrentText(QStringLiteral("a"));
            child<QRadioButton>(pub, "pubJsonRadio")->setChecked(true);
            child<QPlainTextEdit>(pub, "payloadEdit")->setPlainText(QStringLiteral("{\"a\": }"));
            QTest::mouseClick(child<QPushButton>(pub, "sendButton"), Qt::LeftButton);
            error = child<QLabel>(pub, "publishErrorLabel");
            break;
        case 7:
            child<QComboBox>(pub, "topicCombo")->setCurrentText(QStringLiteral("a"));
            child<QPlainTextEdit>(pub, "payloadEdit")->setPlainText(QString(1461, QLatin1Char('x')));
            QVERIFY(child<QLabel>(pub, "byteCounterLabel")->text().startsWith(QStringLiteral("1461 / 1460")));
            QTest::mouseClick(child<QPushButton>(pub, "sendButton"), Qt::LeftButton);
            error = child<QLabel>(pub, "publishErrorLabel");
            break;
        case 8:
            setSlot1();
            type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
            type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("c"));
            type(child<QLineEdit>(config, "passwordEdit"), QStringLiteral("secret-pw"));
            child<QCheckBox>(config, "willCheck")->setChecked(true);
            type(child<QLineEdit>(config, "willTopicEdit"), QStringLiteral("dev/lwt"));
            type(child<QLineEdit>(config, "willMessageEdit"), QStringLiteral("say \"bye\""));
            start();
            error = child<QLabel>(config, "errorLabel");
            break;
        case 9:
        case 10:
        case 11:
        case 12:
        case 13:
        case 14: {
            setSlot1();
            type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
            type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("c"));
            const char *fields[] = {"userEdit",       "passwordEdit",     "productKeyEdit",
                                    "deviceNameEdit", "deviceSecretEdit", "willTopicEdit"};
            if (field >= 11 && field <= 13)
                child<QCheckBox>(config, "aliAuthCheck")->setChecked(true);
            if (field == 14) {
                child<QCheckBox>(config, "willCheck")->setChecked(true);
                type(child<QLineEdit>(config, "willMessageEdit"), QStringLiteral("bye"));
            }
            // Other fields of the group valid, so the error can only come from this one.
            for (const char *name : {"productKeyEdit", "deviceNameEdit", "deviceSecretEdit"})
                type(child<QLineEdit>(config, name), QStringLiteral("ok"));
            const bool secret = field == 10 || field == 13;
            type(child<QLineEdit>(config, fields[field - 9]), field == 14 ? QStringLiteral("dev/+/lwt")
                                                              : secret    ? QStringLiteral("secret-pw\"x")
                                                                          : QStringLiteral("bad\"x"));
            start();
            error = child<QLabel>(config, "errorLabel");
            break;
        }
        }
        QVERIFY(error);
        QVERIFY2(error->isVisible() || field < 3, "the error is shown");
        QVERIFY2(error->text().contains(mentions), qPrintable(error->text()));
        if (field == 0) { // the mark and the message go with the first edit of the field
            QTest::keyClick(child<QLineEdit>(config, "hostEdit"), Qt::Key_Backspace);
            QVERIFY(child<QLineEdit>(config, "hostEdit")->styleSheet().isEmpty());
            QVERIFY(error->text().isEmpty());
        }
        QTest::qWait(300);
        QCOMPARE(sent.size(), 0);
        // A secret is never repeated in an error: only its length.
        QVERIFY(!error->text().contains(QStringLiteral("secret-pw")));
    }
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
