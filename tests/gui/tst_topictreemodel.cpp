#include "core/qmt/topicmatcher.h"
#include "gui/models/topicfiltermodel.h"
#include "gui/models/topictreemodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

using namespace qmt;

namespace {

const QDateTime T0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000);

RecvMessage message(const QByteArray &topic, const QByteArray &payload = "p", int slot = 0)
{
    RecvMessage m;
    m.connectId = slot;
    m.topic = topic;
    m.payload = payload;
    m.printed = payload;
    return m;
}

void addAll(TopicTreeModel &model, const QList<QByteArray> &topics)
{
    for (const QByteArray &t : topics)
        model.add(message(t), T0);
    model.flush();
}

/// The display texts from the top level down to the node of `topic`.
QStringList displayPath(const TopicTreeModel &model, const QByteArray &topic)
{
    QStringList path;
    for (QModelIndex i = model.indexOfTopic(topic); i.isValid(); i = i.parent())
        path.prepend(i.data().toString());
    return path;
}

/// Every topic with a message that the proxy shows as a match (not only as the path to one).
QStringList shownTopics(const TopicFilterModel &proxy, const QModelIndex &parent = {})
{
    QStringList out;
    for (int row = 0; row < proxy.rowCount(parent); ++row) {
        const QModelIndex i = proxy.index(row, 0, parent);
        if (i.data(TopicTreeModel::HasMessageRole).toBool() && proxy.isMatch(i))
            out.append(i.data(TopicTreeModel::FullTopicRole).toString());
        out += shownTopics(proxy, i);
    }
    return out;
}

} // namespace

class TestTopicTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void topicsSplitIntoLevelsAtEverySlash_data();
    void topicsSplitIntoLevelsAtEverySlash();
    void countsAreKeptPerTopicAndPerSubtree();
    void newSiblingsArriveWithOneInsertionPerParent();
    void updatedNodesAreSignalledOncePerTick();
    void theTimerTickAppliesQueuedMessages();
    void messagesOnOneTopicMergeWhileQueued();
    void aTickOutOfTimeLeavesTheRestForTheNextTurn();
    void aBacklogReachesTheViewsAtMostOncePerTickInterval();
    void theQueueRefusesNewTopicsBeyondTheNodeCap();
    void payloadsAboveTheLimitAreTruncatedWithTheirFullLength_data();
    void payloadsAboveTheLimitAreTruncatedWithTheirFullLength();
    void newTopicsBeyondTheNodeCapAreCountedAsDropped();
    void clearEmptiesTheTreeAndResetsTheDroppedCount();
    void topicsListsEveryTopicThatReceivedAMessage();
    void modelStaysConsistentUnderRandomBatches();

    void wildcardFiltersMatchByMqttRules_data();
    void wildcardFiltersMatchByMqttRules();
    void wildcardFilterTextSelectsTheTopicsASubscriptionWouldGet_data();
    void wildcardFilterTextSelectsTheTopicsASubscriptionWouldGet();
    void substringFilterKeepsMatchesWithTheirAncestors();
    void filterFollowsTopicsArrivingLater();
    void sortingBySizeComparesLengths();
};

void TestTopicTreeModel::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_topictreemodel"));
}

void TestTopicTreeModel::topicsSplitIntoLevelsAtEverySlash_data()
{
    QTest::addColumn<QByteArray>("topic");
    QTest::addColumn<QStringList>("path");

    const QString empty = QStringLiteral("(empty)");
    QTest::newRow("plain") << QByteArray("a/b/c") << QStringList{u"a"_qs, u"b"_qs, u"c"_qs};
    QTest::newRow("leading slash") << QByteArray("/oyjtmPl5a5j/user/update")
                                   << QStringList{empty, u"oyjtmPl5a5j"_qs, u"user"_qs, u"update"_qs};
    QTest::newRow("empty middle level") << QByteArray("a//b") << QStringList{u"a"_qs, empty, u"b"_qs};
    QTest::newRow("trailing slash") << QByteArray("a/") << QStringList{u"a"_qs, empty};
    QTest::newRow("only a slash") << QByteArray("/") << QStringList{empty, empty};
    QTest::newRow("leading space") << QByteArray(" /oyjtmPl5a5j/get")
                                   << QStringList{u"\" \""_qs, u"oyjtmPl5a5j"_qs, u"get"_qs};
    QTest::newRow("utf-8") << QByteArray("haus/küche/temperatur °C")
                           << QStringList{u"haus"_qs, u"küche"_qs, u"temperatur °C"_qs};
    QTest::newRow("256-byte level") << QByteArray(256, 'x') << QStringList{QString(256, u'x')};
    QByteArray deep;
    QStringList deepPath;
    for (int i = 0; i < 128; ++i) {
        deep += (i ? "/" : "") + QByteArray(1, char('a' + i % 26));
        deepPath.append(QString(QChar(u'a' + i % 26)));
    }
    QTest::newRow("128 levels in 255 bytes") << deep << deepPath;
}

void TestTopicTreeModel::topicsSplitIntoLevelsAtEverySlash()
{
    QFETCH(QByteArray, topic);
    QFETCH(QStringList, path);
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    addAll(model, {topic, "other/topic"});
    const QModelIndex node = model.indexOfTopic(topic);
    QVERIFY(node.isValid());
    QCOMPARE(displayPath(model, topic), path);
    QCOMPARE(node.data(TopicTreeModel::TopicBytesRole).toByteArray(), topic);
    QCOMPARE(node.data(TopicTreeModel::FullTopicRole).toString(), QString::fromUtf8(topic));
    QCOMPARE(model.topicOf(node), topic);
    QVERIFY(node.data(TopicTreeModel::HasMessageRole).toBool());
    QCOMPARE(model.nodeCount(), 1 + path.size() + 2);
}

void TestTopicTreeModel::countsAreKeptPerTopicAndPerSubtree()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    addAll(model, {"a", "a/b", "a/b", "a/c", "a/b/d", "x"});
    const QModelIndex a = model.indexOfTopic("a");
    const QModelIndex ab = model.indexOfTopic("a/b");
    QCOMPARE(a.data(TopicTreeModel::OwnCountRole).toULongLong(), 1u);
    QCOMPARE(a.data(TopicTreeModel::SubtreeCountRole).toULongLong(), 5u);
    QCOMPARE(ab.data(TopicTreeModel::OwnCountRole).toULongLong(), 2u);
    QCOMPARE(ab.data(TopicTreeModel::SubtreeCountRole).toULongLong(), 3u);
    QCOMPARE(model.index(ab.row(), TopicTreeModel::MessagesColumn, a).data().toULongLong(), 2u);
    QCOMPARE(model.index(ab.row(), TopicTreeModel::TotalColumn, a).data().toULongLong(), 3u);
    QVERIFY(!model.indexOfTopic("a/b/d").parent().parent().parent().isValid());
    QVERIFY(!model.indexOfTopic("a/x").isValid());
}

void TestTopicTreeModel::newSiblingsArriveWithOneInsertionPerParent()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    addAll(model, {"a", "b"});

    QList<QPair<QString, int>> inserts;
    connect(&model, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &parent, int first, int last) {
        inserts.append({parent.data().toString(), last - first + 1});
    });
    // New children of existing nodes, a whole new subtree, and children of a node new in this very tick.
    addAll(model, {"a/1", "b/1", "a/2", "a/3", "new/x/y", "new/z", "b/2"});
    QCOMPARE(inserts.size(), 3);
    QVERIFY(inserts.contains(QPair<QString, int>(u"a"_qs, 3)));
    QVERIFY(inserts.contains(QPair<QString, int>(u"b"_qs, 2)));
    QVERIFY(inserts.contains(QPair<QString, int>(QString(), 1))); // "new" with its subtree inside
    QCOMPARE(model.rowCount(model.indexOfTopic("new")), 2);
    QCOMPARE(model.indexOfTopic("a/3").row(), 2);
}

void TestTopicTreeModel::updatedNodesAreSignalledOncePerTick()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    addAll(model, {"a/1", "a/2", "a/3", "a/4", "b"});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    for (int i = 0; i < 5; ++i) {
        model.add(message("a/2"), T0);
        model.add(message("a/3"), T0);
    }
    QCOMPARE(changed.size(), 0);
    model.flush();
    QCOMPARE(changed.size(), 2); // a/2…a/3 under a, and a itself (its total) at the top
    QMap<QString, QPair<int, int>> ranges;
    for (const QList<QVariant> &args : changed) {
        const QModelIndex from = args.at(0).toModelIndex();
        const QModelIndex to = args.at(1).toModelIndex();
        QCOMPARE(to.column(), TopicTreeModel::ColumnCount - 1);
        ranges.insert(from.parent().data().toString(), {from.row(), to.row()});
    }
    QCOMPARE(ranges.value(u"a"_qs), qMakePair(1, 2));
    QCOMPARE(ranges.value(QString()), qMakePair(0, 0));
    QCOMPARE(model.indexOfTopic("a").data(TopicTreeModel::SubtreeCountRole).toULongLong(), 14u);
}

void TestTopicTreeModel::theTimerTickAppliesQueuedMessages()
{
    TopicTreeModel model;
    model.setTickInterval(5);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.add(message("x/y"));
    model.add(message("x/z"));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(inserted.wait(5000));
    QCOMPARE(inserted.size(), 1);
    QVERIFY(model.indexOfTopic("x/z").isValid());
    QVERIFY(model.indexOfTopic("x/z").data(TopicTreeModel::ReceivedRole).toDateTime().isValid());
}

void TestTopicTreeModel::messagesOnOneTopicMergeWhileQueued()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    addAll(model, {"a/x"});
    for (const QByteArray payload : {"1", "22", "333"})
        model.add(message("a/x", payload), T0);
    model.add(message("a/y", "new"), T0);
    QCOMPARE(model.queuedTopics(), 2);
    model.flush();
    QCOMPARE(model.queuedTopics(), 0);
    const QModelIndex x = model.indexOfTopic("a/x");
    QCOMPARE(x.data(TopicTreeModel::OwnCountRole).toULongLong(), 4u);
    QCOMPARE(x.data(TopicTreeModel::PayloadRole).toByteArray(), QByteArray("333"));
    QCOMPARE(model.indexOfTopic("a").data(TopicTreeModel::SubtreeCountRole).toULongLong(), 5u);
}

void TestTopicTreeModel::aTickOutOfTimeLeavesTheRestForTheNextTurn()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTickInterval(0);
    model.setTickBudget(1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    constexpr int Topics = 3000;
    for (int i = 0; i < Topics; ++i)
        model.add(message("t/" + QByteArray::number(i)), T0);
    QTRY_COMPARE_WITH_TIMEOUT(model.queuedTopics(), 0, 30'000);
    QVERIFY2(inserted.size() > 1, "one tick did everything: the budget was not applied");
    QCOMPARE(model.rowCount(model.indexOfTopic("t")), Topics);
    QCOMPARE(model.indexOfTopic("t").data(TopicTreeModel::SubtreeCountRole).toULongLong(), quint64(Topics));
}

void TestTopicTreeModel::aBacklogReachesTheViewsAtMostOncePerTickInterval()
{
    // Views repaint for every batch of signals: however many slices a backlog takes, they hear of it at
    // most once per tick interval (plus the first and the last batch).
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    constexpr int IntervalMs = 200;
    constexpr int Parents = 3;
    constexpr int Topics = 30'000;
    model.setTickInterval(IntervalMs);
    model.setTickBudget(1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int p = 0; p < Parents; ++p)
        model.add(message("b" + QByteArray::number(p) + "/first"), T0);
    model.flush();
    inserted.clear();
    QElapsedTimer elapsed;
    elapsed.start();
    for (int i = 0; i < Topics; ++i)
        model.add(message("b" + QByteArray::number(i % Parents) + '/' + QByteArray::number(i)), T0);
    QTRY_COMPARE_WITH_TIMEOUT(model.queuedTopics(), 0, 60'000);
    const qint64 batchesAllowed = elapsed.elapsed() / IntervalMs + 2;
    QVERIFY2(inserted.size() <= Parents * batchesAllowed,
             qPrintable(QStringLiteral("%1 insertions in %2 ms").arg(inserted.size()).arg(elapsed.elapsed())));
    for (int p = 0; p < Parents; ++p)
        QCOMPARE(model.rowCount(model.indexOfTopic("b" + QByteArray::number(p))), Topics / Parents + 1);
    QCOMPARE(model.messageCount(), quint64(Topics + Parents));
}

void TestTopicTreeModel::theQueueRefusesNewTopicsBeyondTheNodeCap()
{
    TopicTreeModel model;
    model.setMaxNodes(3);
    QSignalSpy dropped(&model, &TopicTreeModel::droppedMessagesChanged);
    for (const QByteArray topic : {"a", "b", "c", "d", "e", "a"})
        model.add(message(topic), T0);
    QCOMPARE(model.queuedTopics(), 3); // "d" and "e" refused at once, "a" merged
    model.flush();
    QCOMPARE(model.nodeCount(), 3);
    QCOMPARE(model.droppedMessages(), 3u); // "d", "e", and "c", for which no node was left
    QCOMPARE(dropped.size(), 1);
    QCOMPARE(model.indexOfTopic("a").data(TopicTreeModel::OwnCountRole).toULongLong(), 2u);
}

void TestTopicTreeModel::payloadsAboveTheLimitAreTruncatedWithTheirFullLength_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("declared");
    QTest::addColumn<bool>("unterminated");
    QTest::addColumn<int>("kept");
    QTest::addColumn<qint64>("fullLength");
    QTest::addColumn<bool>("truncated");

    QTest::newRow("fits") << QByteArray(16, 'a') << -1 << false << 16 << qint64(16) << false;
    QTest::newRow("over the limit") << QByteArray(40, 'a') << -1 << false << 16 << qint64(40) << true;
    QTest::newRow("module printed less than it announced")
        << QByteArray(10, 'a') << 1460 << false << 10 << qint64(1460) << true;
    QTest::newRow("closing quote missing") << QByteArray(10, 'a') << -1 << true << 10 << qint64(10) << true;
    QTest::newRow("empty") << QByteArray() << 0 << false << 0 << qint64(0) << false;
}

void TestTopicTreeModel::payloadsAboveTheLimitAreTruncatedWithTheirFullLength()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, declared);
    QFETCH(bool, unterminated);
    QFETCH(int, kept);
    QFETCH(qint64, fullLength);
    QFETCH(bool, truncated);

    TopicTreeModel model;
    model.setMaxPayloadBytes(16);
    RecvMessage m = message("t", payload);
    if (declared >= 0)
        m.declaredLength = declared;
    m.unterminated = unterminated;
    model.add(m, T0, 1);
    model.flush();
    const QModelIndex node = model.indexOfTopic("t");
    QCOMPARE(node.data(TopicTreeModel::PayloadRole).toByteArray(), payload.left(kept));
    QCOMPARE(node.data(TopicTreeModel::FullLengthRole).toLongLong(), fullLength);
    QCOMPARE(node.data(TopicTreeModel::TruncatedRole).toBool(), truncated);
    QCOMPARE(node.data(TopicTreeModel::QosRole).toInt(), 1);
    const QModelIndex size = model.index(node.row(), TopicTreeModel::SizeColumn);
    QCOMPARE(size.data().toString().startsWith(QString::number(fullLength)), true);
    QCOMPARE(size.data(Qt::ToolTipRole).toString().contains(QString::number(fullLength)), truncated);
}

void TestTopicTreeModel::newTopicsBeyondTheNodeCapAreCountedAsDropped()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxNodes(5); // the root and four levels
    QSignalSpy dropped(&model, &TopicTreeModel::droppedMessagesChanged);
    addAll(model, {"a/b", "c/d", "e", "a/b", "a/b/c", "c"});
    QCOMPARE(model.nodeCount(), 5);
    QCOMPARE(model.droppedMessages(), 2u); // "e" and "a/b/c"
    QCOMPARE(dropped.size(), 1);           // once per tick, not per message
    QCOMPARE(dropped.at(0).at(0).toULongLong(), 2u);
    QCOMPARE(model.indexOfTopic("a/b").data(TopicTreeModel::OwnCountRole).toULongLong(), 2u);
    QCOMPARE(model.indexOfTopic("a").data(TopicTreeModel::SubtreeCountRole).toULongLong(), 2u);
    QCOMPARE(model.indexOfTopic("c").data(TopicTreeModel::OwnCountRole).toULongLong(), 1u);
    QVERIFY(!model.indexOfTopic("e").isValid());
}

void TestTopicTreeModel::clearEmptiesTheTreeAndResetsTheDroppedCount()
{
    TopicTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxNodes(2);
    addAll(model, {"a", "b"});
    model.add(message("queued"));
    QSignalSpy dropped(&model, &TopicTreeModel::droppedMessagesChanged);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.nodeCount(), 1);
    QCOMPARE(model.droppedMessages(), 0u);
    QCOMPARE(dropped.size(), 1);
    model.flush();
    QCOMPARE(model.rowCount(), 0); // the queued message went with the rest
    addAll(model, {"b"});
    QCOMPARE(model.rowCount(), 1);
}

void TestTopicTreeModel::topicsListsEveryTopicThatReceivedAMessage()
{
    TopicTreeModel model;
    addAll(model, {"b/2", "a", "b/1/x", "/lead"});
    QCOMPARE(model.topics(), (QStringList{u"b/2"_qs, u"b/1/x"_qs, u"a"_qs, u"/lead"_qs}));
}

void TestTopicTreeModel::modelStaysConsistentUnderRandomBatches()
{
    TopicTreeModel model;
    model.setMaxNodes(300);
    TopicFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setFilterText(QStringLiteral("s/+/t1"));
    filter.applyFilterTextNow();
    quint32 seed = 7;
    const auto next = [&seed](quint32 n) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % n;
    };
    quint64 sent = 0;
    for (int batch = 0; batch < 40; ++batch) {
        const quint32 count = next(60);
        for (quint32 i = 0; i < count; ++i) {
            const QByteArray topic = "s/" + QByteArray::number(next(30)) + "/t" + QByteArray::number(next(4));
            model.add(message(topic), T0);
            ++sent;
        }
        model.flush();
    }
    const quint64 counted = [&] {
        quint64 total = 0;
        for (int row = 0; row < model.rowCount(); ++row)
            total += model.index(row, 0).data(TopicTreeModel::SubtreeCountRole).toULongLong();
        return total;
    }();
    QCOMPARE(counted + model.droppedMessages(), sent);
    QVERIFY(model.nodeCount() <= 300);
    for (const QString &topic : shownTopics(filter))
        QVERIFY2(TopicMatcher(QByteArrayView("s/+/t1")).matches(topic.toUtf8()), qPrintable(topic));
}

void TestTopicTreeModel::wildcardFiltersMatchByMqttRules_data()
{
    QTest::addColumn<QByteArray>("filter");
    QTest::addColumn<QByteArray>("topic");
    QTest::addColumn<bool>("matches");

    QTest::newRow("exact") << QByteArray("a/b/c") << QByteArray("a/b/c") << true;
    QTest::newRow("+ in the middle") << QByteArray("a/+/c") << QByteArray("a/b/c") << true;
    QTest::newRow("+ matches an empty level") << QByteArray("a/+/c") << QByteArray("a//c") << true;
    QTest::newRow("+ is one level only") << QByteArray("a/+/c") << QByteArray("a/b/x/c") << false;
    QTest::newRow("+ needs the level") << QByteArray("a/+/c") << QByteArray("a/c") << false;
    QTest::newRow("+ last") << QByteArray("a/+") << QByteArray("a/b") << true;
    QTest::newRow("+ last, trailing empty level") << QByteArray("a/+") << QByteArray("a/") << true;
    QTest::newRow("+ last, deeper topic") << QByteArray("a/+") << QByteArray("a/b/c") << false;
    QTest::newRow("# below") << QByteArray("a/#") << QByteArray("a/b/c") << true;
    QTest::newRow("# matches the parent") << QByteArray("sport/#") << QByteArray("sport") << true;
    QTest::newRow("# matches a trailing empty level") << QByteArray("sport/#") << QByteArray("sport/") << true;
    QTest::newRow("# other parent") << QByteArray("sport/#") << QByteArray("sports") << false;
    QTest::newRow("# everything") << QByteArray("#") << QByteArray("any/thing") << true;
    QTest::newRow("# leading slash") << QByteArray("#") << QByteArray("/a") << true;
    QTest::newRow("+/+ two levels") << QByteArray("+/+") << QByteArray("a/b") << true;
    QTest::newRow("+/+ leading slash") << QByteArray("+/+") << QByteArray("/finance") << true;
    QTest::newRow("+/+ one level") << QByteArray("+/+") << QByteArray("a") << false;
    QTest::newRow("+ one level only") << QByteArray("+") << QByteArray("/finance") << false;
    QTest::newRow("/+ leading slash") << QByteArray("/+") << QByteArray("/finance") << true;
    QTest::newRow("+/#") << QByteArray("+/#") << QByteArray("a") << true;
    QTest::newRow("$ topics not by # ") << QByteArray("#") << QByteArray("$SYS/load") << false;
    QTest::newRow("$ topics not by +") << QByteArray("+/load") << QByteArray("$SYS/load") << false;
    QTest::newRow("$ topics by name") << QByteArray("$SYS/#") << QByteArray("$SYS/load") << true;
    QTest::newRow("case matters") << QByteArray("A/+") << QByteArray("a/b") << false;
    QTest::newRow("leading space is a level") << QByteArray(" /+") << QByteArray(" /x") << true;
    QTest::newRow("leading space differs") << QByteArray("/+") << QByteArray(" /x") << false;
}

void TestTopicTreeModel::wildcardFiltersMatchByMqttRules()
{
    QFETCH(QByteArray, filter);
    QFETCH(QByteArray, topic);
    QFETCH(bool, matches);
    QCOMPARE(TopicMatcher(filter).matches(topic), matches);
}

void TestTopicTreeModel::wildcardFilterTextSelectsTheTopicsASubscriptionWouldGet_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("wildcard");
    QTest::addColumn<QStringList>("shown");

    QTest::newRow("a/+/c") << u"a/+/c"_qs << true << QStringList{u"a/b/c"_qs, u"a//c"_qs};
    QTest::newRow("a/#") << u"a/#"_qs << true << QStringList{u"a"_qs, u"a/b/c"_qs, u"a/b/d/e"_qs, u"a//c"_qs};
    QTest::newRow("sport/#") << u"sport/#"_qs << true << QStringList{u"sport"_qs, u"sport/tennis"_qs};
    QTest::newRow("#") << u"#"_qs << true
                       << QStringList{u"a"_qs,     u"a/b/c"_qs,        u"a/b/d/e"_qs, u"a//c"_qs,
                                      u"sport"_qs, u"sport/tennis"_qs, u"sports"_qs,  u"/finance"_qs};
    QTest::newRow("+/+") << u"+/+"_qs << true << QStringList{u"sport/tennis"_qs, u"/finance"_qs};
    QTest::newRow("invalid wildcard is a substring") << u"sport+"_qs << false << QStringList{};
    QTest::newRow("substring") << u"SPORT"_qs << false << QStringList{u"sport"_qs, u"sport/tennis"_qs, u"sports"_qs};
    QTest::newRow("nothing") << QString() << false
                             << QStringList{u"a"_qs,     u"a/b/c"_qs,        u"a/b/d/e"_qs, u"a//c"_qs,
                                            u"sport"_qs, u"sport/tennis"_qs, u"sports"_qs,  u"/finance"_qs};
}

void TestTopicTreeModel::wildcardFilterTextSelectsTheTopicsASubscriptionWouldGet()
{
    QFETCH(QString, filter);
    QFETCH(bool, wildcard);
    QFETCH(QStringList, shown);
    TopicTreeModel model;
    TopicFilterModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    addAll(model, {"a", "a/b/c", "a//c", "a/b/d/e", "sport", "sport/tennis", "sports", "/finance"});
    proxy.setFilterText(filter);
    proxy.applyFilterTextNow();
    QCOMPARE(proxy.isWildcardFilter(), wildcard);
    QCOMPARE(shownTopics(proxy), shown);
}

void TestTopicTreeModel::substringFilterKeepsMatchesWithTheirAncestors()
{
    TopicTreeModel model;
    TopicFilterModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    addAll(model, {"house/kitchen/temp", "house/kitchen/humidity", "house/garage/door"});
    proxy.setFilterText(QStringLiteral("TEMP"));
    proxy.applyFilterTextNow();
    QCOMPARE(proxy.rowCount(), 1);
    const QModelIndex house = proxy.index(0, 0);
    QCOMPARE(proxy.rowCount(house), 1);
    const QModelIndex kitchen = proxy.index(0, 0, house);
    QCOMPARE(kitchen.data().toString(), QStringLiteral("kitchen"));
    QCOMPARE(proxy.rowCount(kitchen), 1);
    const QModelIndex temp = proxy.index(0, 0, kitchen);
    QCOMPARE(temp.data().toString(), QStringLiteral("temp"));
    // The match stands out from the path that leads to it.
    QVERIFY(proxy.isMatch(temp));
    QVERIFY(!proxy.isMatch(kitchen));
    QVERIFY(temp.data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(!kitchen.data(Qt::FontRole).value<QFont>().bold());
}

void TestTopicTreeModel::filterFollowsTopicsArrivingLater()
{
    TopicTreeModel model;
    TopicFilterModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.setFilterDelay(20);
    QSignalSpy applied(&proxy, &TopicFilterModel::filterTextApplied);
    proxy.setFilterText(QStringLiteral("dev/+/state"));
    QVERIFY(applied.wait(5000));
    addAll(model, {"dev/1/state", "dev/1/config"});
    QCOMPARE(shownTopics(proxy), QStringList{u"dev/1/state"_qs});
    addAll(model, {"dev/2/state", "dev/2/config", "dev/1/state"});
    QCOMPARE(shownTopics(proxy), (QStringList{u"dev/1/state"_qs, u"dev/2/state"_qs}));
}

void TestTopicTreeModel::sortingBySizeComparesLengths()
{
    TopicTreeModel model;
    TopicFilterModel proxy;
    proxy.setSourceModel(&model);
    model.add(message("big", QByteArray(1000, 'x')), T0);
    model.add(message("small", QByteArray(9, 'x')), T0);
    model.add(message("mid", QByteArray(100, 'x')), T0);
    model.flush();
    proxy.sort(TopicTreeModel::SizeColumn);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row)
        order.append(proxy.index(row, 0).data().toString());
    QCOMPARE(order, (QStringList{u"small"_qs, u"mid"_qs, u"big"_qs}));
}

QTEST_MAIN(TestTopicTreeModel)
#include "tst_topictreemodel.moc"
