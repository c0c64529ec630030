#pragma once

#include "core/at/linecontinuationpolicy.h"

namespace qmt {

/// Keeps a +QMTRECV line open across CR/LF bytes inside its payload (protocol-notes §6.2).
///
/// A payload line break is content unless what follows it is a line the module (or the host, in a capture)
/// starts on its own — a final result, a `+NAME:` URC, a power-up notice, a data prompt or a command and its
/// echo: a line is never joined to such a line, so a damaged payload cannot swallow the next URC or the echo
/// of a command (with its password). Nor is it joined to a line holding a private key's armour, and a
/// payload whose first line holds the armour ends with that line, so the host's key typing is never shown as
/// a payload. Within that rule, with `<payload_len>` the payload ends once that many
/// bytes followed its opening quote (hex payloads carry no CR/LF, so either reading of the length works);
/// without it, at the payload's closing quote, or before the last break once the payload outgrows anything
/// the module prints. Turning "showrecvlen" on removes most guessing; the application does so by default.
///
/// Each call looks at the line's header once (remembered in the framer's LineState) and at the last segment
/// of the payload, so framing a line costs time linear in its length.
class RecvLineContinuation final : public LineContinuationPolicy
{
public:
    [[nodiscard]] Decision atTerminator(QByteArrayView line, LineState &state) const override;

    /// A line the module (or, in a capture, the host) starts on its own, never the continuation of a payload.
    [[nodiscard]] static bool startsNewLine(QByteArrayView segment);
};

} // namespace qmt
