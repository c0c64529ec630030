// Ingestion into the GUI models: synthetic +QMTRECV URCs over many distinct topics, as fast as the event
// loop allows, into the AT log (AtLogModel + AtLogFilterModel) and the topic tree (TopicTreeModel +
// TopicFilterModel), the models' own UI ticks (33 ms, the tree's within its time budget) applying them.
//
//   bench_models [--seconds N] [--topics N] [--log-capacity N] [--max-nodes N] [--slice-ms N] [--no-proxies]
//
// Each URC is a fresh line parsed by qmt::parseRecv() (as the module controller does), then appended to
// the log and added to the tree. Every second it prints the rate so far and the resident memory; at the end
// the URCs/s ingested, the longest event-loop stall (the largest gap
// between two firings of a 1 ms precise timer) and the peak RSS (VmHWM). It checks that every URC is
// accounted for (shown or counted as dropped) and exits with 1 otherwise. Not a test: it asserts nothing
// about time. BENCHMARKS.md records the figures.

#include "models/atlogfiltermodel.h"
#include "models/atlogmodel.h"
#include "models/topicfiltermodel.h"
#include "models/topictreemodel.h"

#include "qmt/qmtparser.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QMap>
#include <QTimer>

#include <cstdio>

using namespace qmt;

namespace {

/// A field of /proc/self/status in MiB ("VmRSS", "VmHWM").
double statusMiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

/// Topics "bench/g<NN>/dev-<N>/<metric>" and JSON-ish payloads of 20–300 bytes.
struct Workload
{
    QList<QByteArray> topics;
    QList<QByteArray> payloads;

    Workload(int topicCount)
    {
        static const char *const metrics[] = {"temp", "humidity", "state", "battery"};
        for (int i = 0; i < topicCount; ++i) {
            topics.append("bench/g" + QByteArray::number(i % 100) + "/dev-" + QByteArray::number(i / 4) + '/'
                          + metrics[i % 4]);
        }
        for (int i = 0; i < 64; ++i) {
            QByteArray p = "{\"seq\":" + QByteArray::number(i) + ",\"value\":21.5,\"status\":\"ok\",\"pad\":\"";
            p += QByteArray(20 + (i * 37) % 260, 'x');
            p += "\"}";
            payloads.append(p);
        }
    }

    /// A new line each time, as the framer hands over: one allocation per URC, like the real path.
    [[nodiscard]] QByteArray line(quint64 n) const
    {
        const QByteArray &topic = topics[qsizetype((n * 7919) % quint64(topics.size()))];
        const QByteArray &payload = payloads[qsizetype(n % quint64(payloads.size()))];
        QByteArray out;
        out.reserve(40 + topic.size() + payload.size());
        out += "+QMTRECV: ";
        out += char('0' + n % 5);
        out += ',';
        out += QByteArray::number(n % 65536);
        out += ",\"";
        out += topic;
        out += "\",\"";
        out += payload;
        out += '"';
        return out;
    }
};

/// Times every event the loop delivers, by receiver: which handler made the longest stall.
class TimedApplication : public QGuiApplication
{
public:
    using QGuiApplication::QGuiApplication;

    struct Cost
    {
        qint64 maxNs = 0;
        qint64 totalNs = 0;
        quint64 count = 0;
    };

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth++ > 0) {
            const bool result = QGuiApplication::notify(receiver, event);
            --m_depth;
            return result;
        }
        QElapsedTimer timer;
        timer.start();
        const bool result = QGuiApplication::notify(receiver, event);
        const qint64 ns = timer.nsecsElapsed();
        --m_depth;
        QString name = receiver->objectName();
        if (name.isEmpty())
            name = QString::fromLatin1(receiver->metaObject()->className());
        Cost &c = m_costs[name];
        c.maxNs = qMax(c.maxNs, ns);
        c.totalNs += ns;
        ++c.count;
        return result;
    }

    [[nodiscard]] const QMap<QString, Cost> &costs() const { return m_costs; }

private:
    QMap<QString, Cost> m_costs;
    int m_depth = 0;
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Run time."), QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption topicsOption(QStringLiteral("topics"), QStringLiteral("Distinct topics."), QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption capacityOption(QStringLiteral("log-capacity"), QStringLiteral("Log rows."), QStringLiteral("N"),
                                            QString::number(AtLogModel::DefaultCapacity));
    const QCommandLineOption nodesOption(QStringLiteral("max-nodes"), QStringLiteral("Topic tree node cap."), QStringLiteral("N"),
                                         QString::number(TopicTreeModel::DefaultMaxNodes));
    const QCommandLineOption sliceOption(QStringLiteral("slice-ms"), QStringLiteral("Producer time per event-loop turn."),
                                         QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption noProxiesOption(QStringLiteral("no-proxies"), QStringLiteral("Leave the filter proxies out."));
    parser.addOptions({secondsOption, topicsOption, capacityOption, nodesOption, sliceOption, noProxiesOption});
    parser.process(app);
    const int seconds = parser.value(secondsOption).toInt();
    const int sliceMs = qMax(1, parser.value(sliceOption).toInt());
    const bool proxies = !parser.isSet(noProxiesOption);
    const Workload work(qMax(1, parser.value(topicsOption).toInt()));

    AtLogModel log;
    log.setCapacity(parser.value(capacityOption).toLongLong());
    TopicTreeModel tree;
    tree.setMaxNodes(parser.value(nodesOption).toInt());
    AtLogFilterModel logFilter;
    TopicFilterModel treeFilter;
    if (proxies) {
        logFilter.setSourceModel(&log);
        treeFilter.setSourceModel(&tree);
    }

    quint64 produced = 0;
    qsizetype longestBacklog = 0;
    QElapsedTimer clock;

    // The stall meter: a 1 ms timer; the largest gap between two firings is the longest the loop was busy.
    qint64 lastBeat = -1;
    qint64 longestGapNs = 0;
    QTimer meter;
    meter.setTimerType(Qt::PreciseTimer);
    meter.setInterval(1);
    meter.setObjectName(QStringLiteral("stall meter"));
    QObject::connect(&meter, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastBeat >= 0)
            longestGapNs = qMax(longestGapNs, now - lastBeat);
        lastBeat = now;
    });

    // The producer: URCs for `sliceMs`, then back to the event loop (as readyRead handlers do).
    bool parseFailed = false;
    QTimer producer;
    producer.setInterval(0);
    producer.setObjectName(QStringLiteral("producer (URC source)"));
    QObject::connect(&producer, &QTimer::timeout, &app, [&] {
        QElapsedTimer slice;
        slice.start();
        const qint64 sliceNs = qint64(sliceMs) * 1'000'000;
        do {
            for (int i = 0; i < 64; ++i) {
                const QByteArray text = work.line(produced);
                std::optional<RecvMessage> message = parseRecv(text);
                if (!message) {
                    parseFailed = true;
                    return;
                }
                log.appendLine(AtLine{text, LineKind::Urc, 0, false});
                tree.add(*message);
                ++produced;
            }
        } while (slice.nsecsElapsed() < sliceNs);
    });

    int second = 0;
    quint64 producedAtLastReport = 0;
    QTimer report;
    report.setInterval(1000);
    report.setObjectName(QStringLiteral("report"));
    QObject::connect(&report, &QTimer::timeout, &app, [&] {
        ++second;
        longestBacklog = qMax(longestBacklog, tree.queuedTopics());
        std::printf("t=%3ds  %9.0f URCs/s  log rows %6d  tree nodes %6d  tree backlog %5lld topics  RSS %7.1f MiB\n",
                    second, double(produced - producedAtLastReport), log.rowCount(), tree.nodeCount(),
                    qlonglong(tree.queuedTopics()), statusMiB("VmRSS"));
        std::fflush(stdout);
        producedAtLastReport = produced;
        if (second >= seconds || parseFailed)
            app.quit();
    });

    std::printf("bench_models: %d s, %lld topics, log capacity %lld, node cap %d, proxies %s, producer slice %d ms\n",
                seconds, qlonglong(work.topics.size()), qlonglong(log.capacity()), tree.maxNodes(),
                proxies ? "on" : "off", sliceMs);
    clock.start();
    meter.start();
    producer.start();
    report.start();
    app.exec();
    const double elapsed = clock.nsecsElapsed() / 1e9;
    producer.stop();
    log.flush();
    tree.flush();

    // Every URC is in the log or counted as dropped, and in the tree or counted as dropped.
    quint64 treeMessages = 0;
    for (int row = 0; row < tree.rowCount(); ++row)
        treeMessages += tree.index(row, 0).data(TopicTreeModel::SubtreeCountRole).toULongLong();
    const bool logOk = quint64(log.rowCount()) + log.droppedCount() == produced;
    const bool treeOk = treeMessages + tree.droppedMessages() == produced;

    std::printf("\nURCs ingested into tree and log: %llu in %.2f s = %.0f URCs/s (parse included)\n",
                static_cast<unsigned long long>(produced), elapsed, double(produced) / elapsed);
    std::printf("log:  %d rows, %llu dropped by the ring buffer\n", log.rowCount(),
                static_cast<unsigned long long>(log.droppedCount()));
    std::printf("tree: %d nodes, %lld topics, %llu messages, %llu dropped; largest backlog seen %lld topics\n",
                tree.nodeCount(), qlonglong(tree.topics().size()), static_cast<unsigned long long>(treeMessages),
                static_cast<unsigned long long>(tree.droppedMessages()), qlonglong(longestBacklog));
    std::printf("longest event-loop stall: %.2f ms (gap between 1 ms timer firings)\n", longestGapNs / 1e6);
    std::printf("event handlers (max / mean ms, count):\n");
    for (auto it = app.costs().cbegin(); it != app.costs().cend(); ++it) {
        if (it.value().maxNs < 100'000)
            continue;  // under 0.1 ms: not worth a line
        std::printf("  %-24s %7.2f / %5.2f  %llu\n", qPrintable(it.key()), it.value().maxNs / 1e6,
                    it.value().totalNs / 1e6 / double(it.value().count), static_cast<unsigned long long>(it.value().count));
    }
    std::printf("peak RSS (VmHWM): %.1f MiB\n", statusMiB("VmHWM"));
    if (parseFailed || !logOk || !treeOk) {
        std::printf("FAILED: %s\n", parseFailed ? "a line did not parse" : "URCs unaccounted for");
        return 1;
    }
    return 0;
}
