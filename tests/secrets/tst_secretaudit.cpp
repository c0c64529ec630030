// The secret audit: a whole session — a password for the broker, an Alibaba device secret, a
// passphrase-protected client key uploaded through the wizard, connect, publish, save the profile, export
// the log and the profile, quit, start again and load the profile from the keychain — then every file the
// application wrote (settings, profiles, logs, exports: everything under the isolated HOME and XDG
// directories) and everything it printed is searched for the secrets, raw, in base64 and in hex. None may
// be there; the references to them must.

#include "certificatemaker.h"
#include "keychainfortests.h"
#include "mosquittobroker.h"
#include "mosquittosubscriber.h"
#include "secretneedles.h"
#include "studiodriver.h"

#include "core/module/profilestore.h"
#include "core/secrets/profilesecrets.h"
#include "core/secrets/switchablesecretstore.h"
#include "core/tls/pemtext.h"
#include "gui/panels/consolepanel.h"
#include "gui/panels/logpanel.h"
#include "gui/panels/publishpanel.h"
#include "gui/secrets/keychainnotice.h"

#include <QApplication>
#include <QDirIterator>
#include <QLabel>
#include <QMutex>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace qmt;
using namespace qmt::test;

namespace {

using C = CertificateMaker;
const QByteArray Password = "Pw-Audit-9d3f1c";
const QByteArray DeviceSecret = "DevSecret-Audit-7b2e55";
const QByteArray Passphrase = C::ProtectedKeyPassphrase;
const QString ProfileName = QStringLiteral("Audit");

/// Everything printed through Qt's message handlers while the session ran (what a crash log would hold).
QByteArray g_printed;
QMutex g_printedLock;
QtMessageHandler g_previousHandler = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_printedLock);
        g_printed += message.toUtf8() + '\n';
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

/// Pieces of a PEM item that only that item has: two base64 lines of its body, a run of its DER in hex, and
/// a run of the whole PEM in base64.
QList<Needle> pemForms(const QString &name, const QByteArray &pem)
{
    const QList<QByteArray> lines = PemText::join(PemText::parse(pem).blocks).split('\n');
    QByteArray body;
    for (const QByteArray &line : lines) {
        if (!line.startsWith("-----") && !line.contains(':') && !line.isEmpty())
            body += line;
    }
    const QByteArray der = QByteArray::fromBase64(body);
    return {{name + QStringLiteral(" (PEM line)"), lines.value(2)},
            {name + QStringLiteral(" (PEM line)"), lines.value(lines.size() / 2)},
            {name + QStringLiteral(" (DER hex)"), der.mid(der.size() / 2, 24).toHex()},
            {name + QStringLiteral(" (PEM base64)"), pem.toBase64().mid(pem.size() / 2, 40)}};
}

/// "file: needle" for every needle found in every file under `root`.
QStringList search(const QStringList &roots, const QList<Needle> &needles, int *fileCount = nullptr)
{
    QStringList found;
    int files = 0;
    for (const QString &root : roots) {
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            const QByteArray content = f.readAll();
            for (const Needle &n : needles) {
                if (!n.bytes.isEmpty() && content.contains(n.bytes))
                    found.append(f.fileName() + QStringLiteral(": ") + n.name);
            }
        }
    }
    if (fileCount)
        *fileCount = files;
    return found;
}

} // namespace

class TestSecretAudit : public QObject
{
    Q_OBJECT

public:
    explicit TestSecretAudit(QString home)
        : m_home(std::move(home))
    {}

private:
    QString m_home;
    QString m_exports;
    QTemporaryDir m_certDir;
    std::unique_ptr<CertificateMaker> m_certs;
    std::unique_ptr<MosquittoBroker> m_broker;
    KeychainForTests m_keychain{QStringLiteral("audit")};

    [[nodiscard]] QByteArray read(const char *name) const { return m_certs->read(name); }
    [[nodiscard]] QStringList tlsClientArguments() const
    {
        return {QStringLiteral("--cafile"),   m_certs->path(C::CaCert), QStringLiteral("--cert"),
                m_certs->path(C::ClientCert), QStringLiteral("--key"),  m_certs->path(C::ClientKey),
                QStringLiteral("-u"),         QStringLiteral("audit"),  QStringLiteral("-P"),
                QString::fromLatin1(Password)};
    }

    /// Runs the whole session in one window, which is then closed (writing what it writes on quitting).
    void runSession()
    {
        MainWindow w(std::make_unique<KeychainSecretStore>(m_keychain.service()));
        w.controller().setInfoPollIntervalMs(3'600'000);
        w.show();
        QTRY_COMPARE(w.keychainNotice().state(), KeychainNotice::State::Keychain);
        QVERIFY(openVirtualPort(w));
        ConfigPanel &config = w.configPanel();
        auto *slotCombo = child<QComboBox>(config, "slotCombo");

        // Slot 1: Alibaba Cloud credentials, applied to the module (the device secret crosses the AT line).
        slotCombo->setCurrentIndex(1);
        type(child<QLineEdit>(config, "hostEdit"), QStringLiteral("127.0.0.1"));
        type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("ali-client"));
        child<QCheckBox>(config, "aliAuthCheck")->setChecked(true);
        type(child<QLineEdit>(config, "productKeyEdit"), QStringLiteral("a1ProductKey"));
        type(child<QLineEdit>(config, "deviceNameEdit"), QStringLiteral("audit-device"));
        type(child<QLineEdit>(config, "deviceSecretEdit"), QString::fromLatin1(DeviceSecret));
        QSignalSpy sent(&w.controller().channel(), &AtChannel::commandSent);
        click(child<QPushButton>(config, "applyButton"));
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(sent.cbegin(), sent.cend(),
                                             [](const QList<QVariant> &c) {
                                                 return c.at(1).toByteArray().startsWith("AT+QMTCFG=\"aliauth\",1");
                                             }),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(w.controller().channel().isIdle(), 10'000);

        // The AT console, typed: the module's answer to the aliauth query holds the device secret, and a
        // hand-typed AT+QMTCONN holds a password. Neither may reach the log, its export or the console's
        // history in the settings.
        auto *consoleInput = child<QLineEdit>(w.consolePanel(), "commandEdit");
        for (const QByteArray &typed :
             {QByteArray("AT+QMTCFG=\"aliauth\",1"), "AT+QMTCONN=2,\"typed\",\"audit\",\"" + Password + '"'}) {
            type(consoleInput, QString::fromLatin1(typed));
            QTest::keyClick(consoleInput, Qt::Key_Return);
            QTRY_VERIFY_WITH_TIMEOUT(w.controller().channel().isIdle(), 10'000);
        }
        QTRY_VERIFY(child<QPlainTextEdit>(w.consolePanel(), "transcriptView")
                        ->toPlainText()
                        .contains(QStringLiteral("<redacted")));

        // A private key pasted after the wrong prompt ("clientcert" instead of "clientkey") is as secret.
        type(consoleInput, QStringLiteral("AT+QSSLCFG=0,0,\"clientcert\""));
        QTest::keyClick(consoleInput, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(w.consolePanel(), "ctrlZButton")->isEnabled(), 5000);
        const QList<QByteArray> keyLines = read(C::ClientKey).trimmed().split('\n');
        for (const QByteArray &line : keyLines) {
            type(consoleInput, QString::fromLatin1(line.trimmed()));
            QTest::keyClick(consoleInput, Qt::Key_Return);
        }
        click(child<QPushButton>(w.consolePanel(), "ctrlZButton"));
        QTRY_VERIFY_WITH_TIMEOUT(w.controller().channel().isIdle(), 10'000);
        const QString transcript = child<QPlainTextEdit>(w.consolePanel(), "transcriptView")->toPlainText();
        QVERIFY2(!transcript.contains(QString::fromLatin1(keyLines.at(1).trimmed())), qPrintable(transcript));

        // Slot 0: the broker's user and password; TLS through the wizard; the live test connects with them.
        slotCombo->setCurrentIndex(0);
        type(child<QLineEdit>(config, "userEdit"), QStringLiteral("audit"));
        type(child<QLineEdit>(config, "passwordEdit"), QString::fromLatin1(Password));
        config.openCertificateWizard();
        CertificateWizard *wizard = config.certificateWizard();
        QVERIFY(wizard);
        WizardDriver drive(*wizard);
        drive.level(2, QStringLiteral("127.0.0.1"), m_broker->port(), QStringLiteral("audit-client"));
        QVERIFY(drive.next());
        drive.material(read(C::CaCert), read(C::ClientCert), read(C::ProtectedClientKey), Passphrase);
        QVERIFY(drive.next());
        QVERIFY(drive.next());
        QTRY_VERIFY_WITH_TIMEOUT(drive.page(CertificateWizard::UploadPage).isComplete(), 20'000);
        QVERIFY(drive.next());
        QTRY_VERIFY_WITH_TIMEOUT(drive.page(CertificateWizard::TestPage).isComplete(), 30'000);
        QCOMPARE(w.controller().status(0).state, SlotState::Connected);
        QSignalSpy saved(&config.profiles(), &ProfileManager::secretsSaved);
        click(wizard->button(QWizard::FinishButton));
        QVERIFY(answerName(w, ProfileName)); // the profile has no name yet
        QVERIFY(saved.wait(10'000));
        QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));

        // Publish through the panel; mosquitto_sub, over TLS with the same credentials, receives it.
        QString error;
        MosquittoSubscriber subscriber(m_broker->port(), "audit/out", 1, tlsClientArguments());
        QVERIFY2(subscriber.start(&error), qPrintable(error));
        PublishPanel &publish = w.publishPanel();
        child<QComboBox>(publish, "topicCombo")->setCurrentText(QStringLiteral("audit/out"));
        child<QPlainTextEdit>(publish, "payloadEdit")->setPlainText(QStringLiteral("audited"));
        click(child<QPushButton>(publish, "sendButton"));
        QVERIFY(subscriber.waitForMessages(1));

        // Exports: the log (text and CSV) and the profile.
        for (const QString &name : {QStringLiteral("log.txt"), QStringLiteral("log.csv")}) {
            auto *status = child<QLabel>(w.logPanel(), "droppedLabel");
            status->clear();
            QVERIFY(w.logPanel().exportTo(m_exports + QLatin1Char('/') + name));
            QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("Exported")), 10'000);
        }
        QVERIFY(
            ProfileStore::exportTo(config.profiles().profile(), m_exports + QStringLiteral("/profile.json"), &error));
        w.close();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Audit"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_secretaudit"));
        QVERIFY2(QSettings().fileName().startsWith(m_home), qPrintable(QSettings().fileName()));
        m_exports = m_home + QStringLiteral("/exports");
        QVERIFY(QDir().mkpath(m_exports));
        QVERIFY(m_certDir.isValid());
        m_certs = std::make_unique<CertificateMaker>(m_certDir.path());
        QString error;
        QVERIFY2(m_certs->make(&error), qPrintable(error));
        QVERIFY2(m_certs->makeNegativeCases(&error), qPrintable(error));
        MosquittoBroker::Options options = MosquittoBroker::mutualTls(*m_certs);
        options.user = QStringLiteral("audit");
        options.password = QString::fromLatin1(Password);
        m_broker = std::make_unique<MosquittoBroker>(options);
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_broker.reset();
        KeychainSecretStore store(m_keychain.service());
        bool removed = false;
        ProfileSecrets(store).remove(ProfileName, {SslIndex{0, 0}}, nullptr,
                                     [&removed](const SecretBatchOutcome &) { removed = true; });
        QVERIFY(QTest::qWaitFor([&removed] { return removed; }, 10'000));
    }

    void aWholeSessionLeavesNoSecretInAnyFileItWrote()
    {
        QMT_REQUIRE_KEYCHAIN(m_keychain);
        g_previousHandler = qInstallMessageHandler(capture);
        runSession();
        if (QTest::currentTestFailed()) {
            qInstallMessageHandler(g_previousHandler);
            return;
        }

        // A new start: the profile comes back from the settings, its secrets from the keychain.
        {
            MainWindow w(std::make_unique<KeychainSecretStore>(m_keychain.service()));
            const std::optional<Profile> stored = ProfileStore().load(ProfileName);
            QVERIFY(stored);
            QVERIFY(stored->slots[0].config.password.isEmpty());
            QVERIFY(stored->tlsAt(SslIndex{0, 0}));
            QCOMPARE(stored->tlsAt(SslIndex{0, 0})->secLevel, 2);
            QSignalSpy loaded(&w.profileManager(), &ProfileManager::secretsLoaded);
            w.profileManager().setProfile(*stored);
            QVERIFY(loaded.wait(10'000));
            QCOMPARE(loaded.first().at(0).toBool(), true);
            QCOMPARE(w.profileManager().profile().slots[0].config.password, Password);
            QCOMPARE(w.profileManager().profile().slots[1].config.deviceSecret, DeviceSecret);
            const TlsMaterial material = w.profileManager().tlsMaterial(SslIndex{0, 0});
            QCOMPARE(material.clientKey, read(C::ProtectedClientKey));
            QCOMPARE(material.keyPassphrase, Passphrase);
            QCOMPARE(material.secLevel, 2);
            w.close();
        }
        qInstallMessageHandler(g_previousHandler);

        // The key as the module got it (decrypted), and as the user gave it (encrypted).
        const QByteArray openedKey = read(C::ClientKey);
        QList<Needle> secrets =
            forms(QStringLiteral("password"), Password) + forms(QStringLiteral("device secret"), DeviceSecret) +
            forms(QStringLiteral("key passphrase"), Passphrase) + pemForms(QStringLiteral("private key"), openedKey) +
            pemForms(QStringLiteral("protected private key"), read(C::ProtectedClientKey));
        int files = 0;
        const QStringList leaks = search({m_home}, secrets, &files);
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char('\n'))));
        QVERIFY2(files >= 4, "settings, two log exports and the profile export were written and searched");
        for (const Needle &n : secrets)
            QVERIFY2(!g_printed.contains(n.bytes), qPrintable(QStringLiteral("printed: ") + n.name));

        // The certificates are not secret, but they live in the keychain too: settings and profiles refer.
        const QString settingsFile = QSettings().fileName();
        const QStringList certificates =
            search({QFileInfo(settingsFile).absolutePath(), m_exports + QStringLiteral("/profile.json")},
                   pemForms(QStringLiteral("CA certificate"), read(C::CaCert)) +
                       pemForms(QStringLiteral("client certificate"), read(C::ClientCert)));
        QCOMPARE(certificates, QStringList());
        for (const QString &path : {settingsFile, m_exports + QStringLiteral("/profile.json")}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray json = f.readAll().replace("\\\"", "\"").replace(" ", "");
            for (const QByteArray &reference :
                 {QByteArray("\"hasPassword\":true"), QByteArray("\"hasDeviceSecret\":true"),
                  QByteArray("\"hasClientKey\":true"), QByteArray("\"hasKeyPassphrase\":true")})
                QVERIFY2(json.contains(reference),
                         qPrintable(path + QStringLiteral(" lacks ") + QString::fromLatin1(reference)));
        }
        // And the session did carry the secrets: the log export shows where they were, redacted.
        QFile log(m_exports + QStringLiteral("/log.txt"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logText = log.readAll();
        QVERIFY(logText.contains("AT+QMTCONN=0,\"audit-client\",\"audit\",\"<redacted, " +
                                 QByteArray::number(Password.size()) + " bytes>\""));
        QVERIFY(logText.contains("\"<redacted, " + QByteArray::number(DeviceSecret.size()) + " bytes>\""));
        QVERIFY(logText.contains("+QSSLCFG: 0,0,\"clientkey\","));
    }
};

int main(int argc, char *argv[])
{
    // Everything the application writes goes under one fresh directory, set before Qt reads the environment.
    QTemporaryDir home;
    if (!home.isValid())
        return 1;
    for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qputenv(variable, (home.path() + QLatin1Char('/') + QString::fromLatin1(variable).toLower()).toUtf8());
    qputenv("HOME", home.path().toUtf8());
    QApplication app(argc, argv);
    TestSecretAudit test(home.path());
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secretaudit.moc"
