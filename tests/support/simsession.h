#pragma once

#include "core/at/atchannel.h"
#include "core/qmt/qmtcommands.h"
#include "core/qmt/recvlinecontinuation.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <memory>

namespace qmt::sim {
class VirtualModule;
class VirtualModuleDevice;
} // namespace qmt::sim

namespace qmt::test {

/// The project's own host side (AtChannel + QmtCommands) talking to an in-process virtual module, with a
/// tap on the wire: what integration tests drive.
class SimSession : public QObject
{
    Q_OBJECT

public:
    explicit SimSession(QObject *parent = nullptr);
    ~SimSession() override;

    [[nodiscard]] sim::VirtualModule &module() const;
    [[nodiscard]] AtChannel &channel() { return m_channel; }
    [[nodiscard]] QmtCommands &commands() { return m_commands; }

    /// Submits and waits until the command finished (also a two-phase command's result URC).
    AtReply run(AtCommand command, int waitMs = 20'000);
    /// As run(); an invalid command comes back Rejected with the validation message as its detail.
    AtReply run(const Validated<AtCommand> &command, int waitMs = 20'000);
    /// A command line as typed, with a short time limit (for general commands and malformed ones).
    AtReply send(const QByteArray &text, int timeoutMs = 2'000);

    /// Waits for a URC starting with `prefix` that arrived after the last take; returns it and forgets it
    /// and everything before it. Empty when none came in time.
    QByteArray takeUrc(const QByteArray &prefix, int waitMs = 10'000);
    [[nodiscard]] const QList<QByteArray> &urcs() const { return m_urcs; }
    void clearUrcs() { m_urcs.clear(); }

    /// Every byte the module sent since the last clear.
    [[nodiscard]] const QByteArray &wire() const { return m_wire; }
    void clearWire() { m_wire.clear(); }
    /// Every line the channel saw (echo, responses, results, URCs) since the last clear.
    [[nodiscard]] const QList<AtLine> &lines() const { return m_lines; }
    void clearLines() { m_lines.clear(); }

private:
    std::unique_ptr<sim::VirtualModuleDevice> m_device;
    AtChannel m_channel;
    QmtCommands m_commands;
    RecvLineContinuation m_continuation;
    QList<AtReply> m_finished;
    QList<QByteArray> m_urcs;
    QList<AtLine> m_lines;
    QByteArray m_wire;
};

/// A name no other test (or test run) uses: topics and client IDs on the shared broker.
QByteArray uniqueName(const char *stem);

} // namespace qmt::test
