// The whole receive path of the application under a +QMTRECV flood: bytes from a device through the AT
// channel (framing, classification, +QMTRECV continuation), the module controller (parsing, slot counters),
// the model feeder and the models (log, topic tree, slot table) with their filter proxies, all on one
// event loop as in QMT Studio.
//
//   bench_controller [--seconds N] [--topics N] [--slice-ms N]
//
// The flood device hands the channel `slice-ms` worth of URC bytes per event-loop turn, as a serial port's
// readyRead does; half the URCs carry <payload_len>. It reports URCs/s ingested, the longest event-loop
// stall, peak RSS, and checks that every URC reached the controller and the models (shown or counted as
// dropped); exit code 1 otherwise. BENCHMARKS.md records the figures.

#include "benchsupport.h"

#include "core/module/modulecontroller.h"
#include "gui/modelfeeder.h"
#include "gui/models/atlogfiltermodel.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/slotstatemodel.h"
#include "gui/models/topicchartmodel.h"
#include "gui/models/topicfiltermodel.h"
#include "gui/models/topictreemodel.h"

#include <QCommandLineParser>

#include <cstdio>

using namespace qmt;
using namespace qmt::bench;

namespace {

/// An in-process port flooded with +QMTRECV; it answers every command with OK so the controller settles.
class FloodDevice : public QIODevice
{
public:
    FloodDevice(const Workload &work, int sliceMs)
        : m_work(work)
        , m_sliceNs(qint64(sliceMs) * 1'000'000)
    {
        m_producer.setInterval(0);
        m_producer.setObjectName(QStringLiteral("flood device"));
        QObject::connect(&m_producer, &QTimer::timeout, [this] { produce(); });
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_buffer.size() + QIODevice::bytesAvailable(); }
    void startFlood() { m_producer.start(); }
    void stopFlood() { m_producer.stop(); }
    [[nodiscard]] quint64 produced() const { return m_produced; }
    [[nodiscard]] quint64 bytes() const { return m_bytes; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = qMin<qint64>(maxSize, m_buffer.size());
        memcpy(data, m_buffer.constData(), size_t(n));
        m_buffer.remove(0, n);
        return n;
    }
    qint64 writeData(const char *data, qint64 size) override
    {
        m_pending.append(data, size);
        while (m_pending.contains('\r')) {
            m_pending.remove(0, m_pending.indexOf('\r') + 1);
            m_buffer += "\r\nOK\r\n";
        }
        return size;
    }

private:
    void produce()
    {
        QElapsedTimer slice;
        slice.start();
        do {
            for (int i = 0; i < 64; ++i) {
                QByteArray line = m_work.line(m_produced);
                if (m_produced % 2 == 0) { // the showrecvlen form: frame the payload by its length
                    const qsizetype quote = line.indexOf("\",\"") + 2;
                    const qsizetype payloadLength = line.size() - quote - 2;
                    line.insert(quote, QByteArray::number(payloadLength) + ',');
                }
                m_buffer += "\r\n" + line + "\r\n";
                m_bytes += quint64(line.size() + 4);
                ++m_produced;
            }
        } while (slice.nsecsElapsed() < m_sliceNs);
        Q_EMIT readyRead();
    }

    const Workload &m_work;
    qint64 m_sliceNs;
    QByteArray m_buffer;
    QByteArray m_pending;
    QTimer m_producer;
    quint64 m_produced = 0;
    quint64 m_bytes = 0;
};

class FloodPort : public PortProvider
{
public:
    explicit FloodPort(FloodDevice &device)
        : m_device(device)
    {}
    QString displayName() const override { return QStringLiteral("flood"); }
    QIODevice *open(QString &) override
    {
        if (!m_device.isOpen())
            m_device.open(QIODevice::ReadWrite | QIODevice::Unbuffered);
        return &m_device;
    }
    void close() override {}

private:
    FloodDevice &m_device;
};

} // namespace

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
    const QCommandLineOption sliceOption(QStringLiteral("slice-ms"),
                                         QStringLiteral("Producer time per event-loop turn."), QStringLiteral("N"),
                                         QStringLiteral("2"));
    const QCommandLineOption chartsOption(
        QStringLiteral("charts"),
        QStringLiteral("Topics charted during the flood (at most %1).").arg(TopicChartModel::MaxTopics),
        QStringLiteral("N"), QString::number(TopicChartModel::MaxTopics));
    parser.addOptions({secondsOption, topicsOption, sliceOption, chartsOption});
    parser.process(app);
    const int seconds = parser.value(secondsOption).toInt();
    const Workload work(qMax(1, parser.value(topicsOption).toInt()));

    FloodDevice device(work, qMax(1, parser.value(sliceOption).toInt()));
    ModuleController controller;
    controller.setInfoPollIntervalMs(3'600'000);
    controller.setPortProvider(std::make_unique<FloodPort>(device));
    AtLogModel log;
    TopicTreeModel tree;
    SlotStateModel slots;
    AtLogFilterModel logFilter;
    TopicFilterModel treeFilter;
    logFilter.setSourceModel(&log);
    treeFilter.setSourceModel(&tree);
    TopicChartModel charts; // as a user charting a few topics during the flood
    for (int i = 0; i < parser.value(chartsOption).toInt() && i < work.topics.size(); ++i)
        charts.watch(work.topics.at(i));
    ModelFeeder feeder(controller, log, tree, charts, slots);

    QElapsedTimer clock;
    StallMeter meter(clock);
    int second = 0;
    quint64 lastProduced = 0;
    QTimer report;
    report.setInterval(1000);
    report.setObjectName(QStringLiteral("report"));
    QObject::connect(&report, &QTimer::timeout, &app, [&] {
        ++second;
        std::printf("t=%3ds  %9.0f URCs/s  log rows %6d  tree nodes %6d  RSS %7.1f MiB\n", second,
                    double(device.produced() - lastProduced), log.rowCount(), tree.nodeCount(), statusMiB("VmRSS"));
        std::fflush(stdout);
        lastProduced = device.produced();
        if (second >= seconds)
            app.quit();
    });

    controller.openPort();
    // Let the controller's start-up exchange (wake, AT+QMTOPEN?, AT+QMTCONN?, identity polls) finish first.
    QTimer::singleShot(500, &app, [&] {
        std::printf(
            "bench_controller: %d s, %lld topics, through AtChannel + ModuleController + ModelFeeder + models\n",
            seconds, qlonglong(work.topics.size()));
        clock.start();
        meter.start();
        device.startFlood();
        report.start();
    });
    app.exec();
    const double elapsed = clock.nsecsElapsed() / 1e9;
    device.stopFlood();
    QCoreApplication::processEvents(); // the last slice
    log.flush();
    tree.flush();

    quint64 received = 0;
    for (int s = 0; s < SlotCount; ++s)
        received += controller.status(s).counters.received;
    quint64 treeMessages = 0;
    for (int row = 0; row < tree.rowCount(); ++row)
        treeMessages += tree.index(row, 0).data(TopicTreeModel::SubtreeCountRole).toULongLong();
    quint64 logUrcs = log.droppedCount();
    for (int row = 0; row < log.rowCount(); ++row)
        logUrcs += log.entry(row).text.startsWith("+QMTRECV:");

    std::printf(
        "\nURCs through channel, controller and models: %llu in %.2f s = %.0f URCs/s (%.1f MB/s of line bytes)\n",
        static_cast<unsigned long long>(received), elapsed, double(received) / elapsed,
        double(device.bytes()) / elapsed / 1e6);
    std::printf("controller counted %llu of %llu produced; tree %llu (+%llu dropped); log rows %d (%llu dropped)\n",
                static_cast<unsigned long long>(received), static_cast<unsigned long long>(device.produced()),
                static_cast<unsigned long long>(treeMessages), static_cast<unsigned long long>(tree.droppedMessages()),
                log.rowCount(), static_cast<unsigned long long>(log.droppedCount()));
    std::printf("longest event-loop stall: %.2f ms\n", meter.longestMs());
    std::printf("event handlers (max / mean ms, count):\n");
    for (auto it = app.costs().cbegin(); it != app.costs().cend(); ++it) {
        if (it.value().maxNs >= 100'000)
            std::printf("  %-24s %7.2f / %5.2f  %llu\n", qPrintable(it.key()), it.value().maxNs / 1e6,
                        it.value().totalNs / 1e6 / double(it.value().count),
                        static_cast<unsigned long long>(it.value().count));
    }
    std::printf("peak RSS (VmHWM): %.1f MiB\n", statusMiB("VmHWM"));
    const bool exact =
        received == device.produced() && treeMessages + tree.droppedMessages() == received && logUrcs >= received;
    if (!exact)
        std::printf("FAILED: URCs unaccounted for\n");
    return exact ? 0 : 1;
}
