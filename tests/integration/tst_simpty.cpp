// qmt-sim, the command-line face of the virtual module: its pseudo-terminal opened with QSerialPort (as
// QMT Studio does) and with picocom, its options, signals and fault console.

#include "core/at/atchannel.h"
#include "core/qmt/qmtcommands.h"
#include "mosquittobroker.h"
#include "mosquittosubscriber.h"
#include "sim/moduletimings.h"
#include "simsession.h"

#include "fakepem.h"

#include <QFileInfo>
#include <QProcess>
#include <QSerialPort>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace qmt;
using namespace qmt::test;

namespace {

/// qmt-sim running as a child process, its port open with QSerialPort under the project's AtChannel.
class SimProgram
{
public:
    explicit SimProgram(QStringList arguments) { m_process.start(QStringLiteral(QMT_SIM_PROGRAM), arguments); }
    ~SimProgram()
    {
        m_channel.setDevice(nullptr);
        m_port.close();
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
        }
    }

    /// Reads the port name (the first line of output) and opens it.
    bool openPort(QString *error)
    {
        if (!QTest::qWaitFor([this] { return m_process.canReadLine() || m_process.state() == QProcess::NotRunning; },
                             10'000) ||
            !m_process.canReadLine()) {
            *error = QStringLiteral("qmt-sim printed no port: %1")
                         .arg(QString::fromLocal8Bit(m_process.readAllStandardError()));
            return false;
        }
        m_portName = QString::fromLocal8Bit(m_process.readLine().trimmed());
        m_port.setPortName(m_portName);
        m_port.setBaudRate(QSerialPort::Baud115200);
        if (!m_port.open(QIODevice::ReadWrite)) {
            *error = QStringLiteral("cannot open %1: %2").arg(m_portName, m_port.errorString());
            return false;
        }
        m_channel.setDevice(&m_port);
        // The host keeps to the AT manual's 500 ms wait after the prompt, as QMT Studio does (a margin more:
        // the channel's coarse timer may fire a little early).
        m_channel.setDataModeSettleMs(sim::ModuleTimings{}.dataModeSettleMs + 50);
        QObject::connect(&m_channel, &AtChannel::urcReceived, [this](const AtLine &line) { m_urcs.append(line.text); });
        return true;
    }

    AtReply run(const AtCommand &command)
    {
        std::optional<AtReply> reply;
        const quint64 id = m_channel.submit(command);
        const auto connection = QObject::connect(&m_channel, &AtChannel::commandFinished, [&](const AtReply &r) {
            if (r.id == id)
                reply = r;
        });
        [[maybe_unused]] const bool done =
            QTest::qWaitFor([&] { return reply.has_value(); }, command.timeoutMs + 10'000);
        QObject::disconnect(connection);
        return reply.value_or(AtReply{});
    }
    AtReply send(const QByteArray &text, int timeoutMs = 2000)
    {
        AtCommand command;
        command.text = text;
        command.timeoutMs = timeoutMs;
        return run(command);
    }
    bool waitForUrc(const QByteArray &line, int ms = 10'000)
    {
        return QTest::qWaitFor([&] { return m_urcs.contains(line); }, ms);
    }

    QProcess m_process;
    QSerialPort m_port;
    AtChannel m_channel;
    QmtCommands m_commands;
    QString m_portName;
    QList<QByteArray> m_urcs;
};

} // namespace

class SimPtyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void helpDocumentsEveryOption_data();
    void helpDocumentsEveryOption();
    void badOptionValuesAreRefused_data();
    void badOptionValuesAreRefused();
    void hostCodeDrivesAnMqttSessionThroughThePort();
    void picocomCanOpenThePortAndGetAnswers();
    void portCanBeClosedAndOpenedAgain();
    void signalsRebootTheModuleAndStopTheProgram();
    void faultConsoleOnStandardInputSwallowsAResponse();
    void earlyDataIsTakenUnlessLosingItIsAskedFor();
    void verboseTraceShowsTheDialogueWithoutItsSecrets();
    void verboseTraceHoldsNoSecretTypedByteByByte();

private:
    quint16 m_brokerPort = 0;
};

void SimPtyTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_simpty"));
    m_brokerPort = MosquittoBroker::sharedBrokerPort();
    QVERIFY2(m_brokerPort != 0, "the sim_broker fixture did not start (QMT_TEST_BROKER_DIR)");
}

void SimPtyTest::helpDocumentsEveryOption_data()
{
    QTest::addColumn<QString>("option");
    for (const char *option : {"--broker",        "--tls-broker",      "--baud",         "--latency",
                               "--swallow-every", "--garbage-every",   "--garbage",      "--drop-broker-after",
                               "--reboot-after",  "--reboot-on",       "--sleep",        "--sleep-after",
                               "--settle",        "--data-timeout",    "--boot-time",    "--registration-time",
                               "--link",          "--control",         "--verbose",      "--help",
                               "--version",       "--lose-early-data", "--network-delay"})
        QTest::newRow(option) << QString::fromLatin1(option);
}

void SimPtyTest::helpDocumentsEveryOption()
{
    QFETCH(QString, option);
    QProcess process;
    process.start(QStringLiteral(QMT_SIM_PROGRAM), {QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(10'000));
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromLocal8Bit(process.readAllStandardOutput());
    // The option, followed on its line by a description.
    qsizetype at = -1;
    for (const QString &before : {QStringLiteral("  "), QStringLiteral(", ")}) {
        for (const QString &after : {QStringLiteral(" "), QStringLiteral(" <")}) {
            if (at < 0 && !(option == QLatin1String("--garbage") && after == QLatin1String(" ")))
                at = help.indexOf(before + option + after);
        }
    }
    QVERIFY2(at >= 0, qPrintable(help));
    const QString line = help.mid(at, help.indexOf(QLatin1Char('\n'), at) - at);
    QVERIFY2(line.simplified().split(QLatin1Char(' ')).size() > 2, qPrintable(line));
}

void SimPtyTest::badOptionValuesAreRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("unsupported baud rate") << QStringList{QStringLiteral("--baud"), QStringLiteral("1234")};
    QTest::newRow("negative latency") << QStringList{QStringLiteral("--latency"), QStringLiteral("-5")};
    QTest::newRow("broker port out of range")
        << QStringList{QStringLiteral("--broker"), QStringLiteral("localhost:70000")};
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--no-such-option")};
}

void SimPtyTest::badOptionValuesAreRefused()
{
    QFETCH(QStringList, arguments);
    QProcess process;
    process.start(QStringLiteral(QMT_SIM_PROGRAM), arguments);
    QVERIFY(process.waitForFinished(10'000));
    QVERIFY(process.exitCode() != 0);
    QVERIFY(process.readAllStandardOutput().isEmpty()); // no port was opened
    QVERIFY(!process.readAllStandardError().isEmpty());
}

void SimPtyTest::hostCodeDrivesAnMqttSessionThroughThePort()
{
    SimProgram sim({QStringLiteral("--broker"), QStringLiteral("127.0.0.1:%1").arg(m_brokerPort)});
    QString error;
    QVERIFY2(sim.openPort(&error), qPrintable(error));
    QVERIFY(sim.send("ATE0").ok());
    QCOMPARE(sim.send("ATI").lines,
             (QList<QByteArray>{"Quectel_Ltd", "Quectel_BC660K-GL", "Revision: BC660KGLAAR01A05"}));

    const QByteArray topic = uniqueName("sim/pty");
    MosquittoSubscriber subscriber(m_brokerPort, topic);
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    // The host name is the note's; --broker sends the connection to the local mosquitto.
    const AtReply open =
        sim.run(sim.m_commands.open(0, "oyjtmPl5a5j.iot-as-mqtt.cn-shanghai.aliyuncs.com", 1883).value());
    QCOMPARE(open.resultLine(), QByteArray("+QMTOPEN: 0,0"));
    // qmt-sim answers as an NB-IoT network does by default: a round trip of 300 ms after the OK.
    QVERIFY2(open.elapsedMs >= 300, qPrintable(QString::number(open.elapsedMs)));
    QCOMPARE(sim.run(sim.m_commands.conn(0, uniqueName("pty")).value()).resultLine(), QByteArray("+QMTCONN: 0,0,0"));
    Publish message{0, 11, 1, false, topic, QByteArray("binary\r\n\x00\x1a", 10), PublishForm::FixedLength};
    QCOMPARE(sim.run(sim.m_commands.publish(message).value()).resultLine(), QByteArray("+QMTPUB: 0,11,0"));
    QVERIFY(subscriber.waitForMessages(1));
    QCOMPARE(subscriber.messages().constFirst().payload, message.payload);
}

void SimPtyTest::picocomCanOpenThePortAndGetAnswers()
{
    if (QByteArray(QMT_PICOCOM).isEmpty())
        QSKIP("picocom is not installed");
    QProcess sim;
    sim.start(QStringLiteral(QMT_SIM_PROGRAM), {});
    QVERIFY(sim.waitForReadyRead(10'000));
    const QString port = QString::fromLocal8Bit(sim.readLine().trimmed());
    QProcess picocom;
    picocom.setStandardInputFile(QProcess::nullDevice());
    // --initstring types the command; --exit-after leaves once the line has been quiet for 1.5 s.
    picocom.start(QStringLiteral(QMT_PICOCOM),
                  {QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("115200"), QStringLiteral("-x"),
                   QStringLiteral("1500"), QStringLiteral("-t"), QStringLiteral("ATI\r"), port});
    QVERIFY(picocom.waitForFinished(15'000));
    const QByteArray output = picocom.readAllStandardOutput();
    QVERIFY2(picocom.exitCode() == 0, picocom.readAllStandardError().constData());
    QVERIFY2(output.contains("ATI\r\r\nQuectel_Ltd\r\nQuectel_BC660K-GL\r\nRevision: BC660KGLAAR01A05\r\n\r\nOK\r\n"),
             output.constData());
    sim.terminate();
    QVERIFY(sim.waitForFinished(5000));
}

void SimPtyTest::portCanBeClosedAndOpenedAgain()
{
    QTemporaryDir dir;
    const QString link = dir.filePath(QStringLiteral("qmt-sim"));
    SimProgram sim({QStringLiteral("--link"), link});
    QString error;
    QVERIFY2(sim.openPort(&error), qPrintable(error));
    QCOMPARE(QFileInfo(link).symLinkTarget(), sim.m_portName);
    QVERIFY(sim.send("AT").ok());
    sim.m_channel.setDevice(nullptr);
    sim.m_port.close();
    // Opened again through the link, the line starts clean: nothing of the last session is waiting.
    sim.m_port.setPortName(link);
    QVERIFY(sim.m_port.open(QIODevice::ReadWrite));
    sim.m_channel.setDevice(&sim.m_port);
    QTRY_VERIFY_WITH_TIMEOUT(sim.send("AT", 500).ok(), 5000);
    QCOMPARE(sim.send("AT+CSQ").lines, QList<QByteArray>{"+CSQ: 10,0"});
    sim.m_process.terminate();
    QVERIFY(sim.m_process.waitForFinished(5000));
    QVERIFY2(!QFileInfo::exists(link) && !QFileInfo(link).isSymLink(), "the link outlived the program");
}

void SimPtyTest::signalsRebootTheModuleAndStopTheProgram()
{
    SimProgram sim({QStringLiteral("--boot-time"), QStringLiteral("100")});
    QString error;
    QVERIFY2(sim.openPort(&error), qPrintable(error));
    QVERIFY(sim.send("AT").ok());
    ::kill(pid_t(sim.m_process.processId()), SIGUSR2);
    QVERIFY(sim.waitForUrc("RDY"));
    QVERIFY(sim.waitForUrc("+CFUN: 1"));
    ::kill(pid_t(sim.m_process.processId()), SIGTERM);
    QVERIFY(sim.m_process.waitForFinished(5000));
    QCOMPARE(sim.m_process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sim.m_process.exitCode(), 0);
}

void SimPtyTest::faultConsoleOnStandardInputSwallowsAResponse()
{
    SimProgram sim({QStringLiteral("--control")});
    QString error;
    QVERIFY2(sim.openPort(&error), qPrintable(error));
    QVERIFY(sim.send("AT").ok());
    sim.m_process.write("swallow 1\n");
    QVERIFY(QTest::qWaitFor([&] { return sim.m_process.canReadLine(); }, 5000));
    QVERIFY(sim.m_process.readLine().contains("swallow"));
    QCOMPARE(sim.send("AT", 500).status, ReplyStatus::Timeout);
    QVERIFY(sim.send("AT").ok());
}

void SimPtyTest::earlyDataIsTakenUnlessLosingItIsAskedFor()
{
    SimProgram sim({QStringLiteral("--lose-early-data"), QStringLiteral("--settle"), QStringLiteral("1000"),
                    QStringLiteral("--control")});
    QString error;
    QVERIFY2(sim.openPort(&error), qPrintable(error));
    QVERIFY(sim.send("ATE0").ok());
    sim.m_channel.setDevice(nullptr); // the bytes go as a host that does not wait after the prompt sends them
    QByteArray wire;
    const auto waitFor = [&](const QByteArray &text, int ms) {
        return QTest::qWaitFor(
            [&] {
                wire += sim.m_port.readAll();
                return wire.contains(text);
            },
            ms);
    };
    const auto upload = [&](const QByteArray &data) {
        wire.clear();
        sim.m_port.write("AT+QSSLCFG=0,0,\"cacert\"\r");
        if (!waitFor("> ", 5000))
            return false;
        sim.m_port.write(data);
        return true;
    };
    // Lost within the settle time, Ctrl+Z included: no answer, until data comes after it.
    QVERIFY(upload("EARLY\x1a"));
    QVERIFY2(!waitFor("+QSSLCFG:", 1500), wire.constData());
    sim.m_port.write("LATE\x1a");
    QVERIFY2(waitFor("+QSSLCFG: 0,0,\"cacert\",4", 5000), wire.constData());
    // Switched off at run time: taken at once.
    sim.m_process.write("early-data keep\n");
    QVERIFY(QTest::qWaitFor([&] { return sim.m_process.canReadLine(); }, 5000));
    QVERIFY(sim.m_process.readLine().contains("taken"));
    QVERIFY(upload("AT ONCE\x1a"));
    QVERIFY2(waitFor("+QSSLCFG: 0,0,\"cacert\",7", 5000), wire.constData());
}

namespace {

/// Stops the program and returns everything it wrote on standard error.
QByteArray stopAndReadTrace(QProcess &process)
{
    process.terminate();
    process.waitForFinished(5000);
    return process.readAllStandardError();
}

} // namespace

void SimPtyTest::verboseTraceShowsTheDialogueWithoutItsSecrets()
{
    SimProgram sim(
        {QStringLiteral("--verbose"), QStringLiteral("--broker"), QStringLiteral("127.0.0.1:%1").arg(m_brokerPort)});
    QString error;
    QVERIFY2(sim.openPort(&error), qPrintable(error));
    QVERIFY(sim.send("ATE1").ok()); // the module echoes every secret back
    QVERIFY(sim.send(R"(AT+QMTCFG="aliauth",0,"pk1","dev1","DeviceSecret-7f3a")").ok());
    const AtReply query = sim.send(R"(AT+QMTCFG="aliauth",0)");
    QVERIFY(query.ok());
    QVERIFY(query.lines.constFirst().contains("DeviceSecret-7f3a")); // the host does get it
    const QByteArray pem = test::fakePrivateKey("KeyMaterial-c0ffee");
    QVERIFY(sim.run(sim.m_commands.sslUpload(SslItem::ClientKey, pem).value()).ok());
    QCOMPARE(sim.run(sim.m_commands.open(0, "127.0.0.1", m_brokerPort).value()).resultLine(),
             QByteArray("+QMTOPEN: 0,0"));
    sim.send(R"(AT+QMTCONN=0,"trace","user","Passw0rd-9b1d")", 10'000);
    QVERIFY(sim.waitForUrc("+QMTCONN: 0,0,0")); // the broker's answer comes a network round trip later
    Publish message{0, 0, 0, false, "trace/topic", "visible-payload", PublishForm::FixedLength};
    sim.run(sim.m_commands.publish(message).value());

    const QByteArray trace = stopAndReadTrace(sim.m_process);
    for (const QByteArray &secret : {QByteArray("DeviceSecret-7f3a"), QByteArray("KeyMaterial-c0ffee"),
                                     test::fakeKeyLine("BEGIN").mid(5, 17), QByteArray("Passw0rd-9b1d")})
        QVERIFY2(!trace.contains(secret), trace.constData());
    // The rest of the dialogue is there, both ways, with the places of the secrets marked.
    QVERIFY2(trace.contains(R"(host > AT+QMTCFG="aliauth",0,"pk1","dev1","<redacted, 17 bytes>")"), trace.constData());
    QVERIFY2(trace.contains(R"(<LF>+QMTCFG: "pk1","dev1","<redacted, 17 bytes>")"), trace.constData());
    QVERIFY2(trace.contains(R"(AT+QMTCONN=0,"trace","user","<redacted, 13 bytes>")"), trace.constData());
    QVERIFY2(trace.contains("<redacted, " + QByteArray::number(pem.size()) + " bytes><1a>"), trace.constData());
    QVERIFY2(trace.contains("visible-payload"), trace.constData());
    QVERIFY2(trace.contains("module < <CR><LF>+QMTOPEN: 0,0"), trace.constData());
}

void SimPtyTest::verboseTraceHoldsNoSecretTypedByteByByte()
{
    // A terminal program sends each key as it is typed, and the module echoes each byte by itself.
    QProcess process;
    process.start(QStringLiteral(QMT_SIM_PROGRAM), {QStringLiteral("--verbose")});
    QVERIFY(QTest::qWaitFor([&] { return process.canReadLine(); }, 10'000));
    QSerialPort port;
    port.setPortName(QString::fromLocal8Bit(process.readLine().trimmed()));
    QVERIFY(port.open(QIODevice::ReadWrite));
    const auto type = [&port](const QByteArray &keys) {
        for (const char key : keys) {
            port.write(&key, 1);
            QTest::qWait(2);
        }
    };
    QByteArray answers;
    QObject::connect(&port, &QSerialPort::readyRead, [&] { answers += port.readAll(); });
    type("AT+QMTCONN=0,\"c\",\"u\",\"Typed-Secret-4242\"\r");
    QVERIFY(QTest::qWaitFor([&] { return answers.contains("ERROR"); }, 5000)); // no connection open
    type("AT+QSSLCFG=0,0,\"clientkey\"\r");
    QVERIFY(QTest::qWaitFor([&] { return answers.contains(">"); }, 5000));
    QTest::qWait(600); // the module ignores what arrives in the first 500 ms after its prompt
    type("Typed-Key-Bytes\x1a");
    QVERIFY(QTest::qWaitFor([&] { return answers.count("OK") >= 1; }, 5000));
    type("ATI\r");
    QVERIFY(QTest::qWaitFor([&] { return answers.contains("Quectel_BC660K-GL"); }, 5000));
    port.close();

    const QByteArray trace = stopAndReadTrace(process);
    QVERIFY2(!trace.contains("Typed-Secret-4242") && !trace.contains("Typed-Key-Bytes"), trace.constData());
    QVERIFY2(trace.contains(R"(host > AT+QMTCONN=0,"c","u","<redacted, 17 bytes>")"), trace.constData());
    QVERIFY2(trace.contains("host > <redacted, 15 bytes><1a>"), trace.constData());
    QVERIFY2(trace.contains(R"(+QSSLCFG: 0,0,"clientkey",15)"), trace.constData());
    QVERIFY2(trace.contains("host > ATI<CR>"), trace.constData());
}

QTEST_GUILESS_MAIN(SimPtyTest)
#include "tst_simpty.moc"
