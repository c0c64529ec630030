// The certificate uploader and the live connection test: against a module whose answers the test writes
// (to make it misreport a length or refuse), and against the virtual module with a mosquitto TLS listener
// that requires a client certificate.

#include "certificatemaker.h"
#include "mosquittobroker.h"
#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"
#include "support/rulemodule.h"

#include "core/module/modulecontroller.h"
#include "core/tls/certificateuploader.h"
#include "core/tls/seclevelkeeper.h"
#include "core/tls/tlsconnectiontest.h"

#include <QRegularExpression>
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

/// A module that takes uploads at any SSL index and reports their length, less `shortBy` bytes for `liar`.
struct UploadModule
{
    RuleModule module;
    QByteArray lastItem;
    QByteArray lastIndex;                         // "0,3"
    QList<QPair<QByteArray, QByteArray>> uploads; // item, data
    QByteArray liar;
    int shortBy = 0;
    QByteArray refuse;          // an item the module answers ERROR to
    bool onlyIndexZero = false; // firmware as the note describes it: AT+QSSLCFG at any index but 0,0 is refused

    UploadModule()
    {
        module.setRule([this](const QByteArray &c) -> QByteArray {
            static const QRegularExpression sslCfg(QStringLiteral("^AT\\+QSSLCFG=(\\d+,\\d+),\"(\\w+)\"(,\\d+)?$"));
            const QRegularExpressionMatch m = sslCfg.match(QString::fromLatin1(c));
            if (m.hasMatch() && onlyIndexZero && m.captured(1) != QLatin1String("0,0"))
                return "\r\nERROR\r\n";
            if (m.hasMatch() && !m.hasCaptured(3)) {
                lastIndex = m.captured(1).toLatin1();
                lastItem = m.captured(2).toLatin1();
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
            return ok("+QSSLCFG: " + lastIndex + ",\"" + lastItem + "\"," + QByteArray::number(length));
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

    /// Opens the port and waits out what opening sends: the slot sync and the info poller's first sweep,
    /// which ends with AT+CGATT?. The poller sends one command per tick on an idle line, so an idle line
    /// alone does not mean it is done; a sweep left over would go out when an upload ends, among the
    /// commands a test counts. The next sweep is an hour away.
    static bool openController(ModuleController &controller, QIODevice *device)
    {
        controller.setInfoPollIntervalMs(3'600'000);
        controller.setWakeAfterIdleMs(3'600'000);
        controller.setPortProvider(std::make_unique<TestPortProvider>(device));
        QSignalSpy finished(&controller.channel(), &AtChannel::commandFinished);
        const auto swept = [&finished] {
            return std::any_of(finished.cbegin(), finished.cend(), [](const QList<QVariant> &reply) {
                return reply.at(0).value<AtReply>().command == "AT+CGATT?";
            });
        };
        return controller.openPort() &&
               QTest::qWaitFor([&] { return swept() && controller.channel().isIdle(); }, 10'000);
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

        // Slot 3's own SSL index: context 0, connect ID 3.
        QCOMPARE(rig.module.commands().join(" | "),
                 QByteArray("AT | AT+QSSLCFG=0,3,\"seclevel\",2 | AT+QSSLCFG=0,3,\"cacert\" | "
                            "AT+QSSLCFG=0,3,\"clientcert\" | AT+QSSLCFG=0,3,\"clientkey\" | "
                            "AT+QMTCFG=\"ssl\",3,1,0,3"));
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
        QCOMPARE(SslIndex::of(controller.config(3)), (SslIndex{0, 3}));
    }

    void theUserChoosesTheIndexAndSlotsShareIt()
    {
        UploadModule rig;
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        rig.module.clearCommands();
        CertificateUploader uploader(controller);
        QSignalSpy finished(&uploader, &CertificateUploader::finished);
        QString error;
        QVERIFY2(uploader.start(checked(*m_certs), CertificateUploader::Target{4, SslIndex{10, 1}, false}, &error),
                 qPrintable(error));
        QVERIFY(finished.wait(15'000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(rig.module.count("AT+QSSLCFG=10,1,\"cacert\""), 1);
        QCOMPARE(rig.module.commands().last(), QByteArray("AT+QMTCFG=\"ssl\",4,1,10,1"));
        QCOMPARE(SslIndex::of(controller.config(4)), (SslIndex{10, 1}));
        // A slot already on TLS keeps uploading to the index it names.
        QCOMPARE(SslIndex::proposedFor(4, controller.config(4)), (SslIndex{10, 1}));
        QCOMPARE(SslIndex::proposedFor(2, controller.config(2)), (SslIndex{0, 2}));
    }

    void replacingMaterialAnActiveSlotUsesNeedsTheUsersYes()
    {
        UploadModule rig;
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        SlotConfig config;
        config.host = "127.0.0.1";
        config.clientId = "uses-0-0";
        config.sslEnabled = true; // index 0,0, where a profile of an older version put every slot's material
        controller.setConfig(2, config);
        QVERIFY(controller.open(2));
        QTRY_COMPARE(controller.status(2).state, SlotState::Open);
        QCOMPARE((SslIndex{0, 0}).activeSlotsUsing(controller, 0), QList<int>{2});
        QCOMPARE((SslIndex{0, 1}).activeSlotsUsing(controller, 0), QList<int>{});
        rig.module.clearCommands();

        CertificateUploader uploader(controller);
        QString error;
        const CertificateUploader::Target target{0, SslIndex{0, 0}, false};
        QVERIFY(!uploader.start(checked(*m_certs), target, &error));
        QCOMPARE(error, QStringLiteral("The material at SSL context 0, connect ID 0 is in use by slot 2, which would "
                                       "reconnect with the new material. Choose another SSL index for slot 0, or "
                                       "confirm replacing it."));
        QTest::qWait(100);
        QCOMPARE(rig.module.count("AT+QSSLCFG"), 0);
        QVERIFY(!rig.module.commands().contains("AT")); // not even the wake-up

        QSignalSpy finished(&uploader, &CertificateUploader::finished);
        QVERIFY2(uploader.start(checked(*m_certs), CertificateUploader::Target{0, SslIndex{0, 0}, true}, &error),
                 qPrintable(error));
        QVERIFY(finished.wait(15'000));
        QVERIFY(finished.first().at(0).toBool());
        QCOMPARE(rig.module.count("AT+QSSLCFG=0,0,\"cacert\""), 1);
    }

    void aRunningSlotCountsWithTheIndexItRunsWithNotAnUnappliedEdit()
    {
        UploadModule rig;
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        SlotConfig config;
        config.host = "127.0.0.1";
        config.clientId = "runs-on-0-2";
        config.sslEnabled = true;
        config.sslConnectId = 2;
        controller.setConfig(2, config);
        QVERIFY(controller.start(2));
        QTRY_VERIFY(controller.status(2).state != SlotState::Closed);
        // The user moves slot 2 to another index in the form without applying it: the slot still runs, and
        // reconnects, with 0,2.
        config.sslConnectId = 4;
        controller.setConfig(2, config);
        QCOMPARE((SslIndex{0, 2}).activeSlotsUsing(controller, 0), QList<int>{2});
        QCOMPARE((SslIndex{0, 4}).activeSlotsUsing(controller, 0), QList<int>{});
    }

    void aModuleThatTakesOnlyIndexZeroGetsAdviceNotJustError()
    {
        UploadModule rig;
        rig.onlyIndexZero = true;
        ModuleController controller;
        QVERIFY(openController(controller, &rig.module));
        CertificateUploader uploader(controller);
        QSignalSpy finished(&uploader, &CertificateUploader::finished);
        QString error;
        QVERIFY(uploader.start(checked(*m_certs), 1, &error));
        QVERIFY(finished.wait(15'000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        const QString message = finished.first().at(1).toString();
        QVERIFY2(message.startsWith(QStringLiteral("AT+QSSLCFG=0,1,\"seclevel\",2: the module answered ERROR")) &&
                     message.contains(QStringLiteral("choose context 0 and connect ID 0 for this slot")),
                 qPrintable(message));
        QCOMPARE(rig.module.count("AT+QSSLCFG=0,1,\"cacert\""), 0);
        QVERIFY(!controller.config(1).sslEnabled);
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
        connect(&controller.console(), &ConsoleSession::finished, this,
                [&answered](const AtReply &r) { answered = r.ok(); });
        controller.console().send("AT");
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
        // protocol-notes §5.2: certificate trouble shows as +QMTOPEN: <id>,-1.
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

    void uploadingForOneSlotLeavesAnotherSlotsMaterialAlone()
    {
        // Slot 2 connects with the broker's CA; then material with another CA goes up for slot 3. Slot 2 must
        // still connect with what it had when it next opens (it looped on +QMTOPEN: 2,-1 when every upload
        // went to SSL context 0, connect ID 0).
        sim::VirtualModuleDevice device;
        ModuleController controller;
        QVERIFY(openController(controller, &device));
        const auto uploadFor = [&](int slot, const char *ca) {
            CertificateUploader uploader(controller);
            QSignalSpy uploaded(&uploader, &CertificateUploader::finished);
            QString error;
            return uploader.start(checked(*m_certs, ca), slot, &error) && uploaded.wait(15'000) &&
                   uploaded.first().at(0).toBool();
        };
        const auto connectSlot = [&](int slot) {
            SlotConfig config = controller.config(slot);
            config.host = "127.0.0.1";
            config.port = m_broker->port();
            config.clientId = "own-index-" + QByteArray::number(slot);
            controller.setConfig(slot, config);
            TlsConnectionTest test(controller);
            QSignalSpy finished(&test, &TlsConnectionTest::finished);
            QString error;
            return test.start(slot, &error) && finished.wait(30'000) && finished.first().at(0).toBool();
        };
        QVERIFY(uploadFor(2, CertificateMaker::CaCert));
        QVERIFY(connectSlot(2));
        QVERIFY(uploadFor(3, CertificateMaker::OtherCaCert));
        QVERIFY(!connectSlot(3));
        QVERIFY(controller.stop(2));
        QTRY_COMPARE_WITH_TIMEOUT(controller.status(2).state, SlotState::Closed, 10'000);
        QVERIFY(connectSlot(2));
        QCOMPARE(controller.config(2).sslConnectId, 2);
        QCOMPARE(controller.config(3).sslConnectId, 3);
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
        keeper.setLevel(SslIndex{0, 0}, 2);
        keeper.setLevel(SslIndex{0, 3}, 1); // each slot's index has its own level
        QSignalSpy rebooted(&controller, &ModuleController::moduleRebooted);
        QSignalSpy notices(&keeper, &SecLevelKeeper::notice);
        controller.console().send("AT+QRST=1");
        QVERIFY(rebooted.wait(10'000));
        QVERIFY(!notices.isEmpty()); // the controller reports a reboot for RDY and for +CFUN: 1
        QTRY_VERIFY_WITH_TIMEOUT(controller.channel().isIdle(), 5000);
        QList<QByteArray> answer;
        connect(&controller.console(), &ConsoleSession::finished, this,
                [&answer](const AtReply &r) { answer += r.lines; });
        controller.console().send("AT+QSSLCFG=0,0,\"seclevel\"");
        controller.console().send("AT+QSSLCFG=0,3,\"seclevel\"");
        QTRY_COMPARE(answer, (QList<QByteArray>{"+QSSLCFG: 0,0,\"seclevel\",2", "+QSSLCFG: 0,3,\"seclevel\",1"}));
    }
};

QTEST_GUILESS_MAIN(TestCertificateUploader)
#include "tst_certificateuploader.moc"
