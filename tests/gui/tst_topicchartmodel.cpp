#include "gui/models/linethinning.h"
#include "gui/models/numericfields.h"
#include "gui/models/topicchartmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace qmt;

namespace {

const QDateTime T0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000);

QStringList seriesNames(const TopicChartModel &model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names << model.index(row, 0).data(TopicChartModel::SeriesNameRole).toString();
    return names;
}

QList<double> values(const TopicChartModel &model, int row)
{
    QList<double> out;
    for (qsizetype i = 0; i < model.samples(row).size(); ++i)
        out << model.samples(row).at(i).y();
    return out;
}

} // namespace

class TestTopicChartModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void numbersAreFoundInBareAndJsonPayloads_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<QList<double>>("numbers");
        QTest::newRow("bare number") << QByteArray("21.5") << QStringList{QString()} << QList<double>{21.5};
        QTest::newRow("bare number with CR LF") << QByteArray(" -7\r\n") << QStringList{QString()} << QList<double>{-7};
        QTest::newRow("JSON object, nested, in key order")
            << QByteArray(R"({"t": 22, "env": {"rh": 40.5}, "ok": true, "name": "x", "n": null})")
            << QStringList{QStringLiteral("env.rh"), QStringLiteral("t")} << QList<double>{40.5, 22};
        QTest::newRow("JSON array") << QByteArray("[1, [2, 3]]")
                                    << QStringList{QStringLiteral("0"), QStringLiteral("1.0"), QStringLiteral("1.1")}
                                    << QList<double>{1, 2, 3};
        QTest::newRow("a number as a string is text")
            << QByteArray(R"({"v": "12"})") << QStringList{} << QList<double>{};
        QTest::newRow("text") << QByteArray("online, uptime 30 s") << QStringList{} << QList<double>{};
        QTest::newRow("broken JSON") << QByteArray(R"({"t": 22,)") << QStringList{} << QList<double>{};
        QTest::newRow("not finite") << QByteArray("inf") << QStringList{} << QList<double>{};
        QTest::newRow("empty") << QByteArray() << QStringList{} << QList<double>{};
    }

    void numbersAreFoundInBareAndJsonPayloads()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QStringList, paths);
        QFETCH(QList<double>, numbers);
        const QList<NumericField> fields = numericFields(payload, 16);
        QStringList gotPaths;
        QList<double> gotNumbers;
        for (const NumericField &f : fields) {
            gotPaths << f.path;
            gotNumbers << f.value;
        }
        QCOMPARE(gotPaths, paths);
        QCOMPARE(gotNumbers, numbers);
    }

    void moreNumbersThanTheCapAreCutAndCounted()
    {
        qsizetype found = 0;
        QCOMPARE(numericFields("[1,2,3,4,5]", 3, &found).size(), 3);
        QCOMPARE(found, 5);
        QCOMPARE(numericFields("[1,2,3]", 3, &found).size(), 3);
        QCOMPARE(found, 3);

        TopicChartModel model;
        model.watch("t");
        QByteArray many = "[";
        for (int i = 0; i < TopicChartModel::MaxSeries + 5; ++i)
            many += QByteArray::number(i) + ',';
        many.back() = ']';
        model.add("t", many, T0);
        QCOMPARE(model.rowCount(), TopicChartModel::MaxSeries);
        QCOMPARE(model.droppedFields(), quint64(5)); // each number not charted counts
    }

    void longLinesAreThinnedToThePlotWidthKeepingTheirPeaks()
    {
        RingBuffer<QPointF> samples(10'000);
        for (int i = 0; i < 10'000; ++i)
            samples.pushBack(QPointF(i, i == 4321 ? 1000.0 : (i == 777 ? -1000.0 : double(i % 7))));
        const QList<QPointF> thin = thinnedLine(samples, 300);
        QVERIFY(thin.size() <= 600);
        QVERIFY(thin.size() >= 300);
        QVERIFY(std::is_sorted(thin.cbegin(), thin.cend(),
                               [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); }));
        QVERIFY(thin.contains(QPointF(4321, 1000.0))); // the spike and the dip survive
        QVERIFY(thin.contains(QPointF(777, -1000.0)));

        RingBuffer<QPointF> few(100);
        for (int i = 0; i < 100; ++i)
            few.pushBack(QPointF(i, i));
        QCOMPARE(thinnedLine(few, 300).size(), 100); // short lines come back whole
    }

    void onlyChartedTopicsBecomeSeries()
    {
        TopicChartModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.add("room/1", "20", T0); // not charted
        QCOMPARE(model.rowCount(), 0);

        QVERIFY(model.watch("room/1"));
        model.add("room/1", "20", T0);
        model.add("room/2", "99", T0); // still not charted
        model.add("room/1", R"({"t": 21})", T0.addSecs(1));
        model.add("room/1", "22.5", T0.addSecs(2));
        QCOMPARE(seriesNames(model), (QStringList{QStringLiteral("room/1"), QStringLiteral("room/1 · t")}));
        QCOMPARE(values(model, 0), (QList<double>{20, 22.5}));
        QCOMPARE(values(model, 1), (QList<double>{21}));
        QCOMPARE(model.samples(0).at(1).x(), double(T0.addSecs(2).toMSecsSinceEpoch()));

        model.flush();
        QCOMPARE(model.index(0, TopicChartModel::LastColumn).data().toString(), QStringLiteral("22.5"));
        QCOMPARE(model.index(0, TopicChartModel::MinColumn).data().toString(), QStringLiteral("20"));
        QCOMPARE(model.index(0, TopicChartModel::MaxColumn).data().toString(), QStringLiteral("22.5"));
        QCOMPARE(model.index(0, TopicChartModel::SamplesColumn).data().toString(), QStringLiteral("2"));
    }

    void viewsHearOfSamplesOncePerTick()
    {
        TopicChartModel model;
        QSignalSpy ticks(&model, &TopicChartModel::samplesChanged);
        model.watch("t");
        for (int i = 0; i < 100; ++i)
            model.add("t", QByteArray::number(i), T0.addMSecs(i));
        QCOMPARE(ticks.count(), 0);
        QVERIFY(ticks.wait(5000));
        QCOMPARE(ticks.count(), 1);
        QCOMPARE(model.samples(0).size(), 100);
    }

    void eachSeriesKeepsItsNewestPointsAndCountsTheRest()
    {
        TopicChartModel model;
        QSignalSpy dropped(&model, &TopicChartModel::droppedChanged);
        model.setSamplesPerSeries(20);
        model.watch("t");
        for (int i = 0; i < 25; ++i)
            model.add("t", QByteArray::number(i), T0.addSecs(i));
        model.flush();
        QCOMPARE(model.samples(0).size(), 20);
        QCOMPARE(model.samples(0).at(0).y(), 5.0);
        QCOMPARE(model.droppedSamples(), quint64(5));
        QCOMPARE(dropped.count(), 1);

        model.setSamplesPerSeries(4); // fewer kept at once, but never under 10
        QCOMPARE(model.samplesPerSeries(), 10);
        QCOMPARE(values(model, 0), (QList<double>{15, 16, 17, 18, 19, 20, 21, 22, 23, 24}));
        QCOMPARE(model.droppedSamples(), quint64(15));
        QCOMPARE(dropped.count(), 2);
    }

    void topicsAndSeriesAreCapped()
    {
        TopicChartModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < TopicChartModel::MaxTopics; ++i)
            QVERIFY(model.watch("t/" + QByteArray::number(i)));
        QVERIFY(!model.watch("one/too/many"));
        QVERIFY(model.watch("t/0")); // already charted

        // 3 topics × 6 fields: the lines stop at MaxSeries and the numbers beyond are counted.
        const QByteArray sixFields = R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6})";
        for (int i = 0; i < 3; ++i)
            model.add("t/" + QByteArray::number(i), sixFields, T0);
        QCOMPARE(model.rowCount(), TopicChartModel::MaxSeries);
        QCOMPARE(model.droppedFields(), quint64(3 * 6 - TopicChartModel::MaxSeries));
    }

    void aLineCanBeHiddenAndShownAgain()
    {
        TopicChartModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.watch("t");
        model.add("t", R"({"seq": 1, "temp": 20})", T0);
        const QModelIndex seq = model.index(0, TopicChartModel::TopicColumn);
        QVERIFY(model.flags(seq) & Qt::ItemIsUserCheckable);
        QCOMPARE(seq.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QSignalSpy redraws(&model, &TopicChartModel::samplesChanged);
        QVERIFY(model.setData(seq, Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!model.isShown(0));
        QVERIFY(model.isShown(1));
        QCOMPARE(redraws.count(), 1);
        model.add("t", R"({"seq": 2, "temp": 21})", T0); // a hidden line still collects its points
        QCOMPARE(model.samples(0).size(), 2);
        QVERIFY(model.setData(seq, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model.isShown(0));
        QVERIFY(!model.setData(model.index(0, TopicChartModel::LastColumn), Qt::Unchecked, Qt::CheckStateRole));
    }

    void stoppingATopicRemovesItsLinesOnly()
    {
        TopicChartModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.watch("a");
        model.watch("b");
        model.add("a", R"({"x":1})", T0);
        model.add("b", "2", T0);
        model.add("a", R"({"x":1,"y":2})", T0);
        model.unwatch("a");
        QCOMPARE(seriesNames(model), QStringList{QStringLiteral("b")});
        QVERIFY(!model.isWatched("a"));
        model.add("a", R"({"x":3})", T0); // no longer charted
        QCOMPARE(model.rowCount(), 1);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.watchedCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTopicChartModel)
#include "tst_topicchartmodel.moc"
