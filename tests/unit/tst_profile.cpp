#include "core/module/profilestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;

namespace {

Profile sample()
{
    Profile p;
    p.name = QStringLiteral("Fleet — staging");
    auto &s = p.slots[1];
    s.enabled = true;
    s.config.host = "broker.example.net";
    s.config.port = 8883;
    s.config.clientId = "dev-42";
    s.config.userName = "dev42";
    s.config.password = "hunter2-password";
    s.config.aliAuthEnabled = true;
    s.config.productKey = "pk";
    s.config.deviceName = "dn";
    s.config.deviceSecret = "device-secret-xyz";
    s.config.keepAliveS = 300;
    s.config.will = WillConfig{true, 1, true, "dev/42/status", "offline"};
    s.config.sslEnabled = true;
    s.config.recvFormat = DataFormat::Hex;
    s.subscriptions = {{"dev/42/cmd/#", 1}, {"fleet/+/ota", 2}};
    return p;
}

} // namespace

class TestProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profile"));
    }

    void aProfileSurvivesJsonWithoutItsSecrets()
    {
        const Profile p = sample();
        const QByteArray json = QJsonDocument(p.toJson()).toJson();
        QVERIFY(!json.contains("hunter2-password"));
        QVERIFY(!json.contains("device-secret-xyz"));
        QVERIFY(json.contains("\"hasPassword\": true"));
        const auto back = Profile::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(back);
        Profile expected = p;
        expected.slots[1].config.password.clear();
        expected.slots[1].config.deviceSecret.clear();
        // What comes back knows that a password and a device secret belong to slot 1, so it can ask the
        // keychain for them and say so when they are not there.
        expected.slots[1].hasPassword = true;
        expected.slots[1].hasDeviceSecret = true;
        QCOMPARE(back->toJson(), expected.toJson());
        QVERIFY(*back == expected);
    }

    void anImportedProfileSaysWhichSecretsItLacks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profile.json"));
        QString error;
        QVERIFY2(ProfileStore::exportTo(sample(), path, &error), qPrintable(error));
        const auto imported = ProfileStore::importFrom(path);
        QVERIFY(imported);
        const Profile::SlotSetup &slot1 = imported->slots[1];
        QVERIFY(slot1.config.password.isEmpty());
        QVERIFY(slot1.passwordMissing());
        QVERIFY(slot1.deviceSecretMissing());
        QVERIFY(!imported->slots[0].passwordMissing()); // a slot saved without one lacks nothing
        QCOMPARE(imported->missingSecrets(),
                 (QList<Profile::MissingSecret>{{1, Profile::MissingSecret::Password},
                                                {1, Profile::MissingSecret::DeviceSecret}}));

        // Exported again before the secrets are typed, it still refers to them.
        Profile again = *imported;
        QVERIFY(again.toJson()
                    .value(QStringLiteral("slots"))
                    .toArray()
                    .at(1)
                    .toObject()
                    .value(QStringLiteral("config"))
                    .toObject()
                    .value(QStringLiteral("hasPassword"))
                    .toBool());
        // Typed, nothing is missing; a device secret counts only with aliauth on.
        again.slots[1].config.password = "typed";
        again.slots[1].config.aliAuthEnabled = false;
        QVERIFY(again.missingSecrets().isEmpty());
    }

    void aProfileKeepsTheAutoRecoveryChoice()
    {
        Profile p = sample();
        QCOMPARE(p.autoRecovery, std::nullopt); // no choice made: loading it leaves the setting alone
        QVERIFY(!p.toJson().contains(QStringLiteral("autoRecovery")));
        for (const bool on : {true, false}) {
            p.autoRecovery = on;
            const auto back = Profile::fromJson(p.toJson());
            QVERIFY(back);
            QCOMPARE(back->autoRecovery, std::optional<bool>(on));
        }
        QJsonObject bad = p.toJson();
        bad.insert(QStringLiteral("autoRecovery"), QStringLiteral("yes"));
        const auto refused = Profile::fromJson(bad);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().contains(QStringLiteral("autoRecovery")),
                 qPrintable(refused.error().message()));
    }

    void tlsMaterialIsReferencedPerSslIndexWithItsLastTest()
    {
        Profile p = sample();
        p.setTls({SslIndex{0, 1}, 2, QStringLiteral("ca-1"), QStringLiteral("cert-1"), true, false,
                  Profile::TlsReference::Test::Failed});
        p.setTls({SslIndex{0, 0}, 1, QStringLiteral("ca-0"), {}, false, false, Profile::TlsReference::Test::Passed});
        QCOMPARE(p.tls.size(), 2);
        QCOMPARE(p.tls.first().index, (SslIndex{0, 0})); // kept in index order
        const auto back = Profile::fromJson(QJsonDocument::fromJson(QJsonDocument(p.toJson()).toJson()).object());
        QVERIFY(back);
        QCOMPARE(back->tls, p.tls);
        QVERIFY(back->tlsAt(SslIndex{0, 1}));
        QCOMPARE(back->tlsAt(SslIndex{0, 1})->lastTest, Profile::TlsReference::Test::Failed);
        QVERIFY(!back->tlsAt(SslIndex{0, 2}));
        // Replacing the material at an index keeps one reference there.
        p.setTls({SslIndex{0, 1}, 2, QStringLiteral("ca-new"), {}, false, false, {}});
        QCOMPARE(p.tls.size(), 2);
        QCOMPARE(p.tlsAt(SslIndex{0, 1})->caCertSha256, QStringLiteral("ca-new"));
    }

    void aProfileSavedBeforeSslIndicesHasItsMaterialAtContext0Connect0()
    {
        // Every slot's material went to SSL context 0, connect ID 0: that is where the old reference points.
        const QByteArray json = "{\"qmtStudioProfile\":1,\"name\":\"old\",\"slots\":[],\"tls\":{\"secLevel\":2,"
                                "\"caCertSha256\":\"ab\",\"clientCertSha256\":\"cd\",\"hasClientKey\":true}}";
        const auto old = Profile::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(old);
        QCOMPARE(old->tls.size(), 1);
        const Profile::TlsReference &ref = old->tls.first();
        QCOMPARE(ref.index, (SslIndex{0, 0}));
        QCOMPARE(ref.secLevel, 2);
        QCOMPARE(ref.caCertSha256, QStringLiteral("ab"));
        QVERIFY(ref.hasClientKey);
        QCOMPARE(ref.lastTest, Profile::TlsReference::Test::Untested);
    }

    void theStoreKeepsNamedProfilesAndNoSecrets()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("settings.ini"));
        {
            ProfileStore store(file);
            store.save(sample());
            Profile other;
            other.name = QStringLiteral("bench/1");
            store.save(other);
            QCOMPARE(store.names(), (QStringList{QStringLiteral("bench/1"), QStringLiteral("Fleet — staging")}));
            const auto loaded = store.load(QStringLiteral("Fleet — staging"));
            QVERIFY(loaded);
            QCOMPARE(loaded->slots[1].config.host, QByteArray("broker.example.net"));
            QCOMPARE(loaded->slots[1].subscriptions.size(), 2);
            store.remove(QStringLiteral("bench/1"));
            QCOMPARE(store.names().size(), 1);
        }
        QFile raw(file);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray bytes = raw.readAll();
        QVERIFY(bytes.contains("broker.example.net"));
        QVERIFY(!bytes.contains("hunter2-password"));
        QVERIFY(!bytes.contains("device-secret-xyz"));
    }

    void exportAndImportRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profile.json"));
        QString error;
        QVERIFY2(ProfileStore::exportTo(sample(), path, &error), qPrintable(error));
        const auto imported = ProfileStore::importFrom(path);
        QVERIFY(imported);
        QCOMPARE(imported->name, sample().name);
        QCOMPARE(imported->slots[1].config.keepAliveS, 300);
    }

    void badImportsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{oops") << QStringLiteral("JSON object");
        QTest::newRow("not a profile") << QByteArray("{\"a\":1}") << QStringLiteral("qmtStudioProfile");
        QTest::newRow("keepalive out of range")
            << QByteArray("{\"qmtStudioProfile\":1,\"slots\":[{\"config\":{\"keepAlive\":4000}}]}")
            << QStringLiteral("slot 0: keepAlive must be 0–3600; got 4000");
        QTest::newRow("port as text") << QByteArray(
                                             "{\"qmtStudioProfile\":1,\"slots\":[{},{\"config\":{\"port\":\"x\"}}]}")
                                      << QStringLiteral("slot 1: port");
        QTest::newRow("bad subscription")
            << QByteArray("{\"qmtStudioProfile\":1,\"slots\":[{\"subscriptions\":[{\"filter\":\"a/#/b\",\"qos\":0}]}]}")
            << QStringLiteral("slot 0: subscription");
        const QByteArray huge(50 * 1024 * 1024, 'a');
        QTest::newRow("50 MB name") << "{\"qmtStudioProfile\":1,\"name\":\"" + huge + "\"}"
                                    << QStringLiteral("name must be at most 100 characters; got \"aaaa");
        QTest::newRow("50 MB host") << "{\"qmtStudioProfile\":1,\"slots\":[{\"config\":{\"host\":\"" + huge + "\"}}]}"
                                    << QStringLiteral("slot 0: host must be 1–100 bytes; got \"aaaa");
        QTest::newRow("name with a line feed")
            << QByteArray(R"({"qmtStudioProfile":1,"name":"two\nlines"})")
            << QStringLiteral(
                   "name must be text without control characters; got \"two\\nlines\" (U+000a at character 4)");
        QTest::newRow("CR in the client ID")
            << QByteArray(R"({"qmtStudioProfile":1,"slots":[{},{"config":{"clientId":"dev\r\nAT+QPOWD=1"}}]})")
            << QStringLiteral(
                   "slot 1: clientId must be text without \", CR, LF, Ctrl+Z or Esc; got \"dev<0d><0a>AT+QPOWD=1\"");
        QTest::newRow("quote in the client ID")
            << QByteArray("{\"qmtStudioProfile\":1,\"slots\":[{\"config\":{\"clientId\":\"a\\\"b\"}}]}")
            << QStringLiteral("slot 0: clientId must be text without \", CR, LF, Ctrl+Z or Esc");
        QTest::newRow("LF in the host") << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"config":{"host":"h\n"}}]})")
                                        << QStringLiteral("slot 0: host must be text without \"");
        QTest::newRow("wildcard in the will topic")
            << QByteArray("{\"qmtStudioProfile\":1,\"slots\":[{\"config\":{\"will\":{\"topic\":\"a/#\"}}}]}")
            << QStringLiteral("slot 0: will: topic must be a topic name without + or #");
        QTest::newRow("QoS as text")
            << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"subscriptions":[{"filter":"a","qos":"1"}]}]})")
            << QStringLiteral("slot 0: subscriptions[0]: qos must be a number 0–2; got \"1\" (a "
                              "number written as text: write it without quotes)");
        QTest::newRow("QoS not whole")
            << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"subscriptions":[{"filter":"a","qos":1.5}]}]})")
            << QStringLiteral("slot 0: subscriptions[0]: qos must be 0–2; got 1.5 (not a whole number)");
        QTest::newRow("slots not an array") << QByteArray(R"({"qmtStudioProfile":1,"slots":{"0":{}}})")
                                            << QStringLiteral("slots must be an array; got an object");
        QTest::newRow("a slot not an object") << QByteArray(R"({"qmtStudioProfile":1,"slots":[{},7]})")
                                              << QStringLiteral("slot 1 must be an object; got 7");
        QTest::newRow("config not an object") << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"config":[]}]})")
                                              << QStringLiteral("slot 0: config must be an object; got an array");
        QTest::newRow("subscriptions not an array")
            << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"subscriptions":{"filter":"a"}}]})")
            << QStringLiteral("slot 0: subscriptions must be an array");
        QTest::newRow("a subscription not an object")
            << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"subscriptions":[{"filter":"a"},"b/c"]}]})")
            << QStringLiteral("slot 0: subscriptions[1] must be an object; got \"b/c\"");
        QTest::newRow("enabled as text") << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"enabled":"yes"}]})")
                                         << QStringLiteral("slot 0: enabled must be true or false; got \"yes\"");
        QTest::newRow("host as a number") << QByteArray(R"({"qmtStudioProfile":1,"slots":[{"config":{"host":5}}]})")
                                          << QStringLiteral("slot 0: host must be text; got 5");
        QTest::newRow("unknown last test")
            << QByteArray(R"({"qmtStudioProfile":1,"tlsMaterial":[{"secLevel":1,"lastTest":"maybe"}]})")
            << QStringLiteral("tlsMaterial[0]: lastTest must be untested, passed or failed; got \"maybe\"");
        QTest::newRow("TLS material at SSL context 11")
            << QByteArray(
                   "{\"qmtStudioProfile\":1,\"tlsMaterial\":[{\"contextId\":11,\"connectId\":0,\"secLevel\":1}]}")
            << QStringLiteral("tlsMaterial[0]: contextId must be 0–10; got 11");
    }
    void badImportsNameTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(json);
        f.close();
        const auto imported = ProfileStore::importFrom(path);
        QVERIFY(!imported);
        const QString message = imported.error().message();
        QVERIFY2(message.contains(mentions), qPrintable(message.left(500)));
        QVERIFY2(message.size() < 300, qPrintable(message.left(500))); // a value is shortened for display
    }

    void aProfileAlreadyStoredIsNotHeldToTheImportRules()
    {
        // Saved before imports were checked, with a client ID Start refuses: it still loads, to be fixed.
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(QStringLiteral("settings.ini")));
        Profile p = sample();
        p.slots[1].config.clientId = "dev\"42";
        store.save(p);
        const auto loaded = store.load(p.name);
        QVERIFY(loaded);
        QCOMPARE(loaded->slots[1].config.clientId, QByteArray("dev\"42"));
        QVERIFY(loaded->problem());
        QCOMPARE(loaded->problem()->parameter, QStringLiteral("slot 1: clientId"));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
