#pragma once

#include "core/module/slotstatus.h"

#include <QString>

namespace qmt {

/// What to do about a slot's failure, said in terms of this window ("press Reconnect now", "check the CA
/// in the certificate wizard"), with the application note's own advice — which speaks AT ("Execute
/// AT+QMTOPEN …") — kept as the detail behind it (a tooltip).
struct SlotAdvice
{
    Q_DECLARE_TR_FUNCTIONS(qmt::SlotAdvice)

public:
    QString action; ///< one sentence for the user; empty when there is nothing to do (a normal close)
    QString detail; ///< the note's meaning and advice, in AT terms

    /// For a +QMTSTAT <err_code>: what auto-recovery does about it, or what the user can do.
    [[nodiscard]] static SlotAdvice forStat(int code, bool autoRecovery);
    /// For the slot's last failure. `tls`: the slot opens with SSL/TLS, where a failed open is most often
    /// the certificates (protocol-notes §5.2).
    [[nodiscard]] static SlotAdvice forFailure(const SlotFailure &failure, bool tls, bool autoRecovery);
};

} // namespace qmt
