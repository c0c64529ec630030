// The certificate wizard driven through its pages, offscreen, on the built-in virtual module, against a
// mosquitto TLS listener that requires a client certificate; certificates made with openssl at test time.
// It ends in a TLS MQTT session that publishes and receives. Each bad input stops at its own message and
// nothing is uploaded.

#include "certificatemaker.h"
#include "mosquittobroker.h"
#include "mosquittosubscriber.h"
#include "studiodriver.h"

#include "core/secrets/sessionsecretstore.h"
#include "core/secrets/switchablesecretstore.h"
#include "core/tls/certificateuploader.h"
#include "gui/dialogs/certificatesdialog.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/topictreemodel.h"
#include "gui/wizards/tlsmaterialpage.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace qmt;
using namespace qmt::test;

namespace {

using C = CertificateMaker;
const QByteArray Passphrase = C::ProtectedKeyPassphrase;

QStringList listTexts(const QListWidget *list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i)
        out.append(list->item(i)->text());
    return out;
}

bool logContains(const AtLogModel &log, const QByteArray &needle)
{
    for (int row = 0; row < log.rowCount(); ++row) {
        if (log.entry(row).shownBytes().contains(needle))
            return true;
    }
    return false;
}

} // namespace

class TestCertificateWizard : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<CertificateMaker> m_certs;
    std::unique_ptr<MosquittoBroker> m_broker;
    std::unique_ptr<MainWindow> m_window; // shared by the negative cases: one module, many wizards

    [[nodiscard]] QByteArray read(const char *name) const { return m_certs->read(name); }
    [[nodiscard]] QStringList tlsClientArguments() const
    {
        return {QStringLiteral("--cafile"),   m_certs->path(C::CaCert), QStringLiteral("--cert"),
                m_certs->path(C::ClientCert), QStringLiteral("--key"),  m_certs->path(C::ClientKey)};
    }

    std::unique_ptr<MainWindow> openWindow()
    {
        auto w = std::make_unique<MainWindow>(std::make_unique<SessionSecretStore>());
        w->controller().setInfoPollIntervalMs(3'600'000);
        w->show();
        if (!openVirtualPort(*w))
            return nullptr;
        return w;
    }

    CertificateWizard *openWizard(MainWindow &w)
    {
        w.configPanel().openCertificateWizard();
        CertificateWizard *wizard = w.configPanel().certificateWizard();
        if (wizard && !QTest::qWaitForWindowExposed(wizard))
            return nullptr;
        return wizard;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_certificatewizard"));
        QVERIFY(m_dir.isValid());
        m_certs = std::make_unique<CertificateMaker>(m_dir.path());
        QString error;
        QVERIFY2(m_certs->make(&error), qPrintable(error));
        QVERIFY2(m_certs->makeNegativeCases(&error), qPrintable(error));
        m_broker = std::make_unique<MosquittoBroker>(MosquittoBroker::mutualTls(*m_certs));
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_broker.reset();
    }

    void theWizardSuggestsTheTlsPortUnlessTheSlotIsOnTlsAlready()
    {
        SlotConfig plain;
        plain.port = 18999; // a plain listener on another port than 1883
        QCOMPARE(CertificateWizard::tlsPortFor(plain), 8883);
        plain.port = 1883;
        QCOMPARE(CertificateWizard::tlsPortFor(plain), 8883);
        SlotConfig tls;
        tls.sslEnabled = true;
        tls.port = 8884;
        QCOMPARE(CertificateWizard::tlsPortFor(tls), 8884);
    }

    void aNewUserGetsTheModuleOntoAMutualTlsBrokerThroughTheWizard()
    {
        const auto w = openWindow();
        QVERIFY(w);
        QElapsedTimer clock;
        clock.start();
        CertificateWizard *wizard = openWizard(*w);
        QVERIFY(wizard);
        WizardDriver drive(*wizard);
        QCOMPARE(drive.current(), int(CertificateWizard::LevelPage));
        QCOMPARE(child<QSpinBox>(drive.page(CertificateWizard::LevelPage), "portSpin")->value(), 8883);

        drive.level(2, QStringLiteral("127.0.0.1"), m_broker->port(), QStringLiteral("wizard-e2e"));
        QVERIFY(drive.next());
        // The CA and the certificate from files, the passphrase-protected key pasted with its passphrase.
        auto &material = static_cast<TlsMaterialPage &>(drive.page(CertificateWizard::MaterialPage));
        QVERIFY(material.loadFile(TlsField::CaCert, m_certs->path(C::CaCert)));
        QVERIFY(material.loadFile(TlsField::ClientCert, m_certs->path(C::ClientCert)));
        QVERIFY(child<QLabel>(material, "caInfoLabel")->text().startsWith(QStringLiteral("ca.crt, ")));
        child<QPlainTextEdit>(material, "keyEdit")->setPlainText(QString::fromLatin1(read(C::ProtectedClientKey)));
        type(child<QLineEdit>(material, "passphraseEdit"), QString::fromLatin1(Passphrase));
        QVERIFY(drive.next());

        QWizardPage &check = drive.page(CertificateWizard::CheckPage);
        const QStringList findings = listTexts(child<QListWidget>(check, "findingsList"));
        QVERIFY2(findings.join(QLatin1Char('\n')).contains(QStringLiteral("belongs to the client certificate")),
                 qPrintable(findings.join(QLatin1Char('\n'))));
        QVERIFY(findings.join(QLatin1Char('\n')).contains(QStringLiteral("issued by the given CA")));
        QVERIFY(child<QLabel>(check, "summaryLabel")->text().startsWith(QStringLiteral("Ready to upload")));
        QCOMPARE(wizard->button(QWizard::NextButton)->text(), QStringLiteral("&Upload"));
        QVERIFY(drive.next());

        QWizardPage &upload = drive.page(CertificateWizard::UploadPage);
        QTRY_VERIFY_WITH_TIMEOUT(upload.isComplete(), 120'000);
        for (const char *bar : {"caProgress", "certProgress", "keyProgress"})
            QCOMPARE(child<QProgressBar>(upload, bar)->value(), 100);
        const TlsCheckReport report = wizard->state().report; // the wizard deletes itself on Finish
        QCOMPARE(child<QLabel>(upload, "keyStageLabel")->text(),
                 QStringLiteral("%1 byte(s) stored").arg(report.uploads.last().bytes.size()));
        QVERIFY(drive.next());

        QWizardPage &test = drive.page(CertificateWizard::TestPage);
        QTRY_VERIFY_WITH_TIMEOUT(test.isComplete(), 120'000);
        const QString result = child<QLabel>(test, "testResultLabel")->text();
        QCOMPARE(result, QStringLiteral("Slot 0 is connected to 127.0.0.1:%1 over TLS.").arg(m_broker->port()));
        // The steps on the way ("TLS connection open; MQTT connecting…") are over: only the outcome stays.
        QCOMPARE(child<QLabel>(test, "testProgressLabel")->text(), QString());
        const qint64 elapsed = clock.elapsed();
        qInfo("wizard flow: %.1f s from opening the wizard to a successful live test", double(elapsed) / 1000);

        QSignalSpy saved(&w->profileManager(), &ProfileManager::secretsSaved);
        click(wizard->button(QWizard::FinishButton));
        QVERIFY(answerName(*w, QStringLiteral("Wizard"))); // the profile has no name yet
        QVERIFY(saved.wait(10'000));
        QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
        // Slot 0's own SSL index, tested and saved as good.
        const Profile::TlsReference *saved0 = w->profileManager().profile().tlsAt(SslIndex{0, 0});
        QVERIFY(saved0);
        QCOMPARE(saved0->secLevel, 2);
        QCOMPARE(saved0->clientCertSha256, report.clientCertificates.first().sha256);
        QCOMPARE(saved0->lastTest, Profile::TlsReference::Test::Passed);
        QVERIFY(child<QCheckBox>(w->configPanel(), "sslCheck")->isChecked());

        // A TLS MQTT session that publishes and receives.
        QVERIFY(w->controller().subscribe(0, "wizard/in/#", 1));
        QTRY_VERIFY_WITH_TIMEOUT(!w->controller().status(0).subscriptions.isEmpty() &&
                                     w->controller().status(0).subscriptions.front().grantedQos == 1,
                                 10'000);
        QString error;
        QVERIFY2(
            mosquittoPublish(m_broker->port(), "wizard/in/1", "down over TLS", 1, false, &error, tlsClientArguments()),
            qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(w->tree().indexOfTopic("wizard/in/1").isValid(), 10'000);
        MosquittoSubscriber subscriber(m_broker->port(), "wizard/out", 1, tlsClientArguments());
        QVERIFY2(subscriber.start(&error), qPrintable(error));
        QVERIFY(w->controller().publish(0, "wizard/out", "up over TLS", 1, false));
        QVERIFY(subscriber.waitForMessages(1));
        QCOMPARE(subscriber.messages().first().payload, QByteArray("up over TLS"));

        // The log shows the key's length, never the key or the passphrase.
        QVERIFY(
            logContains(w->log(), "<redacted, " + QByteArray::number(report.uploads.last().bytes.size()) + " bytes>"));
        const QByteArray keyLine = report.uploads.last().bytes.split('\n').at(1);
        QVERIFY(!logContains(w->log(), keyLine));
        QVERIFY(!logContains(w->log(), Passphrase));

        // The Configuration panel's certificates view: fingerprints, expiry, what the module reported and says.
        w->configPanel().openCertificates();
        CertificatesDialog *view = w->configPanel().certificatesDialog();
        QVERIFY(view && view->isVisible());
        auto *tree = child<QTreeWidget>(*view, "itemsTree");
        QCOMPARE(tree->topLevelItemCount(), 1); // one SSL index, slot 0's own
        QTreeWidgetItem *index = tree->topLevelItem(0);
        QCOMPARE(index->text(0), QStringLiteral("SSL context 0, connect ID 0"));
        QCOMPARE(index->text(1), QStringLiteral("used by slot 0, security level 2"));
        QCOMPARE(index->text(2), QStringLiteral("last live test passed"));
        QCOMPARE(index->childCount(), 3);
        QCOMPARE(index->child(0)->text(4), report.caCertificates.first().sha256);
        QVERIFY(index->child(1)->text(2).contains(
            CertificateSummary::formatTime(report.clientCertificates.first().notAfter)));
        QCOMPARE(index->child(2)->text(3), QStringLiteral("%1 byte(s) stored").arg(report.uploads.last().bytes.size()));
        click(child<QPushButton>(*view, "queryButton"));
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(*view, "moduleLabel")->text().contains(QStringLiteral("\"seclevel\",2")),
                                 5000);
        // Replace: the wizard opens with the material the profile has.
        click(child<QPushButton>(*view, "wizardButton"));
        CertificateWizard *again = w->configPanel().certificateWizard();
        QVERIFY(again);
        QCOMPARE(again->state().material.caCert, read(C::CaCert));
        QCOMPARE(again->state().material.keyPassphrase, Passphrase);
        // While the slot is connected its TLS setting cannot change: the wizard says how to go on.
        WizardDriver replace(*again);
        QVERIFY(!replace.next());
        const QString refusal = child<QLabel>(replace.page(CertificateWizard::LevelPage), "levelErrorLabel")->text();
        QVERIFY2(refusal.contains(QStringLiteral("Slot 0 is Connected")) &&
                     refusal.contains(QStringLiteral("Stop the slot")),
                 qPrintable(refusal));
        // The refusal was about slot 0: choosing another slot takes it away.
        auto *slotCombo = child<QComboBox>(replace.page(CertificateWizard::LevelPage), "slotCombo");
        slotCombo->setCurrentIndex(slotCombo->findData(3));
        QCOMPARE(child<QLabel>(replace.page(CertificateWizard::LevelPage), "levelErrorLabel")->text(), QString());
        again->close();
    }

    void eachSlotHasItsOwnSslIndexAndSharedMaterialIsReplacedOnlyWhenAgreed()
    {
        const auto w = openWindow();
        QVERIFY(w);
        QSignalSpy sent(&w->controller().channel(), &AtChannel::commandSent);
        const auto sentSince = [&sent](qsizetype from, const QByteArray &prefix) {
            QList<QByteArray> out;
            for (qsizetype i = from; i < sent.size(); ++i) {
                if (sent.at(i).at(1).toByteArray().startsWith(prefix))
                    out.append(sent.at(i).at(1).toByteArray());
            }
            return out;
        };
        // Slot 0 connects with the broker's CA at its own index, 0,0.
        CertificateWizard *first = openWizard(*w);
        QVERIFY(first);
        WizardDriver one(*first);
        QWizardPage &level = one.page(CertificateWizard::LevelPage);
        QCOMPARE(child<QSpinBox>(level, "connectSpin")->value(), 0);
        QVERIFY2(child<QLabel>(level, "indexNoteLabel")->text().startsWith(QStringLiteral("No other slot uses")),
                 qPrintable(child<QLabel>(level, "indexNoteLabel")->text()));
        one.level(2, QStringLiteral("127.0.0.1"), m_broker->port(), QStringLiteral("index-slot0"));
        QVERIFY(one.next());
        one.material(read(C::CaCert), read(C::ClientCert), read(C::ClientKey));
        QVERIFY(one.next());
        QVERIFY(one.next());
        QTRY_VERIFY_WITH_TIMEOUT(one.page(CertificateWizard::UploadPage).isComplete(), 120'000);
        QVERIFY(one.next());
        QTRY_VERIFY_WITH_TIMEOUT(one.page(CertificateWizard::TestPage).isComplete(), 120'000);
        QCOMPARE(w->controller().status(0).state, SlotState::Connected);
        click(first->button(QWizard::FinishButton));
        QTRY_VERIFY(!w->configPanel().certificateWizard()); // it deletes itself on closing

        // Slot 3 proposes its own index, 0,3; choosing 0,0 names slot 0 as its other user.
        CertificateWizard *second = openWizard(*w);
        QVERIFY(second);
        WizardDriver three(*second);
        three.slot(3);
        QWizardPage &level3 = three.page(CertificateWizard::LevelPage);
        QCOMPARE(child<QSpinBox>(level3, "contextSpin")->value(), 0);
        QCOMPARE(child<QSpinBox>(level3, "connectSpin")->value(), 3);
        three.index(0, 0);
        QCOMPARE(child<QLabel>(level3, "indexNoteLabel")->text(),
                 QStringLiteral("Also used by slot 0: the material uploaded here is shared with it."));
        three.level(2, QStringLiteral("127.0.0.1"), m_broker->port(), QStringLiteral("index-slot3"));
        QVERIFY(three.next());
        // The material the profile has at 0,0 is where the wizard starts from; another CA replaces it.
        QCOMPARE(second->state().material.caCert, read(C::CaCert));
        three.material(read(C::OtherCaCert), read(C::ClientCert), read(C::ClientKey));
        QVERIFY(three.next());
        qsizetype mark = sent.size();
        QVERIFY(three.next());
        QWizardPage &upload = three.page(CertificateWizard::UploadPage);
        const QString asked = child<QLabel>(upload, "uploadStatusLabel")->text();
        QVERIFY2(asked.startsWith(QStringLiteral("The material at SSL context 0, connect ID 0 is in use: slot 0 is "
                                                 "connected.")) &&
                     asked.endsWith(QStringLiteral("Nothing was sent.")),
                 qPrintable(asked));
        QVERIFY(child<QPushButton>(upload, "replaceButton")->isVisible());
        QVERIFY(!upload.isComplete());
        QTest::qWait(100);
        QCOMPARE(sentSince(mark, "AT+QSSLCFG"), QList<QByteArray>{});

        // Back, to slot 3's own index: nothing to ask; the wrong CA fails the live test there only.
        click(second->button(QWizard::BackButton));
        click(second->button(QWizard::BackButton));
        click(second->button(QWizard::BackButton));
        QCOMPARE(three.current(), int(CertificateWizard::LevelPage));
        three.index(0, 3);
        QVERIFY(three.next());
        three.material(read(C::OtherCaCert), read(C::ClientCert), read(C::ClientKey));
        QVERIFY(three.next());
        mark = sent.size();
        QVERIFY(three.next());
        QTRY_VERIFY_WITH_TIMEOUT(upload.isComplete(), 120'000);
        QCOMPARE(sentSince(mark, "AT+QSSLCFG=0,0"), QList<QByteArray>{});
        QCOMPARE(sentSince(mark, "AT+QSSLCFG=0,3,\"cacert\""), QList<QByteArray>{"AT+QSSLCFG=0,3,\"cacert\""});
        QVERIFY(three.next());
        QWizardPage &test = three.page(CertificateWizard::TestPage);
        QTRY_VERIFY_WITH_TIMEOUT(test.isComplete(), 120'000);
        QVERIFY(child<QLabel>(test, "testResultLabel")->text().startsWith(QStringLiteral("Slot 3 failed")));
        // A failed test does not save the profile as if the material worked: the user decides, and is told.
        auto *save = child<QCheckBox>(test, "saveCheck");
        QVERIFY(!save->isChecked());
        QVERIFY2(save->text().contains(QStringLiteral("marked as failing its live test")), qPrintable(save->text()));
        click(second->button(QWizard::FinishButton));
        QTRY_VERIFY(!w->configPanel().certificateWizard()); // it deletes itself on closing
        QCOMPARE(w->controller().status(0).state, SlotState::Connected);

        // The certificates view: both indices, the failed one marked.
        w->configPanel().openCertificates();
        auto *tree = child<QTreeWidget>(*w->configPanel().certificatesDialog(), "itemsTree");
        QCOMPARE(tree->topLevelItemCount(), 2);
        QCOMPARE(tree->topLevelItem(0)->text(2), QStringLiteral("last live test passed"));
        QCOMPARE(tree->topLevelItem(1)->text(0), QStringLiteral("SSL context 0, connect ID 3"));
        QCOMPARE(tree->topLevelItem(1)->text(1), QStringLiteral("used by slot 3, security level 2"));
        QCOMPARE(tree->topLevelItem(1)->text(2), QStringLiteral("last live test failed"));
        QCOMPARE(w->profileManager().profile().tlsAt(SslIndex{0, 3})->lastTest, Profile::TlsReference::Test::Failed);
        w->configPanel().certificatesDialog()->close();

        // Slot 0 still reconnects with its own material.
        QVERIFY(w->controller().stop(0));
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(0).state, SlotState::Closed, 10'000);
        QVERIFY(w->controller().start(0));
        QTRY_COMPARE_WITH_TIMEOUT(w->controller().status(0).state, SlotState::Connected, 30'000);

        // Slot 3 on 0,0 after all, agreeing to replace it: the upload goes there.
        CertificateWizard *third = openWizard(*w);
        QVERIFY(third);
        WizardDriver again(*third);
        again.slot(3);
        QCOMPARE(child<QSpinBox>(again.page(CertificateWizard::LevelPage), "connectSpin")->value(), 3);
        again.index(0, 0);
        again.level(2, QStringLiteral("127.0.0.1"), m_broker->port(), QStringLiteral("index-slot3"));
        QVERIFY(again.next());
        again.material(read(C::CaCert), read(C::ClientCert), read(C::ClientKey));
        QVERIFY(again.next());
        QVERIFY(again.next());
        QWizardPage &upload3 = again.page(CertificateWizard::UploadPage);
        QTRY_VERIFY(child<QPushButton>(upload3, "replaceButton")->isVisible());
        mark = sent.size();
        click(child<QPushButton>(upload3, "replaceButton"));
        QTRY_VERIFY_WITH_TIMEOUT(upload3.isComplete(), 120'000);
        QCOMPARE(sentSince(mark, "AT+QSSLCFG=0,0,\"cacert\""), QList<QByteArray>{"AT+QSSLCFG=0,0,\"cacert\""});
        QCOMPARE(SslIndex::of(w->controller().config(3)), (SslIndex{0, 0}));
        third->close();
    }

    void aSlotSwitchedToTlsByHandGetsItsOwnSslIndex()
    {
        const auto w = openWindow();
        QVERIFY(w);
        ConfigPanel &config = w->configPanel();
        auto *slotCombo = child<QComboBox>(config, "slotCombo");
        slotCombo->setCurrentIndex(slotCombo->findData(2));
        auto *ssl = child<QCheckBox>(config, "sslCheck");
        auto *context = child<QSpinBox>(config, "sslContextSpin");
        auto *connectId = child<QSpinBox>(config, "sslConnectSpin");
        QVERIFY(!ssl->isChecked());
        QCOMPARE(connectId->value(), 0);
        click(ssl);
        QVERIFY(ssl->isChecked());
        QCOMPARE(context->value(), 0);
        QCOMPARE(connectId->value(), 2); // slot 2's own, not the 0,0 every other slot would share
        // An index the user chose stays as chosen.
        click(ssl);
        connectId->setValue(1);
        click(ssl);
        QCOMPARE(connectId->value(), 1);
    }

    void eachBadInputStopsAtItsOwnMessageAndNothingIsUploaded_data()
    {
        QTest::addColumn<QByteArray>("ca");
        QTest::addColumn<QByteArray>("cert");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("mentions");
        const QByteArray ca = read(C::CaCert);
        const QByteArray cert = read(C::ClientCert);
        const QByteArray key = read(C::ClientKey);
        const QString host = QStringLiteral("127.0.0.1");
        QTest::newRow("expired client certificate") << ca << read(C::ExpiredClientCert) << key << QByteArray() << host
                                                    << QStringLiteral("expired on 2020-02-01 00:00 UTC");
        QTest::newRow("client certificate not yet valid")
            << ca << read(C::FutureClientCert) << key << QByteArray() << host
            << QStringLiteral("is not valid before 2099-01-01 00:00 UTC");
        QTest::newRow("key of another certificate") << ca << cert << read(C::UnrelatedKey) << QByteArray() << host
                                                    << QStringLiteral("does not belong to the client certificate");
        QTest::newRow("protected key, no passphrase") << ca << cert << read(C::ProtectedClientKey) << QByteArray()
                                                      << host << QStringLiteral("protected by a passphrase");
        QTest::newRow("protected key, wrong passphrase")
            << ca << cert << read(C::ProtectedClientKey) << QByteArray("not it") << host
            << QStringLiteral("the passphrase does not open it");
        QTest::newRow("CA bundle over 4 KiB")
            << ca + read(C::OtherCaCert) + read(C::ServerCert) + read(C::ImpostorCaCert) << cert << key << QByteArray()
            << host << QStringLiteral("at most 4096 bytes can be uploaded");
        QTest::newRow("not PEM") << QByteArray("ca.crt") << cert << key << QByteArray() << host
                                 << QStringLiteral("this is not PEM text");
        QTest::newRow("no key for mutual")
            << ca << cert << QByteArray() << QByteArray() << host << QStringLiteral("required for security level 2");
        QTest::newRow("a quote in the host name")
            << ca << cert << key << QByteArray() << QStringLiteral("bad\"host") << QStringLiteral("host_name");
    }
    void eachBadInputStopsAtItsOwnMessageAndNothingIsUploaded()
    {
        QFETCH(QByteArray, ca);
        QFETCH(QByteArray, cert);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, passphrase);
        QFETCH(QString, host);
        QFETCH(QString, mentions);
        if (!m_window)
            m_window = openWindow();
        QVERIFY(m_window);
        MainWindow &w = *m_window;
        QTRY_VERIFY_WITH_TIMEOUT(w.controller().channel().isIdle(), 10'000);
        QSignalSpy sent(&w.controller().channel(), &AtChannel::commandSent);
        CertificateWizard *wizard = openWizard(w);
        QVERIFY(wizard);
        WizardDriver drive(*wizard);
        drive.level(2, host, m_broker->port(), QStringLiteral("wizard-bad"));
        QString shown;
        if (drive.next()) {
            drive.material(ca, cert, key, passphrase);
            QVERIFY(drive.next());
            QCOMPARE(drive.current(), int(CertificateWizard::CheckPage));
            QWizardPage &check = drive.page(CertificateWizard::CheckPage);
            QVERIFY(!check.isComplete());
            QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
            QVERIFY(!drive.next());
            shown = listTexts(child<QListWidget>(check, "findingsList")).join(QLatin1Char('\n'));
            QVERIFY(child<QLabel>(check, "summaryLabel")->text().contains(QStringLiteral("nothing will be uploaded")));
        } else {
            QCOMPARE(drive.current(), int(CertificateWizard::LevelPage));
            shown = child<QLabel>(drive.page(CertificateWizard::LevelPage), "levelErrorLabel")->text();
        }
        QVERIFY2(shown.contains(mentions), qPrintable(shown));
        QVERIFY(!shown.toUtf8().contains("not it"));
        wizard->close();
        QTest::qWait(50);
        for (const QList<QVariant> &command : std::as_const(sent))
            QVERIFY2(!command.at(1).toByteArray().startsWith("AT+QSSLCFG"), command.at(1).toByteArray().constData());
    }

    void theWrongCaFailsTheLiveTestWithTheNotesAdvice()
    {
        const auto w = openWindow();
        QVERIFY(w);
        CertificateWizard *wizard = openWizard(*w);
        QVERIFY(wizard);
        WizardDriver drive(*wizard);
        drive.level(2, QStringLiteral("127.0.0.1"), m_broker->port(), QStringLiteral("wizard-wrong-ca"));
        QVERIFY(drive.next());
        drive.material(read(C::OtherCaCert), read(C::ClientCert), read(C::ClientKey));
        QVERIFY(drive.next());
        // The client certificate is not from that CA: a warning, not a refusal (the broker may trust it).
        const QString findings = listTexts(child<QListWidget>(drive.page(CertificateWizard::CheckPage), "findingsList"))
                                     .join(QLatin1Char('\n'));
        QVERIFY2(findings.contains(QStringLiteral("not by the given CA \"CN=Unrelated Test CA\"")),
                 qPrintable(findings));
        QVERIFY(drive.next());
        QTRY_VERIFY_WITH_TIMEOUT(drive.page(CertificateWizard::UploadPage).isComplete(), 120'000);
        QVERIFY(drive.next());
        QWizardPage &test = drive.page(CertificateWizard::TestPage);
        QTRY_VERIFY_WITH_TIMEOUT(test.isComplete(), 120'000);
        const QString result = child<QLabel>(test, "testResultLabel")->text();
        QVERIFY2(result.startsWith(QStringLiteral("Slot 0 failed: Failed to open network connection. With TLS this is "
                                                  "the usual sign of certificate trouble")),
                 qPrintable(result));
        QVERIFY(child<QPushButton>(test, "retryTestButton")->isVisible());
        QCOMPARE(w->controller().status(0).state, SlotState::Closed);
        wizard->close();
    }
};

QTEST_MAIN(TestCertificateWizard)
#include "tst_certificatewizard.moc"
