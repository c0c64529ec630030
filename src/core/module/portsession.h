#pragma once

#include "core/module/portprovider.h"

#include "core/at/atchannel.h"
#include "core/qmt/modulereports.h"
#include "core/qmt/recvlinecontinuation.h"

#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <memory>

namespace qmt {

/// The line to the module: the port it runs on, the AT channel over it, and what the line itself tells.
///
/// It opens and closes the port its provider gives, notices the port going away (an unplugged adapter) and
/// coming back, wakes a module that may be asleep before the next command, and tells a reboot (RDY, then
/// +CFUN: 1) from the other unsolicited lines, which it passes on: those about the module as typed
/// reports, the rest (the MQTT layer's) as lines.
class PortSession : public QObject
{
    Q_OBJECT

public:
    /// Whether the module may be sleeping (AT+QSCLK is not known to be 0): a quiet line is woken first.
    using MayBeAsleep = std::function<bool()>;

    explicit PortSession(MayBeAsleep mayBeAsleep, QObject *parent = nullptr);
    ~PortSession() override;

    [[nodiscard]] AtChannel &channel() { return m_channel; }
    [[nodiscard]] const AtChannel &channel() const { return m_channel; }

    /// Replaces the port; close() the current one first.
    void setProvider(std::unique_ptr<PortProvider> provider);
    [[nodiscard]] PortProvider *provider() const { return m_provider.get(); }
    /// Opens the provider's port and puts the channel on it; false with `error` set when it cannot.
    bool open(QString &error);
    /// Takes the channel off the port and closes it; stops watching for a lost port's return.
    void close();

    /// Sends `command` (after waking the module when the line was quiet); `done` runs after its own callback.
    quint64 submit(AtCommand command, std::function<void(const AtReply &)> done = {});
    /// A line quiet for this long may mean a sleeping module: wake it before the next command
    /// (protocol-notes §3.4).
    void setWakeAfterIdleMs(int ms) { m_wakeAfterIdleMs = ms; }
    /// Our own radio cycle (AT+CFUN=0/1) is running: its "+CFUN: 1" is no reboot.
    void setRadioCycleRunning(bool on) { m_radioCycle = on; }

Q_SIGNALS:
    /// The port went away; the session watches for it to come back.
    void lost(const QString &reason);
    /// A lost port is back (the caller decides whether to open it again).
    void reappeared();
    /// The module booted: RDY and +CFUN: 1 of one boot count once.
    void rebooted();
    /// An unsolicited line about the module itself (+CEREG, +CPIN, a +CFUN that is no reboot), read.
    void moduleReported(const qmt::ModuleReport &report);
    /// Every other unsolicited line.
    void urcReceived(const qmt::AtLine &line);

private:
    void onUrc(const AtLine &line);
    void wakeIfIdle();

    AtChannel m_channel; // first: outlives the callbacks the others hand it
    RecvLineContinuation m_recvPolicy;
    std::unique_ptr<PortProvider> m_provider;
    MayBeAsleep m_mayBeAsleep;
    QElapsedTimer m_lineQuiet;  // since the last byte either way
    QElapsedTimer m_lastReboot; // RDY and +CFUN: 1 of one boot count once
    int m_wakeAfterIdleMs = 5000;
    bool m_radioCycle = false;
};

} // namespace qmt
