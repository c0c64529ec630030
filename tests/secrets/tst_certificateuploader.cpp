// The certificate uploader and the live connection test: against a module whose answers the test writes
// (to make it misreport a length or refuse), and against the virtual module with a mosquitto TLS listener
// that requires a client certificate.

#include "certificatemaker.h"
#include "mosquittobroker.h"
#include "support/rulemodule.h"
#include "virtualmodule.h"
#include "virtualmoduledevice.h"

#include "module/modulecontroller.h"
#include "tls/certificateuploader.h"
#include "tls/seclevelkeeper.h"
#include "tls/tlsconnectiontest.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;
using namespace qmt::test;

Q_DECLARE_METATYPE(qmt::SslItem)
Q_DECLARE_METATYPE(qmt::CertificateUploader::Stage)

namespace {

QByteArray ok(const QByteArray &lines = {})
{
    return (lines.isEmpty() ? QByteArray() : "\r\n" + lines) + "\r\nOK\r\n";
}

/// A module that takes uploads and reports their length, less `shortBy` bytes for `liar`.
struct UploadModule
{
    RuleModule module;
    QByteArray lastItem;
    QList<QPair<QByteArray, QByteArray>> uploads; // item, data
    QByteArray liar;
    int shortBy = 0;
    QByteArray refuse; // an item the module answers ERROR to

    UploadModule()
    {
        module.setRule([this](const QByteArray &c) -> QByteArray {
            if (c.startsWith("AT+QSSLCFG=0,0,\"") && c.count(',') == 2) {
                lastItem = c.mid(16, c.size() - 17);
                return "\r\n> ";
            }
            if (c == "AT+CGATT?")
                return ok("+CGATT: 1");
            if (c.startsWith("AT+QMTOPEN="))
                return ok() + "\r\n+QMTOPEN: " + c.mid(11, 1) + ",0\r\n";
            return ok();
        });
        module.setDataRule([this](const QByteArray &data) -> QByteArray {
            uploads.append({lastItem, data});
            if (lastItem == refuse)
                return "\r\nERROR\r\n";
            const qsizetype length = data.size() - (lastItem == liar ? shortBy : 0);
            return ok("+QSSLCFG: 0,0,\"" + lastItem + "\"," + QByteArray::number(length));
        });
    }
};

TlsCheckReport checked(const CertificateMaker &certs, const char *ca = CertificateMaker::CaCert)
{
    return TlsMaterialCheck::check(
        TlsMaterial{
            2, certs.read(ca), certs.read(CertificateMaker::ClientCert), certs.read(CertificateMaker::ClientKey), {}},
        QDateTime::currentDateTimeUtc());
}

} // namespace

class TestCertificateUploader : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<CertificateMaker> m_certs;
    std::unique_ptr<MosquittoBroker> m_broker;

    static bool openController(ModuleController &controller, QIODevice *device)
    {
        controller.setInfoPollIntervalMs(3'600'000);
        controller.setWakeAfterIdleMs(3'600'000);
        controller.setPortProvider(std::make_unique<TestPortProvider>(device));
        return controller.openPort() && QTest::qWaitFor([&] { return controller.channel().isIdle(); }, 5000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_certificateuploader"));
        QVERIFY(m_dir.isValid());
        m_certs = std::make_unique<CertificateMaker>(m_dir.path());
        QString error;
        QVERIFY2(m_certs->make(&error), qPrintable(error));
        m_broker = std::make_unique<MosquittoBroker>(MosquittoBroker::mutualTls(*m_certs));
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_broker.reset(); }

    void uploadSendsLevelItemsAndSslInOrderAndEachLengthMatches()
    {
        UploadModule rig;
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        rig.module.clearCommands();
        const TlsCheckReport report = checked(*m_certs);
        CertificateUploader uploader(controller);
        QSignalSpy stages(&uploader, &CertificateUploader::itemStage);
        QSignalSpy finished(&uploader, &CertificateUploader::finished);
        QSignalSpy shown(&controller.channel(), &AtChannel::dataSent);
        QString error;
        QVERIFY2(uploader.start(report, 3, &error), qPrintable(error));
        QVERIFY(finished.wait(15'000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));

        QCOMPARE(rig.module.commands(),
                 (QList<QByteArray>{"AT", "AT+QSSLCFG=0,0,\"seclevel\",2", "AT+QSSLCFG=0,0,\"cacert\"",
                                    "AT+QSSLCFG=0,0,\"clientcert\"", "AT+QSSLCFG=0,0,\"clientkey\"",
                                    "AT+QMTCFG=\"ssl\",3,1,0,0"}));
        QCOMPARE(rig.uploads.size(), 3);
        for (qsizetype i = 0; i < 3; ++i) {
            QCOMPARE(rig.uploads[i].second, report.uploads[i].bytes);
            QCOMPARE(uploader.reportedLength(report.uploads[i].item), int(report.uploads[i].bytes.size()));
        }
        // The key's bytes never reach anything that shows or logs data: only their length.
        const QByteArray keyShown = shown.last().at(1).toByteArray();
        QCOMPARE(keyShown, "<redacted, " + QByteArray::number(report.uploads[2].bytes.size()) + " bytes>");
        // Each item goes through every stage, in order.
        using S = CertificateUploader::Stage;
        QList<S> caStages;
        for (const QList<QVariant> &s : stages) {
            if (s.at(0).value<SslItem>() == SslItem::CaCert)
                caStages.append(s.at(1).value<S>());
        }
        QCOMPARE(caStages, (QList<S>{S::Waiting, S::CommandSent, S::Prompted, S::DataSent, S::Confirmed}));
        QVERIFY(controller.config(3).sslEnabled);
    }

    void aLengthTheModuleMisreportsStopsTheUploadNamingBothLengths()
    {
        UploadModule rig;
        rig.liar = "clientcert";
        rig.shortBy = 26; // what a CR LF → LF conversion of 26 lines would take off
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        rig.module.clearCommands();
        const TlsCheckReport report = checked(*m_certs);
        CertificateUploader uploader(controller);
        QSignalSpy finished(&uploader, &CertificateUploader::finished);
        QString error;
        QVERIFY(uploader.start(report, 0, &error));
        QVERIFY(finished.wait(15'000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        const qsizetype sent = report.uploads[1].bytes.size();
        QCOMPARE(finished.first().at(1).toString(),
                 QStringLiteral("Client certificate: the module stored %1 bytes, but %2 were sent. The upload stopped "
                                "here.")
                     .arg(sent - 26)
                     .arg(sent));
        QCOMPARE(rig.module.count("AT+QSSLCFG=0,0,\"clientkey\""), 0);
        QCOMPARE(rig.module.count("AT+QMTCFG=\"ssl\""), 0);
        QVERIFY(!controller.config(0).sslEnabled);
    }

    void aRefusedUploadStopsAndSaysWhichItem()
    {
        UploadModule rig;
        rig.refuse = "cacert";
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        CertificateUploader uploader(controller);
        QSignalSpy finished(&uploader, &CertificateUploader::finished);
        QString error;
        QVERIFY(uploader.start(checked(*m_certs), 0, &error));
        QVERIFY(finished.wait(15'000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY2(
            finished.first().at(1).toString().startsWith(QStringLiteral("CA certificate: the module answered ERROR")),
            qPrintable(finished.first().at(1).toString()));
        QCOMPARE(rig.module.count("AT+QSSLCFG=0,0,\"clientcert\""), 0);
    }

    void anUploaderClosedMidUploadLeavesTheLineWorking()
    {
        UploadModule rig;
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        auto uploader = std::make_unique<CertificateUploader>(controller);
        QSignalSpy stages(uploader.get(), &CertificateUploader::itemStage);
        QString error;
        QVERIFY(uploader->start(checked(*m_certs), 0, &error));
        QTRY_VERIFY(std::any_of(stages.cbegin(), stages.cend(), [](const QList<QVariant> &s) {
            return s.at(1).value<CertificateUploader::Stage>() == CertificateUploader::Stage::Prompted;
        }));
        uploader.reset(); // the wizard closed while the CA certificate was on its way
        QTRY_VERIFY_WITH_TIMEOUT(controller.channel().isIdle(), 5000);
        QCOMPARE(rig.uploads.size(), 1);
        bool answered = false;
        AtCommand at;
        at.text = "AT";
        at.onFinished = [&answered](const AtReply &r) { answered = r.ok(); };
        controller.channel().submit(at);
        QTRY_VERIFY(answered);
    }

    void nothingIsSentForMaterialWithErrorsOrAnOpenSlot()
    {
        UploadModule rig;
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        rig.module.clearCommands();
        CertificateUploader uploader(controller);
        QString error;
        TlsMaterial bad{
            2, m_certs->read(CertificateMaker::CaCert), m_certs->read(CertificateMaker::ClientCert), {}, {}};
        QVERIFY(!uploader.start(TlsMaterialCheck::check(bad, QDateTime::currentDateTimeUtc()), 0, &error));
        QVERIFY2(error.contains(QStringLiteral("Private key: required for security level 2")), qPrintable(error));

        SlotConfig config;
        config.host = "127.0.0.1";
        config.clientId = "open";
        controller.setConfig(1, config);
        QVERIFY(controller.open(1));
        QTRY_COMPARE(controller.status(1).state, SlotState::Open);
        rig.module.clearCommands();
        QVERIFY(!uploader.start(checked(*m_certs), 1, &error));
        QVERIFY2(error.contains(QStringLiteral("Slot 1 is")) && error.contains(QStringLiteral("Stop the slot first")),
                 qPrintable(error));
        QTest::qWait(100);
        QCOMPARE(rig.module.count("AT+QSSLCFG"), 0);
        QCOMPARE(rig.module.count("AT+QMTCFG=\"ssl\""), 0);
        QVERIFY(!rig.module.commands().contains("AT"));
    }

    void theLiveTestConnectsOverMutualTls_data()
    {
        QTest::addColumn<QByteArray>("ca");
        QTest::addColumn<bool>("connects");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("the broker's CA") << QByteArray(CertificateMaker::CaCert) << true
                                         << QStringLiteral("is connected to 127.0.0.1:");
        // FACTS §5, fact 19: certificate trouble shows as +QMTOPEN: <id>,-1.
        QTest::newRow("another CA: the handshake fails")
            << QByteArray(CertificateMaker::OtherCaCert) << false
            << QStringLiteral("Slot 2 failed: Failed to open network connection. With TLS this is the usual sign of "
                              "certificate trouble");
    }
    void theLiveTestConnectsOverMutualTls()
    {
        QFETCH(QByteArray, ca);
        QFETCH(bool, connects);
        QFETCH(QString, mentions);
        sim::VirtualModuleDevice device;
        ModuleController controller;
        QVERIFY(openController(controller, &device));
        CertificateUploader uploader(controller);
        QSignalSpy uploaded(&uploader, &CertificateUploader::finished);
        QString error;
        QVERIFY(uploader.start(checked(*m_certs, ca.constData()), 2, &error));
        QVERIFY(uploaded.wait(15'000));
        QVERIFY(uploaded.first().at(0).toBool());

        SlotConfig config = controller.config(2);
        config.host = "127.0.0.1";
        config.port = m_broker->port();
        config.clientId = "live-test";
        controller.setConfig(2, config);
        TlsConnectionTest test(controller);
        QSignalSpy finished(&test, &TlsConnectionTest::finished);
        QVERIFY2(test.start(2, &error), qPrintable(error));
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.first().at(0).toBool(), connects);
        QVERIFY2(finished.first().at(1).toString().contains(mentions), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(controller.status(2).state, connects ? SlotState::Connected : SlotState::Closed);
    }

    void theSecurityLevelComesBackAfterAReboot()
    {
        sim::VirtualModuleDevice device;
        sim::ModuleTimings timings;
        timings.bootMs = 50;
        timings.registrationMs = 50;
        device.module()->setTimings(timings);
        ModuleController controller;
        QVERIFY(openController(controller, &device));
        SecLevelKeeper keeper(controller);
        keeper.setLevel(2);
        QSignalSpy rebooted(&controller, &ModuleController::moduleRebooted);
        QSignalSpy notices(&keeper, &SecLevelKeeper::notice);
        controller.sendRaw("AT+QRST=1");
        QVERIFY(rebooted.wait(10'000));
        QVERIFY(!notices.isEmpty()); // the controller reports a reboot for RDY and for +CFUN: 1
        QList<QByteArray> answer;
        QTRY_VERIFY_WITH_TIMEOUT(controller.channel().isIdle(), 5000);
        AtCommand query;
        query.text = "AT+QSSLCFG=0,0,\"seclevel\"";
        query.onFinished = [&answer](const AtReply &r) { answer = r.lines; };
        controller.channel().submit(query);
        QTRY_COMPARE(answer, QList<QByteArray>{"+QSSLCFG: 0,0,\"seclevel\",2"});
    }
};

QTEST_GUILESS_MAIN(TestCertificateUploader)
#include "tst_certificateuploader.moc"
