// The virtual module's MQTT side against real mosquitto brokers, checked with mosquitto_pub and
// mosquitto_sub: what arrives as +QMTRECV, what AT+QMTPUB delivers, retained messages, the will, every
// +QMTOPEN / +QMTCONN result and +QMTSTAT cause the module can produce, and chapter 6.1 of the note.

#include "core/qmt/qmtparser.h"
#include "exchangeplayer.h"
#include "mosquittobroker.h"
#include "mosquittosubscriber.h"
#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"
#include "simsession.h"

#include <QTest>

using namespace qmt;
using namespace qmt::test;

namespace {

const QByteArray ChapterGetTopic = " /oyjtmPl5a5j/S2fXbFBKh4NSwwyljSC4/user/get";

QByteArray pattern(int size)
{
    QByteArray out;
    for (int i = 0; i < size; ++i)
        out += char('a' + i % 26);
    return out;
}

QByteArray allBytes()
{
    QByteArray out;
    for (int i = 0; i < 256; ++i)
        out += char(i);
    return out;
}

} // namespace

class SimMqttTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void messageFromMosquittoPubArrivesAsQmtrecv_data();
    void messageFromMosquittoPubArrivesAsQmtrecv();
    void qmtpubReachesMosquittoSubByteExact_data();
    void qmtpubReachesMosquittoSubByteExact();
    void fixedLengthDataEndsAfterExactlyMsgLenBytes();
    void variableLengthDataBeyond1460BytesIsOmitted();
    void escCancelsAPublishInDataMode();
    void dataModeEchoFollowsEchomode();
    void retainedMessageIsRetained();
    void subscribeReportsTheGrantedQosPerTopic();
    void refusedSubscriptionIsGranted128();
    void unsubscribeReportsItsAcknowledgement();
    void willIsPublishedWhenTheLinkDropsUncleanly();
    void closingAConnectedClientSendsDisconnectAndReportsQmtstat5();
    void stoppingTheBrokerYieldsQmtstat1();
    void brokerDroppingAnOpenedSocketYieldsQmtstat1();
    void wrongCredentialsYieldTheMatchingReturnCode_data();
    void wrongCredentialsYieldTheMatchingReturnCode();
    void connectCarriesVersionSessionAndKeepAlive_data();
    void connectCarriesVersionSessionAndKeepAlive();
    void openResultsFollowWhatTheNetworkDid_data();
    void openResultsFollowWhatTheNetworkDid();
    void openOnAnOccupiedSocketReports2();
    void openWithoutPacketDataReports3();
    void losingPacketDataYieldsQmtstat7();
    void missingPingrespYieldsQmtstat2();
    void unacknowledgedPublishFailsAndYieldsQmtstat6();
    void connectThatNeverLeavesYieldsQmtstat3();
    void pendingResultsFailWhenTheConnectionEnds_data();
    void pendingResultsFailWhenTheConnectionEnds();
    void droppedBrokerConnectionFaultYieldsQmtstat1();
    void readFormsListOpenAndConnectedClients();
    void resultsComeANetworkRoundTripAfterTheirOk();
    void aMessageOnItsWayWhenTheModuleRebootsComesAgain();
    void aMessageOnItsWayWhenTheBrokerDropsComesAgain();
    void chapter61ExampleComesOutLineForLine();

private:
    /// AT+QMTOPEN and AT+QMTCONN on `slot` against `port`; the client ID is unique.
    bool connectSlot(int slot, quint16 port, QByteArray *error = nullptr);
    QByteArray publishAndReceive(const QByteArray &topic, const QByteArray &payload);

    std::unique_ptr<SimSession> m_session;
    quint16 m_port = 0;
};

void SimMqttTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_simmqtt"));
    m_port = MosquittoBroker::sharedBrokerPort();
    QVERIFY2(m_port != 0, "the sim_broker fixture did not start (QMT_TEST_BROKER_DIR)");
}

void SimMqttTest::init()
{
    m_session = std::make_unique<SimSession>();
}

void SimMqttTest::cleanup()
{
    m_session.reset();
}

bool SimMqttTest::connectSlot(int slot, quint16 port, QByteArray *error)
{
    const AtReply open = m_session->run(m_session->commands().open(slot, "127.0.0.1", port));
    if (open.resultLine() != "+QMTOPEN: " + QByteArray::number(slot) + ",0") {
        if (error)
            *error = "open: " + open.resultLine() + ' ' + open.detail.toUtf8();
        return false;
    }
    const AtReply conn = m_session->run(m_session->commands().conn(slot, uniqueName("qmt-sim")));
    if (conn.resultLine() != "+QMTCONN: " + QByteArray::number(slot) + ",0,0") {
        if (error)
            *error = "conn: " + conn.resultLine();
        return false;
    }
    return true;
}

// ---- receiving -------------------------------------------------------------------------------------------

void SimMqttTest::messageFromMosquittoPubArrivesAsQmtrecv_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("showLength");
    QTest::addColumn<bool>("hex");
    QTest::newRow("plain text") << QByteArray("hello") << false << false;
    QTest::newRow("commas and double quotes")
        << QByteArray(R"({"method":"setValue","params":[1,2,"x,y"]})") << false << false;
    QTest::newRow("CR LF inside") << QByteArray("line 1\r\nline 2\r\n") << false << false;
    // A payload line that the module would also print on its own (OK, +QMTSTAT: …) ends the message whatever
    // length was declared (issue 9 §6, protocol-notes): such payloads are split, so they are not used here.
    QTest::newRow("CR LF inside, length shown") << QByteArray("\r\nline 2\r\n\"3\"\r\n") << true << false;
    QTest::newRow("empty") << QByteArray() << false << false;
    QTest::newRow("empty, length shown") << QByteArray() << true << false;
    QTest::newRow("1460 bytes") << pattern(1460) << true << false;
    QTest::newRow("UTF-8") << QByteArray("Gr\xc3\xbc\xc3\x9f"
                                         "e \xe2\x9c\x93")
                           << false << false;
    QTest::newRow("binary bytes in hex mode") << allBytes() << false << true;
    QTest::newRow("binary bytes in hex mode, length shown") << allBytes() << true << true;
}

void SimMqttTest::messageFromMosquittoPubArrivesAsQmtrecv()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, showLength);
    QFETCH(bool, hex);
    QmtCommands &c = m_session->commands();
    QVERIFY(m_session->run(c.cfgShowRecvLen(0, showLength ? 1 : 0)).ok());
    QVERIFY(m_session->run(c.cfgDataFormat(0, 0, hex ? 1 : 0)).ok());
    QVERIFY(connectSlot(0, m_port));
    const QByteArray topic = uniqueName("sim/recv") + "/a,b";
    QCOMPARE(m_session->run(c.subscribe(0, 1, {{topic, 1}})).resultLine(), QByteArray("+QMTSUB: 0,1,0,1"));

    QString error;
    QVERIFY2(mosquittoPublish(m_port, topic, payload, 1, false, &error), qPrintable(error));
    const QByteArray line = m_session->takeUrc("+QMTRECV:");
    QVERIFY2(!line.isEmpty(), "no +QMTRECV");

    // Exactly the module's shape: topic quoted, length when shown, payload quoted and not escaped.
    const std::optional<RecvMessage> recv = parseRecv(line, hex ? DataFormat::Hex : DataFormat::Text);
    QVERIFY(recv);
    QVERIFY2(recv->msgId > 0, "a QoS 1 delivery carries a packet identifier");
    const QByteArray printed = hex ? payload.toHex().toUpper() : payload;
    QByteArray expected = "+QMTRECV: 0," + QByteArray::number(recv->msgId) + ",\"" + topic + '"';
    if (showLength)
        expected += ',' + QByteArray::number(payload.size());
    expected += ",\"" + printed + '"';
    QCOMPARE(line, expected);
    QCOMPARE(recv->topic, topic);
    QCOMPARE(recv->payload, payload);
}

// ---- publishing ------------------------------------------------------------------------------------------

void SimMqttTest::qmtpubReachesMosquittoSubByteExact_data()
{
    QTest::addColumn<int>("form");
    QTest::addColumn<int>("qos");
    QTest::addColumn<bool>("hex");
    QTest::addColumn<QByteArray>("payload");
    const QByteArray text = "temp=21.5;unit=C";
    const QByteArray multiline = "first line\r\nsecond, \"quoted\" line\r\n";
    const QByteArray binary = QByteArray("\x00\x1a\x1b\r\n\xff bin", 10);
    for (int qos = 0; qos <= 2; ++qos) {
        const QByteArray q = " QoS " + QByteArray::number(qos);
        QTest::newRow("inline" + q) << int(PublishForm::Inline) << qos << false << text;
        QTest::newRow("variable length" + q) << int(PublishForm::VariableLength) << qos << false << multiline;
        QTest::newRow("fixed length" + q) << int(PublishForm::FixedLength) << qos << false << binary;
    }
    QTest::newRow("inline hex") << int(PublishForm::Inline) << 1 << true << binary;
    QTest::newRow("fixed length hex") << int(PublishForm::FixedLength) << 2 << true << allBytes().left(200);
    QTest::newRow("fixed length 1460 bytes") << int(PublishForm::FixedLength) << 1 << false << pattern(1460);
    QTest::newRow("empty inline") << int(PublishForm::Inline) << 0 << false << QByteArray();
}

void SimMqttTest::qmtpubReachesMosquittoSubByteExact()
{
    QFETCH(int, form);
    QFETCH(int, qos);
    QFETCH(bool, hex);
    QFETCH(QByteArray, payload);
    const QByteArray topic = uniqueName("sim/pub");
    MosquittoSubscriber subscriber(m_port, topic);
    QString error;
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    QmtCommands &c = m_session->commands();
    if (hex)
        QVERIFY(m_session->run(c.cfgDataFormat(0, 1, 0)).ok());
    QVERIFY(connectSlot(0, m_port));

    Publish message;
    message.msgId = qos == 0 ? 0 : 300 + qos;
    message.qos = qos;
    message.topic = topic;
    message.payload = payload;
    message.form = PublishForm(form);
    const AtReply reply = m_session->run(c.publish(message));
    QVERIFY2(reply.ok(), qPrintable(reply.detail + QString::fromUtf8(reply.finalLine)));
    QCOMPARE(reply.resultLine(), "+QMTPUB: 0," + QByteArray::number(message.msgId) + ",0");

    QVERIFY(subscriber.waitForMessages(1));
    const MosquittoSubscriber::Message received = subscriber.messages().constFirst();
    QCOMPARE(received.topic, topic);
    QCOMPARE(received.payload, payload);
    QCOMPARE(received.qos, qos);
    QCOMPARE(received.retained, false);
}

void SimMqttTest::fixedLengthDataEndsAfterExactlyMsgLenBytes()
{
    const QByteArray topic = uniqueName("sim/fixed");
    MosquittoSubscriber subscriber(m_port, topic);
    QString error;
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    QVERIFY(connectSlot(0, m_port));
    sim::VirtualModule &module = m_session->module();
    m_session->clearWire();
    // protocol-notes §4.3: "22.5" completes a 4-byte message without Enter; what follows is a new command.
    module.receive("AT+QMTPUB=0,0,0,0,\"" + topic + "\",4\r");
    QTRY_VERIFY_WITH_TIMEOUT(module.acceptingData(), 3000);
    module.receive("22.5AT+CSQ\r");
    QVERIFY(subscriber.waitForMessages(1));
    QCOMPARE(subscriber.messages().constFirst().payload, QByteArray("22.5"));
    QTRY_VERIFY_WITH_TIMEOUT(m_session->wire().contains("+CSQ: 10,0"), 3000);
    QVERIFY2(m_session->wire().contains("\r\n> \r\nOK\r\n"), m_session->wire().constData());
}

void SimMqttTest::variableLengthDataBeyond1460BytesIsOmitted()
{
    const QByteArray topic = uniqueName("sim/long");
    MosquittoSubscriber subscriber(m_port, topic);
    QString error;
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    QVERIFY(connectSlot(0, m_port));
    sim::VirtualModule &module = m_session->module();
    module.receive("AT+QMTPUB=0,0,0,0,\"" + topic + "\"\r");
    QTRY_VERIFY_WITH_TIMEOUT(module.acceptingData(), 3000);
    // Note 2 of 3.3.8: "The part of data that exceeds 1460 bytes is omitted."
    module.receive(pattern(1500) + char(0x1A));
    QVERIFY(subscriber.waitForMessages(1));
    QCOMPARE(subscriber.messages().constFirst().payload, pattern(1460));
}

void SimMqttTest::escCancelsAPublishInDataMode()
{
    const QByteArray topic = uniqueName("sim/esc");
    MosquittoSubscriber subscriber(m_port, topic);
    QString error;
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    QVERIFY(connectSlot(0, m_port));
    sim::VirtualModule &module = m_session->module();
    m_session->clearWire();
    module.receive("AT+QMTPUB=0,0,0,0,\"" + topic + "\"\r");
    QTRY_VERIFY_WITH_TIMEOUT(module.acceptingData(), 3000);
    module.receive(QByteArray("never sent\x1b", 11));
    QTRY_VERIFY_WITH_TIMEOUT(m_session->wire().endsWith("\r\n> \r\nOK\r\n"), 3000);
    QVERIFY2(!subscriber.waitForMessages(1, 500), "a cancelled message reached the broker");
    QVERIFY(!m_session->wire().contains("+QMTPUB:"));
}

void SimMqttTest::dataModeEchoFollowsEchomode()
{
    QVERIFY(m_session->run(m_session->commands().cfgEchoMode(0, 1)).ok());
    QVERIFY(connectSlot(0, m_port));
    QVERIFY(m_session->send("ATE0").ok());
    sim::VirtualModule &module = m_session->module();
    m_session->clearWire();
    module.receive("AT+QMTPUB=0,0,0,0,\"" + uniqueName("sim/echo") + "\"\r");
    QTRY_VERIFY_WITH_TIMEOUT(module.acceptingData(), 3000);
    module.receive(QByteArray("typed\x1a", 6));
    QTRY_VERIFY_WITH_TIMEOUT(m_session->wire().contains("+QMTPUB: 0,0,0"), 3000);
    QCOMPARE(m_session->wire(), QByteArray("\r\n> typed\r\nOK\r\n\r\n+QMTPUB: 0,0,0\r\n"));
}

void SimMqttTest::retainedMessageIsRetained()
{
    const QByteArray topic = uniqueName("sim/retained");
    QVERIFY(connectSlot(0, m_port));
    Publish message{0, 7, 1, true, topic, "last known state", PublishForm::Inline};
    QCOMPARE(m_session->run(m_session->commands().publish(message)).resultLine(), QByteArray("+QMTPUB: 0,7,0"));
    // A subscriber that comes later still gets it, flagged as retained.
    MosquittoSubscriber late(m_port, topic);
    QString error;
    QVERIFY2(late.start(&error), qPrintable(error));
    QVERIFY(late.waitForMessages(1));
    QCOMPARE(late.messages().constFirst().payload, QByteArray("last known state"));
    QVERIFY(late.messages().constFirst().retained);
    QVERIFY2(mosquittoPublish(m_port, topic, {}, 1, true, &error), qPrintable(error)); // clear it
}

void SimMqttTest::subscribeReportsTheGrantedQosPerTopic()
{
    QVERIFY(connectSlot(2, m_port));
    const QByteArray base = uniqueName("sim/granted");
    const AtReply reply = m_session->run(
        m_session->commands().subscribe(2, 5, {{base + "/two", 2}, {base + "/zero", 0}, {base + "/+/one", 1}}));
    QCOMPARE(reply.resultLine(), QByteArray("+QMTSUB: 2,5,0,2,0,1"));
}

void SimMqttTest::refusedSubscriptionIsGranted128()
{
    MosquittoBroker::Options options;
    options.refusedSubscriptions = QStringLiteral("refused/#");
    MosquittoBroker broker(options);
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QVERIFY(connectSlot(0, broker.port()));
    const AtReply reply = m_session->run(m_session->commands().subscribe(0, 9, {{"refused/x", 1}, {"allowed/x", 1}}));
    QCOMPARE(reply.resultLine(), QByteArray("+QMTSUB: 0,9,0,128,1"));
}

void SimMqttTest::unsubscribeReportsItsAcknowledgement()
{
    QVERIFY(connectSlot(0, m_port));
    const QByteArray topic = uniqueName("sim/uns");
    QVERIFY(m_session->run(m_session->commands().subscribe(0, 3, {{topic, 1}})).ok());
    QCOMPARE(m_session->run(m_session->commands().unsubscribe(0, 4, {topic})).resultLine(),
             QByteArray("+QMTUNS: 0,4,0"));
    QString error;
    QVERIFY2(mosquittoPublish(m_port, topic, "after", 1, false, &error), qPrintable(error));
    QVERIFY2(m_session->takeUrc("+QMTRECV:", 500).isEmpty(), "a message arrived after AT+QMTUNS");
}

// ---- will and connection ends ----------------------------------------------------------------------------

void SimMqttTest::willIsPublishedWhenTheLinkDropsUncleanly()
{
    const QByteArray willTopic = uniqueName("sim/will");
    MosquittoSubscriber subscriber(m_port, willTopic);
    QString error;
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    QVERIFY(m_session->run(m_session->commands().cfgWill(1, {true, 1, false, willTopic, "module gone"})).ok());
    QVERIFY(connectSlot(1, m_port));
    QVERIFY(!subscriber.waitForMessages(1, 200));
    QVERIFY(m_session->module().dropBrokerConnection(1));
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 1,1"));
    QVERIFY(subscriber.waitForMessages(1));
    QCOMPARE(subscriber.messages().constFirst().payload, QByteArray("module gone"));
    QCOMPARE(subscriber.messages().constFirst().qos, 1);
}

void SimMqttTest::closingAConnectedClientSendsDisconnectAndReportsQmtstat5()
{
    const QByteArray willTopic = uniqueName("sim/will-kept");
    MosquittoSubscriber subscriber(m_port, willTopic);
    QString error;
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    QVERIFY(m_session->run(m_session->commands().cfgWill(0, {true, 0, false, willTopic, "should not appear"})).ok());
    QVERIFY(connectSlot(0, m_port));
    const AtReply close = m_session->run(m_session->commands().close(0));
    QCOMPARE(close.resultLine(), QByteArray("+QMTCLOSE: 0,0"));
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 0,5"));
    // DISCONNECT went first, so the broker discarded the will.
    QVERIFY2(!subscriber.waitForMessages(1, 500), "the will was published after a DISCONNECT");
    // And AT+QMTDISC, the other orderly end, reports only its result.
    QVERIFY(connectSlot(0, m_port));
    m_session->clearUrcs();
    QCOMPARE(m_session->run(m_session->commands().disc(0)).resultLine(), QByteArray("+QMTDISC: 0,0"));
    QCOMPARE(m_session->urcs(), QList<QByteArray>{"+QMTDISC: 0,0"});
    QCOMPARE(m_session->run(m_session->commands().disc(0)).resultLine(), QByteArray("+QMTDISC: 0,-1"));
    QCOMPARE(m_session->run(m_session->commands().close(0)).resultLine(), QByteArray("+QMTCLOSE: 0,-1"));
}

void SimMqttTest::stoppingTheBrokerYieldsQmtstat1()
{
    MosquittoBroker broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QVERIFY(connectSlot(3, broker.port()));
    broker.stop();
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 3,1"));
    QCOMPARE(m_session->run(QmtCommands::connRead()).lines, QList<QByteArray>{});
    QCOMPARE(m_session->run(QmtCommands::openRead()).lines, QList<QByteArray>{});
    QCOMPARE(m_session->run(m_session->commands().conn(3, "again")).status, ReplyStatus::Error);
}

void SimMqttTest::brokerDroppingAnOpenedSocketYieldsQmtstat1()
{
    MosquittoBroker broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QCOMPARE(m_session->run(m_session->commands().open(0, "127.0.0.1", broker.port())).resultLine(),
             QByteArray("+QMTOPEN: 0,0"));
    broker.stop(); // protocol-notes §7.2: the socket goes before any CONNECT
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 0,1"));
}

void SimMqttTest::wrongCredentialsYieldTheMatchingReturnCode_data()
{
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("result");
    // mosquitto answers a failed login with CONNACK 5, "not authorized", for MQTT 3.1.1.
    QTest::newRow("wrong password") << QByteArray("alice") << QByteArray("wrong") << QByteArray("+QMTCONN: 0,0,5");
    QTest::newRow("unknown user") << QByteArray("mallory") << QByteArray("s3cret,x") << QByteArray("+QMTCONN: 0,0,5");
    QTest::newRow("no credentials") << QByteArray() << QByteArray() << QByteArray("+QMTCONN: 0,0,5");
    QTest::newRow("right credentials") << QByteArray("alice") << QByteArray("s3cret,x")
                                       << QByteArray("+QMTCONN: 0,0,0");
}

void SimMqttTest::wrongCredentialsYieldTheMatchingReturnCode()
{
    QFETCH(QByteArray, user);
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, result);
    MosquittoBroker::Options options;
    options.user = QStringLiteral("alice");
    options.password = QStringLiteral("s3cret,x"); // a comma: the module must read quoted fields whole
    MosquittoBroker broker(options);
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QCOMPARE(m_session->run(m_session->commands().open(0, "127.0.0.1", broker.port())).resultLine(),
             QByteArray("+QMTOPEN: 0,0"));
    const auto optional = [](const QByteArray &v) { return v.isEmpty() ? std::nullopt : std::optional<QByteArray>(v); };
    const AtReply conn =
        m_session->run(m_session->commands().conn(0, uniqueName("cred"), optional(user), optional(password)));
    QCOMPARE(conn.resultLine(), result);
    if (result.endsWith(",0"))
        QVERIFY(m_session->takeUrc("+QMTSTAT:", 300).isEmpty());
    else
        QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 0,4")); // protocol-notes §7.1
}

void SimMqttTest::connectCarriesVersionSessionAndKeepAlive_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("cleanSession");
    QTest::addColumn<int>("keepAlive");
    QTest::addColumn<QString>("logged");
    // mosquitto logs each client as (p<protocol>, c<clean session>, k<keep-alive>): p1 is MQTT 3.1, p2 3.1.1.
    QTest::newRow("the note's defaults") << -1 << -1 << -1 << QStringLiteral("(p2, c1, k120)");
    QTest::newRow("MQTT 3.1, kept session, 60 s") << 0 << 0 << 60 << QStringLiteral("(p1, c0, k60)");
    QTest::newRow("keep-alive off") << 1 << 1 << 0 << QStringLiteral("(p2, c1, k0)");
}

void SimMqttTest::connectCarriesVersionSessionAndKeepAlive()
{
    QFETCH(int, version);
    QFETCH(int, cleanSession);
    QFETCH(int, keepAlive);
    QFETCH(QString, logged);
    MosquittoBroker broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QmtCommands &c = m_session->commands();
    if (version >= 0) {
        QVERIFY(m_session->run(c.cfgVersion(0, version)).ok());
        QVERIFY(m_session->run(c.cfgSession(0, cleanSession)).ok());
        QVERIFY(m_session->run(c.cfgKeepAlive(0, keepAlive)).ok());
    }
    QVERIFY(connectSlot(0, broker.port()));
    QTRY_VERIFY2_WITH_TIMEOUT(broker.log().contains(logged), qPrintable(broker.log()), 3000);
}

void SimMqttTest::openResultsFollowWhatTheNetworkDid_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("result");
    const QByteArray closedPort = QByteArray::number(MosquittoBroker::freePort());
    QTest::newRow("unknown host") << QByteArray("AT+QMTOPEN=0,\"no-such-broker.invalid\",1883")
                                  << QByteArray("+QMTOPEN: 0,4");
    QTest::newRow("connection refused") << QByteArray("AT+QMTOPEN=0,\"127.0.0.1\"," + closedPort)
                                        << QByteArray("+QMTOPEN: 0,-1");
    QTest::newRow("port out of range") << QByteArray("AT+QMTOPEN=0,\"127.0.0.1\",0") << QByteArray("+QMTOPEN: 0,1");
    QTest::newRow("host name of 101 bytes")
        << QByteArray("AT+QMTOPEN=0,\"" + QByteArray(101, 'h') + "\",1883") << QByteArray("+QMTOPEN: 0,1");
}

void SimMqttTest::openResultsFollowWhatTheNetworkDid()
{
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, result);
    QVERIFY(m_session->send(command).ok());
    QCOMPARE(m_session->takeUrc("+QMTOPEN:"), result);
    QCOMPARE(m_session->run(QmtCommands::openRead()).lines, QList<QByteArray>{});
}

void SimMqttTest::openOnAnOccupiedSocketReports2()
{
    QmtCommands &c = m_session->commands();
    QCOMPARE(m_session->run(c.open(4, "127.0.0.1", m_port)).resultLine(), QByteArray("+QMTOPEN: 4,0"));
    QCOMPARE(m_session->run(c.open(4, "127.0.0.1", m_port)).resultLine(), QByteArray("+QMTOPEN: 4,2"));
}

void SimMqttTest::openWithoutPacketDataReports3()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.registrationMs = 100;
    m_session->module().setTimings(timings);
    QVERIFY(m_session->send("AT+CGATT=0").ok());
    QCOMPARE(m_session->run(m_session->commands().open(0, "127.0.0.1", m_port)).resultLine(),
             QByteArray("+QMTOPEN: 0,3"));
    QVERIFY(m_session->send("AT+CEREG=1").ok());
    QVERIFY(m_session->send("AT+CGATT=1").ok());
    QCOMPARE(m_session->takeUrc("+CEREG: 1"), QByteArray("+CEREG: 1"));
    QCOMPARE(m_session->run(m_session->commands().open(0, "127.0.0.1", m_port)).resultLine(),
             QByteArray("+QMTOPEN: 0,0"));
}

void SimMqttTest::losingPacketDataYieldsQmtstat7()
{
    QVERIFY(connectSlot(0, m_port));
    QVERIFY(m_session->send("AT+CFUN=0").ok());
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 0,7"));
}

void SimMqttTest::missingPingrespYieldsQmtstat2()
{
    // libmosquitto's shortest keep-alive is 5 s: PINGREQ after 5 s of silence, given up 5 s later.
    QVERIFY(m_session->run(m_session->commands().cfgKeepAlive(0, 5)).ok());
    QVERIFY(connectSlot(0, m_port));
    m_session->module().setLinkStalled(0, true);
    QCOMPARE(m_session->takeUrc("+QMTSTAT:", 20'000), QByteArray("+QMTSTAT: 0,2"));
}

void SimMqttTest::unacknowledgedPublishFailsAndYieldsQmtstat6()
{
    QmtCommands &c = m_session->commands();
    QVERIFY(m_session->run(c.cfgTimeout(0, 1, 1, 1)).ok());
    QVERIFY(connectSlot(0, m_port));
    m_session->module().setLinkStalled(0, true);
    const AtReply reply =
        m_session->run(c.publish({0, 21, 1, false, uniqueName("sim/lost"), "lost", PublishForm::Inline}));
    // One timeout notice (retry_times 1, timeout_notice 1), then the failure, then the client gives up.
    QCOMPARE(reply.resultLines, (QList<QByteArray>{"+QMTPUB: 0,21,1,1", "+QMTPUB: 0,21,2"}));
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 0,6"));
}

void SimMqttTest::connectThatNeverLeavesYieldsQmtstat3()
{
    QmtCommands &c = m_session->commands();
    QVERIFY(m_session->run(c.cfgTimeout(0, 1, 0, 0)).ok());
    QCOMPARE(m_session->run(c.open(0, "127.0.0.1", m_port)).resultLine(), QByteArray("+QMTOPEN: 0,0"));
    m_session->module().setLinkStalled(0, true);
    const AtReply conn = m_session->run(c.conn(0, uniqueName("stalled")));
    QCOMPARE(conn.resultLine(), QByteArray("+QMTSTAT: 0,3"));
}

void SimMqttTest::pendingResultsFailWhenTheConnectionEnds_data()
{
    QTest::addColumn<QByteArray>("end");
    QTest::addColumn<QByteArray>("lastUrc");
    QTest::newRow("AT+QMTDISC") << QByteArray("AT+QMTDISC=0") << QByteArray("+QMTDISC: 0,");
    QTest::newRow("AT+QMTCLOSE") << QByteArray("AT+QMTCLOSE=0") << QByteArray("+QMTCLOSE: 0,");
    QTest::newRow("packet data lost") << QByteArray("AT+CFUN=0") << QByteArray("+QMTSTAT: 0,7");
}

void SimMqttTest::pendingResultsFailWhenTheConnectionEnds()
{
    // Every OK of AT+QMTSUB, AT+QMTUNS and AT+QMTPUB is followed by its result (note 3.3.6–3.3.8): when the
    // connection ends before the broker answered, the result is a failure (2), before the end's own URC.
    QFETCH(QByteArray, end);
    QFETCH(QByteArray, lastUrc);
    QVERIFY(connectSlot(0, m_port));
    m_session->module().setLinkStalled(0, true); // nothing the broker sends arrives any more
    const QByteArray topic = uniqueName("sim/pending");
    QVERIFY(m_session->send("AT+QMTSUB=0,1,\"" + topic + "\",1").ok());
    QVERIFY(m_session->send("AT+QMTUNS=0,2,\"" + topic + "\"").ok());
    QVERIFY(m_session->send("AT+QMTPUB=0,3,1,0,\"" + topic + "\",5,\"hello\"").ok());
    QVERIFY(m_session->send("AT+QMTPUB=0,4,2,0,\"" + topic + "\",5,\"again\"").ok());
    m_session->clearUrcs();
    QVERIFY(m_session->send(end).ok());
    const auto ended = [&] {
        const QList<QByteArray> &urcs = m_session->urcs();
        return std::any_of(urcs.cbegin(), urcs.cend(), [&](const QByteArray &u) { return u.startsWith(lastUrc); });
    };
    QVERIFY2(QTest::qWaitFor(ended, 10'000), m_session->urcs().join(" | ").constData());
    const QList<QByteArray> urcs = m_session->urcs();
    QCOMPARE(urcs.size(), 5);
    QCOMPARE(urcs.first(4),
             (QList<QByteArray>{"+QMTSUB: 0,1,2", "+QMTUNS: 0,2,2", "+QMTPUB: 0,3,2", "+QMTPUB: 0,4,2"}));
    QVERIFY(urcs.last().startsWith(lastUrc));
}

void SimMqttTest::droppedBrokerConnectionFaultYieldsQmtstat1()
{
    sim::FaultPlan faults;
    faults.dropBrokerAfterMs = 200;
    m_session->module().setFaults(faults);
    QVERIFY(connectSlot(0, m_port));
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 0,1"));
}

void SimMqttTest::readFormsListOpenAndConnectedClients()
{
    QmtCommands &c = m_session->commands();
    QVERIFY(connectSlot(1, m_port));
    QCOMPARE(m_session->run(c.open(3, "localhost", m_port)).resultLine(), QByteArray("+QMTOPEN: 3,0"));
    const QByteArray port = QByteArray::number(m_port);
    QCOMPARE(m_session->run(QmtCommands::openRead()).lines,
             (QList<QByteArray>{"+QMTOPEN: 1,\"127.0.0.1\"," + port, "+QMTOPEN: 3,\"localhost\"," + port}));
    QCOMPARE(m_session->run(QmtCommands::connRead()).lines, (QList<QByteArray>{"+QMTCONN: 1,3", "+QMTCONN: 3,1"}));
}

void SimMqttTest::resultsComeANetworkRoundTripAfterTheirOk()
{
    // A real NB-IoT network answers in hundreds of ms to seconds (protocol-notes §11.3); a host must not count
    // on a result coming with its OK. The module's default is realistic; this test makes it longer.
    QCOMPARE(sim::ModuleTimings{}.networkDelayMs, 300);
    sim::ModuleTimings timings = m_session->module().timings();
    timings.networkDelayMs = 600;
    m_session->module().setTimings(timings);
    QmtCommands &c = m_session->commands();
    const QByteArray topic = uniqueName("sim/delayed");
    const QList<AtReply> replies{
        m_session->run(c.open(0, "127.0.0.1", m_port)),
        m_session->run(c.conn(0, uniqueName("delayed"))),
        m_session->run(c.subscribe(0, 1, {{topic, 1}})),
        m_session->run(c.publish({0, 2, 1, false, topic, "late", PublishForm::Inline})),
    };
    const QList<QByteArray> results{"+QMTOPEN: 0,0", "+QMTCONN: 0,0,0", "+QMTSUB: 0,1,0,1", "+QMTPUB: 0,2,0"};
    for (qsizetype i = 0; i < replies.size(); ++i) {
        QCOMPARE(replies[i].resultLine(), results[i]);
        QVERIFY2(replies[i].elapsedMs >= 600, qPrintable(QString::number(replies[i].elapsedMs)));
    }
    // What the network delivers comes late too: the message published above, back from the broker.
    QCOMPARE(m_session->takeUrc("+QMTRECV:"), "+QMTRECV: 0,1,\"" + topic + "\",\"late\"");
}

/// Connects slot 0 with a persistent session (clean session 0), subscribed to `topic` at QoS 1.
static bool connectPersistent(SimSession &session, quint16 port, const QByteArray &clientId, const QByteArray &topic)
{
    QmtCommands &c = session.commands();
    return session.run(c.cfgSession(0, 0)).ok() &&
           session.run(c.open(0, "127.0.0.1", port)).resultLine() == "+QMTOPEN: 0,0" &&
           session.run(c.conn(0, clientId)).resultLine() == "+QMTCONN: 0,0,0" &&
           session.run(c.subscribe(0, 1, {{topic, 1}})).resultLine() == "+QMTSUB: 0,1,0,1";
}

void SimMqttTest::aMessageOnItsWayWhenTheModuleRebootsComesAgain()
{
    // A module acknowledges a QoS 1 message when it has received it. One still crossing the network when the
    // module reboots was never received, so never acknowledged: the broker keeps it for the persistent
    // session and sends it again once the module is back. (The network delay is long so the reboot comes
    // while the message is on its way, however slow mosquitto_pub is to finish.)
    sim::ModuleTimings timings = m_session->module().timings();
    timings.networkDelayMs = 3000;
    timings.bootMs = 100;
    timings.registrationMs = 100;
    m_session->module().setTimings(timings);
    const QByteArray topic = uniqueName("sim/onitsway");
    const QByteArray clientId = uniqueName("onitsway");
    QVERIFY(connectPersistent(*m_session, m_port, clientId, topic));
    QString error;
    QVERIFY2(mosquittoPublish(m_port, topic, "on its way", 1, false, &error), qPrintable(error));
    // mosquitto_pub ran while this thread waited for it: let the broker's PUBLISH reach the module's side of
    // the network (well within the 3 s it takes to cross it).
    QTest::qWait(500);
    m_session->module().reboot();
    QVERIFY(!m_session->takeUrc("+CFUN: 1").isEmpty());
    QVERIFY(m_session->takeUrc("+QMTRECV:", 100).isEmpty()); // nothing of the old connection comes out
    timings.networkDelayMs = 0;
    m_session->module().setTimings(timings);
    QVERIFY(connectPersistent(*m_session, m_port, clientId, topic));
    const QByteArray line = m_session->takeUrc("+QMTRECV:");
    QVERIFY2(line.endsWith(",\"" + topic + "\",\"on its way\""), line.constData());
}

void SimMqttTest::aMessageOnItsWayWhenTheBrokerDropsComesAgain()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.networkDelayMs = 3000;
    m_session->module().setTimings(timings);
    const QByteArray topic = uniqueName("sim/dropped");
    const QByteArray clientId = uniqueName("dropped");
    QVERIFY(connectPersistent(*m_session, m_port, clientId, topic));
    QString error;
    QVERIFY2(mosquittoPublish(m_port, topic, "on its way", 1, false, &error), qPrintable(error));
    QTest::qWait(500);                                    // on its way, as above
    QVERIFY(m_session->module().dropBrokerConnection(0)); // the connection is reset under the message
    QCOMPARE(m_session->takeUrc("+QMTSTAT:"), QByteArray("+QMTSTAT: 0,1"));
    timings.networkDelayMs = 0;
    m_session->module().setTimings(timings);
    QVERIFY(connectPersistent(*m_session, m_port, clientId, topic));
    const QByteArray line = m_session->takeUrc("+QMTRECV:");
    QVERIFY2(line.endsWith(",\"" + topic + "\",\"on its way\""), line.constData());
}

// ---- chapter 6.1 -----------------------------------------------------------------------------------------

void SimMqttTest::chapter61ExampleComesOutLineForLine()
{
    // Typed byte for byte, as a user would in picocom, with the Alibaba host sent to the local broker.
    sim::VirtualModuleDevice device;
    device.module()->setBrokerRedirects({{QStringLiteral("127.0.0.1"), m_port}, {}});
    QVERIFY(device.open(QIODevice::ReadWrite));
    ExchangePlayer player(device);
    // The Alibaba client ID is per device; a unique one keeps parallel runs apart on the shared broker.
    const QByteArray clientId = uniqueName("clientExample");
    player.setHostLineHook([&](QByteArray line) { return line.replace("\"clientExample\"", '"' + clientId + '"'); });
    player.setModuleLineHook([&](QByteArray &line) {
        if (line.startsWith("+QMTRECV: 0,1023,")) {
            // "Other clients publish": mosquitto_pub does. Its QoS 1 delivery carries the packet identifier
            // the broker picked where the note shows 1023.
            QString error;
            if (!mosquittoPublish(m_port, ChapterGetTopic, "This is the payload related to topic", 1, false, &error))
                return false;
            const QByteArray msgId = player.nextField("+QMTRECV: 0,");
            line.replace("0,1023,", "0," + msgId + ',');
            return msgId.toInt() >= 1;
        }
        // The note drops the topic's leading space in its last +QMTRECV; the broker returns the topic as
        // published, " /oyjtmPl5a5j/...".
        if (line.startsWith("+QMTRECV: 0,0,\"/"))
            line.replace("+QMTRECV: 0,0,\"/", "+QMTRECV: 0,0,\" /");
        return true;
    });
    QString failure;
    QVERIFY2(player.play(loadExchange(QStringLiteral(QMT_FIXTURES_DIR "/chapter6/example_6_1.txt")), &failure),
             qPrintable(failure));
}

QTEST_GUILESS_MAIN(SimMqttTest)
#include "tst_simmqtt.moc"
