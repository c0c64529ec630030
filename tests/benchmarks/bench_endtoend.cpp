// bench_endtoend: QMT Studio measured as a user meets it. A publisher floods a real mosquitto at rising rates;
// qmt-sim carries the messages over a pseudo-terminal as +QMTRECV URCs; qmt-studio, in its real window (under
// Xvfb, or offscreen), reads them on that port and shows them in its topic tree and log. Beside it, in the same
// run, mosquitto_sub takes the same flood straight from the broker.
//
// For every rate it reports: how much of what was published reached the tree (the application's own counter,
// written by `qmt-studio --stats`), how far the tree lags behind the publisher and whether that lag grows, the
// CPU and memory of each process, the event loop's latency inside the application, how long a click on a row
// of the tree takes to show on the screen (X only), and mosquitto_sub's figures for comparison.
//
// Run by hand (see BENCHMARKS.md); `--smoke` is the short run ctest makes.

#include "mosquittobroker.h"

#include "core/module/profile.h"
#include "core/module/profilestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRect>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <mosquitto.h>

#ifdef QMT_BENCH_CLICKS
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

/// Set by SIGINT/SIGTERM: the run stops at the next look and still stops everything it started.
std::atomic<bool> g_interrupted{false};

double nowMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    const auto i = size_t(std::clamp(std::ceil(p / 100.0 * double(values.size())) - 1, 0.0, double(values.size() - 1)));
    return values[i];
}

double median(std::vector<double> values)
{
    return percentile(std::move(values), 50);
}

// ---- the flood ----------------------------------------------------------------------------------------

/// 1,000 topics "bench/g<N>/dev-<NNN>" (10 groups of 100 devices) and JSON payloads of 60–200 bytes.
struct Flood
{
    static constexpr int Groups = 10;
    static constexpr int MinPayload = 60;
    static constexpr int MaxPayload = 200;

    std::vector<QByteArray> topics;

    explicit Flood(int topicCount)
    {
        for (int i = 0; i < topicCount; ++i)
            topics.push_back("bench/g" + QByteArray::number(i % Groups) + "/dev-" +
                             QByteArray::number(i / Groups).rightJustified(3, '0'));
    }

    static quint64 mix(quint64 n)
    {
        n ^= n >> 33;
        n *= 0xff51afd7ed558ccdULL;
        n ^= n >> 33;
        return n;
    }

    [[nodiscard]] const QByteArray &topic(quint64 n) const { return topics[size_t(mix(n) % topics.size())]; }

    /// Message n's payload: a telemetry record padded to a size spread evenly over 60–200 bytes.
    static QByteArray payload(quint64 n)
    {
        const quint64 h = mix(n + 0x9e3779b97f4a7c15ULL);
        const int size = MinPayload + int(h % (MaxPayload - MinPayload + 1));
        char head[128];
        const int len = std::snprintf(
            head, sizeof head, "{\"seq\":%llu,\"temp\":%.2f,\"hum\":%.1f,\"ok\":true,\"pad\":\"",
            static_cast<unsigned long long>(n), 15.0 + double(h % 2000) / 100.0, 30.0 + double((h >> 16) % 500) / 10.0);
        QByteArray p(head, len);
        p += QByteArray(std::max(0, size - int(p.size()) - 2), 'x');
        p += "\"}";
        return p;
    }

    /// The mean length of the module's line for a message: CR LF, +QMTRECV: 0,0,"<topic>",<len>,"<payload>", CR LF.
    [[nodiscard]] double meanLineBytes() const
    {
        double sum = 0;
        constexpr int Samples = 20'000;
        for (int n = 0; n < Samples; ++n) {
            const qsizetype payloadSize = payload(quint64(n)).size();
            sum += double(2 + 14 + topic(quint64(n)).size() + 3 + QByteArray::number(payloadSize).size() + 2 +
                          payloadSize + 1 + 2);
        }
        return sum / Samples;
    }
};

/// Publishes the flood at a set rate from a thread of its own, QoS 0, and remembers when each count was
/// reached, so that a count seen elsewhere can be dated.
class Publisher
{
public:
    Publisher(const Flood &flood, quint16 port)
        : m_flood(flood)
    {
        mosquitto_lib_init();
        m_mosq = mosquitto_new("qmt-bench-publisher", true, nullptr);
        if (!m_mosq || mosquitto_connect(m_mosq, "127.0.0.1", port, 60) != MOSQ_ERR_SUCCESS ||
            mosquitto_loop_start(m_mosq) != MOSQ_ERR_SUCCESS)
            qFatal("bench_endtoend: the publisher cannot connect to the broker");
        m_thread = std::thread([this] { run(); });
    }

    ~Publisher()
    {
        m_quit = true;
        m_thread.join();
        mosquitto_disconnect(m_mosq);
        mosquitto_loop_stop(m_mosq, false);
        mosquitto_destroy(m_mosq);
        mosquitto_lib_cleanup();
    }

    /// Messages per second from now on (0 stops).
    void setRate(double perSecond)
    {
        std::lock_guard lock(m_mutex);
        m_rate = perSecond;
        m_rateStartMs = nowMs();
        m_rateStartCount = m_sent;
    }

    [[nodiscard]] quint64 sent() const
    {
        std::lock_guard lock(m_mutex);
        return m_sent;
    }

    /// When the count first reached `n`, or NAN when it has not yet.
    [[nodiscard]] double timeOfCount(quint64 n) const
    {
        std::lock_guard lock(m_mutex);
        const auto it = std::lower_bound(m_marks.begin(), m_marks.end(), n,
                                         [](const std::pair<quint64, double> &m, quint64 v) { return m.first < v; });
        return it == m_marks.end() ? NAN : it->second;
    }

private:
    void run()
    {
        while (!m_quit) {
            double rate;
            double startMs;
            quint64 startCount;
            {
                std::lock_guard lock(m_mutex);
                rate = m_rate;
                startMs = m_rateStartMs;
                startCount = m_rateStartCount;
            }
            if (rate > 0) {
                const auto due = startCount + quint64((nowMs() - startMs) * rate / 1000.0);
                quint64 n = sent();
                for (int batch = 0; n < due && batch < 2000; ++batch, ++n) {
                    const QByteArray payload = Flood::payload(n);
                    mosquitto_publish(m_mosq, nullptr, m_flood.topic(n).constData(), int(payload.size()),
                                      payload.constData(), 0, false);
                }
                std::lock_guard lock(m_mutex);
                if (n != m_sent) {
                    m_sent = n;
                    m_marks.emplace_back(n, nowMs());
                }
            }
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    }

    const Flood &m_flood;
    mosquitto *m_mosq = nullptr;
    std::thread m_thread;
    std::atomic<bool> m_quit{false};
    mutable std::mutex m_mutex;
    double m_rate = 0;
    double m_rateStartMs = 0;
    quint64 m_rateStartCount = 0;
    quint64 m_sent = 0;
    std::vector<std::pair<quint64, double>> m_marks; ///< (count, when it was reached), counts rising
};

// ---- what the processes say ---------------------------------------------------------------------------

/// One line of `qmt-studio --stats`.
struct AppSample
{
    double t = 0;
    quint64 received = 0;
    quint64 tree = 0;
    qint64 treeQueued = 0;
    quint64 logDropped = 0;
    quint64 treePaints = 0;
    quint64 logPaints = 0;
    std::vector<double> loopMs;
    std::vector<QRect> rows;
};

/// Follows the stats file qmt-studio appends to.
class StatsTail
{
public:
    explicit StatsTail(const QString &path)
        : m_file(path)
    {}

    /// Reads the lines added since the last call.
    void poll()
    {
        if (!m_file.isOpen() && !m_file.open(QIODevice::ReadOnly))
            return;
        m_partial += m_file.readAll();
        qsizetype newline;
        while ((newline = m_partial.indexOf('\n')) >= 0) {
            const QJsonObject o = QJsonDocument::fromJson(m_partial.left(newline)).object();
            m_partial.remove(0, newline + 1);
            if (o.isEmpty())
                continue;
            AppSample s;
            s.t = o.value(QStringLiteral("t")).toDouble();
            s.received = quint64(o.value(QStringLiteral("received")).toDouble());
            s.tree = quint64(o.value(QStringLiteral("tree")).toDouble());
            s.treeQueued = qint64(o.value(QStringLiteral("treeQueued")).toDouble());
            s.logDropped = quint64(o.value(QStringLiteral("logDropped")).toDouble());
            s.treePaints = quint64(o.value(QStringLiteral("treePaints")).toDouble());
            s.logPaints = quint64(o.value(QStringLiteral("logPaints")).toDouble());
            for (const QJsonValue v : o.value(QStringLiteral("loop")).toArray())
                s.loopMs.push_back(v.toDouble());
            for (const QJsonValue v : o.value(QStringLiteral("rows")).toArray()) {
                const QJsonArray r = v.toArray();
                s.rows.emplace_back(r.at(0).toInt(), r.at(1).toInt(), r.at(2).toInt(), r.at(3).toInt());
            }
            samples.push_back(std::move(s));
        }
    }

    [[nodiscard]] const AppSample *last() const { return samples.empty() ? nullptr : &samples.back(); }

    std::vector<AppSample> samples;

private:
    QFile m_file;
    QByteArray m_partial;
};

/// mosquitto_sub on the same flood, its messages counted as they come out.
class SubscriberCount
{
public:
    SubscriberCount(quint16 port, const QString &filter)
    {
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] {
            const QByteArray out = m_process.readAllStandardOutput();
            count += quint64(out.count('\n'));
            marks.emplace_back(nowMs(), count);
        });
        m_process.start(QStringLiteral(QMT_MOSQUITTO_SUB),
                        {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port),
                         QStringLiteral("-t"), filter, QStringLiteral("-i"), QStringLiteral("qmt-bench-sub")});
        m_process.waitForStarted();
    }
    ~SubscriberCount()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }
    /// The count at time t (ms), from the marks.
    [[nodiscard]] quint64 countAt(double t) const
    {
        quint64 c = 0;
        for (const auto &[when, n] : marks) {
            if (when > t)
                break;
            c = n;
        }
        return c;
    }

    quint64 count = 0;
    std::vector<std::pair<double, quint64>> marks;

private:
    QProcess m_process;
};

/// CPU time and memory of a process, from /proc.
struct ProcReading
{
    double cpuMs = 0;
    double rssMiB = 0;
};

ProcReading readProc(qint64 pid)
{
    ProcReading r;
    if (pid <= 0)
        return r;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        // Fields after the command name (which may hold spaces) start after the last ')'.
        const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (f.size() > 13)
            r.cpuMs = double(f[11].toLongLong() + f[12].toLongLong()) * 1000.0 / double(sysconf(_SC_CLK_TCK));
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                r.rssMiB = line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    return r;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll().split(' ').mid(0, 3).join(' '));
}

// ---- clicks through the window system ------------------------------------------------------------------

/// Clicks a row of the tree with XTest and watches the screen until the row shows as selected: the time a
/// user waits for a click to be answered. Runs on a thread of its own with its own X connection, so the
/// benchmark's event loop (counting mosquitto_sub's output) never waits for it.
class Clicker
{
public:
#ifdef QMT_BENCH_CLICKS
    explicit Clicker(const QByteArray &display)
    {
        m_display = XOpenDisplay(display.constData());
        if (m_display)
            m_thread = std::thread([this] { run(); });
    }
    ~Clicker()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable())
            m_thread.join();
        if (m_display)
            XCloseDisplay(m_display);
    }
    [[nodiscard]] bool available() const
    {
        return m_display != nullptr;
    }
#else
    explicit Clicker(const QByteArray &) {}
    [[nodiscard]] bool available() const
    {
        return false;
    }
#endif

    /// Clicks the middle of `row` (screen coordinates) unless a click is still being watched.
    void click(const QRect &row)
    {
        std::lock_guard lock(m_mutex);
        if (m_target)
            return;
        m_target = row;
        m_wake.notify_all();
    }

    /// Click round trips measured so far, in ms (NAN for a click never seen answered), and forgets them.
    std::vector<double> take()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_results, {});
    }

private:
#ifdef QMT_BENCH_CLICKS
    /// The share of the row's pixels that have `colour` (all of them when colour is unset), and the most
    /// common colour.
    std::pair<double, unsigned long> look(const QRect &row, std::optional<unsigned long> colour)
    {
        XImage *image = XGetImage(m_display, DefaultRootWindow(m_display), row.x(), row.y() + 2, unsigned(row.width()),
                                  unsigned(std::max(1, row.height() - 4)), AllPlanes, ZPixmap);
        if (!image)
            return {0, 0};
        std::map<unsigned long, int> counts;
        int total = 0;
        for (int y = 0; y < image->height; ++y) {
            for (int x = 0; x < image->width; x += 2) {
                ++counts[XGetPixel(image, x, y)];
                ++total;
            }
        }
        XDestroyImage(image);
        const auto mode = std::max_element(counts.begin(), counts.end(),
                                           [](const auto &a, const auto &b) { return a.second < b.second; });
        const int matching = colour ? (counts.count(*colour) ? counts[*colour] : 0) : total;
        return {double(matching) / std::max(1, total), mode->first};
    }

    void run()
    {
        for (;;) {
            QRect row;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_quit || m_target; });
                if (m_quit)
                    return;
                row = *m_target;
            }
            // The row's background before the click; selected, most of the row turns the highlight colour.
            const unsigned long background = look(row, std::nullopt).second;
            const int cx = row.x() + row.width() / 2;
            const int cy = row.y() + row.height() / 2;
            XTestFakeMotionEvent(m_display, -1, cx, cy, 0);
            XTestFakeButtonEvent(m_display, 1, True, 0);
            XTestFakeButtonEvent(m_display, 1, False, 0);
            XFlush(m_display);
            const double sent = nowMs();
            double answered = NAN;
            while (nowMs() - sent < 3000) {
                if (look(row, background).first < 0.3) {
                    answered = nowMs() - sent;
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            std::lock_guard lock(m_mutex);
            m_results.push_back(answered);
            m_target.reset();
        }
    }

    Display *m_display = nullptr;
    std::thread m_thread;
    bool m_quit = false;
#endif
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<QRect> m_target;
    std::vector<double> m_results;
};

// ---- the run ------------------------------------------------------------------------------------------

struct Options
{
    QList<QByteArray> rates;
    double seconds = 10;
    int topics = 1000;
    int baud = 0;
    int networkDelayMs = 0;
    QString display; ///< "xvfb", "offscreen" or "current"
    bool smoke = false;
    QString studio = QStringLiteral(QMT_STUDIO_PROGRAM);
    QString sim = QStringLiteral(QMT_SIM_PROGRAM);
};

void pumpEvents(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5), QThread::msleep(2);
}

/// Runs the event loop until `done` holds (true) or `ms` pass (false).
template<typename Pred> bool waitUntil(int ms, Pred done)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms || g_interrupted)
            return false;
        pumpEvents(20);
    }
    return true;
}

QString startProcess(QProcess &p, const QString &program, const QStringList &args)
{
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(program, args);
    if (!p.waitForStarted(10'000))
        return QStringLiteral("cannot start %1: %2").arg(program, p.errorString());
    return {};
}

void stop(QProcess &p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    p.terminate();
    if (!p.waitForFinished(5000)) {
        p.kill();
        p.waitForFinished(2000);
    }
}

/// A display of our own: Xvfb on the first free number from 90.
QString startXvfb(QProcess &xvfb)
{
    for (int n = 90; n < 140; ++n) {
        if (QFile::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(n)) ||
            QFile::exists(QStringLiteral("/tmp/.X%1-lock").arg(n)))
            continue;
        if (const QString error =
                startProcess(xvfb, QStringLiteral("Xvfb"),
                             {QStringLiteral(":%1").arg(n), QStringLiteral("-screen"), QStringLiteral("0"),
                              QStringLiteral("1600x1000x24"), QStringLiteral("-nolisten"), QStringLiteral("tcp")});
            !error.isEmpty())
            return {};
        if (waitUntil(10'000, [n] { return QFile::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(n)); }))
            return QStringLiteral(":%1").arg(n);
        stop(xvfb);
    }
    return {};
}

struct StepResult
{
    QByteArray label;
    double rate = 0;
    quint64 published = 0;
    quint64 delivered = 0;
    quint64 received = 0; ///< counted by the controller (parsed off the line), whether or not in the tree yet
    quint64 subDelivered = 0;
    double windowRate = 0;    ///< messages/s reaching the tree while publishing
    double subWindowRate = 0; ///< the same for mosquitto_sub
    double lagStartMs = NAN;
    double lagEndMs = NAN;
    double lagGrowthMsPerS = NAN;
    double loopP50 = NAN, loopP95 = NAN, loopMax = NAN;
    double clickP50 = NAN, clickMax = NAN;
    int clicks = 0;
    int clicksUnanswered = 0;
    double appCpu = 0, simCpu = 0, brokerCpu = 0, subCpu = 0, benchCpu = 0;
    double appRss = 0;
    double appUsPerMsg = 0, simUsPerMsg = 0; ///< CPU time per message published: load-independent cost
    double drainS = 0;
    double treePaintsPerS = 0, logPaintsPerS = 0; ///< repaints of the two views while publishing
    [[nodiscard]] double deliveredPct() const { return published ? 100.0 * double(delivered) / double(published) : 0; }
    [[nodiscard]] double receivedPct() const { return published ? 100.0 * double(received) / double(published) : 0; }
    [[nodiscard]] double subPct() const { return published ? 100.0 * double(subDelivered) / double(published) : 0; }
    [[nodiscard]] bool lagFlat() const { return lagEndMs <= 500 && lagGrowthMsPerS <= 20; }
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    for (int signal : {SIGINT, SIGTERM})
        std::signal(signal, [](int) { g_interrupted = true; });
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "QMT Studio end to end: mosquitto -> qmt-sim on a pseudo-terminal -> qmt-studio's window, at rising rates, "
        "beside mosquitto_sub on the same flood."));
    parser.addHelpOption();
    const QCommandLineOption ratesOpt(QStringLiteral("rates"),
                                      QStringLiteral("Messages/s, comma-separated; \"line\" is the capped line's "
                                                     "capacity (\"line90\": 90 % of it)."),
                                      QStringLiteral("list"),
                                      QStringLiteral("100,500,1000,2000,5000,10000,20000,30000,50000"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"), QStringLiteral("Seconds per rate."),
                                        QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption topicsOpt(QStringLiteral("topics"), QStringLiteral("Distinct topics."),
                                       QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption baudOpt(QStringLiteral("baud"), QStringLiteral("qmt-sim's line cap (0: none)."),
                                     QStringLiteral("rate"), QStringLiteral("0"));
    // The benchmark measures what the application adds: by default the virtual network answers at once, so
    // the lag is the line's and the application's. A realistic round trip only shifts every message by it.
    const QCommandLineOption networkDelayOpt(QStringLiteral("network-delay"),
                                             QStringLiteral("qmt-sim's network round trip in ms (0: none)."),
                                             QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption displayOpt(QStringLiteral("display"),
                                        QStringLiteral("xvfb (a display of its own, clicks measured), offscreen, or "
                                                       "current ($DISPLAY)."),
                                        QStringLiteral("mode"), QStringLiteral("xvfb"));
    const QCommandLineOption smokeOpt(QStringLiteral("smoke"),
                                      QStringLiteral("A short offscreen run (ctest): fails unless every message of "
                                                     "the slowest rate reaches the tree."));
    const QCommandLineOption studioOpt(QStringLiteral("studio"),
                                       QStringLiteral("The qmt-studio to measure (another build, to compare)."),
                                       QStringLiteral("program"), QStringLiteral(QMT_STUDIO_PROGRAM));
    const QCommandLineOption simOpt(QStringLiteral("sim"), QStringLiteral("The qmt-sim to serve the port."),
                                    QStringLiteral("program"), QStringLiteral(QMT_SIM_PROGRAM));
    parser.addOptions(
        {ratesOpt, secondsOpt, topicsOpt, baudOpt, networkDelayOpt, displayOpt, smokeOpt, studioOpt, simOpt});
    parser.process(app);

    Options o;
    o.smoke = parser.isSet(smokeOpt);
    o.rates =
        (o.smoke && !parser.isSet(ratesOpt) ? QByteArray("100,1000") : parser.value(ratesOpt).toLatin1()).split(',');
    o.seconds = o.smoke && !parser.isSet(secondsOpt) ? 3 : parser.value(secondsOpt).toDouble();
    o.topics = parser.value(topicsOpt).toInt();
    o.baud = parser.value(baudOpt).toInt();
    o.networkDelayMs = parser.value(networkDelayOpt).toInt();
    o.studio = parser.value(studioOpt);
    o.sim = parser.value(simOpt);
    o.display = o.smoke && !parser.isSet(displayOpt) ? QStringLiteral("offscreen") : parser.value(displayOpt);
    if (o.seconds <= 0 || o.topics < 1 || o.rates.isEmpty() || o.networkDelayMs < 0) {
        std::fprintf(stderr, "bench_endtoend: --seconds and --topics must be positive, --network-delay not negative\n");
        return 2;
    }

    const Flood flood(o.topics);
    const double lineBytes = flood.meanLineBytes();
    const double lineCapacity = o.baud > 0 ? double(o.baud) / 10.0 / lineBytes : 0;

    QTemporaryDir dir;
    QProcess xvfb;
    QString display;
    if (o.display == QLatin1String("xvfb")) {
        display = startXvfb(xvfb);
        if (display.isEmpty()) {
            std::fprintf(stderr, "bench_endtoend: cannot start Xvfb\n");
            return 1;
        }
    } else if (o.display == QLatin1String("current")) {
        display = qEnvironmentVariable("DISPLAY");
    }

    qmt::test::MosquittoBroker broker;
    QString error;
    if (!broker.start(&error)) {
        std::fprintf(stderr, "bench_endtoend: %s\n", qPrintable(error));
        return 1;
    }

    QProcess sim;
    QStringList simArgs{QStringLiteral("--broker"), QStringLiteral("127.0.0.1:%1").arg(broker.port()),
                        QStringLiteral("--network-delay"), QString::number(o.networkDelayMs)};
    if (o.baud > 0)
        simArgs << QStringLiteral("--baud") << QString::number(o.baud);
    sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sim.start(o.sim, simArgs);
    if (!sim.waitForStarted(10'000) || !waitUntil(10'000, [&sim] { return sim.canReadLine(); })) {
        std::fprintf(stderr, "bench_endtoend: qmt-sim did not start\n");
        return 1;
    }
    const QString pty = QString::fromLocal8Bit(sim.readLine().trimmed());

    // The studio's settings live in a directory of the run's own; the profile subscribes slot 0 to bench/#.
    const QString config = dir.filePath(QStringLiteral("config"));
    QDir().mkpath(config + QStringLiteral("/QMT Studio"));
    {
        qmt::Profile profile;
        profile.name = QStringLiteral("bench");
        qmt::Profile::SlotSetup &s = profile.slots[0];
        s.enabled = true;
        s.config.host = "127.0.0.1";
        s.config.port = broker.port();
        s.config.clientId = "qmt-bench-studio";
        s.subscriptions = {{"bench/#", 0}};
        qmt::ProfileStore(config + QStringLiteral("/QMT Studio/QMT Studio.conf")).save(profile);
    }
    const QString statsPath = dir.filePath(QStringLiteral("stats.jsonl"));
    QProcess studio;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config);
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
    if (display.isEmpty()) {
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    } else {
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("DISPLAY"), display);
    }
    studio.setProcessEnvironment(env);
    if (const QString e =
            startProcess(studio, o.studio,
                         {QStringLiteral("--port"), pty, QStringLiteral("--profile"), QStringLiteral("bench"),
                          QStringLiteral("--reset-layout"), QStringLiteral("--stats"), statsPath});
        !e.isEmpty()) {
        std::fprintf(stderr, "bench_endtoend: %s\n", qPrintable(e));
        return 1;
    }

    SubscriberCount sub(broker.port(), QStringLiteral("bench/#"));
    StatsTail stats(statsPath);
    Publisher publisher(flood, broker.port());
    auto clicker = std::make_unique<Clicker>(display.toLocal8Bit());

    // Warm up: a trickle until both the studio's tree and mosquitto_sub have seen messages.
    publisher.setRate(10);
    const bool ready = waitUntil(60'000, [&] {
        stats.poll();
        return stats.last() && stats.last()->tree > 0 && sub.count > 0;
    });
    publisher.setRate(0);
    if (!ready) {
        std::fprintf(stderr, "bench_endtoend: no message reached the studio's tree within a minute (studio %s)\n",
                     studio.state() == QProcess::Running ? "running" : "not running");
        return 1;
    }
    pumpEvents(1000);

    std::printf(
        "QMT Studio end to end: %d topics, payloads %d-%d bytes, %.0f-byte lines; qmt-sim %s, network delay %d ms; "
        "%s; %.0f s per rate\n",
        o.topics, Flood::MinPayload, Flood::MaxPayload, lineBytes,
        o.baud > 0
            ? qPrintable(QStringLiteral("--baud %1 (line capacity %2 msg/s)").arg(o.baud).arg(lineCapacity, 0, 'f', 0))
            : "uncapped",
        o.networkDelayMs,
        display.isEmpty()
            ? "offscreen"
            : qPrintable(QStringLiteral("X display %1%2")
                             .arg(display, clicker->available() ? QStringLiteral(", clicks measured") : QString())),
        o.seconds);
    std::printf("load average at start: %s\n\n", qPrintable(loadAverage()));
    std::printf("%8s %7s %7s %7s %8s %8s %6s %16s %15s %11s %14s %9s %7s %14s %5s %5s %6s\n", "rate/s", "tree%",
                "recv%", "sub%", "tree/s", "sub/s", "t:sub", "lag start>end ms", "loop p50/95/max", "click p50/max",
                "studio %/us/msg", "paints/s", "RSS MiB", "sim %/us/msg", "mosq%", "sub%", "drain");
    std::fflush(stdout);

    std::vector<StepResult> results;
    const qint64 benchPid = QCoreApplication::applicationPid();
    bool clickFirstRow = true; // clicks alternate between two rows, so each one changes the selection
    for (const QByteArray &token : std::as_const(o.rates)) {
        if (g_interrupted)
            break;
        StepResult r;
        r.label = token.trimmed();
        if (r.label.startsWith("line")) {
            if (lineCapacity <= 0) {
                std::fprintf(stderr, "bench_endtoend: \"line\" rates need --baud\n");
                return 2;
            }
            const double share = r.label.size() > 4 ? r.label.mid(4).toDouble() / 100.0 : 1.0;
            r.rate = std::floor(lineCapacity * share);
        } else {
            r.rate = r.label.toDouble();
        }
        if (r.rate <= 0)
            continue;

        stats.poll();
        const quint64 treeBefore = stats.last()->tree;
        const quint64 receivedBefore = stats.last()->received;
        const quint64 subBefore = sub.count;
        const quint64 pubBefore = publisher.sent();
        const ProcReading app0 = readProc(studio.processId()), sim0 = readProc(sim.processId()),
                          sub0 = readProc(sub.pid()), bench0 = readProc(benchPid);
        const ProcReading broker0 = readProc(broker.processId());
        const size_t firstSample = stats.samples.size();
        clicker->take();

        const double start = nowMs();
        publisher.setRate(r.rate);
        double nextClick = start + 700;
        while (nowMs() - start < o.seconds * 1000 && !g_interrupted) {
            pumpEvents(20);
            stats.poll();
            if (clicker->available() && nowMs() >= nextClick && stats.last() && stats.last()->rows.size() >= 3) {
                clicker->click(stats.last()->rows[clickFirstRow ? 1 : 2]);
                clickFirstRow = !clickFirstRow;
                nextClick = nowMs() + 700;
            }
        }
        publisher.setRate(0);
        const double end = nowMs();
        const quint64 published = publisher.sent() - pubBefore;
        const ProcReading app1 = readProc(studio.processId()), sim1 = readProc(sim.processId()),
                          sub1 = readProc(sub.pid()), bench1 = readProc(benchPid);
        const ProcReading broker1 = readProc(broker.processId());
        const size_t lastSample = stats.samples.size();

        // Drain: until everything published arrived, or nothing more came for three seconds.
        quint64 lastSeen = 0;
        double lastProgress = nowMs();
        while (true) {
            pumpEvents(50);
            stats.poll();
            const quint64 seen = stats.last()->tree + sub.count;
            if (seen != lastSeen) {
                lastSeen = seen;
                lastProgress = nowMs();
            }
            const bool all = stats.last()->tree - treeBefore >= published && sub.count - subBefore >= published;
            if (all || nowMs() - lastProgress > 3000 || nowMs() - end > 120'000 || g_interrupted)
                break;
        }
        r.drainS = (nowMs() - end) / 1000.0;
        r.published = published;
        r.delivered = stats.last()->tree - treeBefore;
        r.received = stats.last()->received - receivedBefore;
        r.subDelivered = sub.count - subBefore;

        // While publishing: throughput, lag (how long ago the publisher reached the count the tree shows),
        // the probe's latencies.
        std::vector<double> loop;
        std::vector<std::pair<double, double>> lags; // (t, lag)
        quint64 treeAtEnd = treeBefore;
        for (size_t i = firstSample; i < lastSample; ++i) {
            const AppSample &s = stats.samples[i];
            loop.insert(loop.end(), s.loopMs.begin(), s.loopMs.end());
            if (s.t < start || s.t > end)
                continue;
            treeAtEnd = s.tree;
            const double published_at = publisher.timeOfCount(s.tree);
            if (s.tree > treeBefore && !std::isnan(published_at))
                lags.emplace_back(s.t, s.t - published_at);
        }
        const double window = (end - start) / 1000.0;
        r.windowRate = double(treeAtEnd - treeBefore) / window;
        if (lastSample > firstSample + 1) {
            const AppSample &a = stats.samples[firstSample];
            const AppSample &b = stats.samples[lastSample - 1];
            const double seconds = (b.t - a.t) / 1000.0;
            if (seconds > 0) {
                r.treePaintsPerS = double(b.treePaints - a.treePaints) / seconds;
                r.logPaintsPerS = double(b.logPaints - a.logPaints) / seconds;
            }
        }
        r.subWindowRate = double(sub.countAt(end) - subBefore) / window;
        if (lags.size() >= 4) {
            const size_t q = std::max<size_t>(1, lags.size() / 4);
            std::vector<double> first, last;
            for (size_t i = 0; i < q; ++i) {
                first.push_back(lags[i].second);
                last.push_back(lags[lags.size() - 1 - i].second);
            }
            r.lagStartMs = median(first);
            r.lagEndMs = median(last);
            const double dt = (lags[lags.size() - 1 - q / 2].first - lags[q / 2].first) / 1000.0;
            r.lagGrowthMsPerS = dt > 0 ? (r.lagEndMs - r.lagStartMs) / dt : 0;
        }
        r.loopP50 = percentile(loop, 50);
        r.loopP95 = percentile(loop, 95);
        r.loopMax = percentile(loop, 100);
        std::vector<double> clicks = clicker->take();
        r.clicks = int(clicks.size());
        std::vector<double> answered;
        for (double c : clicks) {
            if (std::isnan(c))
                ++r.clicksUnanswered;
            else
                answered.push_back(c);
        }
        r.clickP50 = percentile(answered, 50);
        r.clickMax = r.clicksUnanswered ? INFINITY : percentile(answered, 100);
        auto cpu = [window](const ProcReading &a, const ProcReading &b) { return (b.cpuMs - a.cpuMs) / window / 10.0; };
        r.appCpu = cpu(app0, app1);
        r.simCpu = cpu(sim0, sim1);
        r.brokerCpu = cpu(broker0, broker1);
        r.subCpu = cpu(sub0, sub1);
        r.benchCpu = cpu(bench0, bench1);
        r.appRss = app1.rssMiB;
        // CPU time per message, counted to the end of the drain: what a message costs, whatever the load.
        const ProcReading appDrained = readProc(studio.processId()), simDrained = readProc(sim.processId());
        r.appUsPerMsg = published ? (appDrained.cpuMs - app0.cpuMs) * 1000.0 / double(published) : 0;
        r.simUsPerMsg = published ? (simDrained.cpuMs - sim0.cpuMs) * 1000.0 / double(published) : 0;
        results.push_back(r);

        const QString lag = std::isnan(r.lagStartMs)
                                ? QStringLiteral("-")
                                : QStringLiteral("%1>%2 %3")
                                      .arg(r.lagStartMs, 0, 'f', 0)
                                      .arg(r.lagEndMs, 0, 'f', 0)
                                      .arg(r.lagFlat() ? QStringLiteral("flat") : QStringLiteral("GROWS"));
        const QString click = r.clicks == 0 ? QStringLiteral("-")
                                            : QStringLiteral("%1/%2")
                                                  .arg(r.clickP50, 0, 'f', 0)
                                                  .arg(r.clicksUnanswered ? QStringLiteral(">3000")
                                                                          : QString::number(r.clickMax, 'f', 0));
        std::printf("%8.0f %6.1f%% %6.1f%% %6.1f%% %8.0f %8.0f %6.2f %16s %15s %11s %5.0f%% %7.1f %4.0f/%-4.0f %7.1f "
                    "%5.0f%% %7.1f "
                    "%4.0f%% %4.0f%% %5.1fs\n",
                    r.rate, r.deliveredPct(), r.receivedPct(), r.subPct(), r.windowRate, r.subWindowRate,
                    r.subWindowRate > 0 ? r.windowRate / r.subWindowRate : 0.0, qPrintable(lag),
                    qPrintable(QStringLiteral("%1/%2/%3")
                                   .arg(r.loopP50, 0, 'f', 1)
                                   .arg(r.loopP95, 0, 'f', 1)
                                   .arg(r.loopMax, 0, 'f', 0)),
                    qPrintable(click), r.appCpu, r.appUsPerMsg, r.treePaintsPerS, r.logPaintsPerS, r.appRss, r.simCpu,
                    r.simUsPerMsg, r.brokerCpu, r.subCpu, r.drainS);
        std::fflush(stdout);
        if (studio.state() != QProcess::Running || sim.state() != QProcess::Running) {
            std::fprintf(stderr, "bench_endtoend: %s stopped\n",
                         studio.state() != QProcess::Running ? "qmt-studio" : "qmt-sim");
            return 1;
        }
    }

    // The summary: the fastest rate each consumer took whole, with a flat lag.
    double bestApp = 0, bestSub = 0;
    for (const StepResult &r : results) {
        if (r.delivered == r.published && r.lagFlat())
            bestApp = std::max(bestApp, r.rate);
        if (r.subDelivered == r.published)
            bestSub = std::max(bestSub, r.rate);
    }
    std::printf("\nfastest rate delivered 100 %% with a flat lag: qmt-studio %.0f msg/s, mosquitto_sub %.0f msg/s "
                "(ratio %.2f)\n",
                bestApp, bestSub, bestSub > 0 ? bestApp / bestSub : 0.0);
    std::printf("load average at end: %s\n", qPrintable(loadAverage()));

    clicker.reset(); // its X connection goes before the display
    stop(studio);
    stop(sim);
    stop(xvfb);
    if (o.smoke && (results.empty() || results.front().delivered != results.front().published)) {
        std::fprintf(stderr, "bench_endtoend: at %.0f msg/s %llu of %llu messages reached the tree\n",
                     results.empty() ? 0.0 : results.front().rate,
                     static_cast<unsigned long long>(results.empty() ? 0 : results.front().delivered),
                     static_cast<unsigned long long>(results.empty() ? 0 : results.front().published));
        return 1;
    }
    return 0;
}
