#include "core/serial/serialportbusyprobe.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <dirent.h>
#include <signal.h>
#include <unistd.h>
#endif

namespace qmt {

namespace {

bool isDecimal(const char *name)
{
    if (!*name)
        return false;
    for (; *name; ++name) {
        if (*name < '0' || *name > '9')
            return false;
    }
    return true;
}

/// The PID in a lock file: ASCII (HDB UUCP, QLockFile: "pid\n…") or, from old tools, a binary int.
qint64 lockFilePid(const QByteArray &content)
{
    const QByteArray first = content.trimmed().split('\n').value(0).trimmed();
    bool ok = false;
    const qint64 pid = first.toLongLong(&ok);
    if (ok)
        return pid;
    if (content.size() == int(sizeof(qint32))) {
        qint32 binary = 0;
        std::memcpy(&binary, content.constData(), sizeof binary);
        return binary;
    }
    return 0;
}

bool processExists(qint64 pid)
{
#ifdef Q_OS_UNIX
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
#else
    Q_UNUSED(pid);
    return false;
#endif
}

bool isSelf(qint64 pid)
{
    return pid == QCoreApplication::applicationPid();
}

} // namespace

SerialPortBusyProbe::SerialPortBusyProbe()
    : SerialPortBusyProbe(defaultLockDirectories(), QStringLiteral("/proc"))
{}

SerialPortBusyProbe::SerialPortBusyProbe(QStringList lockDirectories, QString procRoot)
    : m_lockDirectories(std::move(lockDirectories))
    , m_procRoot(std::move(procRoot))
{}

QStringList SerialPortBusyProbe::defaultLockDirectories()
{
    // QSerialPort's list (it takes the first writable one), plus where systemd systems keep /var/lock.
    return {QStringLiteral("/var/lock"),        QStringLiteral("/run/lock"),        QStringLiteral("/etc/locks"),
            QStringLiteral("/var/spool/locks"), QStringLiteral("/var/spool/uucp"),  QStringLiteral("/tmp"),
            QStringLiteral("/var/tmp"),         QStringLiteral("/var/lock/lockdev")};
}

QHash<QString, QString> SerialPortBusyProbe::busyPorts(const QList<SerialPortEntry> &ports) const
{
    QHash<QString, QString> busy;
    QHash<QString, QString> portByCanonicalPath;
    for (const SerialPortEntry &port : ports) {
        if (const std::optional<QString> holder = lockHolder(port)) {
            busy.insert(port.portName, *holder);
            continue;
        }
        const QString canonical = QFileInfo(port.systemLocation).canonicalFilePath();
        if (!canonical.isEmpty())
            portByCanonicalPath.insert(canonical, port.portName);
    }
    const QHash<QString, QString> open = openers(portByCanonicalPath);
    for (auto it = open.cbegin(); it != open.cend(); ++it)
        busy.insert(portByCanonicalPath.value(it.key()), it.value());
    return busy;
}

std::optional<QString> SerialPortBusyProbe::lockHolder(const SerialPortEntry &port) const
{
    QString name = port.portName;
    if (name.startsWith(QLatin1String("/dev/")))
        name = name.mid(5);   // a port named by its device path (a recently used pty): QSerialPort's name for it
    name.replace(u'/', u'_'); // as QSerialPort names its lock files
    for (const QString &directory : m_lockDirectories) {
        QFile lock(directory + QStringLiteral("/LCK..") + name);
        if (!lock.open(QIODevice::ReadOnly))
            continue;
        const qint64 pid = lockFilePid(lock.read(256));
        if (!processExists(pid))
            continue; // stale: its owner died without removing it
        if (isSelf(pid))
            return tr("in use by this program (lock file %1)").arg(lock.fileName());
        return tr("locked by PID %1 (lock file %2)").arg(pid).arg(lock.fileName());
    }
    return std::nullopt;
}

QHash<QString, QString> SerialPortBusyProbe::openers(const QHash<QString, QString> &pathsByCanonical) const
{
    QHash<QString, QString> found;
#ifdef Q_OS_LINUX
    if (pathsByCanonical.isEmpty())
        return found;
    QHash<QByteArray, QString> wanted;
    for (auto it = pathsByCanonical.cbegin(); it != pathsByCanonical.cend(); ++it)
        wanted.insert(QFile::encodeName(it.key()), it.key());
    const QByteArray procRoot = QFile::encodeName(m_procRoot);
    DIR *proc = ::opendir(procRoot.constData());
    if (!proc)
        return found;
    while (const dirent *process = ::readdir(proc)) {
        if (!isDecimal(process->d_name))
            continue;
        const QByteArray processDir = procRoot + '/' + process->d_name;
        DIR *fds = ::opendir((processDir + "/fd").constData());
        if (!fds)
            continue; // another user's process, or gone already
        while (const dirent *fd = ::readdir(fds)) {
            if (!isDecimal(fd->d_name))
                continue;
            char target[4096];
            const ssize_t length = ::readlinkat(::dirfd(fds), fd->d_name, target, sizeof target);
            if (length <= 0)
                continue;
            const auto it = wanted.constFind(QByteArray(target, length));
            if (it == wanted.cend() || found.contains(it.value()))
                continue;
            const qint64 pid = QByteArray(process->d_name).toLongLong();
            if (isSelf(pid)) {
                found.insert(it.value(), tr("in use by this program"));
                continue;
            }
            QFile comm(QFile::decodeName(processDir + "/comm"));
            const QString program =
                comm.open(QIODevice::ReadOnly) ? QString::fromUtf8(comm.readAll().trimmed()) : tr("another program");
            found.insert(it.value(), tr("in use by %1 (PID %2)").arg(program).arg(pid));
        }
        ::closedir(fds);
    }
    ::closedir(proc);
#else
    Q_UNUSED(pathsByCanonical);
#endif
    return found;
}

} // namespace qmt
