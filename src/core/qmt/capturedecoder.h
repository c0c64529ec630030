#pragma once

#include "core/qmt/qmtcommands.h"
#include "core/qmt/qmtevents.h"
#include "core/qmt/qmtparser.h"
#include "core/qmt/recvlinecontinuation.h"
#include "core/qmt/redaction.h"

#include "core/at/atcommand.h"
#include "core/at/atframer.h"
#include "core/at/atlineclassifier.h"
#include "core/at/secretscrubber.h"

#include <QByteArray>

#include <array>
#include <deque>
#include <functional>
#include <optional>

namespace qmt {

/// One protocol event read from a capture.
struct DecodedEvent
{
    LineKind kind = LineKind::Unknown;
    qint64 offset = 0;                ///< byte offset in the capture
    QByteArray text;                  ///< the line, or the data bytes
    QByteArray command;               ///< the command it belongs to, when known
    std::optional<FinalResult> final; ///< for kind Final
    std::optional<QmtEvent> event;    ///< parsed +QMT… / +CME ERROR fields
    qsizetype discarded = 0;          ///< an over-long line: bytes dropped (kind Unknown, empty text)
    bool incomplete = false;          ///< the capture ended before the line did (no terminator came)
};

/// Reads a raw capture of module output — with the host's commands, when the capture has them — and turns
/// it into protocol events, the way the live AT channel would have seen them.
///
/// It knows no more than the stream tells: a line starting with "AT" is the host's command (or its echo)
/// and opens a command; its final result closes it; two-phase results are tied back to the write command
/// that announced them; data typed after a prompt runs to Ctrl+Z, Esc, the announced length, or the next
/// line the module would start on its own. Secrets the host sent (an AT+QMTCONN password, an "aliauth" device
/// secret) are learned wherever such a command turns up, however damaged its line, and removed from every
/// event.
class CaptureDecoder
{
public:
    using Sink = std::function<void(const DecodedEvent &)>;

    CaptureDecoder();

    /// Events come out with secrets redacted (see redactCommand()).
    void feed(QByteArrayView bytes, const Sink &output);
    /// End of capture: an unterminated last line is still an event, marked incomplete — a +QMTRECV waiting
    /// for more of its payload (its declared length runs past the end) included: nothing fed is lost.
    void finish(const Sink &sink);

private:
    /// Takes each event on its way out, to redact it in place: no copy of an event per event.
    using Emit = std::function<void(DecodedEvent &&)>;

    struct Pending
    {
        QByteArray command;
        ResultMatcher matcher;
    };

    void onFramed(const AtFramer::Event &e, const Emit &sink);
    void onLine(QByteArrayView line, qint64 offset, const Emit &sink);
    void learnSecrets(QByteArrayView line);
    void scrub(DecodedEvent &e) const;
    [[nodiscard]] Emit redactingSink(const Sink &output);
    bool consumeData(QByteArrayView line, qint64 offset, const Emit &sink);
    void emitClassified(QByteArrayView line, qint64 offset, const Emit &sink);
    void classifyAndEmit(QByteArrayView line, qint64 offset, const Emit &sink, bool answersUnseen);
    /// Emits the held lines: as the response to a command the capture does not show when `answered`.
    void releaseHeld(bool answered, const Emit &sink);
    [[nodiscard]] bool isUrcOnly(QByteArrayView line) const;
    [[nodiscard]] static bool startsCommand(QByteArrayView line);
    /// Ties a result URC to the oldest outstanding two-phase command it answers (out.command, kind Urc).
    void attributeToPending(QByteArrayView line, DecodedEvent &out);
    void commandEnded(const FinalResult &final);
    void rememberConfiguration();
    [[nodiscard]] std::optional<DataFormat> recvFormatOf(QByteArrayView recvLine) const;
    [[nodiscard]] QByteArray shownCommand(const QByteArray &command);

    AtFramer m_framer;
    RecvLineContinuation m_recvPolicy;
    AtLineClassifier m_classifier;
    QByteArray m_command; // in flight: seen, final result not yet
    bool m_responseSeen = false;
    bool m_inData = false;
    bool m_lineIncomplete = false; // the line being handled is the capture's unterminated last one
    qsizetype m_dataLeft = -1;     // fixed-length data mode: bytes still expected; -1 for Ctrl+Z mode
    std::deque<Pending> m_pending; // two-phase commands awaiting their result URC
    struct Held
    {
        QByteArray line;
        qint64 offset;
        bool incomplete;
    };
    std::deque<Held> m_held; // no command in flight: lines that may answer one the capture does not hold
    qsizetype m_heldBytes = 0;
    QList<QByteArray> m_responses; // of the command in flight
    std::array<SlotSettings, SlotCount> m_settings{};
    std::array<bool, SlotCount> m_formatKnown{}; // a "dataformat" was seen for the slot
    struct Spare
    {
        QByteArray text;
        RecvMessage message;
    };
    Spare m_spare; // the storage of the last event emitted, reused by the next
    struct ShownCommand
    {
        QByteArray command;
        QByteArray shown;
        unsigned table = ~0u; // specTableGeneration() when it was redacted
    };
    ShownCommand m_lastShown; // the command last redacted, and what redactCommand() made of it
    PrivateKeyBlockGuard m_keyGuard;
    SecretScrubber m_secrets; // learned from the host's secret-bearing commands anywhere in the capture
};

} // namespace qmt
