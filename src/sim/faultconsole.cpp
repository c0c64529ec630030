#include "sim/faultconsole.h"

#include "sim/virtualmodule.h"

#include <QStringList>

namespace qmt::sim {

FaultConsole::FaultConsole(VirtualModule *module)
    : m_module(module)
{}

QString FaultConsole::help()
{
    return tr("Commands:\n"
              "  drop [ID]        reset the broker connection of client ID (all clients without ID)\n"
              "  stall [ID]       stop all traffic on the link of client ID (all without ID)\n"
              "  resume [ID]      let the stalled link carry traffic again\n"
              "  swallow [N]      never send the next N responses (1 without N)\n"
              "  garbage [HEX]    send these bytes now (FF FE without HEX)\n"
              "  reboot           reset the module now\n"
              "  sleep            fall asleep now (needs --sleep and AT+QSCLK=1 or 2)\n"
              "  latency MS       add MS milliseconds before every response (the serial line)\n"
              "  network-delay MS the network's round trip: results come MS milliseconds after their OK\n"
              "  baud RATE        cap the line rate (0 removes the cap)\n"
              "  early-data lose|keep  lose data sent within the settle time of the > prompt, or take it\n"
              "  help             this list");
}

QString FaultConsole::execute(const QString &line)
{
    const QStringList words = line.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return {};
    const QString command = words.first().toLower();
    bool ok = true;
    const int number = words.size() > 1 ? words[1].toInt(&ok) : -1;
    if (command == QLatin1String("early-data"))
        return setEarlyData(words.value(1).toLower());
    if (!ok && command != QLatin1String("garbage"))
        return tr("Not a number: %1").arg(words[1]);

    if (command == QLatin1String("drop"))
        return m_module->dropBrokerConnection(number) ? tr("Broker connection dropped.") : tr("No connection to drop.");
    if (command == QLatin1String("stall") || command == QLatin1String("resume")) {
        const bool stall = command == QLatin1String("stall");
        m_module->setLinkStalled(number, stall);
        return stall ? tr("Link stalled.") : tr("Link resumed.");
    }
    if (command == QLatin1String("swallow")) {
        m_module->swallowNextResponses(number < 0 ? 1 : number);
        // qmt-sim loads no translation, so the English plural is spelled out here.
        const int count = number < 0 ? 1 : number;
        return count == 1 ? tr("The next response will be swallowed.")
                          : tr("The next %1 responses will be swallowed.").arg(count);
    }
    if (command == QLatin1String("garbage")) {
        const QByteArray bytes = words.size() > 1 ? QByteArray::fromHex(words.mid(1).join(QString()).toLatin1())
                                                  : m_module->faults().garbage;
        m_module->injectGarbage(bytes);
        return bytes.size() == 1 ? tr("1 garbage byte sent.") : tr("%1 garbage bytes sent.").arg(bytes.size());
    }
    if (command == QLatin1String("reboot")) {
        m_module->reboot();
        return tr("Rebooting.");
    }
    if (command == QLatin1String("sleep")) {
        m_module->sleepNow();
        return m_module->isAsleep() ? tr("Asleep: the next command will be lost.")
                                    : tr("Not asleep: sleep needs --sleep and AT+QSCLK=1 or 2.");
    }
    if (command == QLatin1String("network-delay")) {
        if (number < 0)
            return tr("%1 needs a number.").arg(command);
        ModuleTimings timings = m_module->timings();
        timings.networkDelayMs = number;
        m_module->setTimings(timings);
        return tr("Done.");
    }
    if (command == QLatin1String("latency") || command == QLatin1String("baud")) {
        if (number < 0)
            return tr("%1 needs a number.").arg(command);
        FaultPlan plan = m_module->faults();
        if (command == QLatin1String("baud")) {
            if (!FaultPlan::isSupportedBaudRate(number))
                return tr("Unsupported baud rate %1.").arg(number);
            plan.baudRate = number;
        } else {
            plan.latencyMs = number;
        }
        m_module->setFaults(plan);
        return tr("Done.");
    }
    if (command == QLatin1String("help"))
        return help();
    return tr("Unknown command \"%1\"; type help.").arg(command);
}

QString FaultConsole::setEarlyData(const QString &choice)
{
    if (choice != QLatin1String("lose") && choice != QLatin1String("keep"))
        return tr("early-data needs lose or keep.");
    FaultPlan plan = m_module->faults();
    plan.loseEarlyData = choice == QLatin1String("lose");
    m_module->setFaults(plan);
    return plan.loseEarlyData
               ? tr("Data sent within %1 ms of the > prompt will be lost.").arg(m_module->timings().dataModeSettleMs)
               : tr("Data sent right after the > prompt will be taken.");
}

} // namespace qmt::sim
