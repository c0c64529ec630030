#pragma once

#include "at/linecontinuationpolicy.h"

namespace qmt {

/// Keeps a +QMTRECV line open across CR/LF bytes inside its payload (protocol-notes §6.2).
///
/// With `<payload_len>` the payload is framed exactly: no terminator within the first `<payload_len>`
/// bytes after the payload's opening quote ends the line (hex payloads carry no CR/LF, so either reading of
/// the length works). Without it, the line runs on until it ends with the payload's closing quote — unless
/// what follows a line break is plainly a new line (a final result, a `+NAME:` URC, a power-up notice or a
/// command) or the payload outgrows anything the module sends, in which case the URC ends before that break.
/// Turning "showrecvlen" on removes all guessing; the application does so by default.
class RecvLineContinuation final : public LineContinuationPolicy
{
public:
    [[nodiscard]] Decision atTerminator(QByteArrayView line) const override;
};

} // namespace qmt
