#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <deque>

namespace qmt::sim {

/// One direction of a serial line: bytes leave in order, no faster than the baud rate allows and no
/// earlier than the delay each chunk was queued with.
///
/// A chunk queued with a delay holds back everything queued after it, as on a wire. With no rate and no
/// delay, bytes pass straight through.
class LinePacer : public QObject
{
    Q_OBJECT

public:
    explicit LinePacer(QObject *parent = nullptr);

    /// 0 removes the cap; otherwise baud / 10 bytes per second (8N1).
    void setBaudRate(int baud);
    [[nodiscard]] int baudRate() const { return m_baud; }

    void send(const QByteArray &bytes, int delayMs = 0);
    /// Forgets everything not yet delivered (a reboot empties the UART's FIFO).
    void clear();
    [[nodiscard]] bool isIdle() const { return m_queue.empty(); }

Q_SIGNALS:
    void delivered(const QByteArray &bytes);

private:
    struct Chunk
    {
        QByteArray bytes;
        qint64 notBeforeMs = 0;
    };

    void pump();
    void refill(qint64 now);

    std::deque<Chunk> m_queue;
    QElapsedTimer m_clock;
    QTimer m_timer;
    int m_baud = 0;
    double m_credit = 0; // bytes the line may carry right now
    qint64 m_lastRefillMs = 0;
    bool m_pumping = false;
};

} // namespace qmt::sim
