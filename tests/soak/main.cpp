// qmt-soak: the counted fault soak (docs/reliability.md). The module controller with auto-recovery against
// the virtual module and a mosquitto broker on loopback, numbered QoS 1 messages both ways, every fault of
// the virtual module injected; per fault the recovery time and the messages lost or duplicated.
//
//   qmt-soak                      each fault once (ctest runs this)
//   qmt-soak --minutes 30         random faults with random durations for 30 minutes
//
// Exit code 0 when nothing was lost and nothing hung (and, with --check-goals, the recovery time goals were
// met); 1 otherwise; 2 when the soak could not be set up.

#include "faultsoak.h"

#include <QCommandLineParser>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qmt-soak"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The counted fault soak of the module controller."));
    parser.addHelpOption();
    const QCommandLineOption minutes(QStringLiteral("minutes"),
                                     QStringLiteral("Random faults for N minutes (default: each fault once)."),
                                     QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the random fault schedule."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption hang(QStringLiteral("hang-s"),
                                  QStringLiteral("A fault not recovered from within S seconds is a hang (90)."),
                                  QStringLiteral("S"), QStringLiteral("90"));
    const QCommandLineOption delay(
        QStringLiteral("network-delay"),
        QStringLiteral("The virtual module's network round trip in ms (default: the module's own, %1).")
            .arg(qmt::sim::ModuleTimings{}.networkDelayMs),
        QStringLiteral("MS"), QString::number(qmt::sim::ModuleTimings{}.networkDelayMs));
    const QCommandLineOption goals(QStringLiteral("check-goals"),
                                   QStringLiteral("Fail when a recovery time goal is missed, too."));
    const QCommandLineOption verbose(QStringLiteral("verbose"),
                                     QStringLiteral("Print the controller's notices and every failed publish."));
    const QCommandLineOption trace(QStringLiteral("trace"),
                                   QStringLiteral("Print every command and every line but +QMTRECV, with its time."));
    parser.addOptions({minutes, seed, hang, delay, goals, verbose, trace});
    parser.process(app);

    qmt::soak::SoakOptions options;
    options.minutes = parser.value(minutes).toInt();
    options.seed = parser.value(seed).toUInt();
    options.hangMs = parser.value(hang).toInt() * 1000;
    options.networkDelayMs = parser.value(delay).toInt();
    options.checkGoals = parser.isSet(goals);
    options.verbose = parser.isSet(verbose);
    options.trace = parser.isSet(trace);
    qmt::soak::FaultSoak soak(options);
    return soak.run();
}
