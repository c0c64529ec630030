#pragma once

// The state of one command in an AtChannel: shared by the channel's translation units, private to them.

#include "core/at/atchannel.h"

#include <QElapsedTimer>

#include <optional>

namespace qmt {

/// A command written longer than this before a reboot is handled reached the module before it was up again
/// (RDY comes after the boot): no answer can come, and the next command need not wait for one. One written
/// later may have reached the booted module, whose answer is then still on its way.
inline constexpr int RebootAnswerWindowMs = 200;

struct AtChannel::Running
{
    enum class Phase {
        Queued,
        AwaitFinal,
        AwaitPrompt,
        Settling,
        AwaitUserData,
        AwaitResult
    };

    AtCommand command;
    AtReply reply;
    QElapsedTimer clock;
    QElapsedTimer heldSince; // a read form waiting for a result of its name (see startNext())
    Phase phase = Phase::Queued;
    bool responseSeen = false;
    bool cancelled = false;
    bool dataSecret = false;
    bool linkClosed = false; // a +QMTSTAT ended the link in data mode: the command ends once its payload is out
    QByteArray dataSent;
    std::optional<QByteArray> earlyResult; // result URC that overtook the OK

    /// AwaitResult: the command gives up when its clock reaches this (the note's time plus the grace).
    [[nodiscard]] qint64 resultDeadlineMs() const { return command.timeoutMs + command.resultGraceMs; }

    [[nodiscard]] AtLineClassifier::InFlight inFlightView() const { return {command.text, responseSeen, dataSent}; }
};

} // namespace qmt
