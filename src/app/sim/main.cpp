// qmt-sim: serves the virtual BC660K-GL on a pseudo-terminal, so QMT Studio, picocom or any host code can
// open it like a real module's serial port.

#include "app/common/crashprotection.h"
#include "sim/brokerredirect.h"
#include "sim/faultconsole.h"
#include "sim/faultplan.h"
#include "sim/moduletimings.h"
#include "sim/pseudoterminal.h"
#include "sim/serialtrace.h"
#include "sim/virtualmodule.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>
#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(qmt::sim::Main)
};

int g_signalPipe[2] = {-1, -1};

void onSignal(int signal)
{
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

/// Bytes as a log shows them: printable ASCII as is, the rest as <xx>.
QString printable(const QByteArray &bytes)
{
    QString text;
    for (const char ch : bytes) {
        const auto c = uchar(ch);
        if (c == '\r')
            text += QStringLiteral("<CR>");
        else if (c == '\n')
            text += QStringLiteral("<LF>");
        else if (c < 0x20 || c >= 0x7f)
            text += QStringLiteral("<%1>").arg(c, 2, 16, QLatin1Char('0'));
        else
            text += QChar::fromLatin1(char(c));
    }
    return text;
}

std::optional<qmt::sim::BrokerRedirect> parseRedirect(const QString &value)
{
    qmt::sim::BrokerRedirect redirect;
    const qsizetype colon = value.lastIndexOf(QLatin1Char(':'));
    redirect.host = colon < 0 ? value : value.left(colon);
    if (colon >= 0) {
        bool ok = false;
        const int port = value.mid(colon + 1).toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return std::nullopt;
        redirect.port = quint16(port);
    }
    if (redirect.host.isEmpty())
        return std::nullopt;
    return redirect;
}

struct Options
{
    qmt::sim::FaultPlan faults;
    qmt::sim::ModuleTimings timings;
    qmt::sim::BrokerRedirects redirects;
    QString link;
    bool control = false;
    bool verbose = false;
};

/// Adds an option to the parser and returns it; a default goes into its description as well.
QCommandLineOption addOption(QCommandLineParser &parser, const QStringList &names, const QString &description,
                             const QString &valueName = {}, const QString &defaultValue = {})
{
    // QCommandLineParser does not print defaults; the description does.
    const QString text =
        defaultValue.isEmpty() ? description : Tr::tr("%1 Default: %2.").arg(description, defaultValue);
    QCommandLineOption option(names, text, valueName, defaultValue);
    parser.addOption(option);
    return option;
}

/// The options for what happens on the serial line and to the broker connections, in --help's order.
struct LineOptions
{
    QCommandLineOption broker, tlsBroker, baud, latency, networkDelay, swallowEvery, garbageEvery, garbage, dropAfter,
        rebootAfter, rebootOn;
};

LineOptions addLineOptions(QCommandLineParser &parser, const qmt::sim::ModuleTimings &defaults)
{
    return LineOptions{
        .broker = addOption(parser, {QStringLiteral("broker")},
                            Tr::tr("Send every plain AT+QMTOPEN to this broker instead of the host and port it names "
                                   "(the module still reports what it was given). PORT defaults to the named one."),
                            QStringLiteral("HOST[:PORT]")),
        .tlsBroker = addOption(parser, {QStringLiteral("tls-broker")},
                               Tr::tr("As --broker, for clients with AT+QMTCFG=\"ssl\" enabled; the server "
                                      "certificate is checked against HOST."),
                               QStringLiteral("HOST[:PORT]")),
        .baud = addOption(parser, {QStringLiteral("baud")},
                          Tr::tr("Cap the line rate at this baud rate, both ways (9600, 19200, 38400, 57600, 115200, "
                                 "230400, 460800, 921600; 0 = no cap)."),
                          QStringLiteral("RATE"), QStringLiteral("0")),
        .latency = addOption(parser, {QStringLiteral("latency")},
                             Tr::tr("Add this delay on the serial line, before every response and URC."),
                             QStringLiteral("MS"), QStringLiteral("0")),
        .networkDelay = addOption(
            parser, {QStringLiteral("network-delay")},
            Tr::tr("The network's round trip: what comes from the broker (connection up, CONNACK, SUBACK, PUBACK, "
                   "messages) reaches the module this much later, so each +QMTOPEN/CONN/SUB/UNS/PUB result comes "
                   "this long after its OK, as on an NB-IoT network (hundreds of ms to seconds). 0 answers as fast "
                   "as the broker."),
            QStringLiteral("MS"), QString::number(defaults.networkDelayMs)),
        .swallowEvery = addOption(parser, {QStringLiteral("swallow-every")},
                                  Tr::tr("Never send every Nth response (its information lines and final result)."),
                                  QStringLiteral("N"), QStringLiteral("0")),
        .garbageEvery = addOption(parser, {QStringLiteral("garbage-every")},
                                  Tr::tr("Send garbage bytes after every Nth line the module prints."),
                                  QStringLiteral("N"), QStringLiteral("0")),
        .garbage = addOption(parser, {QStringLiteral("garbage")}, Tr::tr("The garbage bytes, in hex."),
                             QStringLiteral("HEX"), QStringLiteral("FFFE")),
        .dropAfter = addOption(parser, {QStringLiteral("drop-broker-after")},
                               Tr::tr("Reset each MQTT connection this long after its CONNACK, as a broker restart "
                                      "would (+QMTSTAT: <id>,1; the broker publishes the will)."),
                               QStringLiteral("MS")),
        .rebootAfter = addOption(parser, {QStringLiteral("reboot-after")},
                                 Tr::tr("Reboot the module once, this long after start."), QStringLiteral("MS")),
        .rebootOn = addOption(parser, {QStringLiteral("reboot-on")},
                              Tr::tr("Reboot right after answering the first command that starts with PREFIX, "
                                     "e.g. AT+QMTOPEN to reboot between its OK and its result."),
                              QStringLiteral("PREFIX")),
    };
}

/// The options for the module's sleep and timings and for the program itself, after the line's in --help.
struct ModuleOptions
{
    QCommandLineOption sleep, sleepAfter, loseEarlyData, settle, dataTimeout, bootTime, registrationTime, link, control,
        verbose;
};

ModuleOptions addModuleOptions(QCommandLineParser &parser, const qmt::sim::ModuleTimings &defaults)
{
    return ModuleOptions{
        .sleep = addOption(parser, {QStringLiteral("sleep")},
                           Tr::tr("Model sleep: with AT+QSCLK=1 or 2 (1 after boot) and the line idle for the "
                                  "--sleep-after time, the first command that arrives wakes the module and is lost.")),
        .sleepAfter = addOption(parser, {QStringLiteral("sleep-after")}, Tr::tr("Idle time before the module sleeps."),
                                QStringLiteral("MS"), QString::number(defaults.sleepAfterIdleMs)),
        .loseEarlyData = addOption(
            parser, {QStringLiteral("lose-early-data")},
            Tr::tr("Lose data sent within the --settle time of the > prompt, Ctrl+Z included, which the AT manual's "
                   "advice to wait 500 ms guards against. Without it, data sent at once is taken, as a real module "
                   "takes it.")),
        .settle = addOption(parser, {QStringLiteral("settle")},
                            Tr::tr("With --lose-early-data: time after the > prompt before data mode begins."),
                            QStringLiteral("MS"), QString::number(defaults.dataModeSettleMs)),
        .dataTimeout =
            addOption(parser, {QStringLiteral("data-timeout")}, Tr::tr("Data mode ends after this long without input."),
                      QStringLiteral("MS"), QString::number(defaults.dataModeIdleMs)),
        .bootTime = addOption(parser, {QStringLiteral("boot-time")}, Tr::tr("Time from reset to RDY."),
                              QStringLiteral("MS"), QString::number(defaults.bootMs)),
        .registrationTime = addOption(parser, {QStringLiteral("registration-time")},
                                      Tr::tr("Time from +CFUN: 1 to network registration."), QStringLiteral("MS"),
                                      QString::number(defaults.registrationMs)),
        .link = addOption(parser, {QStringLiteral("link")},
                          Tr::tr("Also make the port reachable as PATH (a symbolic link, removed on exit)."),
                          QStringLiteral("PATH")),
        .control = addOption(parser, {QStringLiteral("control")},
                             Tr::tr("Read fault commands on standard input (drop, stall, resume, swallow, garbage, "
                                    "reboot, sleep, latency, network-delay, baud, early-data; type help).")),
        .verbose =
            addOption(parser, {QStringLiteral("verbose")},
                      Tr::tr("Log the AT traffic (secrets redacted) and connection problems on standard error.")),
    };
}

/// Reads an integer option into `target` when it is set or has a default; prints the problem and returns false
/// when it is no number of at least `minimum`.
bool readInteger(const QCommandLineParser &parser, const QCommandLineOption &option, int minimum, int &target)
{
    if (!parser.isSet(option) && option.defaultValues().isEmpty())
        return true;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < minimum) {
        err() << Tr::tr("qmt-sim: --%1 needs a number of at least %2, not \"%3\"")
                     .arg(option.names().constFirst())
                     .arg(minimum)
                     .arg(parser.value(option))
              << Qt::endl;
        return false;
    }
    target = value;
    return true;
}

/// Reads --broker and --tls-broker; prints the problem and returns false when one is no HOST[:PORT].
bool readRedirects(const QCommandLineParser &parser, const LineOptions &line, qmt::sim::BrokerRedirects &redirects)
{
    for (const auto &[option, target] :
         {std::pair{&line.broker, &redirects.plain}, std::pair{&line.tlsBroker, &redirects.tls}}) {
        if (!parser.isSet(*option))
            continue;
        const auto redirect = parseRedirect(parser.value(*option));
        if (!redirect) {
            err() << Tr::tr("qmt-sim: --%1 needs HOST[:PORT], not \"%2\"")
                         .arg(option->names().constFirst(), parser.value(*option))
                  << Qt::endl;
            return false;
        }
        *target = *redirect;
    }
    return true;
}

/// The options as given; prints the problem and returns nullopt when one is wrong.
std::optional<Options> readOptions(const QCommandLineParser &parser, const LineOptions &line,
                                   const ModuleOptions &module)
{
    Options o;
    const auto integer = [&parser](const QCommandLineOption &option, int minimum, int &target) {
        return readInteger(parser, option, minimum, target);
    };
    const bool ok =
        integer(line.baud, 0, o.faults.baudRate) && integer(line.latency, 0, o.faults.latencyMs) &&
        integer(line.networkDelay, 0, o.timings.networkDelayMs) &&
        integer(line.swallowEvery, 0, o.faults.swallowEvery) && integer(line.garbageEvery, 0, o.faults.garbageEvery) &&
        integer(line.dropAfter, 0, o.faults.dropBrokerAfterMs) &&
        integer(line.rebootAfter, 0, o.faults.rebootAfterMs) &&
        integer(module.sleepAfter, 1, o.timings.sleepAfterIdleMs) &&
        integer(module.settle, 0, o.timings.dataModeSettleMs) &&
        integer(module.dataTimeout, 1, o.timings.dataModeIdleMs) && integer(module.bootTime, 0, o.timings.bootMs) &&
        integer(module.registrationTime, 0, o.timings.registrationMs);
    if (!ok)
        return std::nullopt;
    if (!qmt::sim::FaultPlan::isSupportedBaudRate(o.faults.baudRate)) {
        err() << Tr::tr("qmt-sim: unsupported baud rate %1").arg(o.faults.baudRate) << Qt::endl;
        return std::nullopt;
    }
    o.faults.garbage = QByteArray::fromHex(parser.value(line.garbage).toLatin1());
    o.faults.rebootOnCommand = parser.value(line.rebootOn).toUtf8();
    o.faults.sleep = parser.isSet(module.sleep);
    o.faults.loseEarlyData = parser.isSet(module.loseEarlyData);
    if (!readRedirects(parser, line, o.redirects))
        return std::nullopt;
    o.link = parser.value(module.link);
    o.control = parser.isSet(module.control);
    o.verbose = parser.isSet(module.verbose);
    return o;
}

/// Parses the command line; prints the problem and returns nullopt when it is wrong.
std::optional<Options> parseOptions(QCommandLineParser &parser, const QCoreApplication &app)
{
    const qmt::sim::ModuleTimings defaults;
    parser.setApplicationDescription(
        Tr::tr("Serves a virtual Quectel BC660K-GL NB-IoT module on a pseudo-terminal. Its MQTT client is real "
               "(libmosquitto) and connects to the broker AT+QMTOPEN names, or to the one given with --broker.\n"
               "The first line on standard output is the port to open; the program serves it until stopped.\n"
               "Example: qmt-sim --broker 127.0.0.1:1883, then picocom /dev/pts/<N> and type the session of chapter "
               "6.1 of the application note.\n"
               "Signals: SIGUSR1 drops every broker connection, SIGUSR2 reboots the module, SIGINT/SIGTERM stop."));
    parser.addHelpOption();
    parser.addVersionOption();
    const LineOptions line = addLineOptions(parser, defaults);
    const ModuleOptions module = addModuleOptions(parser, defaults);
    parser.process(app);
    return readOptions(parser, line, module);
}

} // namespace

int main(int argc, char *argv[])
{
    qmt::protectSecretsFromCrashes(); // before anything secret is in memory
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qmt-sim"));
    QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QMT_VERSION));

    QCommandLineParser parser;
    const std::optional<Options> options = parseOptions(parser, app);
    if (!options)
        return 2;

    qmt::sim::VirtualModule module;
    module.setTimings(options->timings);
    module.setFaults(options->faults);
    module.setBrokerRedirects(options->redirects);

    qmt::sim::PseudoTerminal pty;
    QString error;
    if (!pty.open(&error) || (!options->link.isEmpty() && !pty.createLink(options->link, &error))) {
        err() << Tr::tr("qmt-sim: %1").arg(error) << Qt::endl;
        return 1;
    }
    if (options->verbose) {
        // The trace leaves out the secrets a host types and the module echoes (passwords, client keys).
        auto trace = std::make_shared<qmt::sim::SerialTrace>();
        QObject::connect(&pty, &qmt::sim::PseudoTerminal::received, [trace](const QByteArray &b) {
            if (const QByteArray shown = trace->fromHost(b); !shown.isEmpty())
                err() << "host > " << printable(shown) << Qt::endl;
        });
        QObject::connect(&module, &qmt::sim::VirtualModule::transmit, [trace](const QByteArray &b) {
            if (const QByteArray shown = trace->fromModule(b); !shown.isEmpty())
                err() << "module < " << printable(shown) << Qt::endl;
        });
        QObject::connect(&pty, &qmt::sim::PseudoTerminal::hostConnectedChanged, [](bool connected) {
            err() << (connected ? Tr::tr("A host opened the port.") : Tr::tr("The host closed the port.")) << Qt::endl;
        });
    }
    // After the trace: it must see the host's bytes before the module answers them.
    QObject::connect(&pty, &qmt::sim::PseudoTerminal::received, &module, &qmt::sim::VirtualModule::receive);
    QObject::connect(&module, &qmt::sim::VirtualModule::transmit, &pty, &qmt::sim::PseudoTerminal::write);
    QObject::connect(&module, &qmt::sim::VirtualModule::diagnostic,
                     [](const QString &text) { err() << text << Qt::endl; });

    // Signals reach the event loop through a socket pair: a handler may do nothing more than write a byte.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        err() << Tr::tr("qmt-sim: cannot set up signal handling") << Qt::endl;
        return 1;
    }
    QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, [&module] {
        char byte = 0;
        if (::read(g_signalPipe[0], &byte, 1) != 1)
            return;
        if (byte == SIGUSR1)
            module.dropBrokerConnection();
        else if (byte == SIGUSR2)
            module.reboot();
        else
            QCoreApplication::quit();
    });
    for (int s : {SIGINT, SIGTERM, SIGUSR1, SIGUSR2})
        std::signal(s, onSignal);
    std::signal(SIGPIPE, SIG_IGN);

    qmt::sim::FaultConsole console(&module);
    std::unique_ptr<QSocketNotifier> stdinNotifier;
    if (options->control) {
        stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(stdinNotifier.get(), &QSocketNotifier::activated, [&console, &stdinNotifier] {
            static QByteArray buffer;
            char chunk[512];
            const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
            if (n <= 0) {
                stdinNotifier->setEnabled(false); // end of input: keep serving
                return;
            }
            buffer.append(chunk, qsizetype(n));
            qsizetype newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
                const QString line = QString::fromUtf8(buffer.left(newline));
                buffer.remove(0, newline + 1);
                const QString reply = console.execute(line);
                if (!reply.isEmpty())
                    std::printf("%s\n", reply.toLocal8Bit().constData());
                std::fflush(stdout);
            }
        });
    }

    // The first line of standard output is the port; scripts and tests read it.
    std::printf("%s\n", pty.portName().toLocal8Bit().constData());
    std::fflush(stdout);
    return app.exec();
}
