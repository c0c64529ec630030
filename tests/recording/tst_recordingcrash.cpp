// A recording survives a crash: a real process records a flood and is killed with SIGKILL; the file passes
// SQLite's integrity check and holds every message and log line the recorder said it had committed before
// the kill, by their sequence numbers. While it records, this process reads the file.
//
// How far the writer lags behind (the "about one flush interval" a crash loses) depends on the machine's
// load, so it is printed, not asserted: a starved writer may lag, but must never lose what it committed.

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

    void aKillDuringAFloodLosesNothingCommittedAndLeavesASoundFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("flood.qmtrec"));

        // The helper's reports: what it has handed to the recorder, and what the recorder has committed.
        bool opened = false;
        qint64 lastHandedOver = -1;
        qint64 messagesCommitted = 0; // the last "written" report read: messages 0..N-1 are in the file
        qint64 linesCommitted = 0;
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
                    lastHandedOver = line.mid(4).toLongLong();
                else if (line.startsWith("written ")) {
                    const QList<QByteArray> counts = line.mid(8).split(' ');
                    messagesCommitted = counts.value(0).toLongLong();
                    linesCommitted = counts.value(1).toLongLong();
                } else if (line.startsWith("not queued "))
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
        // 30,000 messages handed over, and several commits made, before the kill: it falls while the writer
        // is busy, between two commits or in one.
        QTRY_VERIFY_WITH_TIMEOUT(lastHandedOver >= 30'000 && messagesCommitted > 5000, 120'000);
        const qint64 handedOver = lastHandedOver + 1;
        const qint64 mustHave = messagesCommitted - 1;
        const qint64 mustHaveLine = linesCommitted - 1;
        flood.kill(); // SIGKILL
        QVERIFY(flood.waitForFinished(10'000));
        QCOMPARE(flood.exitStatus(), QProcess::CrashExit);
        QVERIFY2(notQueued.isEmpty(), notQueued.constData()); // the flood fit the queue: every gap is a loss
        qInfo("handed over %lld messages, %lld committed before the kill (flood of 10,000/s)", handedOver,
              messagesCommitted);

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
        QVERIFY2(upTo(lines, mustHaveLine) == mustHaveLine + 1,
                 qPrintable(QStringLiteral("log lines missing: ") + missing(lines, mustHaveLine)));
        // The recorder never said it ended: the reader can tell a crashed session.
        QCOMPARE(reader.sessions().value(0).endedMs, std::nullopt);
        QVERIFY(reader.dropped().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRecordingCrash)
#include "tst_recordingcrash.moc"
