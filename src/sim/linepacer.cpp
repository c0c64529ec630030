#include "sim/linepacer.h"

#include <cmath>

namespace qmt::sim {

namespace {

constexpr int BitsPerByte = 10; // start bit, 8 data bits, stop bit
constexpr int BurstMs = 10;     // credit an idle line may bank: at most this long of traffic at once

} // namespace

LinePacer::LinePacer(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &LinePacer::pump);
}

void LinePacer::setBaudRate(int baud)
{
    m_baud = std::max(0, baud);
    m_credit = 0;
    m_lastRefillMs = m_clock.elapsed();
    pump();
}

void LinePacer::send(const QByteArray &bytes, int delayMs)
{
    if (bytes.isEmpty())
        return;
    m_queue.push_back(Chunk{bytes, m_clock.elapsed() + std::max(0, delayMs)});
    pump();
}

void LinePacer::clear()
{
    m_queue.clear();
    m_timer.stop();
}

void LinePacer::refill(qint64 now)
{
    const double bytesPerMs = double(m_baud) / BitsPerByte / 1000.0;
    m_credit = std::min(m_credit + double(now - m_lastRefillMs) * bytesPerMs, std::max(1.0, bytesPerMs * BurstMs));
    m_lastRefillMs = now;
}

void LinePacer::pump()
{
    // A receiver may queue more (or clear) from inside delivered(); the outer loop picks that up.
    if (m_pumping)
        return;
    m_pumping = true;
    while (!m_queue.empty()) {
        const qint64 now = m_clock.elapsed();
        Chunk &front = m_queue.front();
        if (front.notBeforeMs > now) {
            m_timer.start(int(front.notBeforeMs - now));
            break;
        }
        QByteArray out;
        if (m_baud == 0) {
            out = std::move(front.bytes);
            m_queue.pop_front();
        } else {
            refill(now);
            const qsizetype n = std::min<qsizetype>(qsizetype(std::floor(m_credit)), front.bytes.size());
            if (n == 0) {
                const double bytesPerMs = double(m_baud) / BitsPerByte / 1000.0;
                m_timer.start(std::max(1, int(std::ceil((1.0 - m_credit) / bytesPerMs))));
                break;
            }
            m_credit -= double(n);
            out = front.bytes.first(n);
            if (n == front.bytes.size())
                m_queue.pop_front();
            else
                front.bytes.remove(0, n);
        }
        // The receiver may reboot the module and clear the queue; `front` is not used after this.
        Q_EMIT delivered(out);
    }
    m_pumping = false;
}

} // namespace qmt::sim
