#pragma once

#include "support/exchangescript.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>

namespace qmt::sim {
class VirtualModuleDevice;
} // namespace qmt::sim

namespace qmt::test {

/// Types a chapter-6 exchange into a virtual module byte by byte, as a user in picocom would, and checks
/// that every byte the module sends is the note's, in order: the echo of each command (ATE1), each response
/// and URC framed CR LF, the prompt "\r\n> ".
///
/// Hooks let a test adapt what the note cannot know (the local broker's packet identifiers, its own PEM
/// lengths) and act at the right moment (publish with mosquitto_pub before the +QMTRECV it causes).
class ExchangePlayer
{
public:
    /// Adjusts a module line before it is expected, and may act first; false ends the play as failed.
    using ModuleLineHook = std::function<bool(QByteArray &line)>;
    /// The bytes to type for a data item (and whether the module echoes them).
    using DataHook = std::function<QByteArray(const ExchangeItem &item, bool *echoed)>;
    using HostLineHook = std::function<QByteArray(const QByteArray &line)>;

    explicit ExchangePlayer(sim::VirtualModuleDevice &device);

    void setHostLineHook(HostLineHook hook) { m_hostHook = std::move(hook); }
    void setModuleLineHook(ModuleLineHook hook) { m_moduleHook = std::move(hook); }
    void setDataHook(DataHook hook) { m_dataHook = std::move(hook); }

    /// Plays the items; false, with `failure` set, at the first difference.
    bool play(const QList<ExchangeItem> &items, QString *failure);

    /// Waits for a URC starting with `prefix` beyond what was expected so far and returns the field after it
    /// (the packet identifier of "+QMTRECV: 0,"), or empty.
    QByteArray nextField(const QByteArray &prefix);

    [[nodiscard]] const QByteArray &wire() const { return m_wire; }
    [[nodiscard]] const QByteArray &expected() const { return m_expected; }

private:
    bool expectSoFar(QString *failure);

    sim::VirtualModuleDevice &m_device;
    HostLineHook m_hostHook;
    ModuleLineHook m_moduleHook;
    DataHook m_dataHook;
    QByteArray m_wire;
    QByteArray m_expected;
};

} // namespace qmt::test
