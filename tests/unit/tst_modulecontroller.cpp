#include "support/ptypair.h"
#include "support/rulemodule.h"

#include "core/module/modulecontroller.h"
#include "core/module/serialportprovider.h"
#include "core/qmt/atfields.h"
#include "core/qmt/qmtcodes.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;
using test::RuleModule;

namespace {

QByteArray ok(const QByteArray &urc = {})
{
    return "\r\nOK\r\n" + (urc.isEmpty() ? QByteArray() : "\r\n" + urc + "\r\n");
}

QList<AtField> args(const QByteArray &command)
{
    return splitAtFields(QByteArrayView(command).sliced(command.indexOf('=') + 1));
}

/// A module that says yes to everything, the way the note's examples go.
QByteArray happyModule(const QByteArray &c)
{
    const auto a = args(c);
    auto f = [&](int i) { return a.value(i).text.toByteArray(); };
    if (c.startsWith("AT+QMTOPEN="))
        return ok("+QMTOPEN: " + f(0) + ",0");
    if (c.startsWith("AT+QMTCONN="))
        return ok("+QMTCONN: " + f(0) + ",0,0");
    if (c.startsWith("AT+QMTSUB=")) {
        QByteArray granted;
        for (qsizetype i = 3; i < a.size(); i += 2)
            granted += ',' + f(int(i));
        return ok("+QMTSUB: " + f(0) + ',' + f(1) + ",0" + granted);
    }
    if (c.startsWith("AT+QMTUNS="))
        return ok("+QMTUNS: " + f(0) + ',' + f(1) + ",0");
    if (c.startsWith("AT+QMTPUB=")) {
        if (a.size() <= 6)
            return "\r\n> ";
        return ok("+QMTPUB: " + f(0) + ',' + f(1) + ",0");
    }
    if (c.startsWith("AT+QMTDISC="))
        return ok("+QMTDISC: " + f(0) + ",0");
    if (c.startsWith("AT+QMTCLOSE="))
        return ok("+QMTCLOSE: " + f(0) + ",0");
    if (c == "AT+CGATT?")
        return "\r\n+CGATT: 1\r\n" + ok();
    if (c == "AT+QSCLK?")
        return "\r\n+QSCLK: 0\r\n" + ok();
    return ok();
}

SlotConfig demoConfig()
{
    SlotConfig c;
    c.host = "127.0.0.1";
    c.port = 1883;
    c.clientId = "qmt-test";
    return c;
}

struct Rig
{
    RuleModule module;
    ModuleController controller;
    QStringList notices;

    explicit Rig(bool sleepOff = true)
    {
        module.setRule(happyModule);
        controller.setRecoveryDelays(20, 200);
        controller.setInfoPollIntervalMs(3'600'000);
        if (sleepOff)
            controller.setWakeAfterIdleMs(3'600'000);
        controller.setPortProvider(std::make_unique<test::TestPortProvider>(&module));
        QObject::connect(&controller, &ModuleController::notice, [this](const QString &n) { notices.append(n); });
    }
    bool openAndSettle()
    {
        if (!controller.openPort())
            return false;
        // The first round of information polls runs on the quiet line; wait until it is over (the next
        // round is an hour away in these tests).
        return QTest::qWaitFor([this] { return controller.channel().isIdle() && module.count("AT+CGATT?") > 0; }, 5000);
    }
    int indexOf(const QByteArray &prefix) const
    {
        const auto &c = module.commands();
        for (qsizetype i = 0; i < c.size(); ++i) {
            if (c[i].startsWith(prefix))
                return int(i);
        }
        return -1;
    }
};

} // namespace

class TestModuleController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startConfiguresOpensConnectsAndSubscribesInOrder()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.module.clearCommands();
        SlotConfig cfg = demoConfig();
        cfg.keepAliveS = 60;
        cfg.will = WillConfig{true, 1, false, "dev/lwt", "gone"};
        rig.controller.setConfig(2, cfg);
        QVERIFY(rig.controller.subscribe(2, "a/#", 1));
        QVERIFY(rig.controller.subscribe(2, "b/+", 2));
        QVERIFY(rig.controller.start(2));
        QTRY_COMPARE(rig.controller.status(2).state, SlotState::Connected);
        QTRY_VERIFY(std::all_of(rig.controller.status(2).subscriptions.begin(),
                                rig.controller.status(2).subscriptions.end(),
                                [](const Subscription &s) { return s.grantedQos.has_value(); }));
        QCOMPARE(rig.controller.status(2).subscriptions[0].grantedQos, std::optional<int>(1));
        QCOMPARE(rig.controller.status(2).subscriptions[1].grantedQos, std::optional<int>(2));
        // Every setting that must precede AT+QMTOPEN went before it; CONNECT after the open; SUBSCRIBE last.
        const int open = rig.indexOf("AT+QMTOPEN=2");
        QVERIFY(open > 0);
        for (const char *before :
             {"AT+QMTCFG=\"will\",2,1,1,0,\"dev/lwt\",\"gone\"", "AT+QMTCFG=\"session\",2",
              "AT+QMTCFG=\"keepalive\",2,60", "AT+QMTCFG=\"version\",2", "AT+QMTCFG=\"ssl\",2,0"}) {
            const int at = rig.indexOf(before);
            QVERIFY2(at >= 0 && at < open, before);
        }
        QVERIFY(rig.indexOf("AT+QMTCONN=2,\"qmt-test\"") > open);
        QVERIFY(rig.indexOf("AT+QMTSUB=2") > rig.indexOf("AT+QMTCONN=2"));
        QVERIFY(rig.controller.status(2).connectedSince.isValid());
    }

    void beforeOpenSettingsCannotChangeWhileOpen()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        SlotConfig changed = demoConfig();
        changed.keepAliveS = 30;
        rig.controller.setConfig(0, changed);
        rig.module.clearCommands();
        const auto refused = rig.controller.applyConfig(0);
        QVERIFY(!refused);
        QVERIFY(refused.error().message().contains(QStringLiteral("before AT+QMTOPEN")));
        QTest::qWait(50);
        QVERIFY(rig.module.commands().isEmpty());
        // Settings that may change while open do go.
        SlotConfig timeouts = demoConfig();
        timeouts.pktTimeoutS = 10;
        rig.controller.setConfig(0, timeouts);
        QVERIFY(rig.controller.applyConfig(0));
        QTRY_VERIFY(rig.indexOf("AT+QMTCFG=\"timeout\",0,10,0,0") >= 0);
        QCOMPARE(rig.indexOf("AT+QMTCFG=\"keepalive\""), -1);
    }

    void invalidInputIsRefusedAndNothingIsSent_data()
    {
        QTest::addColumn<int>("action");
        QTest::newRow("wildcard filter in the middle") << 0;
        QTest::newRow("publish to a wildcard topic") << 1;
        QTest::newRow("publish 1461 bytes") << 2;
        QTest::newRow("slot 5") << 3;
        QTest::newRow("host too long") << 4;
        QTest::newRow("qos 3") << 5;
        QTest::newRow("publish on a slot that is not connected") << 6;
    }
    void invalidInputIsRefusedAndNothingIsSent()
    {
        QFETCH(int, action);
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        rig.module.clearCommands();
        Validated<quint64> r = quint64(0);
        switch (action) {
        case 0:
            r = rig.controller.subscribe(0, "a/#/b", 0);
            break;
        case 1:
            r = rig.controller.publish(0, "a/+", "x", 0, false);
            break;
        case 2:
            r = rig.controller.publish(0, "a", QByteArray(1461, 'x'), 0, false);
            break;
        case 3:
            r = rig.controller.subscribe(5, "a", 0);
            break;
        case 4: {
            SlotConfig c = demoConfig();
            c.host = QByteArray(101, 'h');
            rig.controller.setConfig(1, c);
            r = rig.controller.start(1);
            break;
        }
        case 5:
            r = rig.controller.publish(0, "a", "x", 3, false);
            break;
        case 6:
            r = rig.controller.publish(1, "a", "x", 0, false);
            QVERIFY(!r && r.error().message().contains(QStringLiteral("connected")));
            break;
        }
        QVERIFY(!r);
        QVERIFY(!r.error().message().isEmpty());
        QTest::qWait(50);
        QVERIFY2(rig.module.commands().isEmpty(), rig.module.commands().join(' ').constData());
        QCOMPARE(rig.controller.status(0).subscriptions.size(), 0);
    }

    void aLongSubscriptionListIsSubscribedWholeAndInOrder()
    {
        // More filters than the channel queues or awaits at once (256 and 64): none may be refused or given
        // up on for that, whatever their number up to the cap.
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        constexpr int Count = 300;
        for (int i = 0; i < Count; ++i)
            QVERIFY(rig.controller.subscribe(0, "many/" + QByteArray::number(i), i % 3));
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(rig.controller.status(0).subscriptions.begin(),
                                             rig.controller.status(0).subscriptions.end(),
                                             [](const Subscription &s) { return s.grantedQos.has_value(); }),
                                 30'000);
        QCOMPARE(rig.module.count("AT+QMTSUB=0"), Count);
        const QList<Subscription> &subs = rig.controller.status(0).subscriptions;
        for (int i = 0; i < Count; ++i) {
            QCOMPARE(subs[i].filter, "many/" + QByteArray::number(i));
            QCOMPARE(subs[i].grantedQos, std::optional<int>(i % 3));
        }
        QCOMPARE(rig.controller.status(0).lastError, QString());
    }

    void subscriptionsAreCappedPerSlotWithAnErrorNamingTheCap()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.module.clearCommands();
        for (int i = 0; i < MaxSubscriptionsPerSlot; ++i)
            QVERIFY(rig.controller.subscribe(1, "cap/" + QByteArray::number(i), 0));
        // Changing the QoS of a filter already there is no new filter.
        QVERIFY(rig.controller.subscribe(1, "cap/7", 2));
        const auto refused = rig.controller.subscribe(1, "cap/one-more", 0);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().contains(QString::number(MaxSubscriptionsPerSlot)),
                 qPrintable(refused.error().message()));
        QCOMPARE(rig.controller.status(1).subscriptions.size(), MaxSubscriptionsPerSlot);
        QCOMPARE(rig.controller.status(1).subscriptions[7].requestedQos, 2);
        // Other slots have their own.
        QVERIFY(rig.controller.subscribe(2, "cap/one-more", 0));
        QTest::qWait(50);
        QVERIFY(rig.module.commands().isEmpty());
    }

    void aGrantLastsOnlyAsLongAsItsSession()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        // The SUBSCRIBE result comes late: the user stops the slot before it arrives.
        rig.module.setRule([](const QByteArray &c) { return c.startsWith("AT+QMTSUB=") ? ok() : happyModule(c); });
        QVERIFY(rig.controller.subscribe(0, "late/#", 1));
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.module.count("AT+QMTSUB="), 1);
        const QByteArray msgId = args(rig.module.commands().at(rig.indexOf("AT+QMTSUB="))).at(1).text.toByteArray();
        QVERIFY(rig.controller.stop(0));
        QTRY_VERIFY(rig.indexOf("AT+QMTDISC=") >= 0);
        rig.module.respond("\r\n+QMTSUB: 0," + msgId + ",0,1\r\n"); // the late result of the ended session
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Closed);
        QCOMPARE(rig.controller.status(0).subscriptions.front().grantedQos, std::nullopt);

        // The next start subscribes again (with a clean session the broker kept nothing).
        rig.module.setRule(happyModule);
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.module.count("AT+QMTSUB="), 2);
        QTRY_COMPARE(rig.controller.status(0).subscriptions.front().grantedQos, std::optional<int>(1));
    }

    void aFloodOfMessagesIsCountedAndReportedOncePerTickNotPerMessage()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        QSignalSpy messages(&rig.controller, &ModuleController::messageReceived);
        QList<quint64> reported; // the slot's count each time the slot is said to have changed
        QObject::connect(&rig.controller, &ModuleController::slotChanged, [&](int slot) {
            if (slot == 1)
                reported.append(rig.controller.status(1).counters.received);
        });
        QByteArray flood;
        for (int i = 0; i < 2000; ++i)
            flood += "\r\n+QMTRECV: 1,0,\"flood/t" + QByteArray::number(i % 10) + "\",\"v\"\r\n";
        rig.module.respond(flood);
        QTRY_COMPARE(messages.count(), 2000);
        QTRY_VERIFY(!reported.isEmpty() && reported.last() == 2000);
        // Listeners (the panels' locks and tooltips, the slot table) re-read a slot per report: a flood
        // that arrives at once is reported a few times, not once per message.
        QVERIFY2(reported.size() < 20, qPrintable(QString::number(reported.size())));
    }

    void aSearchingModuleShowsNoSignalRatherThanItsSentinels()
    {
        // protocol-notes §9.4: while searching, AT+QENG=0 prints cell 00000000 with -157/-20/-30.
        ModuleInfo info;
        QVERIFY(info.absorb("AT+QENG=0", {"+QENG: 0,3734,0,301,\"0B2C4A01\",-60,-7,-53,12,8,\"6216\",0,10,1"}));
        QCOMPARE(info.sinrDb, std::optional<double>(12));
        QCOMPARE(info.rsrpDbm, std::optional<double>(-60));
        QVERIFY(info.absorb("AT+QENG=0", {"+QENG: 0,0,0,0,\"00000000\",-157,-20,-137,-30,0,\"0000\",255,-128,255"}));
        QCOMPARE(info.sinrDb, std::nullopt);
        QCOMPARE(info.rsrpDbm, std::nullopt);
        QVERIFY(info.absorb("AT+CESQ", {"+CESQ: 99,99,255,255,255,255"}));
        QCOMPARE(info.rsrqDb, std::nullopt);
    }

    void msgIdsAreUniqueAmongInFlightPublishes()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        // PUBACKs come late: every publish is in flight at once.
        rig.module.setRule([](const QByteArray &c) { return c.startsWith("AT+QMTPUB=") ? ok() : happyModule(c); });
        QList<PublishOutcome> outcomes;
        QObject::connect(&rig.controller, &ModuleController::publishFinished,
                         [&](const PublishOutcome &o) { outcomes.append(o); });
        for (int i = 0; i < 5; ++i)
            QVERIFY(rig.controller.publish(0, "t", "m" + QByteArray::number(i), 1, false));
        QTRY_COMPARE(rig.module.count("AT+QMTPUB="), 5);
        QSet<QByteArray> ids;
        for (const QByteArray &c : rig.module.commands()) {
            if (c.startsWith("AT+QMTPUB="))
                ids.insert(args(c)[1].text.toByteArray());
        }
        QCOMPARE(ids.size(), 5);
        QVERIFY(!ids.contains("0"));
        QCOMPARE(rig.controller.status(0).inFlightPublishes, 5);
        for (const QByteArray &id : ids)
            rig.module.respond("\r\n+QMTPUB: 0," + id + ",0\r\n");
        QTRY_COMPARE(outcomes.size(), 5);
        QCOMPARE(rig.controller.status(0).inFlightPublishes, 0);
        QCOMPARE(rig.controller.status(0).counters.published, quint64(5));
        for (const PublishOutcome &o : outcomes)
            QVERIFY(o.delivered);
    }

    void retransmissionsAreReportedWithThePublish()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        rig.module.setRule([](const QByteArray &c) {
            if (!c.startsWith("AT+QMTPUB="))
                return happyModule(c);
            const QByteArray id = args(c)[1].text.toByteArray();
            return ok("+QMTPUB: 0," + id + ",1,1") + "\r\n+QMTPUB: 0," + id + ",1,2\r\n\r\n+QMTPUB: 0," + id + ",0\r\n";
        });
        QSignalSpy finished(&rig.controller, &ModuleController::publishFinished);
        QVERIFY(rig.controller.publish(0, "t", "x", 1, false));
        QVERIFY(finished.wait(2000));
        const auto outcome = finished.front().front().value<PublishOutcome>();
        QVERIFY(outcome.delivered);
        QCOMPARE(outcome.retransmissions, 2);
        QVERIFY(outcome.text.contains(QStringLiteral("2 retransmission")));
        QCOMPARE(rig.controller.status(0).counters.retransmissions, quint64(3));
    }

    void wrongCredentialsEndWithTheRetCodeAndNoRetry()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.module.setRule([](const QByteArray &c) {
            return c.startsWith("AT+QMTCONN=") ? ok("+QMTCONN: 0,0,4") + "\r\n+QMTSTAT: 0,4\r\n" : happyModule(c);
        });
        SlotConfig cfg = demoConfig();
        cfg.userName = "user";
        cfg.password = "wrong";
        rig.controller.setConfig(0, cfg);
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).lastStat, std::optional<int>(4));
        QCOMPARE(rig.controller.status(0).state, SlotState::Closed);
        QVERIFY(!rig.controller.status(0).wanted);
        QTest::qWait(300);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0"), 1); // not retried: only the user can fix it
        QVERIFY(rig.notices.join(QLatin1Char('\n')).contains(QStringLiteral("Incorrect User Name or Password")));
    }

    void brokerGoneRecoversWithBackoffAndResubscribes()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.subscribe(0, "x/#", 1));
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        // The broker is down for two attempts, then back.
        int refusals = 2;
        rig.module.setRule([&](const QByteArray &c) {
            if (c.startsWith("AT+QMTOPEN=") && refusals > 0) {
                --refusals;
                return ok("+QMTOPEN: 0,-1");
            }
            return happyModule(c);
        });
        rig.module.clearCommands();
        rig.module.respond("\r\n+QMTSTAT: 0,1\r\n");
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Closed);
        QCOMPARE(rig.controller.status(0).lastStat, std::optional<int>(1));
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 5000);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0"), 3);
        QTRY_COMPARE(rig.module.count("AT+QMTSUB=0"), 1);
        QTRY_COMPARE(rig.controller.status(0).subscriptions.front().grantedQos, std::optional<int>(1));
        QCOMPARE(rig.controller.status(0).recoveryAttempt, 0);
    }

    void recoveryReconnectsWithTheSettingsTheSlotConnectedWith()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        SlotConfig started = demoConfig();
        started.userName = "fleet";
        started.password = "right-password";
        rig.controller.setConfig(0, started);
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        // Another profile is shown now: another broker, its user name, and no password (the keychain lacks it).
        SlotConfig shown = demoConfig();
        shown.host = "other.example.net";
        shown.userName = "other";
        rig.controller.setConfig(0, shown);
        QVERIFY(rig.controller.runsWithOtherSettings(0));
        QCOMPARE(rig.controller.sessionConfig(0), std::optional<SlotConfig>(started));
        rig.module.clearCommands();
        rig.module.respond("\r\n+QMTSTAT: 0,1\r\n");
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Closed);
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 5000);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0,\"127.0.0.1\",1883"), 1);
        QCOMPARE(rig.module.count("AT+QMTCONN=0,\"qmt-test\",\"fleet\",\"right-password\""), 1);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0,\"other.example.net\""), 0);
        QCOMPARE(rig.controller.config(0), shown); // what is shown stays as it is, to apply when the user says
    }

    void changedSettingsReachARunningSlotOnlyByReconnecting()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.subscribe(0, "x/#", 1));
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        SlotConfig edited = demoConfig();
        edited.userName = "new-user";
        edited.password = "new-password";
        edited.keepAliveS = 30;
        rig.controller.setConfig(0, edited);
        // Start on a running slot does not switch it over behind the user's back.
        rig.module.clearCommands();
        QVERIFY(rig.controller.start(0));
        QTest::qWait(100);
        QCOMPARE(rig.module.count("AT+QMTDISC"), 0);
        QVERIFY(rig.controller.runsWithOtherSettings(0));
        // Applying settings that count at OPEN/CONNECT is refused without a reconnect, and sends nothing.
        QVERIFY(!rig.controller.applyConfig(0));
        QCOMPARE(rig.module.count("AT+QMTCFG"), 0);

        QVERIFY(rig.controller.reconnectWithConfig(0));
        QVERIFY(rig.notices.last().contains(QStringLiteral("reconnects")));
        QTRY_COMPARE(rig.module.count("AT+QMTCONN=0,\"qmt-test\",\"new-user\",\"new-password\""), 1);
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        const int disc = rig.indexOf("AT+QMTDISC=0");
        QVERIFY(disc >= 0);
        QVERIFY(disc < rig.indexOf("AT+QMTCFG=\"keepalive\",0,30"));
        QVERIFY(rig.indexOf("AT+QMTCFG=\"keepalive\",0,30") < rig.indexOf("AT+QMTOPEN=0"));
        QTRY_COMPARE(rig.controller.status(0).subscriptions.front().grantedQos, std::optional<int>(1));
        QVERIFY(!rig.controller.runsWithOtherSettings(0));
        QCOMPARE(rig.controller.sessionConfig(0), std::optional<SlotConfig>(edited));
        QVERIFY(rig.controller.status(0).wanted);
    }

    void recoveryStateSaysWhenItTriesAgainAndReconnectNowSkipsTheWait()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setRecoveryDelays(60'000, 60'000);
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        rig.module.clearCommands();
        const QDateTime before = QDateTime::currentDateTime();
        rig.module.respond("\r\n+QMTSTAT: 0,1\r\n");
        QTRY_COMPARE(rig.controller.status(0).recoveryAttempt, 1);
        const SlotStatus &st = rig.controller.status(0);
        QVERIFY(st.nextAttempt.isValid());
        QVERIFY(st.nextAttempt >= before.addSecs(59));
        QVERIFY(st.notRetrying.isEmpty());
        QCOMPARE(rig.module.count("AT+QMTOPEN"), 0);
        // No countdown in the notices: the slot table has it, per slot.
        QVERIFY(!rig.notices.join(QLatin1Char('\n')).contains(QStringLiteral("recovering in")));

        QVERIFY(rig.controller.reconnectNow(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0"), 1);
        QVERIFY(!rig.controller.status(0).nextAttempt.isValid());
        QCOMPARE(rig.controller.status(0).recoveryAttempt, 0);

        // Turned off while waiting: the slot says it will not try again.
        rig.module.respond("\r\n+QMTSTAT: 0,1\r\n");
        QTRY_VERIFY(rig.controller.status(0).nextAttempt.isValid());
        rig.controller.setAutoRecovery(false);
        QCOMPARE(rig.controller.status(0).notRetrying, QStringLiteral("not retrying: auto-recovery is off"));
        QVERIFY(!rig.controller.status(0).nextAttempt.isValid());
        QVERIFY(!rig.controller.status(0).wanted);
    }

    void aSlotThatGaveUpSaysWhyAndReconnectsWithItsOwnSettings()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        bool refuse = true;
        rig.module.setRule([&refuse](const QByteArray &c) {
            return c.startsWith("AT+QMTCONN=") && refuse ? ok("+QMTCONN: 0,0,5") + "\r\n+QMTSTAT: 0,4\r\n"
                                                         : happyModule(c);
        });
        SlotConfig started = demoConfig();
        started.userName = "u";
        started.password = "pw-started";
        rig.controller.setConfig(0, started);
        QVERIFY(rig.controller.start(0));
        QTRY_VERIFY(!rig.controller.status(0).notRetrying.isEmpty());
        QCOMPARE(rig.controller.status(0).notRetrying, QStringLiteral("gave up: %1").arg(codes::connReturnCode(5)));
        QVERIFY(!rig.controller.status(0).nextAttempt.isValid());

        // The broker's rules are fixed; the form now shows another profile without a password.
        refuse = false;
        rig.controller.setConfig(0, demoConfig());
        rig.module.clearCommands();
        QVERIFY(rig.controller.reconnectNow(0));
        QVERIFY(rig.controller.status(0).notRetrying.isEmpty());
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        QCOMPARE(rig.module.count("AT+QMTCONN=0,\"qmt-test\",\"u\",\"pw-started\""), 1);
        QCOMPARE(rig.module.count("AT+QMTCONN=0"), 1);
    }

    void withoutAutoRecoveryAStatLeavesTheSlotClosed()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        rig.module.clearCommands();
        rig.module.respond("\r\n+QMTSTAT: 0,7\r\n");
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Closed);
        QTest::qWait(200);
        QCOMPARE(rig.module.count("AT+QMTOPEN"), 0);
        QCOMPARE(rig.controller.status(0).lastError, codes::statMeaning(7));
    }

    void pingFailureReactivatesThePdpBeforeReopening()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        rig.module.clearCommands();
        rig.module.respond("\r\n+QMTSTAT: 0,2\r\n");
        QTRY_COMPARE(rig.controller.status(0).lastStat, std::optional<int>(2));
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 5000);
        const int off = rig.indexOf("AT+CFUN=0");
        const int on = rig.indexOf("AT+CFUN=1");
        const int attach = rig.indexOf("AT+CGATT?");
        const int open = rig.indexOf("AT+QMTOPEN=0");
        QVERIFY2(off >= 0 && off < on && on < attach && attach < open, rig.module.commands().join(' ').constData());
    }

    void aRebootIsNoticedAndTheSlotsAreRestored()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setConfig(1, demoConfig());
        QVERIFY(rig.controller.start(1));
        QTRY_COMPARE(rig.controller.status(1).state, SlotState::Connected);
        QSignalSpy rebooted(&rig.controller, &ModuleController::moduleRebooted);
        QList<SlotState> states;
        QObject::connect(&rig.controller, &ModuleController::slotChanged, [&](int s) {
            if (s == 1 && (states.isEmpty() || states.last() != rig.controller.status(1).state))
                states.append(rig.controller.status(1).state);
        });
        rig.module.clearCommands();
        rig.module.respond("\r\nRDY\r\n\r\n+CFUN: 1\r\n");
        QVERIFY(rebooted.wait(1000));
        QVERIFY(states.contains(SlotState::Closed)); // the reboot closed it; recovery opens it again
        QTest::qWait(100);
        QCOMPARE(rebooted.size(), 1); // RDY and +CFUN: 1 are one reboot
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(1).state, SlotState::Connected, 5000);
        // The configuration went again: the module forgot it (the note: "will not be saved").
        QVERIFY(rig.indexOf("AT+QMTCFG=\"version\",1") >= 0);
        QVERIFY(rig.indexOf("AT+QMTCFG=\"version\",1") < rig.indexOf("AT+QMTOPEN=1"));
    }

    void aRebootEndsThePublishWaitingForItsOkAndRecoveryGoesOn()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        // The publish reaches the module as it reboots: no OK, no result (the channel allows 30 s for them).
        rig.module.setRule(
            [](const QByteArray &c) { return c.startsWith("AT+QMTPUB=") ? QByteArray() : happyModule(c); });
        QSignalSpy finished(&rig.controller, &ModuleController::publishFinished);
        QVERIFY(rig.controller.publish(0, "t", "x", 1, false));
        QTRY_COMPARE(rig.module.count("AT+QMTPUB="), 1);
        rig.module.setRule(happyModule);
        QSignalSpy rebooted(&rig.controller, &ModuleController::moduleRebooted);
        rig.module.respond("\r\nRDY\r\n\r\n+CFUN: 1\r\n");
        QVERIFY(rebooted.wait(2000));
        // Ended with the reboot that killed it, not when its time ran out.
        QCOMPARE(finished.size(), 1);
        const auto outcome = finished.front().front().value<PublishOutcome>();
        QVERIFY(!outcome.delivered);
        QVERIFY2(outcome.text.contains(QStringLiteral("rebooted")), qPrintable(outcome.text));
        QCOMPARE(rig.controller.status(0).inFlightPublishes, 0);
        // And the line is free for the recovery.
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 10'000);
    }

    void afterARebootTheSlotsOpenOnceTheModuleHasRegistered()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setRecoveryDelays(60'000, 60'000); // a failed open would wait a minute
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        // protocol-notes §9.2, §9.6: the rebooted module searches for its cell first; until it has registered, an
        // open fails with +QMTOPEN: 0,3.
        bool registered = false;
        rig.module.setRule([&registered](const QByteArray &c) {
            if (c == "AT+CEREG?")
                return "\r\n+CEREG: 0," + QByteArray(registered ? "1" : "2") + "\r\n" + ok();
            if (c.startsWith("AT+QMTOPEN=") && !registered)
                return ok("+QMTOPEN: 0,3");
            return happyModule(c);
        });
        rig.module.clearCommands();
        const quint64 failures = rig.controller.status(0).counters.failures;
        rig.module.respond("\r\nRDY\r\n\r\n+CFUN: 1\r\n");
        QTRY_VERIFY(rig.module.count("AT+CEREG?") > 0);
        QTimer::singleShot(1500, [&registered] { registered = true; }); // the cell is found
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 10'000);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0"), 1);
        QCOMPARE(rig.controller.status(0).counters.failures, failures);
        QCOMPARE(rig.controller.info().registration, std::optional<int>(1));
        // The configuration (the module forgot it) went while the module was still registering.
        const QList<QByteArray> &sent = rig.module.commands();
        const int lastPoll = int(sent.lastIndexOf("AT+CEREG?"));
        QVERIFY(rig.indexOf("AT+QMTCFG=\"version\",0") >= 0);
        QVERIFY2(rig.indexOf("AT+QMTCFG=\"version\",0") < lastPoll, sent.join(' ').constData());
        QVERIFY(lastPoll < rig.indexOf("AT+QMTOPEN=0"));
    }

    void aStableSessionThatDropsIsRetriedAtOnce()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setRecoveryDelays(60'000, 60'000);
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        QTest::qWait(1500); // the session has been up for a while
        rig.module.clearCommands();
        rig.module.respond("\r\n+QMTSTAT: 0,1\r\n");
        QTRY_COMPARE(rig.controller.status(0).lastStat, std::optional<int>(1));
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 10'000);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0"), 1);
    }

    void aSlotFoundConnectedCountsAsUpFromThen()
    {
        // The module was running before the port opened (or the port came back): slot 0 is connected.
        Rig rig;
        rig.module.setRule([](const QByteArray &c) {
            if (c == "AT+QMTOPEN?")
                return "\r\n+QMTOPEN: 0,\"127.0.0.1\",1883\r\n" + ok();
            if (c == "AT+QMTCONN?")
                return "\r\n+QMTCONN: 0,3\r\n" + ok();
            return happyModule(c);
        });
        QVERIFY(rig.openAndSettle());
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        // Its uptime shows, and a drop after a while is a stable session's drop, retried at once.
        QVERIFY(rig.controller.status(0).connectedSince.isValid());
        rig.controller.setAutoRecovery(true);
        rig.controller.setRecoveryDelays(60'000, 60'000);
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTest::qWait(1500);
        rig.module.clearCommands();
        rig.module.respond("\r\n+QMTSTAT: 0,1\r\n");
        QTRY_COMPARE(rig.controller.status(0).lastStat, std::optional<int>(1));
        QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 10'000);
        QCOMPARE(rig.module.count("AT+QMTOPEN=0"), 1);
    }

    void aSessionThatDropsAtOnceKeepsBackingOff()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setAutoRecovery(true);
        rig.controller.setRecoveryDelays(100, 60'000);
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        QList<int> attempts; // the attempt each wait is for
        QObject::connect(&rig.controller, &ModuleController::slotChanged, [&](int s) {
            const SlotStatus &st = rig.controller.status(s);
            if (s == 0 && st.state == SlotState::Closed && st.nextAttempt.isValid() &&
                (attempts.isEmpty() || attempts.last() != st.recoveryAttempt))
                attempts.append(st.recoveryAttempt);
        });
        // The broker takes each connection and closes it again at once (two devices with one client ID).
        for (int drop = 1; drop <= 3; ++drop) {
            rig.module.respond("\r\n+QMTSTAT: 0,1\r\n");
            QTRY_COMPARE(attempts.size(), drop);
            QTRY_COMPARE_WITH_TIMEOUT(rig.controller.status(0).state, SlotState::Connected, 10'000);
        }
        QCOMPARE(attempts, QList<int>({1, 2, 3})); // waits of 100, 200, 400 ms: growing, never at once
    }

    void aQmtstatEndsThePublishOfItsSlotWaitingForItsOk()
    {
        Rig rig;
        QVERIFY(rig.openAndSettle());
        rig.controller.setConfig(0, demoConfig());
        QVERIFY(rig.controller.start(0));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Connected);
        // The broker drops the link as the publish goes out; the module's answer to it is lost.
        rig.module.setRule([](const QByteArray &c) {
            return c.startsWith("AT+QMTPUB=") ? QByteArray("\r\n+QMTSTAT: 0,1\r\n") : happyModule(c);
        });
        QSignalSpy finished(&rig.controller, &ModuleController::publishFinished);
        QVERIFY(rig.controller.publish(0, "t", "x", 1, false));
        QTRY_COMPARE(rig.controller.status(0).state, SlotState::Closed);
        QTRY_COMPARE(finished.size(), 1);
        const auto outcome = finished.front().front().value<PublishOutcome>();
        QVERIFY(!outcome.delivered);
        QVERIFY2(outcome.text.contains(QStringLiteral("+QMTSTAT: 0,1")), qPrintable(outcome.text));
    }

    void aLostPortSaysSoInThePublishOutcome()
    {
        test::PtyPair pty;
        ModuleController controller;
        controller.setWakeAfterIdleMs(3'600'000);
        controller.setInfoPollIntervalMs(3'600'000);
        controller.setPortProvider(std::make_unique<SerialPortProvider>(pty.slavePath()));
        // A module that answers OK to everything, with the results the note describes for open and connect.
        QByteArray typed;
        QObject::connect(&pty, &test::PtyPair::hostWrote, [&pty, &typed](const QByteArray &bytes) {
            typed += bytes;
            while (typed.contains('\r')) {
                const QByteArray line = typed.left(typed.indexOf('\r'));
                typed.remove(0, line.size() + 1);
                if (line.startsWith("AT+QMTOPEN=0"))
                    pty.write("\r\nOK\r\n\r\n+QMTOPEN: 0,0\r\n");
                else if (line.startsWith("AT+QMTCONN=0"))
                    pty.write("\r\nOK\r\n\r\n+QMTCONN: 0,0,0\r\n");
                else if (!line.isEmpty())
                    pty.write("\r\nOK\r\n"); // a publish gets its OK, and its result never comes
            }
        });
        QVERIFY(controller.openPort());
        controller.setConfig(0, demoConfig());
        QVERIFY(controller.start(0));
        QTRY_COMPARE(controller.status(0).state, SlotState::Connected);
        QSignalSpy finished(&controller, &ModuleController::publishFinished);
        QVERIFY(controller.publish(0, "t", "x", 1, false));
        QTRY_COMPARE(controller.channel().awaitingResultCount(), 1);
        pty.unplug();
        QTRY_COMPARE(finished.size(), 1);
        const QString text = finished.front().front().value<PublishOutcome>().text;
        QVERIFY2(text.contains(QStringLiteral("port was lost")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("OK")), qPrintable(text)); // the OK it had is no verdict
    }

    void aSleepingModuleIsWokenBeforeTheFirstCommand()
    {
        Rig rig(false);
        rig.controller.setWakeAfterIdleMs(200);
        QVERIFY(rig.controller.openPort());
        // The very first bytes after opening are two AT, not a real command (protocol-notes §3.5).
        QTRY_VERIFY(rig.module.commands().size() >= 3);
        QCOMPARE(rig.module.commands()[0], QByteArray("AT"));
        QCOMPARE(rig.module.commands()[1], QByteArray("AT"));
        // The module says sleep is off: no more wake-ups.
        QTRY_VERIFY(rig.controller.info().sleepMode.has_value());
        QTRY_VERIFY(rig.controller.channel().isIdle());
        rig.controller.setInfoPollIntervalMs(3'600'000);
        QTest::qWait(300); // longer than the idle threshold
        rig.module.clearCommands();
        rig.controller.console().send("AT+CSQ");
        QTRY_VERIFY(rig.indexOf("AT+CSQ") >= 0);
        QVERIFY2(!rig.module.commands().contains("AT"), rig.module.commands().join(' ').constData());
    }

    void moduleInformationIsPolledWhenTheLineIsIdle()
    {
        Rig rig;
        rig.module.setRule([](const QByteArray &c) {
            if (c == "ATI")
                return QByteArray("\r\nQuectel_Ltd\r\nQuectel_BC660K-GL\r\nRevision: BC660KGLAAR01A05\r\n") + ok();
            if (c == "AT+CGSN=1")
                return QByteArray("\r\n+CGSN: 867000000000001\r\n") + ok();
            if (c == "AT+CESQ")
                return QByteArray("\r\n+CESQ: 99,99,255,255,26,81\r\n") + ok();
            if (c == "AT+CEREG?")
                return QByteArray("\r\n+CEREG: 0,5\r\n") + ok();
            if (c == "AT+CGPADDR")
                return QByteArray("\r\n+CGPADDR: 0,\"10.0.0.7\"\r\n") + ok();
            return happyModule(c);
        });
        QVERIFY(rig.controller.openPort());
        QTRY_COMPARE(rig.controller.info().ipAddress, QByteArray("10.0.0.7"));
        const ModuleInfo &info = rig.controller.info();
        QCOMPARE(info.model, QByteArray("Quectel_BC660K-GL"));
        QCOMPARE(info.revision, QByteArray("BC660KGLAAR01A05"));
        QCOMPARE(info.imei, QByteArray("867000000000001"));
        QCOMPARE(info.registration, std::optional<int>(5));
        QCOMPARE(info.rsrpDbm, std::optional<double>(-60));
        QCOMPARE(info.rsrqDb, std::optional<double>(-7));
    }

    void userCommandsAreNotStarvedByPolling()
    {
        Rig rig;
        QVERIFY(rig.controller.openPort());
        rig.controller.console().send("AT+CSQ");
        // Polls wait for an idle line: the user's command goes before any of them.
        QTRY_VERIFY(rig.indexOf("AT+CSQ") >= 0);
        QTRY_VERIFY(rig.indexOf("ATI") >= 0);
        QVERIFY(rig.indexOf("AT+CSQ") < rig.indexOf("ATI"));
    }

    void aVanishedPortIsPickedUpWhenItComesBack()
    {
        // udev's /dev/serial/by-id links come and go with the adapter; a symlink to a pseudo-terminal does
        // the same here.
        QTemporaryDir dir;
        const QString link = dir.filePath(QStringLiteral("usb-Quectel_BC660K-GL-if00"));
        auto first = std::make_unique<test::PtyPair>();
        QVERIFY(QFile::link(first->slavePath(), link));
        ModuleController controller;
        controller.setWakeAfterIdleMs(3'600'000);
        controller.setInfoPollIntervalMs(3'600'000);
        auto provider = std::make_unique<SerialPortProvider>(link);
        provider->setPollIntervalMs(50);
        controller.setPortProvider(std::move(provider));
        QSignalSpy states(&controller, &ModuleController::portStateChanged);
        QVERIFY(controller.openPort());
        QTRY_VERIFY(first->received().contains("AT+QMTOPEN?\r"));
        first->unplug();
        QFile::remove(link);
        QTRY_COMPARE(controller.portState(), ModuleController::PortState::Lost);
        // The adapter is back (a new pseudo-terminal behind the same link).
        test::PtyPair second;
        QObject::connect(&second, &test::PtyPair::hostWrote, [&second](const QByteArray &bytes) {
            if (bytes.contains('\r'))
                second.write("\r\nOK\r\n");
        });
        QVERIFY(QFile::link(second.slavePath(), link));
        QTRY_COMPARE_WITH_TIMEOUT(controller.portState(), ModuleController::PortState::Open, 3000);
        QTRY_VERIFY(second.received().contains("AT+QMTOPEN?\r")); // and it asks the module where it stands
    }
};

QTEST_GUILESS_MAIN(TestModuleController)
#include "tst_modulecontroller.moc"
