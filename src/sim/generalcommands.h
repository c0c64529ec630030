#pragma once

#include "sim/commandgroup.h"

#include <QHash>
#include <QObject>

namespace qmt::sim {

class NetworkModel;

/// The general commands a host uses around MQTT: AT, ATE, ATI, identity, SIM, signal, functionality, sleep
/// and reset. The network set-up is NetworkCommands'.
///
/// Identity values are those of a module on the 3GPP test network (MCC 001), so nobody mistakes the
/// virtual module for a real subscription.
class GeneralCommands : public QObject, public CommandGroup
{
    Q_OBJECT

public:
    explicit GeneralCommands(NetworkModel *network, QObject *parent = nullptr);

    [[nodiscard]] bool handles(const QByteArray &name) const override;
    CommandOutcome execute(const CommandRequest &request) override;

    /// ATE. The BC660K-GL keeps it in NVRAM (protocol-notes §1.3), so it survives reboots. The factory setting
    /// is not documented; it starts on, as on the sibling modules protocol-notes §1.3 lists and as V.250 specifies,
    /// which also lets a terminal user see what they type.
    [[nodiscard]] bool echo() const { return m_echo; }
    void setEcho(bool on);
    /// AT+CMEE: 0 plain ERROR, 1 numeric +CME ERROR (the default the note's examples assume), 2 verbose.
    [[nodiscard]] int errorMode() const { return m_cmee; }
    /// AT+QSCLK: 0 no sleep, 1 light and deep sleep, 2 light sleep only. Not saved: a reboot restores 1,
    /// the mode the note's examples switch off first and the real capture reports (protocol-notes §3.2).
    [[nodiscard]] int sleepMode() const { return m_sleepMode; }

    /// A reboot restores what the module does not keep in NVRAM.
    void restoreVolatileDefaults();

Q_SIGNALS:
    void echoChanged(bool on);
    void rebootRequested();

private:
    using Handler = CommandOutcome (GeneralCommands::*)(const CommandRequest &);

    CommandOutcome at(const CommandRequest &r);
    CommandOutcome ate(const CommandRequest &r);
    CommandOutcome ati(const CommandRequest &r);
    CommandOutcome cgmr(const CommandRequest &r);
    CommandOutcome cgsn(const CommandRequest &r);
    CommandOutcome cpin(const CommandRequest &r);
    CommandOutcome qccid(const CommandRequest &r);
    CommandOutcome cimi(const CommandRequest &r);
    CommandOutcome cesq(const CommandRequest &r);
    CommandOutcome csq(const CommandRequest &r);
    CommandOutcome qeng(const CommandRequest &r);
    CommandOutcome cbc(const CommandRequest &r);
    CommandOutcome cfun(const CommandRequest &r);
    CommandOutcome qsclk(const CommandRequest &r);
    CommandOutcome qrst(const CommandRequest &r);
    CommandOutcome cmee(const CommandRequest &r);

    QHash<QByteArray, Handler> m_handlers;
    NetworkModel *m_network;
    int m_cmee = 1;
    int m_sleepMode = 1;
    bool m_echo = true;
};

} // namespace qmt::sim
