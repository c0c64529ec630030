#pragma once

namespace qmt {

/// What protectSecretsFromCrashes() could switch on.
struct CrashProtection
{
    bool coreDumpsOff = false;     ///< no core file of this process (it would hold passwords and keys)
    bool messagesRedacted = false; ///< every Qt message passes through redactEmbedded() before it is written
};

/// Keeps what a crash leaves behind free of secrets. A core dump is the process's memory — passwords,
/// device secrets, decrypted private keys — so the operating system is told not to write one (and, on
/// Linux, not to let another process of the same user read this one's memory); every qDebug/qWarning/
/// qFatal message, including the last words of an abort, is redacted before it reaches standard error or
/// a log a platform keeps. Call first thing in main(). The environment variable QMT_ALLOW_CORE_DUMPS=1
/// leaves core dumps on, for a developer chasing a crash with test data.
CrashProtection protectSecretsFromCrashes();

} // namespace qmt
