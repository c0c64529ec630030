// No keychain: the real KeychainSecretStore with a session bus address that leads nowhere (set by ctest),
// and a store that fails on purpose. The user is told plainly, nothing falls back to a file, and secrets
// stay in memory for the session only when the user chooses so.

#include "failingsecretstore.h"
#include "studiodriver.h"

#include "core/module/profilestore.h"
#include "core/secrets/switchablesecretstore.h"
#include "gui/secrets/keychainnotice.h"
#include "gui/secrets/keychainsecretstore.h"

#include <QDirIterator>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>

using namespace qmt;
using namespace qmt::test;

namespace {

const QByteArray Password = "absent-keychain-pw-7Qx";

/// Every file under `dir` that holds `needle`.
QStringList filesHolding(const QString &dir, const QByteArray &needle)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            found.append(f.fileName());
    }
    return found;
}

} // namespace

class TestKeychainAbsent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_keychainabsent"));
        QSettings().clear();
    }

    void theKeychainStoreReportsThatNoKeychainAnswersAndWritesNothingElsewhere()
    {
        KeychainSecretStore store(QStringLiteral("QMT Studio tests absent"));
        std::optional<SecretReply> probe;
        store.probe(nullptr, [&probe](const SecretReply &r) { probe = r; });
        QTRY_VERIFY(probe);
        QVERIFY(!probe->storeAnswered());
        QVERIFY(!probe->error.isEmpty());
        std::optional<SecretReply> written;
        store.write(QStringLiteral("profile/x/slot0/password"), Password, nullptr,
                    [&written](const SecretReply &r) { written = r; });
        QTRY_VERIFY(written);
        QVERIFY(!written->ok());
        // QtKeychain's insecure fallback would have put it in a settings file: it is off.
        QCOMPARE(filesHolding(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation), Password),
                 QStringList());
    }

    void theWindowSaysSoPlainlyAndOnlyTheUserChoosesMemory_data()
    {
        QTest::addColumn<bool>("real");
        QTest::newRow("the OS keychain store, no Secret Service") << true;
        QTest::newRow("a keychain that fails on purpose") << false;
    }
    void theWindowSaysSoPlainlyAndOnlyTheUserChoosesMemory()
    {
        QFETCH(bool, real);
        std::unique_ptr<SecretStore> keychain;
        if (real)
            keychain = std::make_unique<KeychainSecretStore>(QStringLiteral("QMT Studio tests absent"));
        else
            keychain = std::make_unique<FailingSecretStore>();
        MainWindow w(std::move(keychain));
        w.show();
        QTRY_COMPARE(w.keychainNotice().state(), KeychainNotice::State::Unavailable);
        auto *bar = w.findChild<QToolBar *>(QStringLiteral("keychainBar"));
        QVERIFY(bar && bar->isVisible());
        const QString message = child<QLabel>(w.keychainNotice(), "messageLabel")->text();
        QVERIFY2(message.contains(QStringLiteral("No OS keychain answered")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("never in a plain file")));
        QVERIFY(w.statusBar()->findChildren<QLabel *>().size() >= 2);
        QCOMPARE(w.keychainNotice().summary(), QStringLiteral("Secrets: not kept (no OS keychain)"));

        // Saving refuses the secrets (and says so) but keeps the rest; no file gets the password.
        ConfigPanel &config = w.configPanel();
        type(child<QLineEdit>(config, "clientIdEdit"), QStringLiteral("absent"));
        type(child<QLineEdit>(config, "userEdit"), QStringLiteral("user"));
        type(child<QLineEdit>(config, "passwordEdit"), QString::fromLatin1(Password));
        QSignalSpy saved(&config.profiles(), &ProfileManager::secretsSaved);
        config.saveProfile(false);
        QVERIFY(answerName(w, QStringLiteral("Absent keychain"))); // a profile without a name asks for one
        QVERIFY(saved.wait(10'000));
        QCOMPARE(saved.first().at(0).toBool(), false);
        QVERIFY2(saved.first().at(1).toString().contains(QStringLiteral("saved, but not its passwords")),
                 qPrintable(saved.first().at(1).toString()));
        QSettings().sync();
        QCOMPARE(filesHolding(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation), Password),
                 QStringList());

        // The user chooses memory for this session: saving works, and loading the profile brings it back.
        click(child<QPushButton>(w.keychainNotice(), "sessionOnlyButton"));
        QCOMPARE(w.keychainNotice().state(), KeychainNotice::State::SessionOnly);
        QVERIFY(w.secrets().isSessionOnly());
        QVERIFY(bar->isVisible());
        QVERIFY(
            child<QLabel>(w.keychainNotice(), "messageLabel")->text().contains(QStringLiteral("this session only")));
        saved.clear();
        config.saveProfile(false);
        QVERIFY(saved.wait(10'000));
        QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
        QVERIFY(saved.first().at(1).toString().contains(QStringLiteral("memory, for this session only")));

        const std::optional<Profile> stored = ProfileStore().load(config.profiles().profile().name);
        QVERIFY(stored);
        QVERIFY(stored->slots[0].config.password.isEmpty());
        w.controller().setConfig(0, SlotConfig{}); // forget the session's own copy
        QSignalSpy loaded(&config.profiles(), &ProfileManager::secretsLoaded);
        config.profiles().setProfile(*stored);
        QVERIFY(loaded.wait(10'000));
        QCOMPARE(child<QLineEdit>(config, "passwordEdit")->text(), QString::fromLatin1(Password));
        QCOMPARE(filesHolding(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation), Password),
                 QStringList());
    }
};

QTEST_MAIN(TestKeychainAbsent)
#include "tst_keychainabsent.moc"
