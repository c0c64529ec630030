// The recorder and the reader on real files: what is recorded comes back as it was, in the order and pages
// the views ask for; the file keeps within its limits and says what it dropped; a disk that does not keep up
// costs counted rows, never a stall; search, replay and export answer from the file.

#include "core/recording/recorder.h"
#include "core/recording/recordingdatabase.h"
#include "core/recording/recordingexporter.h"
#include "core/recording/recordingreader.h"
#include "core/recording/recordingreplay.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;

namespace {

constexpr qint64 T0 = 1'700'000'000'000; // 2023-11-14T22:13:20Z

RecvMessage recv(const QByteArray &topic, const QByteArray &payload)
{
    RecvMessage m;
    m.topic = topic;
    m.payload = payload;
    return m;
}

/// Starts `recorder` on `path` and waits until the file is open.
bool startAndWait(Recorder &recorder, const QString &path, const RecorderOptions &options = {})
{
    QSignalSpy opened(&recorder, &Recorder::opened);
    QString error;
    if (!recorder.start(path, options, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    return opened.wait(10'000);
}

bool stopAndWait(Recorder &recorder)
{
    QSignalSpy stopped(&recorder, &Recorder::stopped);
    recorder.stop();
    return stopped.wait(20'000);
}

/// Waits until the writer has written this many messages and log rows.
bool waitWritten(const Recorder &recorder, qint64 messages, qint64 logRows = 0)
{
    return QTest::qWaitFor(
        [&] {
            const RecorderStats s = recorder.stats();
            return s.messagesWritten >= messages && s.logRowsWritten >= logRows;
        },
        30'000);
}

QList<QByteArray> payloads(const QList<RecordedMessage> &messages)
{
    QList<QByteArray> out;
    for (const RecordedMessage &m : messages)
        out.append(m.payload);
    return out;
}

} // namespace

class TestRecorder : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    QString newPath() { return m_dir.filePath(QStringLiteral("rec-%1.qmtrec").arg(++m_files)); }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_recorder"));
        QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
        QVERIFY(m_dir.isValid());
    }

    void messagesAndLogRowsComeBackAsTheyWereRecorded()
    {
        const QString path = newPath();
        {
            Recorder recorder;
            RecorderOptions options;
            options.sessionInfo.insert(SessionKeys::Port, QStringLiteral("/dev/ttyUSB0"));
            QVERIFY(startAndWait(recorder, path, options));
            recorder.setSessionValue(SessionKeys::ModuleModel, QStringLiteral("Quectel_BC660K-GL"));

            RecvMessage cut = recv("plant/a/temp", "{\"t\":2");
            cut.declaredLength = 12;
            recorder.recordMessage(0, recv("plant/a/temp", "{\"t\":21.5}"), T0, 1);
            recorder.recordMessage(0, cut, T0 + 10);
            recorder.recordMessage(3, recv("plant/a/temp", QByteArray("\x00\x01\xff", 3)), T0 + 20, 2, true);
            recorder.recordMessage(0, recv("plant/b", ""), T0 + 30);
            recorder.recordCommand("AT+QMTSUB=0,1,\"plant/#\",1", T0 - 5);
            recorder.recordLine(AtLine{"+QMTSUB: 0,1,0,1", LineKind::Urc, 0, false}, T0 - 1);
            QVERIFY(waitWritten(recorder, 4, 2));
            QVERIFY(stopAndWait(recorder));
        }
        // Closed cleanly: one self-contained file.
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));

        RecordingReader reader;
        QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
        QCOMPARE(reader.messageCount(), 4);
        QCOMPARE(reader.logRowCount(), 2);
        QCOMPARE(reader.timeSpan()->fromMs, T0 - 5);
        QCOMPARE(reader.timeSpan()->toMs, T0 + 30);

        // The same name on two slots is two topics (two brokers, maybe).
        const QList<RecordedTopic> topics = reader.topics();
        QCOMPARE(topics.size(), 3);
        QCOMPARE(topics[0].slot, 0);
        QCOMPARE(topics[0].name, QByteArray("plant/a/temp"));
        QCOMPARE(topics[0].messageCount, 2);
        QCOMPARE(topics[0].firstTimeMs, T0);
        QCOMPARE(topics[0].lastTimeMs, T0 + 10);
        QCOMPARE(topics[1].name, QByteArray("plant/b"));
        QCOMPARE(topics[2].slot, 3);

        const MessagePage all = reader.messages({}, 10);
        QCOMPARE(all.rows.size(), 4);
        QVERIFY(!all.next);
        const RecordedMessage &first = all.rows[0];
        QCOMPARE(first.slot, 0);
        QCOMPARE(first.topic, QByteArray("plant/a/temp"));
        QCOMPARE(first.payload, QByteArray("{\"t\":21.5}"));
        QCOMPARE(first.qos, 1);
        QVERIFY(!first.truncated);
        QCOMPARE(all.rows[1].qos, std::nullopt);
        QVERIFY(all.rows[1].truncated); // fewer bytes than the module announced
        QCOMPARE(all.rows[1].fullLength, 12);
        QCOMPARE(all.rows[2].payload, QByteArray("\x00\x01\xff", 3));
        QVERIFY(all.rows[2].withSubscription);
        QCOMPARE(all.rows[3].payload, QByteArray(""));
        QVERIFY(all.rows[0].id < all.rows[1].id);

        const LogPage log = reader.logRows({}, 10);
        QCOMPARE(log.rows.size(), 2);
        QCOMPARE(log.rows[0].text, QByteArray("AT+QMTSUB=0,1,\"plant/#\",1"));
        QCOMPARE(log.rows[0].direction, RecordedLogRow::Direction::ToModule);
        QCOMPARE(log.rows[0].slot, 0);
        QCOMPARE(log.rows[1].kind, RecordedLogRow::Kind::Urc);

        const QList<RecordingSession> sessions = reader.sessions();
        QCOMPARE(sessions.size(), 1);
        QVERIFY(sessions[0].endedMs.has_value());
        QCOMPARE(sessions[0].info.value(SessionKeys::Tool), QStringLiteral("QMT Studio"));
        QCOMPARE(sessions[0].info.value(SessionKeys::ToolVersion), QStringLiteral("9.8.7"));
        QCOMPARE(sessions[0].info.value(SessionKeys::Port), QStringLiteral("/dev/ttyUSB0"));
        QCOMPARE(sessions[0].info.value(SessionKeys::ModuleModel), QStringLiteral("Quectel_BC660K-GL"));
        QVERIFY(reader.dropped().isEmpty());
    }

    void pagesOfATopicInATimeSpanCoverItExactlyOnceEitherWay()
    {
        const QString path = newPath();
        Recorder recorder;
        QVERIFY(startAndWait(recorder, path));
        // Two topics interleaved, several messages per millisecond.
        for (int i = 0; i < 1000; ++i)
            recorder.recordMessage(i % 2, recv(i % 2 ? "b" : "a", QByteArray::number(i)), T0 + i / 3);
        QVERIFY(waitWritten(recorder, 1000));

        RecordingReader reader;
        QVERIFY(reader.open(path));
        const QList<RecordedTopic> topics = reader.topics();
        QCOMPARE(topics.size(), 2);
        const MessageFilter filter{topics[0].id, std::nullopt, TimeSpan{T0 + 10, T0 + 200}};
        QList<QByteArray> expected;
        for (int i = 0; i < 1000; i += 2) {
            if (T0 + i / 3 >= T0 + 10 && T0 + i / 3 <= T0 + 200)
                expected.append(QByteArray::number(i));
        }
        for (const RecordingOrder order : {RecordingOrder::OldestFirst, RecordingOrder::NewestFirst}) {
            QList<RecordedMessage> seen;
            std::optional<RecordingCursor> after;
            int pages = 0;
            do {
                const MessagePage page = reader.messages(filter, 7, order, after);
                QVERIFY(page.rows.size() <= 7);
                seen += page.rows;
                after = page.next;
                ++pages;
            } while (after && pages < 1000);
            QList<QByteArray> want = expected;
            if (order == RecordingOrder::NewestFirst)
                std::reverse(want.begin(), want.end());
            QCOMPARE(payloads(seen), want);
        }
        QVERIFY(stopAndWait(recorder));
    }

    void aReaderSeesWhatIsCommittedWhileTheRecordingGoesOn()
    {
        const QString path = newPath();
        Recorder recorder;
        QVERIFY(startAndWait(recorder, path));
        RecordingReader reader;
        QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
        QCOMPARE(reader.messageCount(), 0);
        recorder.recordMessage(1, recv("live", "1"), T0);
        QTRY_COMPARE_WITH_TIMEOUT(reader.messageCount(), 1, 10'000);
        recorder.recordMessage(1, recv("live", "2"), T0 + 1);
        QTRY_COMPARE_WITH_TIMEOUT(reader.messageCount(), 2, 10'000);
        QCOMPARE(reader.sessions().value(0).endedMs, std::nullopt); // still recording
        QVERIFY(stopAndWait(recorder));
    }

    void theSizeLimitKeepsTheFileBoundedAndSaysWhatItDropped()
    {
        const QString path = newPath();
        Recorder recorder;
        RecorderOptions options;
        options.limits.maxBytes = RecordingLimits::MinBytes; // 4 MiB
        options.flushIntervalMs = 20;
        QVERIFY(startAndWait(recorder, path, options));
        const QByteArray payload(500, 'p');
        const int total = 20'000; // about 20 MB with the log: five times the limit
        for (int i = 0; i < total; ++i) {
            recorder.recordMessage(0, recv("t/" + QByteArray::number(i % 50), QByteArray::number(i) + payload), T0 + i);
            recorder.recordLine(AtLine{"+QMTRECV: 0,1,\"t\",\"" + payload + '"', LineKind::Urc, 0, false}, T0 + i);
            // In steps of about half a megabyte (a batch is written before the oldest data makes room for it):
            // this is about the limit, not the queue.
            if (i % 500 == 499)
                QVERIFY(waitWritten(recorder, i + 1, i + 1));
        }
        QVERIFY(waitWritten(recorder, total, total));
        const RecorderStats stats = recorder.stats();
        QVERIFY(stats.messagesEvicted > 0);
        QVERIFY(stats.usedBytes <= options.limits.maxBytes);
        QVERIFY(stopAndWait(recorder));
        // The file's pages are reused, not added: it stays near the limit.
        QVERIFY2(QFileInfo(path).size() <= options.limits.maxBytes * 3 / 2,
                 qPrintable(QString::number(QFileInfo(path).size())));

        RecordingReader reader;
        QVERIFY(reader.open(path));
        const QList<DroppedSpan> dropped = reader.dropped();
        QCOMPARE(dropped.size(), 1);
        QCOMPARE(dropped[0].reason, DroppedSpan::Reason::SizeLimit);
        // Every message is either in the file or counted as dropped, and what was dropped is the oldest.
        QCOMPARE(reader.messageCount() + dropped[0].messages, total);
        QCOMPARE(reader.logRowCount() + dropped[0].logRows, total);
        QCOMPARE(dropped[0].firstTimeMs, T0);
        const MessagePage oldest = reader.messages({}, 1);
        QCOMPARE(oldest.rows.value(0).timeMs, dropped[0].lastTimeMs + 1);
        QCOMPARE(oldest.rows.value(0).payload, QByteArray::number(dropped[0].messages) + payload);
        // The newest are all there, and a good share of the limit still holds data.
        const MessagePage newest = reader.messages({}, 1, RecordingOrder::NewestFirst);
        QCOMPARE(newest.rows.value(0).timeMs, T0 + total - 1);
        QVERIFY2(reader.messageCount() > total / 10, qPrintable(QString::number(reader.messageCount())));
        QVERIFY(dropped[0].describe().contains(QStringLiteral("size limit")));
    }

    void theAgeLimitDropsWhatIsOlderAndSaysSo()
    {
        const QString path = newPath();
        Recorder recorder;
        RecorderOptions options;
        options.limits.maxAgeMs = 3600 * 1000;
        QVERIFY(startAndWait(recorder, path, options));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 100; ++i)
            recorder.recordMessage(0, recv("old", "o"), now - 7200 * 1000 + i);
        for (int i = 0; i < 10; ++i)
            recorder.recordMessage(0, recv("new", "n"), now + i);
        QVERIFY(waitWritten(recorder, 110));
        QTRY_COMPARE_WITH_TIMEOUT(recorder.stats().messagesEvicted, 100, 10'000);
        QVERIFY(stopAndWait(recorder));

        RecordingReader reader;
        QVERIFY(reader.open(path));
        QCOMPARE(reader.messageCount(), 10);
        const QList<DroppedSpan> dropped = reader.dropped();
        QCOMPARE(dropped.size(), 1);
        QCOMPARE(dropped[0].reason, DroppedSpan::Reason::AgeLimit);
        QCOMPARE(dropped[0].messages, 100);
        QCOMPARE(dropped[0].firstTimeMs, now - 7200 * 1000);
        QCOMPARE(dropped[0].lastTimeMs, now - 7200 * 1000 + 99);
        // A topic whose every message went is gone from the list too.
        QCOMPARE(reader.topics().size(), 1);
        QCOMPARE(reader.topics()[0].name, QByteArray("new"));
    }

    void whatTheQueueCannotTakeIsCountedNotWaitedFor()
    {
        const QString path = newPath();
        Recorder recorder;
        RecorderOptions options;
        options.queueBudgetBytes = 1024 * 1024; // the smallest
        QVERIFY(startAndWait(recorder, path, options));
        const QByteArray payload(2000, 'q');
        const int pushed = 20'000; // 40 MB in one go: far more than the queue and any disk take at once
        for (int i = 0; i < pushed; ++i)
            recorder.recordMessage(0, recv("flood", payload), T0 + i);
        const qint64 notQueued = recorder.stats().messagesNotQueued;
        QVERIFY2(notQueued > 0, "the queue took 40 MB in a 1 MiB budget");
        QVERIFY(waitWritten(recorder, pushed - notQueued));
        QVERIFY(stopAndWait(recorder));
        QCOMPARE(recorder.stats().messagesWritten + notQueued, pushed);

        RecordingReader reader;
        QVERIFY(reader.open(path));
        qint64 noted = 0;
        for (const DroppedSpan &d : reader.dropped()) {
            QCOMPARE(d.reason, DroppedSpan::Reason::QueueFull);
            QVERIFY(d.firstTimeMs >= T0 && d.lastTimeMs < T0 + pushed);
            noted += d.messages;
        }
        QCOMPARE(noted, notQueued);
        QCOMPARE(reader.messageCount(), pushed - notQueued);
    }

    void recordingAgainIntoAFileAddsASessionAndKeepsTheIdsRising()
    {
        const QString path = newPath();
        Recorder recorder;
        QVERIFY(startAndWait(recorder, path));
        recorder.recordMessage(0, recv("a", "first"), T0);
        QVERIFY(waitWritten(recorder, 1));
        QVERIFY(stopAndWait(recorder));
        QVERIFY(startAndWait(recorder, path));
        recorder.recordMessage(0, recv("a", "second"), T0 + 1);
        QVERIFY(waitWritten(recorder, 1));
        QVERIFY(stopAndWait(recorder));

        RecordingReader reader;
        QVERIFY(reader.open(path));
        QCOMPARE(reader.sessions().size(), 2);
        const MessagePage page = reader.messages({}, 10);
        QCOMPARE(payloads(page.rows), (QList<QByteArray>{"first", "second"}));
        QVERIFY(page.rows[1].id > page.rows[0].id);
        QCOMPARE(reader.topics().size(), 1);
    }

    void aFileThatIsNotARecordingIsRefusedAndLeftAlone()
    {
        const QString text = m_dir.filePath(QStringLiteral("notes.txt"));
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'n'));
        }
        const QString other = m_dir.filePath(QStringLiteral("other.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
            db.setDatabaseName(other);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("CREATE TABLE t(x)"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("other"));

        for (const QString &path : {text, other}) {
            const QByteArray before = [&] {
                QFile f(path);
                return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
            }();
            Recorder recorder;
            QSignalSpy failed(&recorder, &Recorder::failed);
            QVERIFY(recorder.start(path));
            QVERIFY(failed.wait(10'000));
            const QString error = failed.first().at(0).toString();
            QVERIFY2(error.contains(path) && error.contains(QStringLiteral("not a")), qPrintable(error));
            QVERIFY(!recorder.isRecording());
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), before);

            RecordingReader reader;
            QVERIFY(!reader.open(path));
            QVERIFY2(reader.errorString().contains(path), qPrintable(reader.errorString()));
        }
        RecordingReader reader;
        QVERIFY(!reader.open(m_dir.filePath(QStringLiteral("missing.qmtrec"))));
        QVERIFY(reader.errorString().contains(QStringLiteral("no such file")));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("missing.qmtrec"))));
    }

    void badOptionsAreRefusedNamingTheFieldAndNothingStarts()
    {
        Recorder recorder;
        QString error;
        RecorderOptions options;
        options.limits.maxBytes = 1000;
        QVERIFY(!recorder.start(newPath(), options, &error));
        QVERIFY2(error.contains(QStringLiteral("Size limit")) && error.contains(QStringLiteral("1000")),
                 qPrintable(error));
        options = {};
        options.limits.maxAgeMs = 5;
        QVERIFY(!recorder.start(newPath(), options, &error));
        QVERIFY2(error.contains(QStringLiteral("Age limit")), qPrintable(error));
        options = {};
        options.flushIntervalMs = 5000;
        QVERIFY(!recorder.start(newPath(), options, &error));
        QVERIFY2(error.contains(QStringLiteral("Flush interval")), qPrintable(error));
        QVERIFY(!recorder.isRecording());
        QVERIFY(!recorder.setLimits(RecordingLimits{1, 0}, &error));
        QVERIFY(error.contains(QStringLiteral("Size limit")));
    }

    void searchFindsTextAndExpressionsInTopicsAndPayloads_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<bool>("caseSensitive");
        QTest::addColumn<bool>("inTopics");
        QTest::addColumn<bool>("inPayloads");
        QTest::addColumn<QList<QByteArray>>("found"); // payloads, newest first

        using L = QList<QByteArray>;
        const auto row = [](const char *name, const char *pattern, bool regex, bool caseSensitive, bool inTopics,
                            bool inPayloads, const L &found) {
            QTest::newRow(name) << QString::fromUtf8(pattern) << regex << caseSensitive << inTopics << inPayloads
                                << found;
        };
        row("text, any case", "alarm", false, false, false, true, L{"ALARM cleared", "{\"alarm\":true}"});
        row("text, exact case", "ALARM", false, true, false, true, L{"ALARM cleared"});
        row("wildcards are characters", "50%_*?[x", false, false, false, true, L{"load 50%_*?[x"});
        row("non-ASCII, any case", "ÜBER", false, false, false, true, L{"grün über"});
        row("topic only", "kitchen", false, false, true, false, L{"21", "{\"alarm\":true}"});
        row("topic or payload", "kitchen|cleared", true, false, true, true,
            L{"ALARM cleared", "21", "{\"alarm\":true}"});
        row("regex with a literal", "\"alarm\":\\s*true", true, false, false, true, L{"{\"alarm\":true}"});
        row("regex without a literal", "^\\d+$", true, false, false, true, L{"21"});
        row("regex, exact case", "^ALARM", true, true, false, true, L{"ALARM cleared"});
        row("regex, any case", "^alarm", true, false, false, true, L{"ALARM cleared"});
        row("nothing", "absent", false, false, true, true, L{});
    }

    void searchFindsTextAndExpressionsInTopicsAndPayloads()
    {
        QFETCH(QString, pattern);
        QFETCH(bool, regex);
        QFETCH(bool, caseSensitive);
        QFETCH(bool, inTopics);
        QFETCH(bool, inPayloads);
        QFETCH(QList<QByteArray>, found);
        const QString path = m_dir.filePath(QStringLiteral("search.qmtrec"));
        if (!QFile::exists(path)) {
            Recorder recorder;
            QVERIFY(startAndWait(recorder, path));
            recorder.recordMessage(0, recv("home/kitchen/door", "{\"alarm\":true}"), T0);
            recorder.recordMessage(0, recv("home/hall/load", "load 50%_*?[x"), T0 + 1);
            recorder.recordMessage(0, recv("home/kitchen/temp", "21"), T0 + 2);
            recorder.recordMessage(1, recv("garden/note", "grün über"), T0 + 3);
            recorder.recordMessage(1, recv("garden/alarm-panel", "ALARM cleared"), T0 + 4);
            recorder.recordMessage(1,
                                   recv("garden/bin", QByteArray("\x00\xff"
                                                                 "alarm?",
                                                                 8)),
                                   T0 + 5);
            QVERIFY(waitWritten(recorder, 6));
            QVERIFY(stopAndWait(recorder));
        }
        RecordingReader reader;
        QVERIFY(reader.open(path));
        SearchQuery query;
        query.pattern = pattern;
        query.syntax = regex ? SearchQuery::Syntax::RegularExpression : SearchQuery::Syntax::Text;
        query.caseSensitive = caseSensitive;
        query.inTopics = inTopics;
        query.inPayloads = inPayloads;
        // A page at a time, newest first: two per page.
        QList<RecordedMessage> seen;
        std::optional<qint64> after;
        do {
            const SearchPage page = reader.search(query, {}, 2, RecordingOrder::NewestFirst, after);
            QVERIFY2(reader.errorString().isEmpty(), qPrintable(reader.errorString()));
            seen += page.rows;
            after = page.next;
        } while (after);
        QCOMPARE(payloads(seen), found);
        QCOMPARE(reader.countMatches(query), found.size());
    }

    void anInvalidSearchSaysWhyAndFindsNothing()
    {
        const QString path = newPath();
        Recorder recorder;
        QVERIFY(startAndWait(recorder, path));
        recorder.recordMessage(0, recv("a", "b"), T0);
        QVERIFY(waitWritten(recorder, 1));
        RecordingReader reader;
        QVERIFY(reader.open(path));
        SearchQuery query;
        query.pattern = QStringLiteral("(unclosed");
        query.syntax = SearchQuery::Syntax::RegularExpression;
        QVERIFY(reader.search(query, {}, 10).rows.isEmpty());
        QVERIFY2(reader.errorString().contains(QStringLiteral("does not compile")), qPrintable(reader.errorString()));
        QVERIFY(stopAndWait(recorder));
    }

    void replayGivesMessagesAndLogInTimeOrderFromAnyMoment()
    {
        const QString path = newPath();
        Recorder recorder;
        QVERIFY(startAndWait(recorder, path));
        // The line that carried a message comes before it in the same millisecond.
        for (int i = 0; i < 50; ++i) {
            recorder.recordLine(AtLine{"+QMTRECV: 0," + QByteArray::number(i), LineKind::Urc, 0, false}, T0 + i * 10);
            recorder.recordMessage(0, recv("r", QByteArray::number(i)), T0 + i * 10);
            if (i % 10 == 0)
                recorder.recordCommand("AT+CSQ", T0 + i * 10 + 5);
        }
        QVERIFY(waitWritten(recorder, 50, 55));
        QVERIFY(stopAndWait(recorder));

        RecordingReader reader;
        QVERIFY(reader.open(path));
        RecordingReplay replay(reader);
        replay.seek(T0 + 200);
        // What is due up to T0 + 255, in batches of 4.
        QList<QByteArray> shown;
        for (QList<RecordedEvent> batch = replay.next(4, T0 + 255); !batch.isEmpty();
             batch = replay.next(4, T0 + 255)) {
            QVERIFY(batch.size() <= 4);
            for (const RecordedEvent &e : batch) {
                if (const auto *m = std::get_if<RecordedMessage>(&e))
                    shown.append("m" + m->payload);
                else
                    shown.append("l" + std::get<RecordedLogRow>(e).text);
            }
        }
        const QList<QByteArray> expected{"l+QMTRECV: 0,20",
                                         "m20",
                                         "lAT+CSQ",
                                         "l+QMTRECV: 0,21",
                                         "m21",
                                         "l+QMTRECV: 0,22",
                                         "m22",
                                         "l+QMTRECV: 0,23",
                                         "m23",
                                         "l+QMTRECV: 0,24",
                                         "m24",
                                         "l+QMTRECV: 0,25",
                                         "m25"};
        QCOMPARE(shown, expected);
        QVERIFY(!replay.atEnd());
        qsizetype rest = 0;
        for (QList<RecordedEvent> batch = replay.next(100); !batch.isEmpty(); batch = replay.next(100))
            rest += batch.size();
        QCOMPARE(rest, 24 * 2 + 2); // messages and lines 26–49, and two AT+CSQ
        QVERIFY(replay.atEnd());
    }

    void exportsWriteCsvAndJsonLinesThatReadBack()
    {
        const QString path = newPath();
        Recorder recorder;
        QVERIFY(startAndWait(recorder, path));
        recorder.recordMessage(2, recv("exp/a", "with, comma and \"quotes\"\nand a line"), T0, 1);
        recorder.recordMessage(2, recv("exp/b", QByteArray("\x01\x02\xfe", 3)), T0 + 1);
        recorder.recordMessage(2, recv("exp/a", "plain"), T0 + 2);
        recorder.recordCommand("AT+QMTCONN=2,\"c\",\"u\",\"SecretPw1\"", T0 + 3);
        QVERIFY(waitWritten(recorder, 3, 1));
        QVERIFY(stopAndWait(recorder));

        RecordingReader reader;
        QVERIFY(reader.open(path));
        RecordingExporter exporter(reader);
        QBuffer csv;
        csv.open(QIODevice::WriteOnly);
        QVERIFY(exporter.exportMessages(csv, RecordingExporter::Format::Csv));
        QCOMPARE(exporter.rowsWritten(), 3);
        const QByteArray csvText = csv.data();
        QVERIFY(csvText.startsWith("id,time_utc,time_ms,slot,topic,topic_encoding,qos,length,truncated,"
                                   "with_subscription,payload,payload_encoding\r\n"));
        QVERIFY2(csvText.contains(",2023-11-14T22:13:20.000Z,1700000000000,2,exp/a,text,1,"), csvText.constData());
        QVERIFY(csvText.contains(",\"with, comma and \"\"quotes\"\"\nand a line\",text\r\n"));
        QVERIFY(csvText.contains(",0102fe,hex\r\n"));

        // Filtered by a search: only exp/a's plain message.
        QBuffer jsonl;
        jsonl.open(QIODevice::WriteOnly);
        SearchQuery plain;
        plain.pattern = QStringLiteral("plain");
        QVERIFY(exporter.exportMessages(jsonl, RecordingExporter::Format::JsonLines, {}, plain));
        const QList<QByteArray> lines = jsonl.data().trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        const QJsonObject o = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(o.value(QStringLiteral("topic")).toString(), QStringLiteral("exp/a"));
        QCOMPARE(o.value(QStringLiteral("payload")).toString(), QStringLiteral("plain"));
        QCOMPARE(o.value(QStringLiteral("slot")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("time")).toString(), QStringLiteral("2023-11-14T22:13:20.002Z"));
        QVERIFY(o.value(QStringLiteral("qos")).isNull());

        QBuffer log;
        log.open(QIODevice::WriteOnly);
        QVERIFY(exporter.exportLog(log, RecordingExporter::Format::JsonLines));
        const QJsonObject row = QJsonDocument::fromJson(log.data().trimmed()).object();
        QCOMPARE(row.value(QStringLiteral("direction")).toString(), QStringLiteral("to_module"));
        QCOMPARE(row.value(QStringLiteral("kind")).toString(), QStringLiteral("command"));
        QVERIFY(row.value(QStringLiteral("text")).toString().contains(QStringLiteral("<redacted, 9 bytes>")));
        QVERIFY(!log.data().contains("SecretPw1"));
    }
};

QTEST_GUILESS_MAIN(TestRecorder)
#include "tst_recorder.moc"
