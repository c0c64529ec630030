#include "app/common/crashprotection.h"

#include "core/qmt/redaction.h"

#include <QString>
#include <QtGlobal>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif
#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#endif

namespace qmt {

namespace {

QtMessageHandler g_previousHandler = nullptr;

void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString shown = QString::fromUtf8(redactEmbedded(message.toUtf8()));
    if (g_previousHandler)
        g_previousHandler(type, context, shown);
}

bool switchOffCoreDumps()
{
    if (qEnvironmentVariableIntValue("QMT_ALLOW_CORE_DUMPS") == 1)
        return false;
    bool off = false;
#if defined(Q_OS_UNIX)
    const rlimit none{0, 0};
    off = setrlimit(RLIMIT_CORE, &none) == 0;
#endif
#if defined(Q_OS_LINUX)
    // Also covers a core_pattern that pipes to a crash collector (systemd-coredump, apport), which the
    // rlimit alone does not stop.
    off = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 && off;
#endif
    return off;
}

} // namespace

CrashProtection protectSecretsFromCrashes()
{
    CrashProtection result;
    result.coreDumpsOff = switchOffCoreDumps();
    // Chained in front of whatever handler is installed (Qt's own when none: qInstallMessageHandler returns
    // the default handler then) — never in front of itself, which would loop.
    if (const QtMessageHandler previous = qInstallMessageHandler(redactingHandler); previous != redactingHandler)
        g_previousHandler = previous;
    result.messagesRedacted = true;
    return result;
}

} // namespace qmt
