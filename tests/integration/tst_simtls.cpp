// TLS for the virtual module: certificates uploaded inline with AT+QSSLCFG, AT+QMTCFG="ssl", and a
// mosquitto TLS listener that requires a client certificate; all material made by openssl at test time.

#include "certificatemaker.h"
#include "exchangeplayer.h"
#include "mosquittobroker.h"
#include "mosquittosubscriber.h"
#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"
#include "simsession.h"

#include <QTemporaryDir>
#include <QTest>

using namespace qmt;
using namespace qmt::test;

class SimTlsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void uploadsReportTheirLengthInBytes();
    void tlsWithClientCertificateCarriesMessagesBothWays();
    void failedHandshakeFailsToOpen_data();
    void failedHandshakeFailsToOpen();
    void certificatesSurviveAReboot();
    void eachSslIndexKeepsItsOwnMaterial();
    void chapter62ExampleComesOutLineForLine();

private:
    bool upload(const QByteArray &ca, int secLevel = 2, int contextId = 0, int connectId = 0);
    void reboot();
    [[nodiscard]] QStringList tlsClientArguments() const;

    QTemporaryDir m_dir;
    std::unique_ptr<CertificateMaker> m_certs;
    std::unique_ptr<MosquittoBroker> m_broker;
    std::unique_ptr<SimSession> m_session;
};

void SimTlsTest::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_simtls"));
    QVERIFY(m_dir.isValid());
    m_certs = std::make_unique<CertificateMaker>(m_dir.path());
    QString error;
    QVERIFY2(m_certs->make(&error), qPrintable(error));
    m_broker = std::make_unique<MosquittoBroker>(MosquittoBroker::mutualTls(*m_certs));
    QVERIFY2(m_broker->start(&error), qPrintable(error));
}

void SimTlsTest::init()
{
    m_session = std::make_unique<SimSession>();
}

void SimTlsTest::cleanup()
{
    m_session.reset();
}

void SimTlsTest::cleanupTestCase()
{
    m_broker.reset();
}

QStringList SimTlsTest::tlsClientArguments() const
{
    return {QStringLiteral("--cafile"), m_certs->path(CertificateMaker::CaCert),
            QStringLiteral("--cert"),   m_certs->path(CertificateMaker::ClientCert),
            QStringLiteral("--key"),    m_certs->path(CertificateMaker::ClientKey)};
}

bool SimTlsTest::upload(const QByteArray &ca, int secLevel, int contextId, int connectId)
{
    QmtCommands &c = m_session->commands();
    const auto item = [&](SslItem i, const QByteArray &pem) { return c.sslUpload(i, pem, contextId, connectId); };
    return m_session->run(c.sslSecLevel(secLevel, contextId, connectId)).ok() &&
           m_session->run(item(SslItem::CaCert, ca)).ok() &&
           m_session->run(item(SslItem::ClientCert, m_certs->read(CertificateMaker::ClientCert))).ok() &&
           m_session->run(item(SslItem::ClientKey, m_certs->read(CertificateMaker::ClientKey))).ok();
}

void SimTlsTest::reboot()
{
    sim::ModuleTimings timings = m_session->module().timings();
    timings.bootMs = 50;
    timings.registrationMs = 50;
    m_session->module().setTimings(timings);
    QVERIFY(m_session->send("AT+QRST=1").ok());
    QVERIFY(!m_session->takeUrc("+CFUN: 1").isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_session->send("AT+CGATT?").lines == QList<QByteArray>{"+CGATT: 1"}, 3000);
}

void SimTlsTest::uploadsReportTheirLengthInBytes()
{
    QmtCommands &c = m_session->commands();
    const QByteArray ca = m_certs->read(CertificateMaker::CaCert);
    const QByteArray key = m_certs->read(CertificateMaker::ClientKey);
    const AtReply caReply = m_session->run(c.sslUpload(SslItem::CaCert, ca));
    QVERIFY(caReply.ok());
    QVERIFY(caReply.lines.contains("+QSSLCFG: 0,0,\"cacert\"," + QByteArray::number(ca.size())));
    const AtReply keyReply = m_session->run(c.sslUpload(SslItem::ClientKey, key));
    QVERIFY(keyReply.ok());
    QVERIFY(keyReply.lines.contains("+QSSLCFG: 0,0,\"clientkey\"," + QByteArray::number(key.size())));
    QVERIFY(m_session->run(c.sslSecLevel(1)).ok());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"seclevel\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"seclevel\",1"});
}

void SimTlsTest::tlsWithClientCertificateCarriesMessagesBothWays()
{
    QVERIFY(upload(m_certs->read(CertificateMaker::CaCert)));
    QmtCommands &c = m_session->commands();
    QVERIFY(m_session->run(c.cfgSsl(0, 1, 0, 0)).ok());
    QCOMPARE(m_session->run(c.open(0, "127.0.0.1", m_broker->port())).resultLine(), QByteArray("+QMTOPEN: 0,0"));
    QCOMPARE(m_session->run(c.conn(0, uniqueName("tls"))).resultLine(), QByteArray("+QMTCONN: 0,0,0"));

    const QByteArray up = uniqueName("sim/tls/up");
    MosquittoSubscriber subscriber(m_broker->port(), up, 2, tlsClientArguments());
    QString error;
    QVERIFY2(subscriber.start(&error), qPrintable(error));
    QCOMPARE(m_session->run(c.publish({0, 5, 2, false, up, "over TLS", PublishForm::Inline})).resultLine(),
             QByteArray("+QMTPUB: 0,5,0"));
    QVERIFY(subscriber.waitForMessages(1));
    QCOMPARE(subscriber.messages().constFirst().payload, QByteArray("over TLS"));

    const QByteArray down = uniqueName("sim/tls/down");
    QCOMPARE(m_session->run(c.subscribe(0, 1, {{down, 0}})).resultLine(), QByteArray("+QMTSUB: 0,1,0,0"));
    QVERIFY2(mosquittoPublish(m_broker->port(), down, "back", 0, false, &error, tlsClientArguments()),
             qPrintable(error));
    QCOMPARE(m_session->takeUrc("+QMTRECV:"), "+QMTRECV: 0,0,\"" + down + "\",\"back\"");
}

void SimTlsTest::failedHandshakeFailsToOpen_data()
{
    QTest::addColumn<QByteArray>("ca");
    QTest::addColumn<int>("secLevel");
    // protocol-notes §5.2: certificate trouble shows as +QMTOPEN: <id>,-1.
    QTest::newRow("wrong CA") << QByteArray(CertificateMaker::OtherCaCert) << 2;
    QTest::newRow("no client certificate for a broker that wants one") << QByteArray(CertificateMaker::CaCert) << 1;
    QTest::newRow("TLS to a plain listener") << QByteArray() << 0;
}

void SimTlsTest::failedHandshakeFailsToOpen()
{
    QFETCH(QByteArray, ca);
    QFETCH(int, secLevel);
    QmtCommands &c = m_session->commands();
    quint16 port = m_broker->port();
    if (ca.isEmpty()) {
        port = MosquittoBroker::sharedBrokerPort();
        QVERIFY(m_session->run(c.sslSecLevel(0)).ok());
    } else {
        QVERIFY(upload(m_certs->read(ca.constData()), secLevel));
    }
    QVERIFY(m_session->run(c.cfgSsl(2, 1)).ok());
    QCOMPARE(m_session->run(c.open(2, "127.0.0.1", port)).resultLine(), QByteArray("+QMTOPEN: 2,-1"));
    QCOMPARE(m_session->run(QmtCommands::openRead()).lines, QList<QByteArray>{});
}

void SimTlsTest::certificatesSurviveAReboot()
{
    QVERIFY(upload(m_certs->read(CertificateMaker::CaCert)));
    reboot();
    // Only the certificates are saved (protocol-notes §5.1); the security level is back to its default.
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"seclevel\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"seclevel\",0"});
    QmtCommands &c = m_session->commands();
    QVERIFY(m_session->run(c.sslSecLevel(2)).ok());
    QCOMPARE(m_session->send("AT+QMTCFG=\"ssl\",0").lines, QList<QByteArray>{"+QMTCFG: 0"});
    QVERIFY(m_session->run(c.cfgSsl(0, 1)).ok());
    QCOMPARE(m_session->run(c.open(0, "localhost", m_broker->port())).resultLine(), QByteArray("+QMTOPEN: 0,0"));
    QCOMPARE(m_session->run(c.conn(0, uniqueName("after-reboot"))).resultLine(), QByteArray("+QMTCONN: 0,0,0"));
}

void SimTlsTest::eachSslIndexKeepsItsOwnMaterial()
{
    // Slot 0's SSL index holds a CA that did not sign the broker; slot 1's, uploaded after it, the right one.
    // Neither upload touches the other's material or security level.
    QmtCommands &c = m_session->commands();
    QVERIFY(upload(m_certs->read(CertificateMaker::OtherCaCert), 2, 0, 0));
    const QByteArray ca = m_certs->read(CertificateMaker::CaCert);
    QCOMPARE(m_session->run(c.sslSecLevel(1, 0, 1)).finalLine, QByteArray("OK"));
    const AtReply caReply = m_session->run(c.sslUpload(SslItem::CaCert, ca, 0, 1));
    QCOMPARE(caReply.lines, QList<QByteArray>{"+QSSLCFG: 0,1,\"cacert\"," + QByteArray::number(ca.size())});
    QVERIFY(upload(ca, 2, 0, 1));
    QCOMPARE(m_session->send("AT+QSSLCFG=0,0,\"seclevel\"").lines, QList<QByteArray>{"+QSSLCFG: 0,0,\"seclevel\",2"});
    QVERIFY(m_session->run(c.sslSecLevel(1, 0, 0)).ok());
    QCOMPARE(m_session->send("AT+QSSLCFG=0,1,\"seclevel\"").lines, QList<QByteArray>{"+QSSLCFG: 0,1,\"seclevel\",2"});
    QVERIFY(m_session->run(c.sslSecLevel(2, 0, 0)).ok());

    QVERIFY(m_session->run(c.cfgSsl(1, 1, 0, 1)).ok());
    QCOMPARE(m_session->run(c.open(1, "127.0.0.1", m_broker->port())).resultLine(), QByteArray("+QMTOPEN: 1,0"));
    QCOMPARE(m_session->run(c.conn(1, uniqueName("index-0-1"))).resultLine(), QByteArray("+QMTCONN: 1,0,0"));
    QVERIFY(m_session->run(c.cfgSsl(0, 1, 0, 0)).ok());
    QCOMPARE(m_session->run(c.open(0, "127.0.0.1", m_broker->port())).resultLine(), QByteArray("+QMTOPEN: 0,-1"));

    // The note's ranges, contextID 0–10 and connectID 0–4, and nothing beyond them.
    QCOMPARE(m_session->send("AT+QSSLCFG=10,4,\"seclevel\",1").finalLine, QByteArray("OK"));
    QCOMPARE(m_session->send("AT+QSSLCFG=10,4,\"seclevel\"").lines, QList<QByteArray>{"+QSSLCFG: 10,4,\"seclevel\",1"});
    QCOMPARE(m_session->send("AT+QSSLCFG=11,0,\"seclevel\",1").finalLine, QByteArray("+CME ERROR: 8507"));
    QCOMPARE(m_session->send("AT+QSSLCFG=0,5,\"seclevel\",1").finalLine, QByteArray("+CME ERROR: 8507"));

    // Every index keeps its certificates across a reboot.
    reboot();
    QVERIFY(m_session->run(c.sslSecLevel(2, 0, 1)).ok());
    QVERIFY(m_session->run(c.cfgSsl(3, 1, 0, 1)).ok());
    QCOMPARE(m_session->run(c.open(3, "127.0.0.1", m_broker->port())).resultLine(), QByteArray("+QMTOPEN: 3,0"));
}

void SimTlsTest::chapter62ExampleComesOutLineForLine()
{
    // Typed byte for byte, with the Azure host sent to the local TLS broker (its certificate is checked
    // against 127.0.0.1) and the note's PEM placeholders replaced by this test's certificates.
    sim::VirtualModuleDevice device;
    device.module()->setBrokerRedirects({{}, {QStringLiteral("127.0.0.1"), m_broker->port()}});
    QVERIFY(device.open(QIODevice::ReadWrite));
    ExchangePlayer player(device);
    const QList<QByteArray> pems{m_certs->read(CertificateMaker::CaCert), m_certs->read(CertificateMaker::ClientCert),
                                 m_certs->read(CertificateMaker::ClientKey)};
    qsizetype pemIndex = 0;
    player.setDataHook([&](const ExchangeItem &item, bool *echoed) {
        // The certificate upload echoes the PEM ("the content … will be displayed"); AT+QMTPUB does not
        // (echomode 0).
        *echoed = item.text.startsWith("-----BEGIN");
        return *echoed ? pems.value(pemIndex++) : item.text;
    });
    player.setModuleLineHook([&](QByteArray &line) {
        if (line.startsWith("+QSSLCFG: 0,0,")) {
            // The reported length is that of the PEM typed: this test's, not the note's.
            line = line.left(line.lastIndexOf(',') + 1) + QByteArray::number(pems.value(pemIndex - 1).size());
        } else if (line.startsWith("+QMTRECV: 3,2,")) {
            // The cloud-to-device message comes from mosquitto_pub over TLS, on the topic the note shows.
            const QByteArray topic = line.mid(15, line.indexOf("\",\"") - 15);
            QString error;
            if (!mosquittoPublish(m_broker->port(), topic, "hi quectel", 1, false, &error, tlsClientArguments()))
                return false;
            const QByteArray msgId = player.nextField("+QMTRECV: 3,");
            line.replace("3,2,", "3," + msgId + ',');
            return msgId.toInt() >= 1;
        }
        return true;
    });
    QString failure;
    QVERIFY2(player.play(loadExchange(QStringLiteral(QMT_FIXTURES_DIR "/chapter6/example_6_2.txt")), &failure),
             qPrintable(failure));
    QCOMPARE(pemIndex, qsizetype(3));
}

QTEST_GUILESS_MAIN(SimTlsTest)
#include "tst_simtls.moc"
