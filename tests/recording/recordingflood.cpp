// qmt-recording-flood FILE [RATE]: records a flood of numbered messages — and the +QMTRECV line of each
// into the log — into FILE until it is killed, RATE messages a second (10,000 by default). Prints "opened"
// once the file is open, then every few milliseconds "seq N" (the last message handed to the recorder) and
// "written M L" (the messages and log lines it has committed), and "not queued N" should the recorder's
// queue ever refuse one. tst_recordingcrash kills it with SIGKILL.

#include "core/recording/recorder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

using namespace qmt;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: qmt-recording-flood FILE [RATE]\n");
        return 2;
    }
    const qint64 rate = args.size() > 2 ? args[2].toLongLong() : 10'000;
    Recorder recorder;
    QElapsedTimer clock;
    qint64 produced = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 due = qMin(clock.elapsed() * rate / 1000, produced + rate / 10); // catch up, in steps
        for (; produced < due; ++produced) {
            const QByteArray seq = QByteArray::number(produced);
            RecvMessage m;
            m.connectId = 0;
            m.msgId = int(produced % 65535) + 1;
            m.topic = "flood/" + QByteArray::number(produced % 10);
            m.payload = "{\"seq\":" + seq + ",\"pad\":\"" + QByteArray(64, 'x') + "\"}";
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            recorder.recordLine(
                AtLine{"+QMTRECV: 0," + QByteArray::number(m.msgId) + ",\"" + m.topic + "\",\"" + m.payload + '"',
                       LineKind::Urc, 0, false},
                now);
            recorder.recordMessage(0, m, now, 1);
        }
        std::printf("seq %lld\n", produced - 1);
        const RecorderStats stats = recorder.stats();
        // What the writer has committed: the first M messages and L log lines, as they are queued in order.
        std::printf("written %lld %lld\n", stats.messagesWritten, stats.logRowsWritten);
        if (stats.messagesNotQueued + stats.logRowsNotQueued > 0)
            std::printf("not queued %lld\n", stats.messagesNotQueued + stats.logRowsNotQueued);
        std::fflush(stdout);
    });
    QObject::connect(&recorder, &Recorder::opened, [&] {
        std::printf("opened\n");
        std::fflush(stdout);
        clock.start();
        tick.start(5);
    });
    QObject::connect(&recorder, &Recorder::failed, [](const QString &error) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        QCoreApplication::exit(1);
    });
    QString error;
    if (!recorder.start(args[1], {}, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    return app.exec();
}
