// The subscription list under QAbstractItemModelTester while the controller subscribes, gets grants and
// refusals, and unsubscribes.

#include "support/rulemodule.h"

#include "module/modulecontroller.h"
#include "panels/subscriptionlistmodel.h"
#include "qmt/atfields.h"

#include <QAbstractItemModelTester>
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
};

QTEST_MAIN(TestSubscriptionListModel)
#include "tst_subscriptionlistmodel.moc"
