#include "gui/models/slotstatemodel.h"

#include "core/qmt/qmtcodes.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

using namespace qmt;

namespace {

const QDateTime Now = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000);

SlotSnapshot connectedSlot()
{
    SlotSnapshot s;
    s.socket = SlotSnapshot::Socket::Open;
    s.mqtt = SlotSnapshot::Mqtt::Connected;
    s.connectedSince = Now.addSecs(-3725);
    s.sent = 12;
    s.received = 34;
    s.retransmissions = 2;
    s.failures = 1;
    return s;
}

} // namespace

class TestSlotStateModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void thereIsOneRowPerSlot();
    void settingASlotSignalsThatRowOnly();
    void anUnchangedSnapshotSignalsNothing();
    void slotsOutsideZeroToFourAreRefused();
    void statShowsItsMeaningWithAdviceAsTooltip_data();
    void statShowsItsMeaningWithAdviceAsTooltip();
    void aStatFromBeforeTheReconnectIsNoLongerRed();
    void countersAndStatesAreShown();
    void recoveryShowsItsCountdownAndAttempt();
    void recoveryThatEndedSaysWhy();
    void uptimeCountsFromTheConnectionAndTicks();
    void durationsReadNaturally_data();
    void durationsReadNaturally();
};

void TestSlotStateModel::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_slotstatemodel"));
}

void TestSlotStateModel::thereIsOneRowPerSlot()
{
    SlotStateModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), SlotCount);
    QCOMPARE(model.columnCount(), int(SlotStateModel::ColumnCount));
    for (int row = 0; row < SlotCount; ++row) {
        QCOMPARE(model.index(row, SlotStateModel::SlotColumn).data().toInt(), row);
        QCOMPARE(model.index(row, SlotStateModel::MqttColumn).data().toString(),
                 SlotStateModel::mqttName(SlotSnapshot::Mqtt::Disconnected));
        QCOMPARE(model.index(row, SlotStateModel::UptimeColumn).data().toString(), QString());
    }
    QCOMPARE(model.headerData(SlotStateModel::StatColumn, Qt::Horizontal).toString(), QStringLiteral("Last +QMTSTAT"));
}

void TestSlotStateModel::settingASlotSignalsThatRowOnly()
{
    SlotStateModel model;
    model.setClock([] { return Now; });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setSlot(3, connectedSlot()));
    QCOMPARE(changed.size(), 1);
    const QModelIndex from = changed.at(0).at(0).toModelIndex();
    const QModelIndex to = changed.at(0).at(1).toModelIndex();
    QCOMPARE(from.row(), 3);
    QCOMPARE(to.row(), 3);
    QCOMPARE(from.column(), 0);
    QCOMPARE(to.column(), SlotStateModel::ColumnCount - 1);
    QCOMPARE(model.slot(3), connectedSlot());
}

void TestSlotStateModel::anUnchangedSnapshotSignalsNothing()
{
    SlotStateModel model;
    QVERIFY(model.setSlot(1, connectedSlot()));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setSlot(1, connectedSlot()));
    QCOMPARE(changed.size(), 0);
}

void TestSlotStateModel::slotsOutsideZeroToFourAreRefused()
{
    SlotStateModel model;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(!model.setSlot(-1, connectedSlot()));
    QVERIFY(!model.setSlot(SlotCount, connectedSlot()));
    QCOMPARE(changed.size(), 0);
}

void TestSlotStateModel::statShowsItsMeaningWithAdviceAsTooltip_data()
{
    QTest::addColumn<int>("code");
    for (int code : {1, 2, 3, 4, 5, 6, 7, 9})
        QTest::addRow("code %d", code) << code;
}

void TestSlotStateModel::statShowsItsMeaningWithAdviceAsTooltip()
{
    QFETCH(int, code);
    SlotStateModel model;
    SlotSnapshot s;
    s.lastStatCode = code;
    s.lastStatTime = Now;
    model.setSlot(0, s);
    const QModelIndex stat = model.index(0, SlotStateModel::StatColumn);
    QVERIFY(stat.data().toString().startsWith(QString::number(code)));
    QVERIFY(stat.data().toString().contains(codes::statMeaning(code)));
    const QString tip = stat.data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(codes::statAdvice(code)));
    QVERIFY(tip.contains(Now.toString(Qt::ISODate)));
    QCOMPARE(stat.data(SlotStateModel::StatCodeRole).toInt(), code);
    QVERIFY(!model.index(1, SlotStateModel::StatColumn).data(SlotStateModel::StatCodeRole).isValid());
}

void TestSlotStateModel::aStatFromBeforeTheReconnectIsNoLongerRed()
{
    SlotStateModel model;
    model.setClock([] { return Now; });
    SlotSnapshot dropped;
    dropped.lastStatCode = 1;
    dropped.lastStatTime = Now.addSecs(-60);
    model.setSlot(0, dropped);
    const QModelIndex stat = model.index(0, SlotStateModel::StatColumn);
    const QColor red(0xd0, 0x30, 0x30);
    QCOMPARE(stat.data(Qt::ForegroundRole).value<QColor>(), red); // the slot is down because of it

    SlotSnapshot again = connectedSlot();
    again.lastStatCode = 1;
    again.lastStatTime = Now.addSecs(-60);
    again.connectedSince = Now.addSecs(-30);
    model.setSlot(0, again);
    // Connected since: the drop is history, said as such, not an alarm.
    QVERIFY(stat.data(Qt::ForegroundRole).value<QColor>() != red);
    QVERIFY2(stat.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Connected again")),
             qPrintable(stat.data(Qt::ToolTipRole).toString()));
    QVERIFY(stat.data().toString().contains(codes::statMeaning(1))); // still there to read
}

void TestSlotStateModel::countersAndStatesAreShown()
{
    SlotStateModel model;
    model.setSlot(2, connectedSlot());
    QCOMPARE(model.index(2, SlotStateModel::SentColumn).data().toULongLong(), 12u);
    QCOMPARE(model.index(2, SlotStateModel::ReceivedColumn).data().toULongLong(), 34u);
    QCOMPARE(model.index(2, SlotStateModel::RetransmissionsColumn).data().toULongLong(), 2u);
    QCOMPARE(model.index(2, SlotStateModel::FailuresColumn).data().toULongLong(), 1u);
    QCOMPARE(model.index(2, SlotStateModel::SocketColumn).data().toString(),
             SlotStateModel::socketName(SlotSnapshot::Socket::Open));
    QCOMPARE(model.index(2, SlotStateModel::MqttColumn).data().toString(),
             SlotStateModel::mqttName(SlotSnapshot::Mqtt::Connected));
    QCOMPARE(model.index(2, 0).data(SlotStateModel::MqttStateRole).toInt(), int(SlotSnapshot::Mqtt::Connected));
}

void TestSlotStateModel::recoveryShowsItsCountdownAndAttempt()
{
    SlotStateModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QDateTime now = Now;
    model.setClock([&now] { return now; });
    QCOMPARE(model.headerData(SlotStateModel::RecoveryColumn, Qt::Horizontal).toString(), QStringLiteral("Recovery"));
    SlotSnapshot waiting;
    waiting.lastStatCode = 1;
    waiting.lastStatTime = Now;
    waiting.recoveryAttempt = 5;
    waiting.nextAttempt = Now.addSecs(16);
    model.setSlot(2, waiting);
    const QModelIndex recovery = model.index(2, SlotStateModel::RecoveryColumn);
    QCOMPARE(recovery.data().toString(), QStringLiteral("recovering in 16 s, attempt 5"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    now = now.addSecs(1);
    QVERIFY(changed.wait(3000)); // the countdown ticks like the uptime
    QCOMPARE(recovery.data().toString(), QStringLiteral("recovering in 15 s, attempt 5"));

    SlotSnapshot trying = waiting; // the wait is over: the attempt is on its way
    trying.nextAttempt = {};
    trying.socket = SlotSnapshot::Socket::Opening;
    model.setSlot(2, trying);
    QCOMPARE(recovery.data().toString(), QStringLiteral("reconnecting, attempt 5"));

    model.setSlot(2, connectedSlot());
    QCOMPARE(recovery.data().toString(), QString());
}

void TestSlotStateModel::recoveryThatEndedSaysWhy()
{
    SlotStateModel model;
    SlotSnapshot refused;
    refused.notRetrying = QStringLiteral("gave up: Connection Refused: Unauthorized");
    model.setSlot(0, refused);
    const QModelIndex recovery = model.index(0, SlotStateModel::RecoveryColumn);
    QCOMPARE(recovery.data().toString(), refused.notRetrying);
    QCOMPARE(recovery.data(Qt::ForegroundRole).value<QColor>(), QColor(0xd0, 0x30, 0x30));
    // Another slot counting down leaves this one's final word alone.
    SlotSnapshot waiting;
    waiting.recoveryAttempt = 1;
    waiting.nextAttempt = Now.addSecs(2);
    model.setSlot(1, waiting);
    QCOMPARE(recovery.data().toString(), refused.notRetrying);
}

void TestSlotStateModel::uptimeCountsFromTheConnectionAndTicks()
{
    SlotStateModel model;
    QDateTime now = Now;
    model.setClock([&now] { return now; });
    model.setSlot(4, connectedSlot());
    const QModelIndex uptime = model.index(4, SlotStateModel::UptimeColumn);
    QCOMPARE(uptime.data(SlotStateModel::UptimeSecondsRole).toLongLong(), 3725);
    QCOMPARE(uptime.data().toString(), SlotStateModel::durationText(3725));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    now = now.addSecs(1);
    QVERIFY(changed.wait(3000)); // the one-second uptime tick
    QCOMPARE(changed.at(0).at(0).toModelIndex(), uptime);
    QCOMPARE(uptime.data(SlotStateModel::UptimeSecondsRole).toLongLong(), 3726);

    SlotSnapshot down = connectedSlot();
    down.mqtt = SlotSnapshot::Mqtt::Disconnected;
    down.connectedSince = {};
    model.setSlot(4, down);
    QVERIFY(!uptime.data(SlotStateModel::UptimeSecondsRole).isValid());
    QCOMPARE(uptime.data().toString(), QString());
}

void TestSlotStateModel::durationsReadNaturally_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << qint64(7) << QStringLiteral("7 s");
    QTest::newRow("minutes") << qint64(65) << QStringLiteral("1 min 05 s");
    QTest::newRow("hours") << qint64(3725) << QStringLiteral("1 h 02 min 05 s");
    QTest::newRow("days in hours") << qint64(90000) << QStringLiteral("25 h 00 min 00 s");
}

void TestSlotStateModel::durationsReadNaturally()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(SlotStateModel::durationText(seconds), text);
}

QTEST_MAIN(TestSlotStateModel)
#include "tst_slotstatemodel.moc"
