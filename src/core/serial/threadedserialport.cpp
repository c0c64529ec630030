#include "core/serial/threadedserialport.h"

#include <QMutex>
#include <QMutexLocker>
#include <QSemaphore>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace qmt {

/// What one open() shares with its reader thread. The device's side runs on the device's thread, the
/// reader's on the reader thread; everything below the mutex is guarded by it.
struct ThreadedSerialPort::Shared
{
    explicit Shared(qint64 maxBytes)
        : maxInFlight(maxBytes)
    {
        int fds[2];
        if (::pipe(fds) != 0)
            return;
        for (int fd : fds) {
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        wakeRead = fds[0];
        wakeWrite = fds[1];
    }
    ~Shared()
    {
        if (wakeRead >= 0)
            ::close(wakeRead);
        if (wakeWrite >= 0)
            ::close(wakeWrite);
    }
    Shared(const Shared &) = delete;
    Shared &operator=(const Shared &) = delete;

    /// Interrupts the reader's poll(): new bytes to write, room to read again, or stop.
    void wake() const
    {
        const char c = 0;
        [[maybe_unused]] const ssize_t n = ::write(wakeWrite, &c, 1); // a full pipe is awake already
    }

    const qint64 maxInFlight;
    int wakeRead = -1;
    int wakeWrite = -1;
    QSemaphore opened; // released once the reader has tried to open the port
    QSerialPort::SerialPortError openError = QSerialPort::NoError;
    QString openErrorString;
    std::atomic<Qt::HANDLE> readerThread{nullptr};

    QMutex mutex;
    QByteArray incoming; // read from the port, not yet handed to the device
    qint64 inFlight = 0; // read from the port, not yet read from the device
    bool readerPaused = false;
    bool incomingPosted = false;
    QByteArray outgoing; // written to the device, not yet to the port
    qint64 written = 0;  // written to the port, not yet reported
    bool writtenPosted = false;
    QString lostReason;
    bool stop = false;
};

/// The reader thread's loop: poll() the port and the wake pipe, read what is buffered, write what is queued.
///
/// It uses no Qt event loop, on purpose: the QSerialPort that opened the port lives on this thread and has
/// its own read notifier, which would read up to 32 KiB at a time — the read that waits (see the class
/// comment). With no event loop on this thread that notifier never fires; this loop alone reads.
class ThreadedSerialPort::Reader
{
public:
    Reader(ThreadedSerialPort *device, std::shared_ptr<Shared> shared, int fd)
        : m_device(device)
        , m_s(std::move(shared))
        , m_fd(fd)
    {}

    void run()
    {
        m_s->readerThread = QThread::currentThreadId();
        for (;;) {
            bool wantRead = false;
            bool wantWrite = false;
            {
                const QMutexLocker lock(&m_s->mutex);
                if (m_s->stop)
                    return;
                wantRead = m_s->inFlight < m_s->maxInFlight; // otherwise the system's buffers hold the rest
                m_s->readerPaused = !wantRead;
                wantWrite = !m_s->outgoing.isEmpty();
            }
            // Paused and with nothing to write, the port is left out: a hang-up would wake poll() in a loop.
            pollfd fds[2] = {
                {wantRead || wantWrite ? m_fd : -1, short((wantRead ? POLLIN : 0) | (wantWrite ? POLLOUT : 0)), 0},
                {m_s->wakeRead, POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                lose(qt_error_string(errno));
                return;
            }
            if (fds[1].revents != 0)
                drainWakePipe();
            const short events = fds[0].revents;
            if (events & POLLNVAL) {
                lose(qt_error_string(EBADF));
                return;
            }
            if (wantRead && (events & (POLLIN | POLLHUP | POLLERR)) && !readBuffered(events))
                return;
            if (wantWrite && (events & (POLLOUT | POLLHUP | POLLERR)) && !writeQueued())
                return;
        }
    }

private:
    void drainWakePipe() const
    {
        char sink[64];
        while (::read(m_s->wakeRead, sink, sizeof sink) > 0) {
        }
    }

    /// Reads what the line discipline holds, never more: a read() asking for more than is buffered waits
    /// for the tty's flush work (the class comment), FIONREAD does not. False when the port is gone.
    bool readBuffered(short events)
    {
        int buffered = 0;
        if (::ioctl(m_fd, FIONREAD, &buffered) != 0)
            return lose(qt_error_string(errno)); // EIO once the tty has hung up (adapter unplugged)
        const bool hungUp = (events & (POLLHUP | POLLERR)) != 0;
        if (buffered <= 0) {
            if (!hungUp)
                return true; // woken for nothing (a race with the line discipline): poll again
            buffered = 1;    // nothing left but the hang-up: the read says why
        }
        qint64 room = 0;
        {
            const QMutexLocker lock(&m_s->mutex);
            room = m_s->maxInFlight - m_s->inFlight;
        }
        QByteArray chunk(qsizetype(std::min<qint64>(buffered, std::max<qint64>(room, 1))), Qt::Uninitialized);
        const ssize_t n = ::read(m_fd, chunk.data(), size_t(chunk.size()));
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return true;
            return lose(qt_error_string(errno)); // EIO: the other side of a pseudo-terminal closed
        }
        if (n == 0)
            return hungUp ? lose(ThreadedSerialPort::tr("the port hung up")) : true;
        chunk.truncate(n);
        m_s->readerThread = QThread::currentThreadId();
        const QMutexLocker lock(&m_s->mutex);
        m_s->inFlight += n;
        if (m_s->incoming.isEmpty())
            m_s->incoming = std::move(chunk);
        else
            m_s->incoming += chunk;
        if (!m_s->incomingPosted) {
            m_s->incomingPosted = true;
            post(&ThreadedSerialPort::takeIncoming);
        }
        return true;
    }

    /// Writes what the device queued, as far as the port takes it now. False when the port is gone.
    bool writeQueued()
    {
        QByteArray bytes;
        {
            const QMutexLocker lock(&m_s->mutex);
            bytes = m_s->outgoing;
        }
        const ssize_t n = ::write(m_fd, bytes.constData(), size_t(bytes.size()));
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return true;
            return lose(qt_error_string(errno));
        }
        const QMutexLocker lock(&m_s->mutex);
        m_s->outgoing.remove(0, n); // only this thread removes, the device only appends
        m_s->written += n;
        if (!m_s->writtenPosted) {
            m_s->writtenPosted = true;
            post(&ThreadedSerialPort::takeWritten);
        }
        return true;
    }

    bool lose(const QString &reason)
    {
        {
            const QMutexLocker lock(&m_s->mutex);
            m_s->lostReason = reason;
        }
        post(&ThreadedSerialPort::takeLoss);
        return false;
    }

    /// Runs `take` on the device's thread; a device closed or reopened meanwhile ignores it (takeIncoming()).
    void post(void (ThreadedSerialPort::*take)(const std::shared_ptr<Shared> &)) const
    {
        QMetaObject::invokeMethod(
            m_device, [device = m_device, shared = m_s, take] { (device->*take)(shared); }, Qt::QueuedConnection);
    }

    ThreadedSerialPort *m_device;
    std::shared_ptr<Shared> m_s;
    int m_fd;
};

ThreadedSerialPort::ThreadedSerialPort(QObject *parent)
    : PortDevice(parent)
{}

ThreadedSerialPort::~ThreadedSerialPort()
{
    stopReader();
}

bool ThreadedSerialPort::open(OpenMode mode)
{
    if (isOpen()) {
        m_error = QSerialPort::OpenError;
        setErrorString(tr("%1 is already open").arg(m_portName));
        return false;
    }
    m_error = QSerialPort::NoError;
    auto shared = std::make_shared<Shared>(m_maxBytesInFlight);
    if (shared->wakeRead < 0) {
        m_error = QSerialPort::ResourceError;
        setErrorString(qt_error_string(errno));
        return false;
    }
    auto body = [this, shared, name = m_portName, baud = m_baudRate] {
        QSerialPort port;
        port.setPortName(name);
        port.setBaudRate(baud);
        port.setDataBits(QSerialPort::Data8);
        port.setParity(QSerialPort::NoParity);
        port.setStopBits(QSerialPort::OneStop);
        port.setFlowControl(QSerialPort::NoFlowControl);
        const bool ok = port.open(QIODevice::ReadWrite);
        shared->openError = ok ? QSerialPort::NoError : port.error();
        shared->openErrorString = ok ? QString() : port.errorString();
        shared->opened.release();
        if (!ok)
            return;
        Reader(this, shared, int(port.handle())).run();
        port.close();
    };
    std::unique_ptr<QThread> thread(QThread::create(std::move(body)));
    thread->setObjectName(QStringLiteral("qmt serial reader"));
    thread->start();
    // The open itself (a few system calls) is waited for, as QSerialPort::open() was: a busy or forbidden
    // port must fail here, where the caller can say so.
    shared->opened.acquire();
    if (shared->openError != QSerialPort::NoError) {
        thread->wait();
        m_error = shared->openError;
        setErrorString(shared->openErrorString);
        return false;
    }
    m_shared = std::move(shared);
    m_thread = std::move(thread);
    m_readBuffer.clear();
    m_toWrite = 0;
    return QIODevice::open(mode | QIODevice::Unbuffered);
}

void ThreadedSerialPort::close()
{
    if (isOpen())
        QIODevice::close();
    stopReader();
    m_readBuffer.clear();
    m_toWrite = 0;
}

void ThreadedSerialPort::stopReader()
{
    if (!m_shared)
        return;
    {
        const QMutexLocker lock(&m_shared->mutex);
        m_shared->stop = true;
    }
    m_shared->wake();
    m_thread->wait(); // it closes the port; reopening needs that done
    m_thread.reset();
    m_shared.reset();
}

qint64 ThreadedSerialPort::bytesAvailable() const
{
    return m_readBuffer.size() + QIODevice::bytesAvailable();
}

qint64 ThreadedSerialPort::bytesToWrite() const
{
    return m_toWrite;
}

Qt::HANDLE ThreadedSerialPort::readerThreadId() const
{
    return m_shared ? m_shared->readerThread.load() : nullptr;
}

qint64 ThreadedSerialPort::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min<qint64>(maxSize, m_readBuffer.size());
    if (n <= 0)
        return 0;
    std::memcpy(data, m_readBuffer.constData(), size_t(n));
    m_readBuffer.remove(0, n);
    if (!m_shared)
        return n;
    bool resume = false;
    {
        const QMutexLocker lock(&m_shared->mutex);
        m_shared->inFlight -= n;
        resume = m_shared->readerPaused && m_shared->inFlight < m_shared->maxInFlight;
        if (resume)
            m_shared->readerPaused = false;
    }
    if (resume)
        m_shared->wake();
    return n;
}

qint64 ThreadedSerialPort::writeData(const char *data, qint64 size)
{
    if (!m_shared)
        return -1;
    bool wasEmpty = false;
    {
        const QMutexLocker lock(&m_shared->mutex);
        wasEmpty = m_shared->outgoing.isEmpty();
        m_shared->outgoing.append(data, size);
    }
    if (wasEmpty)
        m_shared->wake();
    m_toWrite += size;
    return size;
}

void ThreadedSerialPort::takeIncoming(const std::shared_ptr<Shared> &shared)
{
    if (shared != m_shared) // from an earlier open
        return;
    QByteArray bytes;
    {
        const QMutexLocker lock(&shared->mutex);
        bytes = std::exchange(shared->incoming, QByteArray());
        shared->incomingPosted = false;
    }
    if (bytes.isEmpty())
        return;
    if (m_readBuffer.isEmpty())
        m_readBuffer = std::move(bytes);
    else
        m_readBuffer += bytes;
    Q_EMIT readyRead();
}

void ThreadedSerialPort::takeWritten(const std::shared_ptr<Shared> &shared)
{
    if (shared != m_shared)
        return;
    qint64 written = 0;
    {
        const QMutexLocker lock(&shared->mutex);
        written = std::exchange(shared->written, 0);
        shared->writtenPosted = false;
    }
    if (written <= 0)
        return;
    m_toWrite = std::max<qint64>(0, m_toWrite - written);
    Q_EMIT bytesWritten(written);
}

void ThreadedSerialPort::takeLoss(const std::shared_ptr<Shared> &shared)
{
    if (shared != m_shared)
        return;
    takeIncoming(shared); // what came before the loss is read first
    if (shared != m_shared)
        return; // a reader of those bytes closed the device
    QString reason;
    {
        const QMutexLocker lock(&shared->mutex);
        reason = shared->lostReason;
    }
    setErrorString(reason);
    Q_EMIT lost(reason);
    close();
}

} // namespace qmt
