#pragma once

#include <QByteArrayView>

namespace qmt {

/// Lets a higher layer keep a line open across CR/LF bytes that belong to its content.
///
/// The AT framer knows nothing about MQTT, yet +QMTRECV payloads are not escaped and may carry CR or LF
/// (protocol-notes §6.2). When the framer meets a terminator it asks the policy whether the line really ends there.
/// The QMT layer answers from the URC's `<payload_len>`, or from the payload's closing quote when no
/// length is shown.
class LineContinuationPolicy
{
public:
    struct Decision
    {
        enum class Action {
            End,       ///< the terminator ends the line
            Continue,  ///< the terminator is content: keep it and keep reading
            EndEarlier ///< the line ended at `length`; the rest is re-framed as new lines
        };
        Action action = Action::End;
        qsizetype length = 0; ///< for EndEarlier: where the line really ended (an earlier terminator)
    };

    virtual ~LineContinuationPolicy() = default;

    /// `line` holds every byte since the line began, up to but not including the terminator just found;
    /// it may already contain terminators the policy chose to continue past. Called from the framer's
    /// hot loop, so it must be cheap and must not allocate.
    [[nodiscard]] virtual Decision atTerminator(QByteArrayView line) const = 0;
};

} // namespace qmt
