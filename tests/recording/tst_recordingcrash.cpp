// A recording survives a crash: a real process records a flood and is killed with SIGKILL; the file passes
// SQLite's integrity check and holds every message (and its log line) handed to the recorder more than a
// second before the kill, by their sequence numbers. While it records, this process reads the file.

#include "core/recording/recordingreader.h"

#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace qmt;

namespace {

/// The number after `"seq":` in a payload or a log line, or -1.
qint64 seqIn(const QByteArray &text)
{
    const qsizetype at = text.indexOf("\"seq\":");
    if (at < 0)
        return -1;
    qsizetype end = at + 6;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9')
        ++end;
    return text.mid(at + 6, end - at - 6).toLongLong();
}

/// Sequence numbers up to `last` missing from `seen`, for the failure message (the first few).
QString missing(const QSet<qint64> &seen, qint64 last)
{
    QStringList out;
    for (qint64 s = 0; s <= last && out.size() < 10; ++s) {
        if (!seen.contains(s))
            out.append(QString::number(s));
    }
    return out.join(QStringLiteral(", "));
}

} // namespace

class TestRecordingCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_recordingcrash"));
    }

    void aKillDuringAFloodLosesAtMostTheLastSecondAndLeavesASoundFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("flood.qmtrec"));

        // The helper's reports, each with when this process read it (never before the helper wrote it).
        QElapsedTimer clock;
        clock.start();
        bool opened = false;
        QList<std::pair<qint64, qint64>> reports; // (seq, read at ms)
        QByteArray notQueued;
        QByteArray pending;
        QProcess flood;
        flood.setProcessChannelMode(QProcess::SeparateChannels);
        connect(&flood, &QProcess::readyReadStandardOutput, this, [&] {
            pending += flood.readAllStandardOutput();
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QByteArray line = pending.left(nl);
                pending.remove(0, nl + 1);
                if (line == "opened")
                    opened = true;
                else if (line.startsWith("seq "))
                    reports.append({line.mid(4).toLongLong(), clock.elapsed()});
                else if (line.startsWith("not queued "))
                    notQueued = line;
            }
        });
        flood.start(QStringLiteral(QMT_RECORDING_FLOOD), {path, QStringLiteral("10000")});
        QVERIFY2(flood.waitForStarted(10'000), qPrintable(flood.errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(opened, flood.readAllStandardError().constData(), 20'000);

        // While it records: another process (this one) reads what it has committed.
        {
            RecordingReader reader;
            QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
            QTRY_VERIFY_WITH_TIMEOUT(reader.messageCount() > 1000, 30'000);
            QCOMPARE(reader.sessions().value(0).endedMs, std::nullopt);
            QCOMPARE(reader.topics().size(), 10);
        }
        // Three and a half seconds of flood and 30,000 messages before the kill: the kill falls between two
        // commits whatever their rhythm, unless they come faster than the second the test allows.
        QTRY_VERIFY_WITH_TIMEOUT(!reports.isEmpty() && reports.last().first >= 30'000 &&
                                     reports.last().second - reports.first().second >= 3500,
                                 60'000);
        const qint64 killedAt = clock.elapsed();
        flood.kill(); // SIGKILL
        QVERIFY(flood.waitForFinished(10'000));
        QCOMPARE(flood.exitStatus(), QProcess::CrashExit);
        QVERIFY2(notQueued.isEmpty(), notQueued.constData()); // the flood fit the queue: every gap is a loss

        // Everything handed over a second before the kill must be there.
        qint64 mustHave = -1;
        for (const auto &[seq, readAt] : std::as_const(reports)) {
            if (readAt <= killedAt - 1000)
                mustHave = seq;
        }
        QVERIFY(mustHave > 5000);

        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery check(db);
            QVERIFY(check.exec(QStringLiteral("PRAGMA integrity_check")));
            QVERIFY(check.next());
            QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
            check = QSqlQuery();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));

        RecordingReader reader;
        QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
        QSet<qint64> messages;
        std::optional<RecordingCursor> after;
        do {
            const MessagePage page = reader.messages({}, 5000, RecordingOrder::OldestFirst, after);
            for (const RecordedMessage &m : page.rows)
                messages.insert(seqIn(m.payload));
            after = page.next;
        } while (after);
        QSet<qint64> lines;
        do {
            const LogPage page = reader.logRows({}, 5000, RecordingOrder::OldestFirst, after);
            for (const RecordedLogRow &r : page.rows)
                lines.insert(seqIn(r.text));
            after = page.next;
        } while (after);
        const auto upTo = [](const QSet<qint64> &seen, qint64 last) {
            return std::count_if(seen.cbegin(), seen.cend(), [last](qint64 s) { return s >= 0 && s <= last; });
        };
        QVERIFY2(upTo(messages, mustHave) == mustHave + 1,
                 qPrintable(QStringLiteral("messages missing: ") + missing(messages, mustHave)));
        QVERIFY2(upTo(lines, mustHave) == mustHave + 1,
                 qPrintable(QStringLiteral("log lines missing: ") + missing(lines, mustHave)));
        // The recorder never said it ended: the reader can tell a crashed session.
        QCOMPARE(reader.sessions().value(0).endedMs, std::nullopt);
        QVERIFY(reader.dropped().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRecordingCrash)
#include "tst_recordingcrash.moc"
