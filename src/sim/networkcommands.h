#pragma once

#include "sim/commandgroup.h"

#include <QHash>

namespace qmt::sim {

class NetworkModel;

/// The commands a host sets the network up with and checks it by (BC660K AT manual chapters 4, 5 and 7):
/// registration (AT+CEREG, AT+CREG), operator selection (AT+COPS), bands (AT+QBAND), attach (AT+CGATT) and
/// the PDP contexts (AT+CGDCONT, AT+QCGDEFCONT, AT+CGACT, AT+CGPADDR).
class NetworkCommands : public CommandGroup
{
public:
    explicit NetworkCommands(NetworkModel *network);

    [[nodiscard]] bool handles(const QByteArray &name) const override;
    CommandOutcome execute(const CommandRequest &request) override;

private:
    using Handler = CommandOutcome (NetworkCommands::*)(const CommandRequest &);

    CommandOutcome cereg(const CommandRequest &r);
    CommandOutcome creg(const CommandRequest &r);
    CommandOutcome cops(const CommandRequest &r);
    CommandOutcome qband(const CommandRequest &r);
    CommandOutcome cgatt(const CommandRequest &r);
    CommandOutcome cgdcont(const CommandRequest &r);
    CommandOutcome qcgdefcont(const CommandRequest &r);
    CommandOutcome cgact(const CommandRequest &r);
    CommandOutcome cgpaddr(const CommandRequest &r);

    QHash<QByteArray, Handler> m_handlers;
    NetworkModel *m_network;
};

} // namespace qmt::sim
