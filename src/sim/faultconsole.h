#pragma once

#include <QCoreApplication>
#include <QString>

namespace qmt::sim {

class VirtualModule;

/// Text commands that trigger faults on a running virtual module ("drop", "stall 0", "reboot" …), for a
/// user rehearsing failures at the qmt-sim prompt.
class FaultConsole
{
    Q_DECLARE_TR_FUNCTIONS(qmt::sim::FaultConsole)

public:
    explicit FaultConsole(VirtualModule *module);

    /// Runs one command line and returns what to tell the user.
    QString execute(const QString &line);
    [[nodiscard]] static QString help();

private:
    QString setEarlyData(const QString &choice);

    VirtualModule *m_module;
};

} // namespace qmt::sim
