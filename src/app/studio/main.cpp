// qmt-studio: the desktop application.

#include "app/common/crashprotection.h"
#include "app/studio/demoprofile.h"
#include "gui/models/topicchartmodel.h"

#include "app/studio/statsreporter.h"
#include "core/module/modulecontroller.h"
#include "gui/applicationtranslations.h"
#include "gui/mainwindow.h"
#include "gui/models/payloadformatter.h"
#include "gui/models/serialportlistmodel.h"
#include "gui/panels/configpanel.h"
#include "gui/panels/portpanel.h"
#include "gui/profiles/profilemanager.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFontMetrics>
#include <QIcon>
#include <QScreen>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(qmt::Studio)
};

/// qmt-studio's options, described once: for the GUI, and for --help and --version, which need no display.
struct CommandLine
{
    QCommandLineParser parser;
    const QCommandLineOption port{QStringLiteral("port"),
                                  Tr::tr("Open this serial port or device path at start (ttyUSB0, /dev/pts/3 as "
                                         "qmt-sim or socat serve it; \"virtual\" for the built-in virtual "
                                         "BC660K-GL). The Port panel shows it, and remembers a path."),
                                  QStringLiteral("port")};
    const QCommandLineOption baud{QStringLiteral("baud"), Tr::tr("Baud rate (default 115200)."), QStringLiteral("rate"),
                                  QStringLiteral("115200")};
    const QCommandLineOption demo{QStringLiteral("demo"),
                                  Tr::tr("Start the demo profile: slot 0 on the broker of --broker, subscribed to "
                                         "demo/#, on the port of --port (qmt-sim's, a real module's) or else on "
                                         "the built-in virtual module.")};
    const QCommandLineOption broker{QStringLiteral("broker"), Tr::tr("Broker of the demo (default 127.0.0.1:1883)."),
                                    QStringLiteral("host:port"), QStringLiteral("127.0.0.1:1883")};
    const QCommandLineOption profile{QStringLiteral("profile"), Tr::tr("Load this saved profile and start it."),
                                     QStringLiteral("name")};
    const QCommandLineOption recovery{QStringLiteral("auto-recovery"), Tr::tr("Turn auto-recovery on.")};
    const QCommandLineOption reset{QStringLiteral("reset-layout"), Tr::tr("Start with the default panel layout.")};
    const QCommandLineOption quit{QStringLiteral("quit-after"), Tr::tr("Quit after this many milliseconds."),
                                  QStringLiteral("ms")};
    const QCommandLineOption shot{QStringLiteral("screenshot"),
                                  Tr::tr("Save a PNG of the window just before --quit-after ends it."),
                                  QStringLiteral("file")};
    const QCommandLineOption stats{QStringLiteral("stats"),
                                   Tr::tr("Append receive counters and the event loop's latency to this file four "
                                          "times a second, one JSON line each (for benchmarks)."),
                                   QStringLiteral("file")};
    const QCommandLineOption wizard{QStringLiteral("certificate-wizard"),
                                    Tr::tr("Open the certificate wizard at start (on the port of --port).")};

    CommandLine()
    {
        parser.setApplicationDescription(Tr::tr("Provisioning, certificate upload and live monitoring for the "
                                                "Quectel BC660K-GL's MQTT AT commands."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({port, baud, demo, broker, profile, recovery, reset, quit, shot, stats, wizard});
    }
};

void nameApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio"));
    QCoreApplication::setApplicationName(QStringLiteral("QMT Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QMT_VERSION));
}

bool asksForHelpOrVersion(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView a(argv[i]);
        if (a == "-h" || a == "-?" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    qmt::protectSecretsFromCrashes();       // before anything secret is in memory
    if (asksForHelpOrVersion(argc, argv)) { // answered without a display, as on a headless machine
        QCoreApplication core(argc, argv);
        nameApplication();
        qmt::installApplicationTranslations(core);
        CommandLine().parser.process(core); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    nameApplication();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/qmt/icons/qmt-studio.svg")));
    QApplication::setDesktopFileName(QStringLiteral("qmt-studio"));
    qmt::installApplicationTranslations(app);
    // A font without the Control Pictures block (DejaVu Sans, Debian's default) draws ␍␊ as empty boxes.
    if (!QFontMetrics(QApplication::font()).inFontUcs4(0x240D))
        qmt::PayloadFormatter::setControlStyle(qmt::PayloadFormatter::ControlStyle::Names);

    CommandLine cli;
    cli.parser.process(app);

    qmt::MainWindow window;
    if (cli.parser.isSet(cli.reset))
        window.resetLayout();
    window.show();
    std::unique_ptr<qmt::StatsReporter> stats;
    if (cli.parser.isSet(cli.stats)) {
        stats = std::make_unique<qmt::StatsReporter>(window, cli.parser.value(cli.stats));
        if (!stats->isOpen()) {
            std::fprintf(
                stderr, "%s\n",
                qPrintable(
                    Tr::tr("qmt-studio: cannot write %1: %2").arg(cli.parser.value(cli.stats), stats->errorString())));
            return 2;
        }
    }

    const qint32 baud = cli.parser.value(cli.baud).toInt();
    QString port = cli.parser.value(cli.port);
    if (port == QLatin1String("virtual") || (port.isEmpty() && cli.parser.isSet(cli.demo)))
        port = qmt::SerialPortListModel::VirtualPortName;
    if (!port.isEmpty() && !window.portPanel().openPort(port, baud))
        std::fprintf(stderr, "%s\n", qPrintable(Tr::tr("qmt-studio: cannot open %1").arg(port)));

    if (cli.parser.isSet(cli.demo)) {
        const QString broker = cli.parser.value(cli.broker);
        const qsizetype colon = broker.lastIndexOf(QLatin1Char(':'));
        const int brokerPort = colon > 0 ? broker.mid(colon + 1).toInt() : 1883;
        if (brokerPort < 1 || brokerPort > 65535) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(Tr::tr("qmt-studio: --broker must be host:port with a port 1–65535; "
                                           "got \"%1\"")
                                        .arg(broker)));
            return 2;
        }
        window.profileManager().setProfile(
            qmt::demoProfile(broker.left(colon > 0 ? colon : broker.size()).toUtf8(), brokerPort));
        window.profileManager().start();
        window.charts().watch(qmt::DemoChartedTopic); // the Charts tab has a line to show from the start
    } else if (cli.parser.isSet(cli.profile)) {
        if (!window.profileManager().switchTo(cli.parser.value(cli.profile))) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(Tr::tr("qmt-studio: no profile named \"%1\"").arg(cli.parser.value(cli.profile))));
            return 2;
        }
        window.profileManager().start();
    }
    // After the profile, which may say otherwise: the command line's choice is this run's, and not an edit
    // of the profile that quitting would ask to save.
    if (cli.parser.isSet(cli.recovery) || cli.parser.isSet(cli.demo)) {
        window.controller().setAutoRecovery(true);
        window.profileManager().keepAsSaved();
    }

    if (cli.parser.isSet(cli.wizard))
        window.configPanel().openCertificateWizard();

    if (cli.parser.isSet(cli.quit)) {
        const QString shot = cli.parser.value(cli.shot);
        QTimer::singleShot(cli.parser.value(cli.quit).toInt(), &window, [&window, shot] {
            if (!shot.isEmpty())
                window.grab().save(shot);
            window.profileManager().keepAsSaved(); // a timed run ends without asking anyone
            window.close();
        });
    }
    return QApplication::exec();
}
