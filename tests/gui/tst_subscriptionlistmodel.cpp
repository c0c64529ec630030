// The subscription list under QAbstractItemModelTester while the controller subscribes, gets grants and
// refusals, and unsubscribes.

#include "support/rulemodule.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/atfields.h"
#include "gui/models/subscriptionlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace qmt;

namespace {

QByteArray ok(const QByteArray &urc = {})
{
    return "\r\nOK\r\n" + (urc.isEmpty() ? QByteArray() : "\r\n" + urc + "\r\n");
}

QByteArray module(const QByteArray &c)
{
    const auto a = splitAtFields(QByteArrayView(c).sliced(c.indexOf('=') + 1));
    auto f = [&](int i) { return a.value(i).text.toByteArray(); };
    if (c.startsWith("AT+QMTOPEN="))
        return ok("+QMTOPEN: " + f(0) + ",0");
    if (c.startsWith("AT+QMTCONN="))
        return ok("+QMTCONN: " + f(0) + ",0,0");
    if (c.startsWith("AT+QMTSUB=")) // "refused/#" is refused by the server
        return ok("+QMTSUB: " + f(0) + ',' + f(1) + ",0," + (f(2).startsWith("refused") ? "128" : f(3)));
    if (c.startsWith("AT+QMTUNS="))
        return ok("+QMTUNS: " + f(0) + ',' + f(1) + ",0");
    return ok();
}

} // namespace

class TestSubscriptionListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsSubscribeGrantRefusalAndUnsubscribe()
    {
        test::RuleModule device;
        device.setRule(module);
        ModuleController controller;
        controller.setWakeAfterIdleMs(3'600'000);
        controller.setPortProvider(std::make_unique<test::TestPortProvider>(&device));
        SubscriptionListModel model(controller);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(controller.openPort());
        SlotConfig config;
        config.host = "127.0.0.1";
        config.clientId = "c";
        controller.setConfig(3, config);
        QVERIFY(controller.subscribe(3, "a/#", 1));
        QVERIFY(controller.subscribe(3, "refused/+", 2));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(0).data().toString().contains(QStringLiteral("pending")));
        QVERIFY(controller.start(3));
        QTRY_VERIFY(model.index(0).data().toString().contains(QStringLiteral("granted QoS 1")));
        QTRY_VERIFY(model.index(1).data().toString().contains(QStringLiteral("refused")));
        QCOMPARE(model.index(1).data(SubscriptionListModel::SlotRole).toInt(), 3);
        QCOMPARE(model.index(1).data(SubscriptionListModel::FilterRole).toByteArray(), QByteArray("refused/+"));
        QVERIFY(controller.unsubscribe(3, "a/#"));
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(SubscriptionListModel::FilterRole).toByteArray(), QByteArray("refused/+"));
    }

    void subscribingAppendsRowsRatherThanResettingTheList()
    {
        // A profile's filters are subscribed one by one: each adds its row; rebuilding the whole list every
        // time made a long list quadratic on the GUI thread.
        test::RuleModule device;
        device.setRule(module);
        ModuleController controller;
        controller.setWakeAfterIdleMs(3'600'000);
        controller.setPortProvider(std::make_unique<test::TestPortProvider>(&device));
        SubscriptionListModel model(controller);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(controller.subscribe(4, "z/1", 0));
        QVERIFY(controller.subscribe(1, "b/1", 0));
        for (int i = 0; i < 50; ++i)
            QVERIFY(controller.subscribe(2, "c/" + QByteArray::number(i), 1));
        QCOMPARE(resets.size(), 0);
        QCOMPARE(inserted.size(), 52);
        QCOMPARE(model.rowCount(), 52);
        // Rows stay in slot order.
        QCOMPARE(model.index(0).data(SubscriptionListModel::FilterRole).toByteArray(), QByteArray("b/1"));
        QCOMPARE(model.index(1).data(SubscriptionListModel::FilterRole).toByteArray(), QByteArray("c/0"));
        QCOMPARE(model.index(51).data(SubscriptionListModel::FilterRole).toByteArray(), QByteArray("z/1"));
        // A changed QoS changes its row only.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(controller.subscribe(2, "c/5", 2));
        QCOMPARE(resets.size(), 0);
        QCOMPARE(changed.size(), 1);
        QVERIFY(model.index(6).data().toString().contains(QStringLiteral("QoS 2")));
        QVERIFY(controller.unsubscribe(2, "c/5"));
        QCOMPARE(model.rowCount(), 51);
        QCOMPARE(model.index(6).data(SubscriptionListModel::FilterRole).toByteArray(), QByteArray("c/6"));
    }
};

QTEST_MAIN(TestSubscriptionListModel)
#include "tst_subscriptionlistmodel.moc"
