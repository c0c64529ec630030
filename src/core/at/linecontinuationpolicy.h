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
            EndEarlier ///< the line ended at `length`; the rest starts a new line
        };
        Action action = Action::End;
        /// For EndEarlier: where the line really ended, at a terminator inside it. What follows that run of
        /// terminators, up to the terminator just found, must hold no terminator: it is the first part of
        /// the next line, which the framer reads on without going back (so framing stays linear in time).
        qsizetype length = 0;
    };

    /// What the policy remembers of the line being read between two of its terminators. The framer keeps
    /// it and clears it when a line begins, so one policy can serve several framers.
    struct LineState
    {
        bool examined = false;      ///< the line's start was looked at
        bool continues = false;     ///< the line is one whose content can hold terminators
        qsizetype contentStart = 0; ///< where that content begins
        qsizetype declared = -1;    ///< its declared length, or -1
    };

    virtual ~LineContinuationPolicy() = default;

    /// `line` holds every byte since the line began, up to but not including the terminator just found;
    /// it may already contain terminators the policy chose to continue past. Called from the framer's
    /// hot loop at every terminator of a continued line, so it must look at no more than the line's start
    /// (once, remembered in `state`) and its last segment, and must not allocate.
    [[nodiscard]] virtual Decision atTerminator(QByteArrayView line, LineState &state) const = 0;
};

} // namespace qmt
