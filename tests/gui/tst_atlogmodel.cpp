#include "gui/models/atlogexporter.h"
#include "gui/models/atlogfiltermodel.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/ringbuffer.h"

#include "fakepem.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;
using Kind = AtLogEntry::Kind;

namespace {

const QDateTime T0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000);

AtLine line(const QByteArray &text, LineKind kind = LineKind::Urc, bool secret = false)
{
    return AtLine{text, kind, 0, secret};
}

QByteArray urc(int i)
{
    return "+QMTRECV: 0," + QByteArray::number(i) + ",\"t\",\"p" + QByteArray::number(i) + '"';
}

/// Every role a view or delegate could ask for, on every cell, as text.
QStringList everythingShown(const QAbstractItemModel &model)
{
    QStringList out;
    const QList<int> roles = {Qt::DisplayRole,
                              Qt::ToolTipRole,
                              Qt::StatusTipRole,
                              Qt::WhatsThisRole,
                              Qt::EditRole,
                              Qt::AccessibleTextRole,
                              Qt::AccessibleDescriptionRole};
    QList<int> allRoles = roles;
    for (int r = Qt::UserRole; r < Qt::UserRole + 16; ++r)
        allRoles.append(r);
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            for (int role : allRoles) {
                const QVariant v = model.index(row, column).data(role);
                out.append(v.toString());
                out.append(QString::fromLatin1(v.toByteArray()));
            }
        }
    }
    return out;
}

/// One CSV record (RFC 4180, no line breaks inside fields: the exporter makes them visible).
QStringList parseCsv(const QString &record)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const QChar c = record[i];
        if (quoted) {
            if (c == u'"' && i + 1 < record.size() && record[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            fields.append(field);
            field.clear();
        } else {
            field += c;
        }
    }
    fields.append(field);
    return fields;
}

QStringList exportLines(const QList<AtLogEntry> &rows, AtLogExporter::Format format)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("log.out"));
    AtLogExporter exporter;
    QSignalSpy finished(&exporter, &AtLogExporter::finished);
    if (!exporter.start(rows, path, format) || !finished.wait(10'000) || !finished.at(0).at(0).toBool())
        return {QStringLiteral("<export failed>")};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {QStringLiteral("<cannot read the export>")};
    QString text = QString::fromUtf8(file.readAll());
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    QStringList lines = text.split(u'\n');
    if (lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class TestAtLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void appendsWaitForTheTickAndArriveInOneInsertion();
    void theTimerTickInsertsWithoutAnExplicitFlush();
    void fullLogDropsTheOldestRowsAndCountsThem_data();
    void fullLogDropsTheOldestRowsAndCountsThem();
    void oldestRowsLeaveBeforeNewRowsArrive();
    void loweringTheCapacityDropsTheOldestRowsAtOnce();
    void pauseHoldsRowsBoundedAndCountsWhatItPushesOut();
    void clearRemovesShownAndHeldRowsAndResetsTheCount();
    void ringBufferKeepsTheNewestItemsWhenResized();
    void ringBufferKeepsOrderWhileItGrowsAfterWrapping();

    void slotIsTakenFromTheConnectIdTheLineNames_data();
    void slotIsTakenFromTheConnectIdTheLineNames();
    void kindsFollowTheChannelsClassification_data();
    void kindsFollowTheChannelsClassification();
    void finalResultsAreColouredBySuccess();
    void controlCharactersAreShownAndTheirBytesGivenInHex();

    void secretsNeverAppearInAnyRoleFilterOrExport();
    void echoThatLostItsFirstBytesIsStillRedacted_data();
    void echoThatLostItsFirstBytesIsStillRedacted();
    void commandsRedactedByTheBuildersStayAsTheyAre();

    void filterSelectsKindsSlotsAndText();
    void filterTextIsDebounced();
    void filterTextIgnoresCaseBeyondAscii();
    void filterFollowsRowsArrivingAndLeaving();
    void filterFindsWhatTheRowShows();

    void exportWritesWhatTheViewShows_data();
    void exportWritesWhatTheViewShows();
    void exportToAnUnwritablePlaceFailsAndSaysWhy();
};

void TestAtLogModel::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_atlogmodel"));
}

void TestAtLogModel::appendsWaitForTheTickAndArriveInOneInsertion()
{
    AtLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 10; ++i)
        model.appendLine(line(urc(i)), T0);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.heldCount(), 10);
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 9);
    QCOMPARE(model.index(9, AtLogModel::TextColumn).data().toString(), QString::fromUtf8(urc(9)));
    QCOMPARE(model.index(0, AtLogModel::TimeColumn).data(AtLogModel::TimeRole).toDateTime(), T0);
}

void TestAtLogModel::theTimerTickInsertsWithoutAnExplicitFlush()
{
    AtLogModel model;
    model.setTickInterval(5);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 3; ++i)
        model.appendCommand("AT+QMTOPEN?");
    QVERIFY(inserted.wait(5000));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 3);
}

void TestAtLogModel::fullLogDropsTheOldestRowsAndCountsThem_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<QList<int>>("batches");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("dropped");
    QTest::addColumn<int>("firstShown");

    QTest::newRow("under capacity") << 10 << QList<int>{3, 4} << 7 << 0 << 0;
    QTest::newRow("exactly full") << 10 << QList<int>{5, 5} << 10 << 0 << 0;
    QTest::newRow("one over") << 10 << QList<int>{5, 6} << 10 << 1 << 1;
    QTest::newRow("batch larger than capacity") << 4 << QList<int>{2, 9} << 4 << 7 << 7;
    QTest::newRow("many small batches") << 5 << QList<int>{2, 2, 2, 2, 2} << 5 << 5 << 5;
    QTest::newRow("capacity of one") << 1 << QList<int>{3, 1} << 1 << 3 << 3;
}

void TestAtLogModel::fullLogDropsTheOldestRowsAndCountsThem()
{
    QFETCH(int, capacity);
    QFETCH(QList<int>, batches);
    QFETCH(int, rows);
    QFETCH(int, dropped);
    QFETCH(int, firstShown);

    AtLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(capacity);
    QSignalSpy droppedSpy(&model, &AtLogModel::droppedCountChanged);
    int next = 0;
    for (int batch : batches) {
        for (int i = 0; i < batch; ++i)
            model.appendLine(line(urc(next++)), T0);
        model.flush();
    }
    QCOMPARE(model.rowCount(), rows);
    QCOMPARE(model.droppedCount(), quint64(dropped));
    QCOMPARE(model.index(0, AtLogModel::TextColumn).data().toString(), QString::fromUtf8(urc(firstShown)));
    QCOMPARE(model.index(rows - 1, AtLogModel::TextColumn).data().toString(), QString::fromUtf8(urc(next - 1)));
    if (dropped > 0)
        QCOMPARE(droppedSpy.last().at(0).toULongLong(), quint64(dropped));
    else
        QCOMPARE(droppedSpy.size(), 0);
}

void TestAtLogModel::oldestRowsLeaveBeforeNewRowsArrive()
{
    AtLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(5);
    for (int i = 0; i < 5; ++i)
        model.appendLine(line(urc(i)), T0);
    model.flush();

    QStringList events;
    connect(&model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [&](const QModelIndex &, int first, int last) {
        events.append(QStringLiteral("remove %1-%2").arg(first).arg(last));
    });
    connect(&model, &QAbstractItemModel::rowsAboutToBeInserted, this, [&](const QModelIndex &, int first, int last) {
        events.append(QStringLiteral("insert %1-%2").arg(first).arg(last));
    });
    for (int i = 5; i < 8; ++i)
        model.appendLine(line(urc(i)), T0);
    model.flush();
    QCOMPARE(events, (QStringList{QStringLiteral("remove 0-2"), QStringLiteral("insert 2-4")}));
    QCOMPARE(model.droppedCount(), 3u);
}

void TestAtLogModel::loweringTheCapacityDropsTheOldestRowsAtOnce()
{
    AtLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 10; ++i)
        model.appendLine(line(urc(i)), T0);
    model.flush();
    QSignalSpy droppedSpy(&model, &AtLogModel::droppedCountChanged);
    model.setCapacity(4);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.capacity(), 4);
    QCOMPARE(model.index(0, AtLogModel::TextColumn).data().toString(), QString::fromUtf8(urc(6)));
    QCOMPARE(droppedSpy.size(), 1);
    QCOMPARE(model.droppedCount(), 6u);

    model.setCapacity(8); // growing keeps every row
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(3, AtLogModel::TextColumn).data().toString(), QString::fromUtf8(urc(9)));
}

void TestAtLogModel::pauseHoldsRowsBoundedAndCountsWhatItPushesOut()
{
    AtLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(6);
    QSignalSpy paused(&model, &AtLogModel::pausedChanged);
    QSignalSpy held(&model, &AtLogModel::heldCountChanged);
    model.setPaused(true);
    QCOMPARE(paused.size(), 1);
    for (int i = 0; i < 9; ++i)
        model.appendLine(line(urc(i)), T0);
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.heldCount(), 6);
    QCOMPARE(held.last().at(0).value<qsizetype>(), 6);
    QCOMPARE(model.droppedCount(), 3u);

    model.setPaused(false);
    model.flush();
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.heldCount(), 0);
    QCOMPARE(model.index(0, AtLogModel::TextColumn).data().toString(), QString::fromUtf8(urc(3)));
}

void TestAtLogModel::clearRemovesShownAndHeldRowsAndResetsTheCount()
{
    AtLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(2);
    for (int i = 0; i < 5; ++i)
        model.appendLine(line(urc(i)), T0);
    model.flush();
    model.appendLine(line(urc(5)), T0);
    QSignalSpy droppedSpy(&model, &AtLogModel::droppedCountChanged);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.heldCount(), 0);
    QCOMPARE(model.droppedCount(), 0u);
    QCOMPARE(droppedSpy.size(), 1);
    model.flush();
    QCOMPARE(model.rowCount(), 0);
}

void TestAtLogModel::ringBufferKeepsTheNewestItemsWhenResized()
{
    RingBuffer<int> ring(4);
    for (int i = 0; i < 4; ++i)
        ring.pushBack(i);
    ring.popFront(2);
    ring.pushBack(4);
    ring.pushBack(5); // wrapped around: 2 3 4 5
    QVERIFY(ring.isFull());
    ring.setCapacity(3);
    QCOMPARE(ring.size(), 3);
    QCOMPARE(ring.at(0), 3);
    QCOMPARE(ring.at(2), 5);
    ring.setCapacity(0); // clamped to one
    QCOMPARE(ring.capacity(), 1);
    QCOMPARE(ring.at(0), 5);
}

void TestAtLogModel::ringBufferKeepsOrderWhileItGrowsAfterWrapping()
{
    // Slots come as the buffer fills; growing after the oldest items left must not reorder the rest.
    RingBuffer<int> ring(6);
    for (int i = 0; i < 3; ++i)
        ring.pushBack(i);
    ring.popFront(2);
    ring.pushBack(3);
    ring.pushBack(4); // reuses the two freed slots: wrapped, 2 3 4
    for (int i = 5; i < 8; ++i)
        ring.pushBack(i); // grows: 2 3 4 5 6 7
    QVERIFY(ring.isFull());
    for (int i = 0; i < 6; ++i)
        QCOMPARE(ring.at(i), i + 2);
    ring.popFront(6);
    QVERIFY(ring.isEmpty());
    ring.pushBack(8);
    QCOMPARE(ring.at(0), 8);
}

void TestAtLogModel::slotIsTakenFromTheConnectIdTheLineNames_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("outgoing");
    QTest::addColumn<int>("slot");

    QTest::newRow("open command") << QByteArray("AT+QMTOPEN=2,\"broker\",1883") << true << 2;
    QTest::newRow("lower-case command") << QByteArray("at+qmtdisc=4") << true << 4;
    QTest::newRow("cfg names the id second") << QByteArray("AT+QMTCFG=\"keepalive\",3,120") << true << 3;
    QTest::newRow("read form has no id") << QByteArray("AT+QMTOPEN?") << true << -1;
    QTest::newRow("test form has no id") << QByteArray("AT+QMTCONN=?") << true << -1;
    QTest::newRow("id out of range") << QByteArray("AT+QMTCLOSE=5") << true << -1;
    QTest::newRow("other command") << QByteArray("AT+CEREG=1") << true << -1;
    QTest::newRow("recv urc") << QByteArray("+QMTRECV: 1,0,\"a\",\"b\"") << false << 1;
    QTest::newRow("stat urc") << QByteArray("+QMTSTAT: 0,1") << false << 0;
    QTest::newRow("result without space") << QByteArray("+QMTCONN:3,0,0") << false << 3;
    QTest::newRow("cfg answer has values only") << QByteArray("+QMTCFG: \"keepalive\",120") << false << -1;
    QTest::newRow("ok") << QByteArray("OK") << false << -1;
    QTest::newRow("number is not a whole field") << QByteArray("+QMTSTAT: 0x1,1") << false << -1;
    QTest::newRow("recv with length") << QByteArray("+QMTRECV: 4,7,\"a\",1,\"b\"") << false << 4;
    QTest::newRow("sub result") << QByteArray("+QMTSUB: 2,1,0,1,128") << false << 2;
    QTest::newRow("open read form") << QByteArray("+QMTOPEN: 1,\"broker\",1883") << false << 1;
    QTest::newRow("urc id out of range") << QByteArray("+QMTSTAT: 5,1") << false << -1;
    QTest::newRow("test form reply has ranges")
        << QByteArray("+QMTOPEN: (0-4),\"<host_name>\",(1-65535)") << false << -1;
    QTest::newRow("cme error") << QByteArray("+CME ERROR: 3") << false << -1;
}

void TestAtLogModel::slotIsTakenFromTheConnectIdTheLineNames()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, outgoing);
    QFETCH(int, slot);
    AtLogModel model;
    if (outgoing)
        model.appendCommand(text, T0);
    else
        model.appendLine(line(text), T0);
    model.flush();
    QCOMPARE(model.index(0, 0).data(AtLogModel::SlotRole).toInt(), slot);
    QCOMPARE(model.index(0, AtLogModel::SlotColumn).data().toString(), slot < 0 ? QString() : QString::number(slot));
}

void TestAtLogModel::kindsFollowTheChannelsClassification_data()
{
    QTest::addColumn<int>("lineKind");
    QTest::addColumn<int>("kind");
    QTest::newRow("echo") << int(LineKind::Echo) << int(Kind::Echo);
    QTest::newRow("response") << int(LineKind::Response) << int(Kind::Response);
    QTest::newRow("final") << int(LineKind::Final) << int(Kind::Final);
    QTest::newRow("prompt") << int(LineKind::Prompt) << int(Kind::Prompt);
    QTest::newRow("urc") << int(LineKind::Urc) << int(Kind::Urc);
    QTest::newRow("data") << int(LineKind::Data) << int(Kind::Data);
    QTest::newRow("unknown") << int(LineKind::Unknown) << int(Kind::Unknown);
}

void TestAtLogModel::kindsFollowTheChannelsClassification()
{
    QFETCH(int, lineKind);
    QFETCH(int, kind);
    AtLogModel model;
    model.appendLine(line("x", LineKind(lineKind)), T0);
    model.appendCommand("ATI", T0);
    model.appendDataSent("payload", false, 1, T0);
    model.flush();
    QCOMPARE(model.index(0, 0).data(AtLogModel::KindRole).toInt(), kind);
    QCOMPARE(model.index(0, AtLogModel::KindColumn).data().toString(), AtLogEntry::kindName(Kind(kind)));
    QCOMPARE(model.index(0, AtLogModel::DirectionColumn).data().toString(),
             AtLogEntry::directionName(AtLogEntry::Direction::FromModule));
    QCOMPARE(model.index(1, 0).data(AtLogModel::KindRole).toInt(), int(Kind::Command));
    QCOMPARE(model.index(1, 0).data(AtLogModel::DirectionRole).toInt(), int(AtLogEntry::Direction::ToModule));
    QCOMPARE(model.index(2, 0).data(AtLogModel::KindRole).toInt(), int(Kind::DataSent));
    QCOMPARE(model.index(2, 0).data(AtLogModel::SlotRole).toInt(), 1);
}

void TestAtLogModel::finalResultsAreColouredBySuccess()
{
    AtLogModel model;
    model.appendLine(line("OK", LineKind::Final), T0);
    model.appendLine(line("+CME ERROR: 8504", LineKind::Final), T0);
    model.appendLine(line("+QMTSTAT: 0,1", LineKind::Urc), T0);
    model.appendCommand("AT", T0);
    model.flush();
    QSet<QRgb> colours;
    for (int row = 0; row < 4; ++row) {
        const QVariant v = model.index(row, AtLogModel::TextColumn).data(Qt::ForegroundRole);
        QVERIFY(v.canConvert<QColor>());
        colours.insert(v.value<QColor>().rgb());
    }
    QCOMPARE(colours.size(), 4);
}

void TestAtLogModel::controlCharactersAreShownAndTheirBytesGivenInHex()
{
    AtLogModel model;
    model.appendLine(line(QByteArray("+QMTRECV: 0,1,\"t\",\"a\r\nb\x01\""), LineKind::Urc), T0);
    model.appendLine(line("OK", LineKind::Final), T0);
    model.flush();
    const QModelIndex text = model.index(0, AtLogModel::TextColumn);
    QCOMPARE(text.data().toString(), QStringLiteral("+QMTRECV: 0,1,\"t\",\"a\u240D\u240Ab\u2401\""));
    QVERIFY(text.data(Qt::ToolTipRole).toString().contains(QStringLiteral("61 0D 0A 62 01 22")));
    QVERIFY(!model.index(1, AtLogModel::TextColumn).data(Qt::ToolTipRole).isValid());
}

void TestAtLogModel::secretsNeverAppearInAnyRoleFilterOrExport()
{
    const QByteArray password = "hunter2-password";
    const QByteArray deviceSecret = "wN9Y6pZSlly7Exa5qVzcmigEGO4kAaz";
    const QByteArray privateKey = test::fakeKeyLine("BEGIN") + "fake-key-body";

    AtLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendCommand("AT+QMTCONN=0,\"client\",\"user\",\"" + password + '"', T0);
    model.appendCommand("AT+QMTCFG=\"aliauth\",0,\"pk\",\"dev\",\"" + deviceSecret + '"', T0);
    model.appendLine(line("AT+QMTCONN=0,\"client\",\"user\",\"" + password + '"', LineKind::Echo), T0);
    model.appendLine(line("AT+QMTCFG=\"aliauth\",0,\"pk\",\"dev\",\"" + deviceSecret + '"', LineKind::Unknown), T0);
    model.appendDataSent(privateKey, true, 2, T0);
    model.appendLine(line(privateKey, LineKind::Data, true), T0);
    model.flush();
    QCOMPARE(model.rowCount(), 6);

    const QStringList shown = everythingShown(model);
    for (const QByteArray &secret : {password, deviceSecret, privateKey}) {
        for (const QString &s : shown)
            QVERIFY2(!s.contains(QString::fromLatin1(secret)), qPrintable(s));
    }
    QCOMPARE(model.index(4, AtLogModel::TextColumn).data().toString(),
             QStringLiteral("<redacted, %1 bytes>").arg(privateKey.size()));
    QCOMPARE(model.index(0, AtLogModel::TextColumn).data().toString(),
             QStringLiteral("AT+QMTCONN=0,\"client\",\"user\",\"<redacted, %1 bytes>\"").arg(password.size()));
    QVERIFY(model.index(5, 0).data(AtLogModel::SecretRole).toBool());

    AtLogFilterModel filter;
    QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    filter.setFilterText(QString::fromLatin1(password.left(7)));
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 0);
    filter.setFilterText(QStringLiteral("redacted"));
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 6);

    for (auto format : {AtLogExporter::Format::PlainText, AtLogExporter::Format::Csv}) {
        const QString exported = exportLines(filter.visibleEntries(), format).join(u'\n');
        QVERIFY(exported.contains(QStringLiteral("<redacted, ")));
        for (const QByteArray &secret : {password, deviceSecret, privateKey})
            QVERIFY2(!exported.contains(QString::fromLatin1(secret)), qPrintable(exported));
    }
}

void TestAtLogModel::echoThatLostItsFirstBytesIsStillRedacted_data()
{
    QTest::addColumn<QByteArray>("echo");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<int>("slot");
    QTest::newRow("whole") << QByteArray("AT+QMTCONN=1,\"c\",\"u\",\"secret1\"")
                           << QStringLiteral("AT+QMTCONN=1,\"c\",\"u\",\"<redacted, 7 bytes>\"") << 1;
    QTest::newRow("first byte lost") << QByteArray("T+QMTCONN=1,\"c\",\"u\",\"secret1\"")
                                     << QStringLiteral("T+QMTCONN=1,\"c\",\"u\",\"<redacted, 7 bytes>\"") << 1;
    QTest::newRow("two bytes lost") << QByteArray("+QMTCONN=1,\"c\",\"u\",\"secret1\"")
                                    << QStringLiteral("+QMTCONN=1,\"c\",\"u\",\"<redacted, 7 bytes>\"") << 1;
}

void TestAtLogModel::echoThatLostItsFirstBytesIsStillRedacted()
{
    QFETCH(QByteArray, echo);
    QFETCH(QString, shown);
    QFETCH(int, slot);
    AtLogModel model;
    model.appendLine(line(echo, LineKind::Echo), T0);
    model.flush();
    QCOMPARE(model.index(0, AtLogModel::TextColumn).data().toString(), shown);
    QCOMPARE(model.index(0, 0).data(AtLogModel::SlotRole).toInt(), slot);
}

void TestAtLogModel::commandsRedactedByTheBuildersStayAsTheyAre()
{
    // QmtCommands puts an unquoted placeholder into AtCommand::display; redacting it again must not
    // change the byte count it shows.
    const QByteArray display = "AT+QMTCONN=0,\"c\",\"u\",<redacted, 8 bytes>";
    AtLogModel model;
    model.appendCommand(display, T0);
    model.flush();
    QCOMPARE(model.index(0, AtLogModel::TextColumn).data().toString(), QString::fromLatin1(display));
}

void TestAtLogModel::filterSelectsKindsSlotsAndText()
{
    AtLogModel model;
    AtLogFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    model.appendCommand("AT+QMTOPEN=0,\"broker.example\",1883", T0);
    model.appendLine(line("OK", LineKind::Final), T0);
    model.appendLine(line("+QMTOPEN: 0,0"), T0);
    model.appendCommand("AT+QMTOPEN=3,\"Other.Example\",1883", T0);
    model.appendLine(line("+QMTOPEN: 3,0"), T0);
    model.flush();
    QCOMPARE(filter.rowCount(), 5);

    filter.setKindVisible(Kind::Final, false);
    QCOMPARE(filter.rowCount(), 4);
    QVERIFY(!filter.isKindVisible(Kind::Final));

    filter.setVisibleSlots({3});
    QCOMPARE(filter.rowCount(), 2);
    filter.setSlotVisible(AtLogEntry::NoSlot, true);
    filter.setKindVisible(Kind::Final, true);
    QCOMPARE(filter.rowCount(), 3); // slot 3 and the OK, which names no slot

    filter.setVisibleSlots({0, 1, 2, 3, 4, AtLogEntry::NoSlot});
    filter.setVisibleKinds({Kind::Command});
    filter.setFilterText(QStringLiteral("EXAMPLE\",1883"));
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 2);
    filter.setFilterText(QStringLiteral("other"));
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, AtLogModel::SlotColumn).data().toString(), QStringLiteral("3"));
}

void TestAtLogModel::filterFindsWhatTheRowShows()
{
    AtLogModel model;
    AtLogFilterModel filter;
    filter.setSourceModel(&model);
    model.appendLine(line(QByteArray("+QMTRECV: 0,1,\"bin\",\"\xff\xfe\"")), T0);
    model.appendLine(line("+QMTRECV: 0,2,\"txt\",\"plain\""), T0);
    model.flush();
    filter.setFilterText(QStringLiteral("<ff><FE>")); // as shown, in any case
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 1);
    QVERIFY(filter.index(0, AtLogModel::TextColumn).data().toString().contains(QStringLiteral("<FF><FE>")));
    filter.setFilterText(QStringLiteral("PLAIN"));
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 1);
}

void TestAtLogModel::filterTextIsDebounced()
{
    AtLogModel model;
    AtLogFilterModel filter;
    filter.setSourceModel(&model);
    filter.setFilterDelay(30);
    model.appendCommand("AT+QMTOPEN?", T0);
    model.appendCommand("AT+QMTCONN?", T0);
    model.flush();
    QSignalSpy applied(&filter, &AtLogFilterModel::filterTextApplied);
    filter.setFilterText(QStringLiteral("O"));
    filter.setFilterText(QStringLiteral("OP"));
    filter.setFilterText(QStringLiteral("OPE"));
    QCOMPARE(filter.rowCount(), 2); // not yet
    QVERIFY(applied.wait(5000));
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.at(0).at(0).toString(), QStringLiteral("OPE"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.filterText(), QStringLiteral("OPE"));
}

void TestAtLogModel::filterTextIgnoresCaseBeyondAscii()
{
    AtLogModel model;
    AtLogFilterModel filter;
    filter.setSourceModel(&model);
    model.appendLine(line("+QMTRECV: 0,1,\"größe\",\"ÄPFEL\""), T0);
    model.appendLine(line("+QMTRECV: 0,2,\"x\",\"y\""), T0);
    model.flush();
    filter.setFilterText(QStringLiteral("äpfel"));
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 1);
    filter.setFilterText(QStringLiteral("GRÖSSE")); // no full case folding: ß stays ß
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 0);
    filter.setFilterText(QStringLiteral("GRÖẞE"));
    filter.applyFilterTextNow();
    QCOMPARE(filter.rowCount(), 1);
}

void TestAtLogModel::filterFollowsRowsArrivingAndLeaving()
{
    AtLogModel model;
    model.setCapacity(50);
    AtLogFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&model);
    filter.setVisibleSlots({1});
    for (int batch = 0; batch < 10; ++batch) {
        for (int i = 0; i < 17; ++i)
            model.appendLine(line("+QMTSTAT: " + QByteArray::number(i % 3) + ",1"), T0);
        model.flush();
    }
    int expected = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        expected += model.index(row, 0).data(AtLogModel::SlotRole).toInt() == 1;
    QCOMPARE(filter.rowCount(), expected);
    model.clear();
    QCOMPARE(filter.rowCount(), 0);
}

void TestAtLogModel::exportWritesWhatTheViewShows_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("plain text") << int(AtLogExporter::Format::PlainText);
    QTest::newRow("csv") << int(AtLogExporter::Format::Csv);
}

void TestAtLogModel::exportWritesWhatTheViewShows()
{
    QFETCH(int, format);
    AtLogModel model;
    AtLogFilterModel filter;
    filter.setSourceModel(&model);
    model.appendCommand("AT+QMTPUB=1,0,0,0,\"t\"", T0);
    model.appendLine(line(">", LineKind::Prompt), T0.addMSecs(5));
    model.appendDataSent("a,\"quoted\"\tpayload\r\n", false, 1, T0.addMSecs(7));
    model.appendLine(line("OK", LineKind::Final), T0.addMSecs(9));
    model.appendLine(line("+QMTPUB: 1,0,0"), T0.addMSecs(300));
    model.flush();
    filter.setKindVisible(Kind::Final, false);

    const QStringList lines = exportLines(filter.visibleEntries(), AtLogExporter::Format(format));
    const bool csv = format == int(AtLogExporter::Format::Csv);
    QCOMPARE(lines.size(), filter.rowCount() + (csv ? 1 : 0));
    if (csv)
        QCOMPARE(lines.first(), QStringLiteral("time,direction,slot,kind,text"));
    for (int row = 0; row < filter.rowCount(); ++row) {
        const QString record = lines.at(row + (csv ? 1 : 0));
        const QStringList fields = csv ? parseCsv(record) : record.split(u'\t');
        QStringList expected;
        expected.append(filter.index(row, 0).data(AtLogModel::TimeRole).toDateTime().toString(Qt::ISODateWithMs));
        for (int column = 1; column < AtLogModel::ColumnCount; ++column)
            expected.append(filter.index(row, column).data().toString());
        if (!csv && row == 2) {
            // The tab inside the payload is shown as ␉, so plain-text columns stay apart.
            QVERIFY(!expected.last().contains(u'\t'));
        }
        // In CSV, a cell a spreadsheet would run as a formula ("+QMTPUB: …") is marked as text.
        if (csv && expected.last().startsWith(u'+'))
            expected.last().prepend(u'\'');
        QCOMPARE(fields, expected);
    }
}

void TestAtLogModel::exportToAnUnwritablePlaceFailsAndSaysWhy()
{
    QTemporaryDir dir;
    AtLogExporter exporter;
    QSignalSpy finished(&exporter, &AtLogExporter::finished);
    const QString path = dir.filePath(QStringLiteral("no/such/directory/log.csv"));
    QVERIFY(exporter.start({AtLogEntry::command("AT", 0)}, path, AtLogExporter::Format::Csv));
    QVERIFY(!exporter.start({}, path, AtLogExporter::Format::Csv)); // one export at a time
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(finished.at(0).at(1).toString().contains(path));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!exporter.isRunning());
}

QTEST_MAIN(TestAtLogModel)
#include "tst_atlogmodel.moc"
