// The virtual module's side of the AT dialogue: echo, result codes, general commands, AT+QMTCFG, test
// forms, data mode, URC hold-back, reboot, sleep and the line faults — driven through the project's
// AtChannel, or byte by byte where the exact wire matters.

#include "core/qmt/qmtcommands.h"
#include "mosquittobroker.h"
#include "sim/faultconsole.h"
#include "sim/virtualmodule.h"
#include "simsession.h"

#include <QSignalSpy>
#include <QTest>

using namespace qmt;
using namespace qmt::test;

namespace {

/// A virtual module on its own, for tests that look at exact bytes on the wire.
class RawModule
{
public:
    RawModule()
    {
        QObject::connect(&module, &sim::VirtualModule::transmit, [this](const QByteArray &b) { wire += b; });
    }
    void type(const QByteArray &bytes) { module.receive(bytes); }
    bool waitFor(const QByteArray &bytes, int ms = 5000)
    {
        return QTest::qWaitFor([&] { return wire.contains(bytes); }, ms);
    }

    sim::VirtualModule module;
    QByteArray wire;
};

QByteArray cmeCode(const AtReply &reply)
{
    return reply.finalLine;
}

} // namespace

class SimAtDialogueTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void echoEndsWithCarriageReturnOnlyAndCanBeSwitchedOff();
    void generalCommandsAnswerAsTheModuleDoes_data();
    void generalCommandsAnswerAsTheModuleDoes();
    void chainedCommandsShareOneFinalResult();
    void networkSetUpOfAHostLibraryIsAnswered();
    void pdpContextsAreDefinedActivatedAndReadBack();
    void operatorSelectionBandsAndCregChangeRegistration();
    void qmtcfgQueriesShowTheNoteDefaults_data();
    void qmtcfgQueriesShowTheNoteDefaults();
    void qmtcfgSettingsAreReadBack_data();
    void qmtcfgSettingsAreReadBack();
    void valuesOutsideTheNoteRangesAreRefused_data();
    void valuesOutsideTheNoteRangesAreRefused();
    void testFormsShowTheNoteRanges_data();
    void testFormsShowTheNoteRanges();
    void optionsThatMustPrecedeOpenAreRefusedOnAnOpenSlot_data();
    void optionsThatMustPrecedeOpenAreRefusedOnAnOpenSlot();
    void cmeErrorsFollowTheCmeeMode();
    void overlongCommandLineIsAnsweredWithError();
    void promptIsCrLfGreaterThanSpaceAndDataMayFollowAtOnce();
    void bytesBeforeDataModeBeginsAreLostAsAFault();
    void escCancelsDataModeAndNothingIsStored();
    void dataModeEndsAfterTheIdleTime();
    void urcsAreHeldBackWhileInDataMode();
    void sslSettingsAreReadBackAndForgottenOnReboot();
    void sslDebugAndDtlsSettingsAndTheQueryOfAllAnswerAsTheSslNoteShows();
    void rebootPrintsRdyCfunAndForgetsMqttSettings();
    void sleepingModuleLosesTheFirstCommandAfterIdle();
    void latencyDelaysEveryResponse();
    void swallowedResponseTimesTheCommandOut();
    void garbageBetweenLinesReachesTheHostAndCommandsStillComplete();
    void baudRateCapPacesTheLine();
    void rebootAtAChosenCommandCutsItsResultOff();
    void rebootAfterAChosenTime();
    void faultConsoleSetsTheNetworkDelayAndEarlyDataLoss();

private:
    /// AT+QRST=1 with a short boot and registration, until +CFUN: 1.
    bool rebootQuickly();

    std::unique_ptr<SimSession> m_session;
    quint16 m_brokerPort = 0;
};

void SimAtDialogueTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_simatdialogue"));
    m_brokerPort = MosquittoBroker::sharedBrokerPort();
    QVERIFY2(m_brokerPort != 0, "the sim_broker fixture did not start (QMT_TEST_BROKER_DIR)");
}

void SimAtDialogueTest::init()
{
    m_session = std::make_unique<SimSession>();
}

void SimAtDialogueTest::cleanup()
{
    m_session.reset();
}

bool SimAtDialogueTest::rebootQuickly()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.bootMs = 100;
    timings.registrationMs = 100;
    m_session->module().setTimings(timings);
    return m_session->send("AT+QRST=1").ok() && !m_session->takeUrc("+CFUN: 1").isEmpty();
}

void SimAtDialogueTest::echoEndsWithCarriageReturnOnlyAndCanBeSwitchedOff()
{
    QVERIFY(m_session->send("AT").ok());
    QCOMPARE(m_session->wire(), QByteArray("AT\r\r\nOK\r\n"));
    m_session->clearWire();
    QVERIFY(m_session->send("ATE0").ok());
    QCOMPARE(m_session->wire(), QByteArray("ATE0\r\r\nOK\r\n"));
    m_session->clearWire();
    QVERIFY(m_session->send("AT").ok());
    QCOMPARE(m_session->wire(), QByteArray("\r\nOK\r\n"));
    m_session->clearWire();
    QVERIFY(m_session->send("ATE1").ok());
    QVERIFY(m_session->send("AT+CSQ").ok());
    QCOMPARE(m_session->wire(), QByteArray("\r\nOK\r\nAT+CSQ\r\r\n+CSQ: 10,0\r\n\r\nOK\r\n"));
}

void SimAtDialogueTest::generalCommandsAnswerAsTheModuleDoes_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QByteArray>("final");

    const QByteArray ok = "OK";
    const QByteArray error = "ERROR";
    QTest::newRow("AT") << QByteArray("AT") << QList<QByteArray>{} << ok;
    QTest::newRow("ATI") << QByteArray("ATI")
                         << QList<QByteArray>{"Quectel_Ltd", "Quectel_BC660K-GL", "Revision: BC660KGLAAR01A05"} << ok;
    QTest::newRow("AT+CGMR") << QByteArray("AT+CGMR") << QList<QByteArray>{"Revision: BC660KGLAAR01A05"} << ok;
    QTest::newRow("AT+CGSN=1") << QByteArray("AT+CGSN=1") << QList<QByteArray>{"+CGSN: 866000000000003"} << ok;
    QTest::newRow("AT+CPIN?") << QByteArray("AT+CPIN?") << QList<QByteArray>{"+CPIN: READY"} << ok;
    QTest::newRow("AT+QCCID") << QByteArray("AT+QCCID") << QList<QByteArray>{"+QCCID: 89001010000000000018"} << ok;
    QTest::newRow("AT+CIMI") << QByteArray("AT+CIMI") << QList<QByteArray>{"001010000000001"} << ok;
    QTest::newRow("AT+CEREG?") << QByteArray("AT+CEREG?") << QList<QByteArray>{"+CEREG: 0,1"} << ok;
    QTest::newRow("AT+CESQ") << QByteArray("AT+CESQ") << QList<QByteArray>{"+CESQ: 99,99,255,255,26,81"} << ok;
    QTest::newRow("AT+CSQ") << QByteArray("AT+CSQ") << QList<QByteArray>{"+CSQ: 10,0"} << ok;
    QTest::newRow("AT+QENG=0") << QByteArray("AT+QENG=0")
                               << QList<QByteArray>{"+QENG: 0,3734,0,301,\"0B2C4A01\",-60,-7,-53,12,8,\"6216\",0,10,1"}
                               << ok;
    QTest::newRow("AT+CGPADDR=0") << QByteArray("AT+CGPADDR=0") << QList<QByteArray>{"+CGPADDR: 0,\"10.0.0.7\""} << ok;
    QTest::newRow("AT+CGPADDR=1 has no address")
        << QByteArray("AT+CGPADDR=1") << QList<QByteArray>{"+CGPADDR: 1"} << ok;
    QTest::newRow("AT+CGATT?") << QByteArray("AT+CGATT?") << QList<QByteArray>{"+CGATT: 1"} << ok;
    QTest::newRow("AT+CFUN?") << QByteArray("AT+CFUN?") << QList<QByteArray>{"+CFUN: 1"} << ok;
    QTest::newRow("AT+QSCLK? after boot") << QByteArray("AT+QSCLK?") << QList<QByteArray>{"+QSCLK: 1"} << ok;
    QTest::newRow("AT+QSCLK=0") << QByteArray("AT+QSCLK=0") << QList<QByteArray>{} << ok;
    QTest::newRow("AT+QSCLK=3") << QByteArray("AT+QSCLK=3") << QList<QByteArray>{} << QByteArray("+CME ERROR: 8507");
    // What hosts set the network up with (BC660K AT manual 4.5, 5.1, 5.4, 5.6, 7.2, 7.5; protocol-notes §9.1, §11.1).
    QTest::newRow("AT+COPS?") << QByteArray("AT+COPS?") << QList<QByteArray>{"+COPS: 0,2,\"00101\",9"} << ok;
    QTest::newRow("AT+COPS=?") << QByteArray("AT+COPS=?")
                               << QList<QByteArray>{"+COPS: (2,\"Test PLMN 1-1\",\"Test\",\"00101\",9),,(0-4),(0-2)"}
                               << ok;
    QTest::newRow("AT+COPS=0") << QByteArray("AT+COPS=0") << QList<QByteArray>{} << ok;
    QTest::newRow("AT+CREG?") << QByteArray("AT+CREG?") << QList<QByteArray>{"+CREG: 0,6"} << ok;
    QTest::newRow("AT+CREG=?") << QByteArray("AT+CREG=?") << QList<QByteArray>{"+CREG: (0-3)"} << ok;
    QTest::newRow("AT+QBAND?") << QByteArray("AT+QBAND?")
                               << QList<QByteArray>{"+QBAND: 1,2,3,4,5,8,12,13,17,18,19,20,25,28,66,70,85"} << ok;
    QTest::newRow("AT+QBAND=?") << QByteArray("AT+QBAND=?")
                                << QList<QByteArray>{"+QBAND: (0-17),(1,2,3,4,5,8,12,13,17,18,19,20,25,28,66,70,85)"}
                                << ok;
    QTest::newRow("AT+CGDCONT?") << QByteArray("AT+CGDCONT?")
                                 << QList<QByteArray>{"+CGDCONT: 0,\"IP\",\"NBIOT.TEST\",\"10.0.0.7\""} << ok;
    QTest::newRow("AT+CGDCONT=?") << QByteArray("AT+CGDCONT=?")
                                  << QList<QByteArray>{"+CGDCONT: "
                                                       "(0-10),(\"IP\",\"IPV6\",\"IPV4V6\",\"Non-IP\"),,,,,(0,1),(0-3),"
                                                       "(0-2),(0,1),(0,1),(0,1),(0,1),("
                                                       "0,1),(0,1),(0,1)"}
                                  << ok;
    QTest::newRow("AT+QCGDEFCONT?") << QByteArray("AT+QCGDEFCONT?") << QList<QByteArray>{"+QCGDEFCONT: \"IP\""} << ok;
    QTest::newRow("AT+QCGDEFCONT=?") << QByteArray("AT+QCGDEFCONT=?")
                                     << QList<QByteArray>{"+QCGDEFCONT: (\"IP\",\"IPV6\",\"IPV4V6\",\"Non-IP\")"} << ok;
    QTest::newRow("AT+QCGDEFCONT=\"IP\",\"iot.example\"")
        << QByteArray("AT+QCGDEFCONT=\"IP\",\"iot.example\"") << QList<QByteArray>{} << ok;
    QTest::newRow("AT+CGACT?") << QByteArray("AT+CGACT?") << QList<QByteArray>{"+CGACT: 0,1"} << ok;
    QTest::newRow("AT+CGACT=?") << QByteArray("AT+CGACT=?") << QList<QByteArray>{"+CGACT: (0,1)"} << ok;
    QTest::newRow("AT+CGACT=1,0 of the active default") << QByteArray("AT+CGACT=1,0") << QList<QByteArray>{} << ok;
    QTest::newRow("AT+CGACT=0,0 of the last PDN") << QByteArray("AT+CGACT=0,0") << QList<QByteArray>{} << error;
    QTest::newRow("lower case") << QByteArray("at+csq") << QList<QByteArray>{"+CSQ: 10,0"} << ok;
    QTest::newRow("unsupported AT+QTEMP") << QByteArray("AT+QTEMP") << QList<QByteArray>{} << error;
    QTest::newRow("unknown extended") << QByteArray("AT+NOSUCH=1") << QList<QByteArray>{} << error;
    QTest::newRow("unknown basic") << QByteArray("ATX") << QList<QByteArray>{} << error;
    QTest::newRow("read form of an action") << QByteArray("AT+CIMI?") << QList<QByteArray>{} << error;
}

void SimAtDialogueTest::generalCommandsAnswerAsTheModuleDoes()
{
    QFETCH(QByteArray, command);
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QByteArray, final);
    const AtReply reply = m_session->send(command);
    QCOMPARE(reply.finalLine, final);
    QCOMPARE(reply.lines, lines);
}

void SimAtDialogueTest::chainedCommandsShareOneFinalResult()
{
    QVERIFY(m_session->send("ATE0").ok());
    m_session->clearWire();
    QVERIFY(m_session->send("AT+CSQ;+CGATT?").ok());
    QCOMPARE(m_session->wire(), QByteArray("\r\n+CSQ: 10,0\r\n+CGATT: 1\r\n\r\nOK\r\n"));
    m_session->clearWire();
    QCOMPARE(m_session->send("AT+CSQ;+NOSUCH").finalLine, QByteArray("ERROR"));
    QCOMPARE(m_session->wire(), QByteArray("\r\n+CSQ: 10,0\r\n\r\nERROR\r\n"));
}

void SimAtDialogueTest::networkSetUpOfAHostLibraryIsAnswered()
{
    // protocol-notes §11.1: a library that works on the real module sets the network up in this order, and
    // the default context's APN takes effect after a reboot (AT manual 5.6).
    QVERIFY(m_session->send("AT+COPS=0").ok());
    QVERIFY(m_session->send("AT+QCGDEFCONT=\"IP\",\"iot.example\"").ok());
    QCOMPARE(m_session->send("AT+CGDCONT?").lines, QList<QByteArray>{"+CGDCONT: 0,\"IP\",\"NBIOT.TEST\",\"10.0.0.7\""});
    QVERIFY(m_session->send("AT+CGATT=1").ok());
    QCOMPARE(m_session->send("AT+CEREG?").lines, QList<QByteArray>{"+CEREG: 0,1"});
    QCOMPARE(m_session->send("AT+CGPADDR=0").lines, QList<QByteArray>{"+CGPADDR: 0,\"10.0.0.7\""});
    QVERIFY(m_session->send("AT+CGACT=1,0").ok());
    QCOMPARE(m_session->send("AT+QCGDEFCONT?").lines, QList<QByteArray>{"+QCGDEFCONT: \"IP\",\"iot.example\""});

    QVERIFY(rebootQuickly());
    QTRY_COMPARE_WITH_TIMEOUT(m_session->send("AT+CEREG?").lines, QList<QByteArray>{"+CEREG: 0,1"}, 5000);
    QCOMPARE(m_session->send("AT+CGDCONT?").lines,
             QList<QByteArray>{"+CGDCONT: 0,\"IP\",\"IOT.EXAMPLE\",\"10.0.0.7\""});
    QCOMPARE(m_session->send("AT+QCGDEFCONT?").lines, QList<QByteArray>{"+QCGDEFCONT: \"IP\",\"iot.example\""});
    QVERIFY(m_session->send("AT+QCGDEFCONT=\"IPV4V6\",\"apn2\",\"user\",\"pw\"").ok());
    QCOMPARE(m_session->send("AT+QCGDEFCONT?").lines,
             QList<QByteArray>{"+QCGDEFCONT: \"IPV4V6\",\"apn2\",\"user\",\"pw\",1"});
    QCOMPARE(m_session->send("AT+QCGDEFCONT=\"PPP\",\"apn\"").finalLine, QByteArray("ERROR"));
}

void SimAtDialogueTest::pdpContextsAreDefinedActivatedAndReadBack()
{
    const QByteArray Error = "ERROR";
    QCOMPARE(m_session->send("AT+CGDCONT=0,\"IP\",\"x\"").finalLine, Error); // context 0 is AT+QCGDEFCONT's
    QCOMPARE(m_session->send("AT+CGDCONT=1,\"PPP\",\"x\"").finalLine, Error);
    QVERIFY(m_session->send("AT+CGDCONT=1,\"IP\",\"cmnet\"").ok());
    QCOMPARE(m_session->send("AT+CGDCONT?").lines,
             (QList<QByteArray>{"+CGDCONT: 0,\"IP\",\"NBIOT.TEST\",\"10.0.0.7\"", "+CGDCONT: 1,\"IP\",\"CMNET\""}));
    QCOMPARE(m_session->send("AT+CGACT?").lines, (QList<QByteArray>{"+CGACT: 0,1", "+CGACT: 1,0"}));
    QCOMPARE(m_session->send("AT+CGPADDR=1").lines, QList<QByteArray>{"+CGPADDR: 1"});
    QVERIFY(m_session->send("AT+CGACT=1,1").ok());
    QCOMPARE(m_session->send("AT+CGACT?").lines, (QList<QByteArray>{"+CGACT: 0,1", "+CGACT: 1,1"}));
    QCOMPARE(m_session->send("AT+CGPADDR=1").lines, QList<QByteArray>{"+CGPADDR: 1,\"10.0.0.8\""});
    QCOMPARE(m_session->send("AT+CGACT=1,2").finalLine, Error);   // not defined
    QCOMPARE(m_session->send("AT+CGACT=1,0,1").finalLine, Error); // one <cid> only
    QVERIFY(m_session->send("AT+CGACT=0,1").ok());
    QCOMPARE(m_session->send("AT+CGPADDR=1").lines, QList<QByteArray>{"+CGPADDR: 1"});
    QVERIFY(m_session->send("AT+CGDCONT=1").ok()); // the special form: context 1 becomes undefined
    QCOMPARE(m_session->send("AT+CGDCONT?").lines, QList<QByteArray>{"+CGDCONT: 0,\"IP\",\"NBIOT.TEST\",\"10.0.0.7\""});
    QCOMPARE(m_session->send("AT+CGACT?").lines, QList<QByteArray>{"+CGACT: 0,1"});

    // A detach deactivates every context (AT manual 4.3); the default one comes back with the attach.
    sim::ModuleTimings timings = m_session->module().timings();
    timings.registrationMs = 100;
    m_session->module().setTimings(timings);
    QVERIFY(m_session->send("AT+CGATT=0").ok());
    QCOMPARE(m_session->send("AT+CGACT?").lines, QList<QByteArray>{"+CGACT: 0,0"});
    QCOMPARE(m_session->send("AT+CGACT=1,0").finalLine, Error); // not registered
    QVERIFY(m_session->send("AT+CGATT=1").ok());
    QTRY_COMPARE_WITH_TIMEOUT(m_session->send("AT+CGACT?").lines, QList<QByteArray>{"+CGACT: 0,1"}, 5000);
}

void SimAtDialogueTest::operatorSelectionBandsAndCregChangeRegistration()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.registrationMs = 100;
    m_session->module().setTimings(timings);
    const QByteArray Error = "ERROR";

    QVERIFY(m_session->send("AT+CREG=2").ok());
    QCOMPARE(m_session->send("AT+CREG?").lines, QList<QByteArray>{"+CREG: 2,6,\"0001\",\"0000ABCD\",9"});
    QVERIFY(m_session->send("AT+CREG=1").ok());
    m_session->clearUrcs();

    // <mode> 2 deregisters until 0 (or 1) is chosen again.
    QVERIFY(m_session->send("AT+COPS=2").ok());
    QCOMPARE(m_session->takeUrc("+CREG:"), QByteArray("+CREG: 0"));
    QCOMPARE(m_session->send("AT+COPS?").lines, QList<QByteArray>{"+COPS: 2"});
    QCOMPARE(m_session->send("AT+CEREG?").lines, QList<QByteArray>{"+CEREG: 0,0"});
    QCOMPARE(m_session->send("AT+CGATT=1").finalLine, Error);
    QVERIFY(m_session->send("AT+COPS=0").ok());
    QCOMPARE(m_session->takeUrc("+CREG:"), QByteArray("+CREG: 2"));
    QCOMPARE(m_session->takeUrc("+CREG:"), QByteArray("+CREG: 6"));
    QCOMPARE(m_session->send("AT+COPS?").lines, QList<QByteArray>{"+COPS: 0,2,\"00101\",9"});

    // Manual selection of the one network there is works; of another, fails.
    QVERIFY(m_session->send("AT+COPS=1,2,\"00101\"").ok());
    QCOMPARE(m_session->send("AT+COPS?").lines, QList<QByteArray>{"+COPS: 1,2,\"00101\",9"});
    QCOMPARE(m_session->send("AT+COPS=1,2,\"99999\"").finalLine, Error);
    QVERIFY(m_session->send("AT+COPS=3,0").ok());
    QCOMPARE(m_session->send("AT+COPS?").lines, QList<QByteArray>{"+COPS: 1,0,\"Test PLMN 1-1\",9"});

    // A band lock re-attaches (AT manual 7.5); a band the module lacks, or a wrong count, is refused.
    QVERIFY(m_session->send("AT+QBAND=2,8,20").ok());
    QCOMPARE(m_session->send("AT+QBAND?").lines, QList<QByteArray>{"+QBAND: 8,20"});
    QCOMPARE(m_session->takeUrc("+CREG:"), QByteArray("+CREG: 2"));
    QCOMPARE(m_session->takeUrc("+CREG:"), QByteArray("+CREG: 6"));
    QCOMPARE(m_session->send("AT+QBAND=1,7").finalLine, QByteArray("+CME ERROR: 8507"));
    QCOMPARE(m_session->send("AT+QBAND=2,8").finalLine, Error);
    QVERIFY(m_session->send("AT+QBAND=0").ok());
    QCOMPARE(m_session->send("AT+QBAND?").lines,
             QList<QByteArray>{"+QBAND: 1,2,3,4,5,8,12,13,17,18,19,20,25,28,66,70,85"});
}

void SimAtDialogueTest::qmtcfgQueriesShowTheNoteDefaults_data()
{
    QTest::addColumn<int>("option");
    QTest::addColumn<QList<QByteArray>>("lines");
    // The note's defaults (3.3.1): no will, 30 s / 0 retries / no notice, clean session, 120 s keep-alive,
    // MQTT 3.1.1, no length shown, no data echo, text both ways, no SSL.
    QTest::newRow("will") << int(CfgOption::Will) << QList<QByteArray>{"+QMTCFG: 0"};
    QTest::newRow("timeout") << int(CfgOption::Timeout) << QList<QByteArray>{"+QMTCFG: 30,0,0"};
    QTest::newRow("session") << int(CfgOption::Session) << QList<QByteArray>{"+QMTCFG: 1"};
    QTest::newRow("keepalive") << int(CfgOption::KeepAlive) << QList<QByteArray>{"+QMTCFG: 120"};
    QTest::newRow("aliauth unset") << int(CfgOption::AliAuth) << QList<QByteArray>{};
    QTest::newRow("version") << int(CfgOption::Version) << QList<QByteArray>{"+QMTCFG: 1"};
    QTest::newRow("showrecvlen") << int(CfgOption::ShowRecvLen) << QList<QByteArray>{"+QMTCFG: 0"};
    QTest::newRow("echomode") << int(CfgOption::EchoMode) << QList<QByteArray>{"+QMTCFG: 0"};
    QTest::newRow("dataformat") << int(CfgOption::DataFormat) << QList<QByteArray>{"+QMTCFG: 0,0"};
    QTest::newRow("ssl") << int(CfgOption::Ssl) << QList<QByteArray>{"+QMTCFG: 0"};
}

void SimAtDialogueTest::qmtcfgQueriesShowTheNoteDefaults()
{
    QFETCH(int, option);
    QFETCH(QList<QByteArray>, lines);
    for (int slot : {0, 4}) {
        const AtReply reply = m_session->run(m_session->commands().cfgQuery(CfgOption(option), slot));
        QVERIFY2(reply.ok(), reply.finalLine.constData());
        QCOMPARE(reply.lines, lines);
    }
}

void SimAtDialogueTest::qmtcfgSettingsAreReadBack_data()
{
    QTest::addColumn<QByteArray>("set");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("will") << QByteArray("AT+QMTCFG=\"will\",1,1,2,1,\"dev/1/state\",\"gone\"")
                          << QByteArray("AT+QMTCFG=\"will\",1")
                          << QByteArray("+QMTCFG: 1,2,1,\"dev/1/state\",\"gone\"");
    QTest::newRow("will off") << QByteArray("AT+QMTCFG=\"will\",1,0") << QByteArray("AT+QMTCFG=\"will\",1")
                              << QByteArray("+QMTCFG: 0");
    QTest::newRow("timeout") << QByteArray("AT+QMTCFG=\"timeout\",2,5,3,1") << QByteArray("AT+QMTCFG=\"timeout\",2")
                             << QByteArray("+QMTCFG: 5,3,1");
    QTest::newRow("timeout keeps what is left out")
        << QByteArray("AT+QMTCFG=\"timeout\",2,7") << QByteArray("AT+QMTCFG=\"timeout\",2")
        << QByteArray("+QMTCFG: 7,0,0");
    QTest::newRow("session") << QByteArray("AT+QMTCFG=\"session\",3,0") << QByteArray("AT+QMTCFG=\"session\",3")
                             << QByteArray("+QMTCFG: 0");
    QTest::newRow("keepalive 0") << QByteArray("AT+QMTCFG=\"keepalive\",0,0") << QByteArray("AT+QMTCFG=\"keepalive\",0")
                                 << QByteArray("+QMTCFG: 0");
    QTest::newRow("aliauth") << QByteArray("AT+QMTCFG=\"aliauth\",0,\"pk\",\"dn\",\"ds\"")
                             << QByteArray("AT+QMTCFG=\"aliauth\",0") << QByteArray("+QMTCFG: \"pk\",\"dn\",\"ds\"");
    QTest::newRow("version 3.1") << QByteArray("AT+QMTCFG=\"version\",4,0") << QByteArray("AT+QMTCFG=\"version\",4")
                                 << QByteArray("+QMTCFG: 0");
    QTest::newRow("showrecvlen") << QByteArray("AT+QMTCFG=\"showrecvlen\",0,1")
                                 << QByteArray("AT+QMTCFG=\"showrecvlen\",0") << QByteArray("+QMTCFG: 1");
    QTest::newRow("echomode") << QByteArray("AT+QMTCFG=\"echomode\",0,1") << QByteArray("AT+QMTCFG=\"echomode\",0")
                              << QByteArray("+QMTCFG: 1");
    QTest::newRow("dataformat") << QByteArray("AT+QMTCFG=\"dataformat\",0,1,1")
                                << QByteArray("AT+QMTCFG=\"dataformat\",0") << QByteArray("+QMTCFG: 1,1");
    QTest::newRow("ssl") << QByteArray("AT+QMTCFG=\"SSL\",3,1,0,0") << QByteArray("AT+QMTCFG=\"ssl\",3")
                         << QByteArray("+QMTCFG: 1,0,0");
}

void SimAtDialogueTest::qmtcfgSettingsAreReadBack()
{
    QFETCH(QByteArray, set);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, line);
    QVERIFY(m_session->send(set).ok());
    const AtReply reply = m_session->send(query);
    QVERIFY(reply.ok());
    QCOMPARE(reply.lines, QList<QByteArray>{line});
}

void SimAtDialogueTest::valuesOutsideTheNoteRangesAreRefused_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("final");
    const QByteArray invalid = "+CME ERROR: 8507";
    QTest::newRow("keepalive 3601") << QByteArray("AT+QMTCFG=\"keepalive\",0,3601") << invalid;
    QTest::newRow("pkt_timeout 0") << QByteArray("AT+QMTCFG=\"timeout\",0,0") << invalid;
    QTest::newRow("pkt_timeout 61") << QByteArray("AT+QMTCFG=\"timeout\",0,61") << invalid;
    QTest::newRow("retry_times 11") << QByteArray("AT+QMTCFG=\"timeout\",0,30,11") << invalid;
    QTest::newRow("version 2") << QByteArray("AT+QMTCFG=\"version\",0,2") << invalid;
    QTest::newRow("TCP_connectID 5") << QByteArray("AT+QMTCFG=\"session\",5,1") << invalid;
    QTest::newRow("will QoS 3") << QByteArray("AT+QMTCFG=\"will\",0,1,3,0,\"t\",\"m\"") << invalid;
    QTest::newRow("will topic with wildcard")
        << QByteArray("AT+QMTCFG=\"will\",0,1,1,0,\"t/#\",\"m\"") << QByteArray("+CME ERROR: 8505");
    QTest::newRow("will topic of 257 bytes")
        << QByteArray("AT+QMTCFG=\"will\",0,1,1,0,\"" + QByteArray(257, 't') + "\",\"m\"") << invalid;
    QTest::newRow("product key of 65 bytes")
        << QByteArray("AT+QMTCFG=\"aliauth\",0,\"" + QByteArray(65, 'k') + "\",\"d\",\"s\"") << invalid;
    QTest::newRow("SSL_contextID 11") << QByteArray("AT+QMTCFG=\"ssl\",0,1,11,0") << invalid;
    QTest::newRow("dataformat without recv") << QByteArray("AT+QMTCFG=\"dataformat\",0,1") << QByteArray("ERROR");
    QTest::newRow("unknown option") << QByteArray("AT+QMTCFG=\"qmtping\",0,10") << QByteArray("ERROR");
    QTest::newRow("port 0") << QByteArray("AT+QMTOPEN=0,\"127.0.0.1\",0x") << QByteArray("ERROR");
    QTest::newRow("open on slot 5") << QByteArray("AT+QMTOPEN=5,\"127.0.0.1\",1883") << invalid;
    QTest::newRow("publish before connect") << QByteArray("AT+QMTPUB=0,0,0,0,\"t\",1,\"x\"") << QByteArray("ERROR");
    QTest::newRow("publish QoS 1 with msgID 0") << QByteArray("AT+QMTPUB=0,0,1,0,\"t\",1,\"x\"") << invalid;
    QTest::newRow("publish to a wildcard")
        << QByteArray("AT+QMTPUB=0,0,0,0,\"t/+\",1,\"x\"") << QByteArray("+CME ERROR: 8505");
    QTest::newRow("publish 1461 bytes") << QByteArray("AT+QMTPUB=0,0,0,0,\"t\",1461") << invalid;
    QTest::newRow("subscribe msgID 0") << QByteArray("AT+QMTSUB=0,0,\"t\",1") << invalid;
    QTest::newRow("subscribe bad filter") << QByteArray("AT+QMTSUB=0,1,\"a/b#\",1") << QByteArray("+CME ERROR: 8505");
    QTest::newRow("connect before open") << QByteArray("AT+QMTCONN=0,\"c\"") << QByteArray("ERROR");
    QTest::newRow("client ID of 129 bytes") << QByteArray("AT+QMTCONN=0,\"" + QByteArray(129, 'c') + "\"") << invalid;
    // No escapes in AT strings (protocol-notes §6.1): a quote inside a quoted string, or none to close it, is
    // malformed.
    QTest::newRow("will message with a quote inside")
        << QByteArray("AT+QMTCFG=\"will\",1,1,1,0,\"w/t\",\"a\"b\"") << QByteArray("ERROR");
    QTest::newRow("will message without its closing quote")
        << QByteArray("AT+QMTCFG=\"will\",1,1,1,0,\"w/t\",\"unterminated") << QByteArray("ERROR");
}

void SimAtDialogueTest::valuesOutsideTheNoteRangesAreRefused()
{
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, final);
    QCOMPARE(cmeCode(m_session->send(command)), final);
}

void SimAtDialogueTest::testFormsShowTheNoteRanges_data()
{
    QTest::addColumn<int>("command");
    QTest::addColumn<QList<QByteArray>>("lines");
    // Chapter 6.1 prints the CONN, SUB and PUB forms; the others follow the note's syntax tables.
    QTest::newRow("open") << int(QmtCommand::Open) << QList<QByteArray>{"+QMTOPEN: (0-4),<host_name>,(1-65535)"};
    QTest::newRow("close") << int(QmtCommand::Close) << QList<QByteArray>{"+QMTCLOSE: (0-4)"};
    QTest::newRow("conn") << int(QmtCommand::Conn)
                          << QList<QByteArray>{"+QMTCONN: (0-4),<clientID>,<username>,<password>"};
    QTest::newRow("disc") << int(QmtCommand::Disc) << QList<QByteArray>{"+QMTDISC: (0-4)"};
    QTest::newRow("sub") << int(QmtCommand::Sub)
                         << QList<QByteArray>{"+QMTSUB: (0-4),(1-65535),<topic>,(0-2),<topic>,(0-2),..."};
    QTest::newRow("uns") << int(QmtCommand::Uns) << QList<QByteArray>{"+QMTUNS: (0-4),(1-65535),<topic>,<topic>,..."};
    QTest::newRow("pub") << int(QmtCommand::Pub)
                         << QList<QByteArray>{"+QMTPUB: (0-4),(0-65535),(0-2),(0,1),<topic>,(0-1460),<msg>"};
    QTest::newRow("cfg") << int(QmtCommand::Cfg)
                         << QList<QByteArray>{"+QMTCFG: \"will\",(0-4),(0,1),(0-2),(0,1),<will_topic>,<will_msg>",
                                              "+QMTCFG: \"timeout\",(0-4),(1-60),(0-10),(0,1)",
                                              "+QMTCFG: \"session\",(0-4),(0,1)",
                                              "+QMTCFG: \"keepalive\",(0-4),(0-3600)",
                                              "+QMTCFG: \"aliauth\",(0-4),<product_key>,<device_name>,<device_secret>",
                                              "+QMTCFG: \"version\",(0-4),(0,1)",
                                              "+QMTCFG: \"showrecvlen\",(0-4),(0,1)",
                                              "+QMTCFG: \"echo_mode\",(0-4),(0,1)",
                                              "+QMTCFG: \"dataformat\",(0-4),(0,1),(0,1)",
                                              "+QMTCFG: \"ssl\",(0-4),(0,1),(0-10),(0-4)"};
}

void SimAtDialogueTest::testFormsShowTheNoteRanges()
{
    QFETCH(int, command);
    QFETCH(QList<QByteArray>, lines);
    const AtReply reply = m_session->run(QmtCommands::testForm(QmtCommand(command)));
    QVERIFY(reply.ok());
    QCOMPARE(reply.lines, lines);
}

void SimAtDialogueTest::optionsThatMustPrecedeOpenAreRefusedOnAnOpenSlot_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("will") << QByteArray("AT+QMTCFG=\"will\",1,0") << false;
    QTest::newRow("session") << QByteArray("AT+QMTCFG=\"session\",1,0") << false;
    QTest::newRow("keepalive") << QByteArray("AT+QMTCFG=\"keepalive\",1,60") << false;
    QTest::newRow("aliauth") << QByteArray("AT+QMTCFG=\"aliauth\",1,\"p\",\"d\",\"s\"") << false;
    QTest::newRow("version") << QByteArray("AT+QMTCFG=\"version\",1,0") << false;
    QTest::newRow("ssl") << QByteArray("AT+QMTCFG=\"ssl\",1,0") << false;
    QTest::newRow("timeout") << QByteArray("AT+QMTCFG=\"timeout\",1,20") << true;
    QTest::newRow("showrecvlen") << QByteArray("AT+QMTCFG=\"showrecvlen\",1,1") << true;
    QTest::newRow("echomode") << QByteArray("AT+QMTCFG=\"echomode\",1,1") << true;
    QTest::newRow("dataformat") << QByteArray("AT+QMTCFG=\"dataformat\",1,1,0") << true;
}

void SimAtDialogueTest::optionsThatMustPrecedeOpenAreRefusedOnAnOpenSlot()
{
    QFETCH(QByteArray, command);
    QFETCH(bool, accepted);
    QVERIFY2(m_session->send(command).ok(), "accepted while the slot is closed");
    const AtReply open = m_session->run(m_session->commands().open(1, "127.0.0.1", m_brokerPort));
    QCOMPARE(open.resultLine(), QByteArray("+QMTOPEN: 1,0"));
    QCOMPARE(m_session->send(command).ok(), accepted);
    // The query form always works.
    const QByteArray query = command.left(command.indexOf(',') + 2);
    QVERIFY(m_session->send(query).ok());
    QCOMPARE(m_session->run(m_session->commands().close(1)).resultLine(), QByteArray("+QMTCLOSE: 1,0"));
    QVERIFY(m_session->send(command).ok());
}

void SimAtDialogueTest::cmeErrorsFollowTheCmeeMode()
{
    const QByteArray bad = "AT+QMTCFG=\"keepalive\",0,9999";
    QCOMPARE(m_session->send(bad).finalLine, QByteArray("+CME ERROR: 8507"));
    QVERIFY(m_session->send("AT+CMEE=0").ok());
    QCOMPARE(m_session->send(bad).finalLine, QByteArray("ERROR"));
    QVERIFY(m_session->send("AT+CMEE=2").ok());
    const AtReply verbose = m_session->send(bad);
    QCOMPARE(verbose.status, ReplyStatus::CmeError);
    QVERIFY2(verbose.finalLine.startsWith("+CME ERROR: ") && verbose.errorCode == -1, verbose.finalLine.constData());
    QCOMPARE(m_session->send("AT+CMEE?").lines, QList<QByteArray>{"+CMEE: 2"});
}

void SimAtDialogueTest::overlongCommandLineIsAnsweredWithError()
{
    const AtReply reply = m_session->send("AT+QMTPUB=0,0,0,0,\"t\",1,\"" + QByteArray(5000, 'x') + '"');
    QCOMPARE(reply.finalLine, QByteArray("ERROR"));
    QVERIFY(m_session->send("AT").ok());
}

void SimAtDialogueTest::promptIsCrLfGreaterThanSpaceAndDataMayFollowAtOnce()
{
    RawModule raw;
    raw.type("ATE0\r");
    QVERIFY(raw.waitFor("OK\r\n"));
    raw.wire.clear();
    raw.type("AT+QSSLCFG=0,0,\"cacert\"\r");
    QVERIFY(raw.waitFor("> "));
    QCOMPARE(raw.wire, QByteArray("\r\n> "));
    // The AT manual only recommends waiting 500 ms after the prompt, and a library publishes without the wait
    // on the real module (protocol-notes §11.2): data that comes at once, Ctrl+Z included, is taken.
    raw.type(QByteArray("PEM\x1a", 4));
    raw.type("AT+CSQ\r"); // the next command is a command, not more data
    QVERIFY(raw.waitFor("+CSQ: 10,0\r\n\r\nOK\r\n"));
    QCOMPARE(raw.wire, QByteArray("\r\n> PEM\r\n+QSSLCFG: 0,0,\"cacert\",3\r\n\r\nOK\r\n\r\n+CSQ: 10,0\r\n\r\nOK\r\n"));
    QCOMPARE(raw.module.bytesLostBeforeDataMode(), quint64(0));
}

void SimAtDialogueTest::bytesBeforeDataModeBeginsAreLostAsAFault()
{
    RawModule raw;
    sim::ModuleTimings timings;
    timings.dataModeSettleMs = 300;
    raw.module.setTimings(timings);
    sim::FaultPlan faults;
    faults.loseEarlyData = true;
    raw.module.setFaults(faults);
    raw.type("AT+QSSLCFG=0,0,\"cacert\"\r");
    QVERIFY(raw.waitFor("\r\n> "));
    raw.type("EARLY"); // within the settle time: the real module loses these (protocol-notes §4.1)
    QVERIFY(raw.module.inDataMode());
    QTRY_VERIFY_WITH_TIMEOUT(raw.module.acceptingData(), 10'000);
    raw.type(QByteArray("PEM\x1a", 4));
    QVERIFY(raw.waitFor("OK\r\n"));
    QVERIFY2(raw.wire.endsWith("PEM\r\n+QSSLCFG: 0,0,\"cacert\",3\r\n\r\nOK\r\n"), raw.wire.constData());
    QCOMPARE(raw.module.bytesLostBeforeDataMode(), quint64(5));
}

void SimAtDialogueTest::escCancelsDataModeAndNothingIsStored()
{
    RawModule raw;
    sim::ModuleTimings timings;
    timings.dataModeSettleMs = 50;
    raw.module.setTimings(timings);
    raw.type("ATE0\r");
    QVERIFY(raw.waitFor("OK\r\n"));
    raw.wire.clear();
    raw.type("AT+QSSLCFG=0,0,\"clientkey\"\r");
    QVERIFY(raw.waitFor("> "));
    QTRY_VERIFY_WITH_TIMEOUT(raw.module.acceptingData(), 10'000);
    raw.type(QByteArray("-----BEGIN", 10) + char(0x1B));
    QVERIFY(raw.waitFor("OK\r\n"));
    QCOMPARE(raw.wire, QByteArray("\r\n> -----BEGIN\r\nOK\r\n"));
    QVERIFY(!raw.module.inDataMode());
}

void SimAtDialogueTest::dataModeEndsAfterTheIdleTime()
{
    QCOMPARE(sim::ModuleTimings{}.dataModeIdleMs, 60'000); // the note's 60 s, shortened below
    RawModule raw;
    sim::ModuleTimings timings;
    timings.dataModeSettleMs = 50;
    timings.dataModeIdleMs = 300;
    raw.module.setTimings(timings);
    QElapsedTimer clock; // from before the prompt: data mode begins with it
    clock.start();
    raw.type("AT+QSSLCFG=0,0,\"cacert\"\r");
    QVERIFY(raw.waitFor("> "));
    QVERIFY(raw.waitFor("ERROR\r\n"));
    // Never early (a precise timer; 1 ms for rounding), however late a loaded machine makes it.
    QVERIFY2(clock.elapsed() >= 300 - 1, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!raw.module.inDataMode());
    raw.type("AT\r");
    QVERIFY(raw.waitFor("AT\r\r\nOK\r\n"));
}

void SimAtDialogueTest::urcsAreHeldBackWhileInDataMode()
{
    RawModule raw;
    sim::ModuleTimings timings;
    timings.dataModeSettleMs = 50;
    timings.registrationMs = 100;
    raw.module.setTimings(timings);
    raw.type("ATE0\r");
    raw.type("AT+CEREG=1\r");
    raw.type("AT+CFUN=0\r");
    raw.type("AT+CFUN=1\r");
    raw.type("AT+QSSLCFG=0,0,\"cacert\"\r");
    QVERIFY(raw.waitFor("> "));
    // Registration completes while the host is in data mode: its +CEREG waits.
    QTRY_COMPARE_WITH_TIMEOUT(raw.module.heldUrcCount(), 1, 5000);
    QVERIFY(!raw.wire.contains("+CEREG: 1"));
    QTRY_VERIFY_WITH_TIMEOUT(raw.module.acceptingData(), 10'000);
    raw.type(QByteArray("X\x1a", 2));
    QVERIFY(raw.waitFor("+CEREG: 1\r\n"));
    QVERIFY2(raw.wire.endsWith("\r\n+QSSLCFG: 0,0,\"cacert\",1\r\n\r\nOK\r\n\r\n+CEREG: 1\r\n"), raw.wire.constData());
    QCOMPARE(raw.module.heldUrcCount(), 0);
}

void SimAtDialogueTest::sslSettingsAreReadBackAndForgottenOnReboot()
{
    // protocol-notes §5.3: "timeout" 10–300 s, default 90; "dataformat" <send>,<recv> 0/1; only the
    // certificates are saved.
    const QByteArray Ok = "OK";
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"timeout\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"timeout\",90"});
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"dataformat\"").lines,
             QList<QByteArray>{"+QSSLCFG: 0,0,\"dataformat\",0,0"});
    QVERIFY(m_session->send("AT+QSSLCFG=0,0,\"timeout\",10").ok());
    QVERIFY(m_session->send("AT+QSSLCFG=0,0,\"dataformat\",1,0").ok());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"timeout\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"timeout\",10"});
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"dataformat\"").lines,
             QList<QByteArray>{"+QSSLCFG: 0,0,\"dataformat\",1,0"});
    for (const char *refused : {"AT+QSSLCFG=0,0,\"timeout\",9", "AT+QSSLCFG=0,0,\"timeout\",301",
                                "AT+QSSLCFG=0,0,\"dataformat\",2,0", "AT+QSSLCFG=0,0,\"dataformat\",0"})
        QVERIFY2(m_session->send(refused).finalLine != Ok, refused);
    const QList<QByteArray> test = m_session->send("AT+QSSLCFG=?").lines;
    QVERIFY(test.contains("+QSSLCFG: (0-10),(0-4),\"timeout\",(10-300)"));
    QVERIFY(test.contains("+QSSLCFG: (0-10),(0-4),\"dataformat\",(0,1),(0,1)"));

    QVERIFY(rebootQuickly());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"timeout\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"timeout\",90"});
}

void SimAtDialogueTest::sslDebugAndDtlsSettingsAndTheQueryOfAllAnswerAsTheSslNoteShows()
{
    // BC660K SSL note 2.3.1: "debug" 0–4, "dtls" 0/1, "dtlsversion" 0–2, and AT+QSSLCFG=<ctx>,<conn> lists
    // every setting. A library that works over TLS on the real module sends "debug" before its upload.
    const QByteArray invalid = "+CME ERROR: 8507";
    QVERIFY(m_session->send("AT+QSSLCFG=0,0,\"debug\",0").ok());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"debug\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"debug\",0"});
    QVERIFY(m_session->send("AT+QSSLCFG=0,0,\"debug\",4").ok());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"debug\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"debug\",4"});
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"debug\",5").finalLine, invalid);
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"dtls\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"dtls\",0"});
    QVERIFY(m_session->send("AT+QSSLCFG=0,0,\"dtls\",1").ok());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"dtls\",2").finalLine, invalid);
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"dtlsversion\"").lines,
             QList<QByteArray>{"+QSSLCFG: 0,0,\"dtlsversion\",2"});
    QVERIFY(m_session->send("AT+QSSLCFG=0,0,\"dtlsversion\",1").ok());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"dtlsversion\",3").finalLine, invalid);
    const QByteArray ca = "-----CA-----\n";
    QVERIFY(m_session->run(m_session->commands().sslUpload(SslItem::CaCert, ca)).ok());

    const AtReply all = m_session->send("AT+QSSLCFG=0,0");
    QVERIFY2(all.ok(), all.finalLine.constData());
    QCOMPARE(all.lines, (QList<QByteArray>{"+QSSLCFG: 0,0,\"seclevel\",0", "+QSSLCFG: 0,0,\"sslversion\",4",
                                           "+QSSLCFG: 0,0,\"dataformat\",0,0", "+QSSLCFG: 0,0,\"timeout\",90",
                                           "+QSSLCFG: 0,0,\"debug\",4", "+QSSLCFG: 0,0,\"cacert\",13",
                                           "+QSSLCFG: 0,0,\"clientcert\",0", "+QSSLCFG: 0,0,\"clientkey\",0",
                                           "+QSSLCFG: 0,0,\"dtls\",1", "+QSSLCFG: 0,0,\"dtlsversion\",1"}));
    QCOMPARE(m_session->send("AT+QSSLCFG=11,0").finalLine, invalid); // contextID 0–10

    QCOMPARE(m_session->send("AT+QSSLCFG=?").lines,
             (QList<QByteArray>{
                 "+QSSLCFG: (0-10),(0-4),\"seclevel\",(0-2)", "+QSSLCFG: (0-10),(0-4),\"sslversion\",(0-4)",
                 "+QSSLCFG: (0-10),(0-4),\"dataformat\",(0,1),(0,1)", "+QSSLCFG: (0-10),(0-4),\"timeout\",(10-300)",
                 "+QSSLCFG: (0-10),(0-4),\"debug\",(0-4)", "+QSSLCFG: (0-10),(0-4),\"cacert\"",
                 "+QSSLCFG: (0-10),(0-4),\"clientcert\"", "+QSSLCFG: (0-10),(0-4),\"clientkey\"",
                 "+QSSLCFG: (0-10),(0-4),\"dtls\",(0,1)", "+QSSLCFG: (0-10),(0-4),\"dtlsversion\",(0-2)"}));

    // Only the certificates are saved (note 2.3.1, "Characteristics").
    QVERIFY(rebootQuickly());
    const QList<QByteArray> afterReboot = m_session->send("AT+QSSLCFG=0,0").lines;
    QVERIFY(afterReboot.contains("+QSSLCFG: 0,0,\"debug\",0"));
    QVERIFY(afterReboot.contains("+QSSLCFG: 0,0,\"dtls\",0"));
    QVERIFY(afterReboot.contains("+QSSLCFG: 0,0,\"dtlsversion\",2"));
    QVERIFY(afterReboot.contains("+QSSLCFG: 0,0,\"cacert\",13"));
}

void SimAtDialogueTest::rebootPrintsRdyCfunAndForgetsMqttSettings()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.bootMs = 100;
    timings.registrationMs = 100;
    m_session->module().setTimings(timings);
    QVERIFY(m_session->send("AT+QMTCFG=\"keepalive\",0,60").ok());
    QVERIFY(m_session->send("AT+CEREG=1").ok());
    QVERIFY(m_session->send("ATE0").ok());
    QVERIFY(m_session->send("AT+QSCLK=0").ok());
    m_session->clearUrcs();
    m_session->clearWire();
    QVERIFY(m_session->send("AT+QRST=1").ok());
    QVERIFY(!m_session->takeUrc("RDY").isEmpty());
    QVERIFY(!m_session->takeUrc("+CFUN: 1").isEmpty());
    QCOMPARE(m_session->takeUrc("+CEREG:"), QByteArray("+CEREG: 2"));
    QCOMPARE(m_session->takeUrc("+CEREG:"), QByteArray("+CEREG: 1"));
    QVERIFY2(m_session->wire().startsWith("\r\nOK\r\n\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CEREG: 2\r\n"),
             m_session->wire().constData());
    QCOMPARE(m_session->send("AT+QMTCFG=\"keepalive\",0").lines, QList<QByteArray>{"+QMTCFG: 120"});
    QCOMPARE(m_session->send("AT+QSCLK?").lines, QList<QByteArray>{"+QSCLK: 1"});   // not saved
    QCOMPARE(m_session->send("AT+CEREG?").lines, QList<QByteArray>{"+CEREG: 1,1"}); // kept in NVRAM
    m_session->clearWire();
    QVERIFY(m_session->send("AT").ok());
    QCOMPARE(m_session->wire(), QByteArray("\r\nOK\r\n")); // ATE0 kept in NVRAM
}

void SimAtDialogueTest::sleepingModuleLosesTheFirstCommandAfterIdle()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.sleepAfterIdleMs = 1000;
    m_session->module().setTimings(timings);
    sim::FaultPlan faults;
    faults.sleep = true;
    m_session->module().setFaults(faults);
    QVERIFY(m_session->send("AT").ok());
    QTRY_VERIFY_WITH_TIMEOUT(m_session->module().isAsleep(), 3000);
    m_session->clearWire();
    const AtReply lost = m_session->send("AT", 300);
    QCOMPARE(lost.status, ReplyStatus::Timeout);
    QCOMPARE(m_session->wire(), QByteArray("\r\n")); // protocol-notes §3.4: an empty line, no OK
    QVERIFY(m_session->send("AT").ok());
    QVERIFY(m_session->send("AT+QSCLK=0").ok());
    QVERIFY2(!QTest::qWaitFor([&] { return m_session->module().isAsleep(); }, 1500), "slept with AT+QSCLK=0");
}

void SimAtDialogueTest::latencyDelaysEveryResponse()
{
    sim::FaultPlan faults;
    faults.latencyMs = 300;
    m_session->module().setFaults(faults);
    const AtReply reply = m_session->send("AT+CSQ");
    QVERIFY(reply.ok());
    QVERIFY2(reply.elapsedMs >= 300, qPrintable(QString::number(reply.elapsedMs)));
    QCOMPARE(reply.lines, QList<QByteArray>{"+CSQ: 10,0"});
}

void SimAtDialogueTest::swallowedResponseTimesTheCommandOut()
{
    m_session->module().swallowNextResponses(1);
    QCOMPARE(m_session->send("AT+CSQ", 500).status, ReplyStatus::Timeout);
    QVERIFY(m_session->send("AT+CSQ").ok());

    sim::FaultPlan faults;
    faults.swallowEvery = 2;
    m_session->module().setFaults(faults);
    QList<ReplyStatus> statuses;
    for (int i = 0; i < 4; ++i)
        statuses.append(m_session->send("AT", 500).status);
    const int timeouts = int(std::count(statuses.cbegin(), statuses.cend(), ReplyStatus::Timeout));
    QCOMPARE(timeouts, 2);
}

void SimAtDialogueTest::garbageBetweenLinesReachesTheHostAndCommandsStillComplete()
{
    QVERIFY(m_session->send("ATE0").ok());
    sim::FaultPlan faults;
    faults.garbageEvery = 1;
    faults.garbage = QByteArray("\xFF\xFE", 2);
    m_session->module().setFaults(faults);
    QVERIFY(m_session->send("AT").ok());
    QVERIFY(m_session->send("AT").ok());
    QVERIFY(m_session->wire().contains("OK\r\n\xFF\xFE\r\n"));
    const bool garbageSeen = std::any_of(m_session->lines().cbegin(), m_session->lines().cend(),
                                         [](const AtLine &l) { return l.text == "\xFF\xFE"; });
    QVERIFY(garbageSeen);
}

void SimAtDialogueTest::baudRateCapPacesTheLine()
{
    const AtReply fast = m_session->run(QmtCommands::testForm(QmtCommand::Cfg));
    QVERIFY(fast.ok());
    const qsizetype bytes = m_session->wire().size();
    sim::FaultPlan faults;
    faults.baudRate = 9600; // 960 bytes/s
    m_session->module().setFaults(faults);
    AtCommand command = QmtCommands::testForm(QmtCommand::Cfg);
    command.timeoutMs = 5000;
    const AtReply slow = m_session->run(command);
    QVERIFY(slow.ok());
    const qint64 minimumMs = bytes * 1000 / 960;
    QVERIFY2(slow.elapsedMs >= minimumMs * 9 / 10 && slow.elapsedMs > fast.elapsedMs + 200,
             qPrintable(QStringLiteral("%1 bytes took %2 ms, unthrottled %3 ms")
                            .arg(bytes)
                            .arg(slow.elapsedMs)
                            .arg(fast.elapsedMs)));
}

void SimAtDialogueTest::rebootAtAChosenCommandCutsItsResultOff()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.bootMs = 100;
    m_session->module().setTimings(timings);
    sim::FaultPlan faults;
    faults.rebootOnCommand = "AT+QMTOPEN";
    m_session->module().setFaults(faults);
    m_session->channel().submit(m_session->commands().open(0, "127.0.0.1", m_brokerPort).value());
    QVERIFY(!m_session->takeUrc("RDY").isEmpty());
    QVERIFY2(m_session->wire().contains("AT+QMTOPEN=0,\"127.0.0.1\"," + QByteArray::number(m_brokerPort) +
                                        "\r\r\nOK\r\n\r\nRDY\r\n"),
             m_session->wire().constData());
    QVERIFY(!m_session->wire().contains("+QMTOPEN: 0,"));
    QCOMPARE(m_session->send("AT+QMTOPEN?").lines, QList<QByteArray>{});
}

void SimAtDialogueTest::rebootAfterAChosenTime()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.bootMs = 50;
    m_session->module().setTimings(timings);
    QSignalSpy rebooted(&m_session->module(), &sim::VirtualModule::rebooted);
    sim::FaultPlan faults;
    faults.rebootAfterMs = 200;
    m_session->module().setFaults(faults);
    QVERIFY(rebooted.wait(3000));
    QVERIFY(!m_session->takeUrc("RDY").isEmpty());
    QVERIFY(!m_session->takeUrc("+CFUN: 1").isEmpty());
}

void SimAtDialogueTest::faultConsoleSetsTheNetworkDelayAndEarlyDataLoss()
{
    sim::VirtualModule module;
    sim::FaultConsole console(&module);
    QCOMPARE(console.execute(QStringLiteral("network-delay 1200")), QStringLiteral("Done."));
    QCOMPARE(module.timings().networkDelayMs, 1200);
    QVERIFY(console.execute(QStringLiteral("network-delay")).contains(QStringLiteral("needs a number")));
    QCOMPARE(module.timings().networkDelayMs, 1200);
    QVERIFY(console.execute(QStringLiteral("early-data lose")).contains(QStringLiteral("500 ms")));
    QVERIFY(module.faults().loseEarlyData);
    QVERIFY(console.execute(QStringLiteral("early-data sometimes")).contains(QStringLiteral("lose or keep")));
    QVERIFY(module.faults().loseEarlyData);
    QVERIFY(console.execute(QStringLiteral("early-data keep")).contains(QStringLiteral("taken")));
    QVERIFY(!module.faults().loseEarlyData);
    QVERIFY(sim::FaultConsole::help().contains(QStringLiteral("network-delay MS")));
}

QTEST_GUILESS_MAIN(SimAtDialogueTest)
#include "tst_simatdialogue.moc"
