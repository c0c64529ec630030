// The secret stores: the OS keychain through a real Secret Service (gnome-keyring-daemon inside
// dbus-run-session, as scripts/test.sh runs it), memory for the session, the switch between them that only
// the user makes; a profile's secrets under the key scheme.

#include "failingsecretstore.h"
#include "keychainfortests.h"

#include "core/secrets/profilesecrets.h"
#include "core/secrets/secretkey.h"
#include "core/secrets/sessionsecretstore.h"
#include "core/secrets/switchablesecretstore.h"

#include "fakepem.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace qmt;
using namespace qmt::test;

namespace {

/// Runs one request and waits for its answer.
SecretReply await(const std::function<void(SecretStore::Callback)> &request)
{
    std::optional<SecretReply> reply;
    request([&reply](const SecretReply &r) { reply = r; });
    if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, 10'000))
        return SecretReply{SecretStatus::Failed, {}, QStringLiteral("no answer within 10 s")};
    return *reply;
}

SecretReply readFrom(SecretStore &s, const QString &key)
{
    return await([&](SecretStore::Callback cb) { s.read(key, nullptr, std::move(cb)); });
}
SecretReply writeTo(SecretStore &s, const QString &key, const QByteArray &value)
{
    return await([&](SecretStore::Callback cb) { s.write(key, value, nullptr, std::move(cb)); });
}
SecretReply removeFrom(SecretStore &s, const QString &key)
{
    return await([&](SecretStore::Callback cb) { s.remove(key, nullptr, std::move(cb)); });
}

} // namespace

class TestSecretStores : public QObject
{
    Q_OBJECT

    KeychainForTests m_keychain{QStringLiteral("stores")};
    QStringList m_written; // keychain keys to remove at the end

    std::unique_ptr<SecretStore> makeStore(const QString &kind)
    {
        if (kind == QLatin1String("keychain"))
            return std::make_unique<KeychainSecretStore>(m_keychain.service());
        return std::make_unique<SessionSecretStore>();
    }

    static void storeKinds()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("keychain") << QStringLiteral("keychain");
        QTest::newRow("session") << QStringLiteral("session");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_secretstores"));
    }

    void cleanupTestCase()
    {
        KeychainSecretStore store(m_keychain.service());
        for (const QString &key : std::as_const(m_written))
            removeFrom(store, key);
    }

    void storesKeepTheBytesExactly_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QByteArray>("value");
        QByteArray binary;
        for (int b = 0; b < 256; ++b)
            binary.append(char(b));
        const QByteArray pem = test::fakePrivateKey(QByteArray(3000, 'A'));
        for (const char *kind : {"keychain", "session"}) {
            QTest::addRow("%s: a password", kind) << QString::fromLatin1(kind) << QByteArray("hunter2");
            QTest::addRow("%s: UTF-8", kind) << QString::fromLatin1(kind) << QByteArray("pässwörd ✓");
            QTest::addRow("%s: every byte value", kind) << QString::fromLatin1(kind) << binary;
            QTest::addRow("%s: a 3 KB PEM key", kind) << QString::fromLatin1(kind) << pem;
        }
    }
    void storesKeepTheBytesExactly()
    {
        QFETCH(QString, kind);
        QFETCH(QByteArray, value);
        if (kind == QLatin1String("keychain"))
            QMT_REQUIRE_KEYCHAIN(m_keychain);
        const auto store = makeStore(kind);
        const QString key = SecretKey::slot(QStringLiteral("bytes ") + QString::fromLatin1(QTest::currentDataTag()), 0,
                                            SlotSecret::Password);
        m_written.append(key);
        QCOMPARE(readFrom(*store, key).status, SecretStatus::NotFound);
        QVERIFY2(writeTo(*store, key, value).ok(), qPrintable(writeTo(*store, key, value).message()));
        QCOMPARE(readFrom(*store, key).value, value);
        QVERIFY(writeTo(*store, key, "replaced").ok());
        QCOMPARE(readFrom(*store, key).value, QByteArray("replaced"));
        QVERIFY(removeFrom(*store, key).ok());
        QCOMPARE(readFrom(*store, key).status, SecretStatus::NotFound);
        QVERIFY2(removeFrom(*store, key).ok(), "removing what is not there is fine");
    }

    void answersComeFromTheEventLoopNeverFromInsideTheCall_data() { storeKinds(); }
    void answersComeFromTheEventLoopNeverFromInsideTheCall()
    {
        QFETCH(QString, kind);
        if (kind == QLatin1String("keychain"))
            QMT_REQUIRE_KEYCHAIN(m_keychain);
        const auto store = makeStore(kind);
        bool answered = false;
        store->read(SecretStore::ProbeKey, nullptr, [&answered](const SecretReply &) { answered = true; });
        QVERIFY(!answered);
        QTRY_VERIFY(answered);

        // An answer for an object that is gone is dropped, not delivered to freed memory.
        bool late = false;
        auto context = std::make_unique<QObject>();
        store->read(SecretStore::ProbeKey, context.get(), [&late](const SecretReply &) { late = true; });
        context.reset();
        bool after = false;
        store->read(SecretStore::ProbeKey, nullptr, [&after](const SecretReply &) { after = true; });
        QTRY_VERIFY(after);
        QTest::qWait(50);
        QVERIFY(!late);
    }

    void aStoreClosedWhileTheKeychainWorksLeavesNothingToCrash()
    {
        // Closing the window ends its store while the Secret Service may still be answering: the answer must
        // find nothing freed (the suite once crashed in QKeychain::Job::emitFinishedWithError this way).
        QMT_REQUIRE_KEYCHAIN(m_keychain);
        int answered = 0;
        for (int round = 0; round < 5; ++round) {
            auto store = std::make_unique<KeychainSecretStore>(m_keychain.service());
            store->read(SecretStore::ProbeKey, nullptr, [&answered](const SecretReply &) { ++answered; });
            store->write(QStringLiteral("closing %1").arg(round), "x", nullptr,
                         [&answered](const SecretReply &) { ++answered; });
            store->remove(QStringLiteral("closing %1").arg(round), nullptr,
                          [&answered](const SecretReply &) { ++answered; });
            QCoreApplication::processEvents(); // the requests are on their way to the Secret Service
            store.reset();
        }
        // The Secret Service answers every request; none reaches the stores that are gone.
        KeychainSecretStore survivor(m_keychain.service());
        QVERIFY(removeFrom(survivor, QStringLiteral("closing 4")).ok());
        QTest::qWait(200);
        QCOMPARE(answered, 0);
    }

    void keychainEntriesAreFiledUnderTheServiceNameForEverySecretServiceClient()
    {
        QMT_REQUIRE_KEYCHAIN(m_keychain);
        KeychainSecretStore store(m_keychain.service());
        const QString key = SecretKey::tls(QStringLiteral("visible"), SslIndex{0, 1}, TlsSecret::KeyPassphrase);
        m_written.append(key);
        QVERIFY(writeTo(store, key, "open sesame").ok());
        // secret-tool is another Secret Service client: the entry is in the keychain, not in a file of ours.
        QProcess tool;
        tool.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("server"),
                                                   m_keychain.service(), QStringLiteral("user"), key});
        QVERIFY(tool.waitForFinished(10'000));
        QCOMPARE(tool.exitCode(), 0);
        // QtKeychain files binary data in base64.
        QCOMPARE(QByteArray::fromBase64(tool.readAllStandardOutput().trimmed()), QByteArray("open sesame"));
    }

    void keysFollowOneSchemePerProfileAndSlot()
    {
        QCOMPARE(SecretKey::slot(QStringLiteral("Fleet"), 2, SlotSecret::Password),
                 QStringLiteral("profile/Fleet/slot2/password"));
        QCOMPARE(SecretKey::slot(QStringLiteral("Fleet"), 4, SlotSecret::DeviceSecret),
                 QStringLiteral("profile/Fleet/slot4/deviceSecret"));
        // TLS material per SSL index (context-connect ID): slots on different indices keep their own.
        QCOMPARE(SecretKey::tls(QStringLiteral("Fleet"), SslIndex{0, 3}, TlsSecret::ClientKey),
                 QStringLiteral("profile/Fleet/tls/0-3/clientkey"));
        QCOMPARE(SecretKey::legacyTls(QStringLiteral("Fleet"), TlsSecret::ClientKey),
                 QStringLiteral("profile/Fleet/tls/clientkey"));
        // A '/' in a name cannot reach into another profile's keys.
        QCOMPARE(SecretKey::slot(QStringLiteral("a/slot0"), 1, SlotSecret::Password),
                 QStringLiteral("profile/a%2Fslot0/slot1/password"));
        QCOMPARE(SecretKey::allOf(QStringLiteral("x"), {SslIndex{0, 0}, SslIndex{2, 4}}).size(), SlotCount * 2 + 3 * 4);
    }

    void aProfilesSecretsGoBackAndForthAndClearedOnesLeave_data() { storeKinds(); }
    void aProfilesSecretsGoBackAndForthAndClearedOnesLeave()
    {
        QFETCH(QString, kind);
        if (kind == QLatin1String("keychain"))
            QMT_REQUIRE_KEYCHAIN(m_keychain);
        const auto store = makeStore(kind);
        const QString name = QStringLiteral("Fleet — %1").arg(kind);
        const QList<SslIndex> indices{SslIndex{0, 1}, SslIndex{0, 2}};
        m_written.append(SecretKey::allOf(name, indices));
        Profile profile;
        profile.name = name;
        profile.slots[1].config.password = "pw-one";
        profile.slots[3].config.deviceSecret = "ali-secret";
        const QMap<SslIndex, TlsMaterial> tls{
            {indices[0],
             {2, "-----BEGIN CERTIFICATE-----\nQQ==\n-----END CERTIFICATE-----\n", {}, "key pem", "phrase"}},
            {indices[1], {1, "-----BEGIN CERTIFICATE-----\nQg==\n-----END CERTIFICATE-----\n", {}, {}, {}}}};
        ProfileSecrets secrets(*store);
        std::optional<SecretBatchOutcome> saved;
        secrets.save(name, ProfileSecretValues::of(profile, tls), nullptr,
                     [&](const SecretBatchOutcome &o) { saved = o; });
        QTRY_VERIFY(saved);
        QVERIFY2(saved->ok(), qPrintable(saved->problems.join(QLatin1Char('\n'))));

        std::optional<ProfileSecretValues> loaded;
        secrets.load(name, indices, nullptr, [&](const ProfileSecretValues &v, const SecretBatchOutcome &o) {
            QVERIFY(o.ok());
            loaded = v;
        });
        QTRY_VERIFY(loaded);
        QCOMPARE(loaded->passwords[1], QByteArray("pw-one"));
        QCOMPARE(loaded->deviceSecrets[3], QByteArray("ali-secret"));
        QCOMPARE(loaded->tls.keys(), indices);
        QCOMPARE(loaded->tls[indices[0]].caCert, tls[indices[0]].caCert);
        QCOMPARE(loaded->tls[indices[0]].clientKey, tls[indices[0]].clientKey);
        QCOMPARE(loaded->tls[indices[0]].keyPassphrase, tls[indices[0]].keyPassphrase);
        QCOMPARE(loaded->tls[indices[1]].caCert, tls[indices[1]].caCert);
        QVERIFY(loaded->tls[indices[1]].clientKey.isEmpty());

        // A password cleared in the form must not linger in the keychain.
        profile.slots[1].config.password.clear();
        saved.reset();
        secrets.save(name, ProfileSecretValues::of(profile, tls), nullptr,
                     [&](const SecretBatchOutcome &o) { saved = o; });
        QTRY_VERIFY(saved);
        QCOMPARE(readFrom(*store, SecretKey::slot(name, 1, SlotSecret::Password)).status, SecretStatus::NotFound);

        saved.reset();
        secrets.remove(name, indices, nullptr, [&](const SecretBatchOutcome &o) { saved = o; });
        QTRY_VERIFY(saved);
        QVERIFY(saved->ok());
        for (const QString &key : SecretKey::allOf(name, indices))
            QCOMPARE(readFrom(*store, key).status, SecretStatus::NotFound);
    }

    void materialKeptBeforeSslIndicesIsReadAndMovedToItsIndex_data() { storeKinds(); }
    void materialKeptBeforeSslIndicesIsReadAndMovedToItsIndex()
    {
        // An older version kept one set of TLS material per profile; it was at SSL context 0, connect ID 0.
        QFETCH(QString, kind);
        if (kind == QLatin1String("keychain"))
            QMT_REQUIRE_KEYCHAIN(m_keychain);
        const auto store = makeStore(kind);
        const QString name = QStringLiteral("Older — %1").arg(kind);
        const QList<SslIndex> zero{SslIndex{}};
        m_written.append(SecretKey::allOf(name, zero));
        const QByteArray ca = "-----BEGIN CERTIFICATE-----\nQw==\n-----END CERTIFICATE-----\n";
        QVERIFY(writeTo(*store, SecretKey::legacyTls(name, TlsSecret::CaCert), ca).ok());
        QVERIFY(writeTo(*store, SecretKey::legacyTls(name, TlsSecret::KeyPassphrase), "old phrase").ok());
        ProfileSecrets secrets(*store);
        const auto load = [&] {
            std::optional<ProfileSecretValues> loaded;
            secrets.load(name, zero, nullptr, [&](const ProfileSecretValues &v, const SecretBatchOutcome &o) {
                QVERIFY(o.ok());
                loaded = v;
            });
            if (!QTest::qWaitFor([&] { return loaded.has_value(); }, 10'000))
                qWarning("no answer from the store within 10 s");
            return loaded.value_or(ProfileSecretValues{});
        };
        const ProfileSecretValues before = load();
        QCOMPARE(before.tls.value(SslIndex{}).caCert, ca);
        QCOMPARE(before.tls.value(SslIndex{}).keyPassphrase, QByteArray("old phrase"));

        // Saving moves it under its index; the old entries go, and nothing is lost.
        std::optional<SecretBatchOutcome> saved;
        secrets.save(name, before, nullptr, [&](const SecretBatchOutcome &o) { saved = o; });
        QTRY_VERIFY(saved);
        QVERIFY2(saved->ok(), qPrintable(saved->problems.join(QLatin1Char('\n'))));
        QCOMPARE(readFrom(*store, SecretKey::legacyTls(name, TlsSecret::CaCert)).status, SecretStatus::NotFound);
        QCOMPARE(readFrom(*store, SecretKey::tls(name, SslIndex{}, TlsSecret::CaCert)).value, ca);
        QCOMPARE(load().tls.value(SslIndex{}).keyPassphrase, QByteArray("old phrase"));
    }

    void onlyTheUsersChoiceMovesSecretsIntoMemory()
    {
        auto failing = std::make_unique<FailingSecretStore>();
        FailingSecretStore *keychain = failing.get();
        SwitchableSecretStore store(std::move(failing));
        const QString key = SecretKey::slot(QStringLiteral("p"), 0, SlotSecret::Password);
        const SecretReply refused = writeTo(store, key, "pw");
        QCOMPARE(refused.status, SecretStatus::NoBackend);
        QVERIFY(refused.message().contains(QStringLiteral("No OS keychain answered")));
        QCOMPARE(readFrom(store, key).status, SecretStatus::NoBackend);
        QVERIFY(store.persistent());

        QSignalSpy switched(&store, &SwitchableSecretStore::switchedToSessionOnly);
        store.useSessionOnly();
        QCOMPARE(switched.size(), 1);
        QVERIFY(store.isSessionOnly());
        QVERIFY(!store.persistent());
        QVERIFY(store.description().contains(QStringLiteral("session")));
        QVERIFY(writeTo(store, key, "pw").ok());
        QCOMPARE(readFrom(store, key).value, QByteArray("pw"));
        QCOMPARE(keychain->writes, 1); // the refused one; nothing after the switch went to the keychain
    }
};

QTEST_GUILESS_MAIN(TestSecretStores)
#include "tst_secretstores.moc"
