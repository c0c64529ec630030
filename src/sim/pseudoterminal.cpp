#include "sim/pseudoterminal.h"

#include <QFile>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

namespace qmt::sim {

namespace {

constexpr int HostPollMs = 100;
/// Output held for a host that reads slowly; beyond it the oldest bytes go, as from a full UART FIFO.
constexpr qsizetype MaxPending = 1 << 20;

} // namespace

PseudoTerminal::PseudoTerminal(QObject *parent)
    : QObject(parent)
{
    m_hostPoll.setInterval(HostPollMs);
    connect(&m_hostPoll, &QTimer::timeout, this, &PseudoTerminal::pollForHost);
}

PseudoTerminal::~PseudoTerminal()
{
    m_readNotifier.reset();
    m_writeNotifier.reset();
    if (m_master >= 0)
        ::close(m_master);
    if (!m_link.isEmpty())
        QFile::remove(m_link);
}

bool PseudoTerminal::open(QString *error)
{
    m_master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (m_master < 0 || ::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0) {
        *error = tr("cannot create a pseudo-terminal: %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    char name[128];
    if (::ptsname_r(m_master, name, sizeof name) != 0) {
        *error = tr("cannot name the pseudo-terminal: %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_portName = QString::fromLocal8Bit(name);

    // Open the far end once to make the line raw, and close it again: from then on the master reports a
    // hang-up while no host has the port open, which is how a missing host is noticed.
    const int slave = ::open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) {
        *error = tr("cannot open %1: %2").arg(m_portName, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    termios tio{};
    ::tcgetattr(slave, &tio);
    ::cfmakeraw(&tio);
    ::cfsetispeed(&tio, B115200);
    ::cfsetospeed(&tio, B115200);
    ::tcsetattr(slave, TCSANOW, &tio);
    ::close(slave);

    m_readNotifier = std::make_unique<QSocketNotifier>(m_master, QSocketNotifier::Read);
    connect(m_readNotifier.get(), &QSocketNotifier::activated, this, &PseudoTerminal::onReadable);
    m_writeNotifier = std::make_unique<QSocketNotifier>(m_master, QSocketNotifier::Write);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier.get(), &QSocketNotifier::activated, this, &PseudoTerminal::onWritable);
    m_readNotifier->setEnabled(false);
    m_hostPoll.start();
    return true;
}

bool PseudoTerminal::createLink(const QString &path, QString *error)
{
    QFile::remove(path);
    if (!QFile::link(m_portName, path)) {
        *error = tr("cannot create the link %1").arg(path);
        return false;
    }
    m_link = path;
    return true;
}

void PseudoTerminal::pollForHost()
{
    pollfd p{m_master, POLLIN, 0};
    ::poll(&p, 1, 0);
    if (!(p.revents & POLLHUP))
        setHostConnected(true);
}

void PseudoTerminal::setHostConnected(bool connected)
{
    if (connected == m_hostConnected)
        return;
    m_hostConnected = connected;
    if (connected) {
        m_hostPoll.stop();
        m_readNotifier->setEnabled(true);
    } else {
        m_readNotifier->setEnabled(false);
        m_writeNotifier->setEnabled(false);
        m_pending.clear();
        m_pendingStart = 0;
        ::tcflush(m_master, TCIOFLUSH); // nothing of this session reaches the next host
        m_hostPoll.start();
    }
    Q_EMIT hostConnectedChanged(connected);
}

void PseudoTerminal::onReadable()
{
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(m_master, buffer, sizeof buffer);
        if (n > 0) {
            Q_EMIT received(QByteArray(buffer, qsizetype(n)));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        // EIO: the host closed the port.
        setHostConnected(false);
        return;
    }
}

void PseudoTerminal::write(const QByteArray &bytes)
{
    if (!m_hostConnected)
        return;
    m_pending += bytes;
    const qsizetype waiting = m_pending.size() - m_pendingStart;
    if (waiting > MaxPending)
        m_pendingStart += waiting - MaxPending;
    dropWritten();
    scheduleFlush();
}

void PseudoTerminal::dropWritten()
{
    // Written (or dropped) bytes leave the buffer in bulk, when they are half of it: amortised O(1) a byte.
    if (m_pendingStart > m_pending.size() / 2) {
        m_pending.remove(0, m_pendingStart);
        m_pendingStart = 0;
    }
}

void PseudoTerminal::scheduleFlush()
{
    // While the host does not read, the write notifier says when there is room again.
    if (m_flushScheduled || m_writeNotifier->isEnabled())
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushScheduled = false;
            if (m_hostConnected)
                onWritable();
        },
        Qt::QueuedConnection);
}

void PseudoTerminal::onWritable()
{
    while (m_pendingStart < m_pending.size()) {
        const ssize_t n =
            ::write(m_master, m_pending.constData() + m_pendingStart, size_t(m_pending.size() - m_pendingStart));
        if (n > 0) {
            m_pendingStart += qsizetype(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            dropWritten();
            m_writeNotifier->setEnabled(true);
            return;
        }
        setHostConnected(false);
        return;
    }
    m_pending.resize(0); // keeps the capacity for the next burst
    m_pendingStart = 0;
    m_writeNotifier->setEnabled(false);
}

} // namespace qmt::sim
