#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

#include <functional>
#include <optional>

namespace qmt {

/// The module leaves data mode after this long without input (application note 3.3.8, note 5).
inline constexpr int DataModeIdleExitMs = 60'000;
/// The module takes input this long after printing the prompt (protocol-notes §4.1, BC660K AT manual §1.4).
inline constexpr int DataModeSettleMs = 500;
/// What the host waits after receiving the prompt: the module's 500 ms counts from sending it, and its
/// clock is not ours, so a margin keeps the first payload bytes from arriving before data mode begins.
inline constexpr int HostDataModeSettleMs = DataModeSettleMs + 50;

/// What a line from the module is, as far as the AT dialogue goes.
enum class LineKind {
    Echo,     ///< the module repeating the command it received
    Response, ///< an information response of the command in flight
    Final,    ///< OK, ERROR, +CME ERROR: <err>, +CMS ERROR: <err>
    Prompt,   ///< the data-mode prompt `>`
    Urc,      ///< an unsolicited result code (including two-phase results)
    Data,     ///< data-mode input echoed back by the module
    Unknown   ///< a line that belongs to no command and is no known URC; kept, never dropped
};

[[nodiscard]] const char *lineKindName(LineKind kind);

/// One classified line from the module.
struct AtLine
{
    QByteArray text;
    LineKind kind = LineKind::Unknown;
    quint64 commandId = 0; ///< the command it belongs to, 0 if none
    bool secret = false;   ///< echo of secret data: show only its length
};

enum class FinalKind {
    Ok,
    Error,
    CmeError,
    CmsError
};

struct FinalResult
{
    FinalKind kind = FinalKind::Ok;
    int code = -1;   ///< for +CME/+CMS ERROR; -1 when the module gave text instead of a number
    QByteArray text; ///< for +CME/+CMS ERROR given as text (verbose error mode)
};

/// OK / ERROR / +CME ERROR: <err> / +CMS ERROR: <err>, or nothing.
[[nodiscard]] std::optional<FinalResult> parseFinalResult(QByteArrayView line);

/// How a two-phase command's result matcher sees a URC.
enum class MatchResult {
    NoMatch,
    Progress,   ///< an intermediate report (a retransmission count)
    Complete,   ///< this command's result; no other command gets the line
    CompleteAll ///< ends this command and every other it ends too (a link that closed ends them all)
};

/// Decides whether a URC is the (intermediate or final) result of a command that answered OK already.
using ResultMatcher = std::function<MatchResult(QByteArrayView line)>;

/// Bytes sent after the module's `>` prompt.
struct AtPayload
{
    enum class Termination {
        CtrlZ,      ///< variable length: the data, then Ctrl+Z (0x1A)
        FixedLength ///< exactly the announced number of bytes, nothing after
    };
    QByteArray bytes;
    Termination termination = Termination::CtrlZ;
    bool secret = false; ///< a private key or password: logs show only its length
};

struct AtReply;

/// One command for the AT channel: the text, how long the module may take, what follows it.
struct AtCommand
{
    QByteArray text;                  ///< without the terminating CR
    QByteArray display;               ///< the text as logs show it (secrets replaced); empty means `text`
    QList<QByteArray> secrets;        ///< the secrets `text` carries: the channel scrubs them from what comes back
    int timeoutMs = 300;              ///< the note's maximum response time, up to the final result (or the result URC)
    std::optional<AtPayload> payload; ///< sent after the prompt, after the module's settle time
    bool interactivePrompt = false;   ///< a prompt is answered later with AtChannel::sendData()
    ResultMatcher resultMatcher;      ///< set for two-phase commands
    /// Two-phase commands: how much longer than timeoutMs the host waits for the result URC. The module
    /// may take the whole maximum response time and report its own failure at its very end; without a
    /// grace that report would arrive after the host had given up.
    int resultGraceMs = 0;
    std::function<void(const AtReply &)> onFinished; ///< called before AtChannel::commandFinished

    /// A plain command: this text, this time limit.
    [[nodiscard]] static AtCommand simple(QByteArray text, int timeoutMs)
    {
        AtCommand c;
        c.text = std::move(text);
        c.timeoutMs = timeoutMs;
        return c;
    }

    [[nodiscard]] const QByteArray &shownText() const { return display.isEmpty() ? text : display; }
    [[nodiscard]] bool expectsPrompt() const { return payload.has_value() || interactivePrompt; }
};

enum class ReplyStatus {
    Ok,
    Error,           ///< ERROR
    CmeError,        ///< +CME ERROR / +CMS ERROR, see AtReply::errorCode
    Timeout,         ///< no final result (or no result URC) within the command's time
    Cancelled,       ///< data mode cancelled with Esc, or the command aborted by the host
    PortClosed,      ///< the port vanished or was closed while the command was queued or running
    DataModeExpired, ///< the module left data mode after 60 s without data
    Rejected         ///< never sent: the queue was full or no port is open
};

/// A stable token for machine-readable output ("timeout").
[[nodiscard]] const char *replyStatusName(ReplyStatus status);
/// The status in words, translated, for people.
[[nodiscard]] QString replyStatusText(ReplyStatus status);

/// "<redacted, N bytes>": what is shown wherever a secret of N bytes was.
[[nodiscard]] QByteArray redactedPlaceholder(qsizetype size);
/// Whether `text` is exactly such a placeholder (a count of digits between the two parts), so that redacting
/// is idempotent while a secret that merely begins with "<redacted, " is still redacted.
[[nodiscard]] bool isRedactedPlaceholder(QByteArrayView text);

/// The outcome of one command.
struct AtReply
{
    quint64 id = 0;
    QByteArray command; ///< as shown (secrets replaced)
    ReplyStatus status = ReplyStatus::Ok;
    int errorCode = -1;            ///< +CME ERROR code
    QList<QByteArray> lines;       ///< information responses
    QByteArray finalLine;          ///< OK / ERROR / +CME ERROR line
    QList<QByteArray> resultLines; ///< two-phase: progress lines, then the result URC
    qint64 elapsedMs = 0;
    QString detail; ///< why, for Timeout/PortClosed/Rejected

    [[nodiscard]] bool ok() const { return status == ReplyStatus::Ok; }
    /// The final result URC of a two-phase command, or empty.
    [[nodiscard]] QByteArray resultLine() const { return resultLines.isEmpty() ? QByteArray() : resultLines.last(); }
};

} // namespace qmt

Q_DECLARE_METATYPE(qmt::AtLine)
Q_DECLARE_METATYPE(qmt::AtReply)
