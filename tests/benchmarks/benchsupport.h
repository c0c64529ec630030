#pragma once

// Pieces the GUI-side benchmarks share: the synthetic +QMTRECV workload, an application that times every
// event handler, the event-loop stall meter and /proc/self/status readings.

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QList>
#include <QMap>
#include <QTimer>

namespace qmt::bench {

/// A field of /proc/self/status in MiB ("VmRSS", "VmHWM").
inline double statusMiB(const char *field)
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
            topics.append("bench/g" + QByteArray::number(i % 100) + "/dev-" + QByteArray::number(i / 4) + '/' +
                          metrics[i % 4]);
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
        // The receiver may not survive its event (a single-shot timer deletes itself): name it first.
        QString name = receiver->objectName();
        if (name.isEmpty())
            name = QString::fromLatin1(receiver->metaObject()->className());
        QElapsedTimer timer;
        timer.start();
        const bool result = QGuiApplication::notify(receiver, event);
        const qint64 ns = timer.nsecsElapsed();
        --m_depth;
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

/// The longest the event loop was away: the largest gap between two firings of a 1 ms precise timer.
class StallMeter
{
public:
    explicit StallMeter(const QElapsedTimer &clock)
        : m_clock(clock)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        m_timer.setObjectName(QStringLiteral("stall meter"));
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_longestNs = qMax(m_longestNs, now - m_last);
            m_last = now;
        });
    }
    void start() { m_timer.start(); }
    [[nodiscard]] double longestMs() const { return double(m_longestNs) / 1e6; }

private:
    const QElapsedTimer &m_clock;
    QTimer m_timer;
    qint64 m_last = -1;
    qint64 m_longestNs = 0;
};

} // namespace qmt::bench
