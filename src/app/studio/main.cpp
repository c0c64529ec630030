// qmt-studio: the desktop application.

#include "demoprofile.h"
#include "models/topicchartmodel.h"
#include "secrets/crashprotection.h"

#include "applicationtranslations.h"
#include "mainwindow.h"
#include "models/payloadformatter.h"
#include "models/serialportlistmodel.h"
#include "module/modulecontroller.h"
#include "module/profilestore.h"
#include "panels/configpanel.h"
#include "panels/portpanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFontMetrics>
#include <QIcon>
#include <QScreen>
#include <QTimer>

#include <cstdio>

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(qmt::Studio)
};

} // namespace

int main(int argc, char *argv[])
{
    qmt::protectSecretsFromCrashes(); // before anything secret is in memory
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("QMT Studio"));
    QApplication::setApplicationName(QStringLiteral("QMT Studio"));
    QApplication::setApplicationVersion(QStringLiteral(QMT_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/qmt/icons/qmt-studio.svg")));
    QApplication::setDesktopFileName(QStringLiteral("qmt-studio"));
    qmt::installApplicationTranslations(app);
    // A font without the Control Pictures block (DejaVu Sans, Debian's default) draws ␍␊ as empty boxes.
    if (!QFontMetrics(QApplication::font()).inFontUcs4(0x240D))
        qmt::PayloadFormatter::setControlStyle(qmt::PayloadFormatter::ControlStyle::Names);

    QCommandLineParser parser;
    parser.setApplicationDescription(Tr::tr("Provisioning, certificate upload and live monitoring for the Quectel "
                                            "BC660K-GL's MQTT AT commands."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        Tr::tr("Open this serial port at start (\"virtual\" for the built-in virtual "
                                               "BC660K-GL)."),
                                        QStringLiteral("name"));
    const QCommandLineOption baudOption(QStringLiteral("baud"), Tr::tr("Baud rate (default 115200)."),
                                        QStringLiteral("rate"), QStringLiteral("115200"));
    const QCommandLineOption demoOption(
        QStringLiteral("demo"), Tr::tr("Open the virtual module and start the demo profile: slot 0 on the broker "
                                       "of --broker, subscribed to demo/#."));
    const QCommandLineOption brokerOption(QStringLiteral("broker"),
                                          Tr::tr("Broker of the demo (default 127.0.0.1:1883)."),
                                          QStringLiteral("host:port"), QStringLiteral("127.0.0.1:1883"));
    const QCommandLineOption profileOption(QStringLiteral("profile"), Tr::tr("Load this saved profile and start it."),
                                           QStringLiteral("name"));
    const QCommandLineOption recoveryOption(QStringLiteral("auto-recovery"), Tr::tr("Turn auto-recovery on."));
    const QCommandLineOption resetOption(QStringLiteral("reset-layout"),
                                         Tr::tr("Start with the default panel layout."));
    const QCommandLineOption quitOption(QStringLiteral("quit-after"), Tr::tr("Quit after this many milliseconds."),
                                        QStringLiteral("ms"));
    const QCommandLineOption shotOption(QStringLiteral("screenshot"),
                                        Tr::tr("Save a PNG of the window just before --quit-after ends it."),
                                        QStringLiteral("file"));
    const QCommandLineOption wizardOption(QStringLiteral("certificate-wizard"),
                                          Tr::tr("Open the certificate wizard at start (on the port of --port)."));
    parser.addOptions({portOption, baudOption, demoOption, brokerOption, profileOption, recoveryOption, resetOption,
                       quitOption, shotOption, wizardOption});
    parser.process(app);

    qmt::MainWindow window;
    if (parser.isSet(resetOption))
        window.resetLayout();
    if (parser.isSet(recoveryOption) || parser.isSet(demoOption))
        window.controller().setAutoRecovery(true);
    window.show();

    const qint32 baud = parser.value(baudOption).toInt();
    QString port = parser.value(portOption);
    if (port == QLatin1String("virtual") || parser.isSet(demoOption))
        port = qmt::SerialPortListModel::VirtualPortName;
    if (!port.isEmpty() && !window.portPanel().openPort(port, baud))
        std::fprintf(stderr, "%s\n", qPrintable(Tr::tr("qmt-studio: cannot open %1").arg(port)));

    if (parser.isSet(demoOption)) {
        const QString broker = parser.value(brokerOption);
        const qsizetype colon = broker.lastIndexOf(QLatin1Char(':'));
        const int brokerPort = colon > 0 ? broker.mid(colon + 1).toInt() : 1883;
        if (brokerPort < 1 || brokerPort > 65535) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(Tr::tr("qmt-studio: --broker must be host:port with a port 1–65535; "
                                           "got \"%1\"")
                                        .arg(broker)));
            return 2;
        }
        window.configPanel().setProfile(
            qmt::demoProfile(broker.left(colon > 0 ? colon : broker.size()).toUtf8(), brokerPort));
        window.configPanel().startProfile();
        window.charts().watch(qmt::DemoChartedTopic); // the Charts tab has a line to show from the start
    } else if (parser.isSet(profileOption)) {
        const auto profile = qmt::ProfileStore().load(parser.value(profileOption));
        if (!profile) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(Tr::tr("qmt-studio: no profile named \"%1\"").arg(parser.value(profileOption))));
            return 2;
        }
        window.configPanel().setProfile(*profile);
        window.configPanel().startProfile();
    }

    if (parser.isSet(wizardOption))
        window.configPanel().openCertificateWizard();

    if (parser.isSet(quitOption)) {
        const QString shot = parser.value(shotOption);
        QTimer::singleShot(parser.value(quitOption).toInt(), &window, [&window, shot] {
            if (!shot.isEmpty())
                window.grab().save(shot);
            window.close();
        });
    }
    return QApplication::exec();
}
