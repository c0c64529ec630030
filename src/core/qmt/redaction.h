#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "core/at/atcommand.h" // redactedPlaceholder()

namespace qmt {

// What is secret comes from the spec table alone (qmtspec.h): a parameter marked secret is redacted in
// every command form that carries it, in every answer that repeats it, and as the data typed after a
// prompt that takes it. Adding a secret is one edit there.

/// The command line with its secrets replaced by `<redacted, N bytes>` (the password of AT+QMTCONN, the
/// device secret of AT+QMTCFG="aliauth", the APN password of AT+QCGDEFCONT and AT+CGAUTH …), however it
/// is typed: chained, unquoted, in either case. Everything that shows or stores a command a user typed
/// goes through this (logs, exports, the capture decoder), so a secret never reaches a file in plain text.
[[nodiscard]] QByteArray redactCommand(QByteArrayView command);

/// The secret arguments of each command of the chain, as redactCommand() finds them (views into `command`).
/// What a scrubber learns: a placeholder of redactCommand() may hide more than a secret (the rest of a
/// damaged line), and a scrubber that learned all of it would cut harmless words out of later lines.
[[nodiscard]] QList<QByteArrayView> secretArgumentsOf(QByteArrayView command);

/// Sets what the command shows (redactCommand() of its text) and the secrets it carries for the channel
/// to scrub from what comes back (secretArgumentsOf() it).
void redactForDisplay(AtCommand &command);

/// The response line as it may be shown: an answer that repeats a secret (to AT+QMTCFG="aliauth",<id>,
/// AT+QCGDEFCONT?) has it replaced; `command` (what was in flight, may be empty) tells answers of
/// different forms of one command apart, and their shape does when it is not known. Other lines come
/// back as they are.
[[nodiscard]] QByteArray redactResponse(QByteArrayView command, QByteArrayView line);

/// Whether the line is an answer that may repeat a secret ("+QMTCFG:", "+QCGDEFCONT:" …): only those need
/// redactResponse(); any other line comes back from it as it is.
[[nodiscard]] bool answerMayRepeatSecret(QByteArrayView line);

/// Where an answer that may repeat a secret ("+QMTCFG:", "+QCGDEFCONT:" …) begins in `line`, or -1.
[[nodiscard]] qsizetype secretAnswerStart(QByteArrayView line);

/// Whether the data typed after this command's prompt is secret (AT+QSSLCFG=…,"clientkey").
[[nodiscard]] bool promptDataIsSecret(QByteArrayView command);

/// Any line as it may be shown when nothing is known of what it is: a command that carries a secret
/// anywhere in it — behind noise, a log prefix or a lost first character ("T+QMTCONN=…") — and an answer
/// that repeats one are redacted as above. The last line of defence of tools that read captures.
[[nodiscard]] QByteArray redactEmbedded(QByteArrayView line);

/// Whether the bytes hold the start of a PEM private key block ("-----BEGIN … PRIVATE KEY-----", a dash
/// lost on the line or not): secret whatever command they follow.
[[nodiscard]] bool holdsPrivateKey(QByteArrayView bytes);

/// Recognises the lines of PEM private key blocks ("-----BEGIN … PRIVATE KEY-----" to "-----END …"), which
/// must not be shown wherever they turn up: typed after the wrong command, echoed, or in a capture
/// without the command at all. Fed every line in order, damaged message URCs included: a message is shown as
/// it is, but armour at the end of a damaged payload opens a block (a URC that ran into the host's key typing).
///
/// Blocks are counted, not flagged: in a capture of both directions the host's key and the module's echo
/// of it interleave, and the host's END must not end the echo's block. A final result or a "+NAME:" line
/// (never part of a PEM body) ends every open block, so a key cut short hides nothing after the module's
/// next answer.
class PrivateKeyBlockGuard
{
public:
    /// Whether this line is part of a private key block (it may open or close the block).
    bool withholds(QByteArrayView line);

    /// A private key in PEM is a few KiB; past this the block is taken to be over, so a block whose end
    /// never comes (a key cut short) does not hide the rest of a session.
    static constexpr qsizetype MaxBlockBytes = 16 * 1024;

private:
    int m_open = 0; // blocks begun and not yet ended
    qsizetype m_bytes = 0;
};

} // namespace qmt
