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

#include "gui/models/atlogfiltermodel.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/topicfiltermodel.h"
#include "gui/models/topictreemodel.h"

#include "benchsupport.h"

#include "core/qmt/qmtparser.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QMap>
#include <QTimer>

#include <cstdio>

using namespace qmt;
using namespace qmt::bench;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Run time."), QStringLiteral("N"),
                                           QStringLiteral("10"));
    const QCommandLineOption topicsOption(QStringLiteral("topics"), QStringLiteral("Distinct topics."),
                                          QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption capacityOption(QStringLiteral("log-capacity"), QStringLiteral("Log rows."),
                                            QStringLiteral("N"), QString::number(AtLogModel::DefaultCapacity));
    const QCommandLineOption nodesOption(QStringLiteral("max-nodes"), QStringLiteral("Topic tree node cap."),
                                         QStringLiteral("N"), QString::number(TopicTreeModel::DefaultMaxNodes));
    const QCommandLineOption sliceOption(QStringLiteral("slice-ms"),
                                         QStringLiteral("Producer time per event-loop turn."), QStringLiteral("N"),
                                         QStringLiteral("2"));
    const QCommandLineOption noProxiesOption(QStringLiteral("no-proxies"),
                                             QStringLiteral("Leave the filter proxies out."));
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

    StallMeter meter(clock);

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
    std::printf("longest event-loop stall: %.2f ms (gap between 1 ms timer firings)\n", meter.longestMs());
    std::printf("event handlers (max / mean ms, count):\n");
    for (auto it = app.costs().cbegin(); it != app.costs().cend(); ++it) {
        if (it.value().maxNs < 100'000)
            continue; // under 0.1 ms: not worth a line
        std::printf("  %-24s %7.2f / %5.2f  %llu\n", qPrintable(it.key()), it.value().maxNs / 1e6,
                    it.value().totalNs / 1e6 / double(it.value().count),
                    static_cast<unsigned long long>(it.value().count));
    }
    std::printf("peak RSS (VmHWM): %.1f MiB\n", statusMiB("VmHWM"));
    if (parseFailed || !logOk || !treeOk) {
        std::printf("FAILED: %s\n", parseFailed ? "a line did not parse" : "URCs unaccounted for");
        return 1;
    }
    return 0;
}
