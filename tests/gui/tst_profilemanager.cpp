// The profile in use without a widget: saved with its secrets in the secret store and read back, edits
// counted as unsaved changes, imports that change nothing when refused, a slot whose secret is missing
// refused at start, and the TLS material's references. Links qmtgui_profiles, which has no widgets.

#include "core/module/profilestore.h"
#include "core/secrets/sessionsecretstore.h"
#include "core/tls/tlsmaterialcheck.h"
#include "gui/profiles/profilemanager.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;

namespace {

Profile named(const QString &name)
{
    Profile p;
    p.name = name;
    Profile::SlotSetup &s = p.slots[2];
    s.enabled = true;
    s.config.host = "broker.example.net";
    s.config.clientId = "dev-7";
    s.config.userName = "dev7";
    s.subscriptions = {{"dev/7/cmd/#", 1}};
    return p;
}

/// The user types a password for slot 2 (secrets never come with a profile: from the secret store only).
void typePassword(ProfileManager &profiles, const QByteArray &password)
{
    SlotConfig config = profiles.current().slots[2].config;
    config.password = password;
    profiles.editSlot(2, config, true);
}

} // namespace

class TestProfileManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profilemanager"));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<ProfileStore>(m_dir->filePath(QStringLiteral("settings.ini")));
        m_secrets = std::make_unique<SessionSecretStore>();
        m_controller = std::make_unique<ModuleController>();
        m_profiles = std::make_unique<ProfileManager>(*m_controller, *m_store, *m_secrets);
    }

    void cleanup()
    {
        m_profiles.reset();
        m_controller.reset();
    }

    void aSavedProfileComesBackWithItsSecretsAndNoneInTheSettings()
    {
        m_profiles->setProfile(named(QStringLiteral("Fleet")));
        typePassword(*m_profiles, "pw-in-keychain");
        QSignalSpy saved(m_profiles.get(), &ProfileManager::secretsSaved);
        m_profiles->save();
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 5000);
        QVERIFY(saved.first().at(0).toBool());
        QVERIFY(!m_profiles->hasUnsavedChanges());
        QFile settings(m_dir->filePath(QStringLiteral("settings.ini")));
        QVERIFY(settings.open(QIODevice::ReadOnly));
        QVERIFY(!settings.readAll().contains("pw-in-keychain"));

        m_profiles->setProfile(named(QStringLiteral("Other")));
        QCOMPARE(m_profiles->profile().slots[2].config.password, QByteArray());
        QSignalSpy loaded(m_profiles.get(), &ProfileManager::secretsLoaded);
        QVERIFY(m_profiles->switchTo(QStringLiteral("Fleet")));
        QVERIFY(m_profiles->secretsLoading());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 5000);
        QVERIFY(loaded.first().at(0).toBool());
        QCOMPARE(m_profiles->profile().slots[2].config.password, QByteArray("pw-in-keychain"));
        QCOMPARE(m_controller->config(2).password, QByteArray("pw-in-keychain"));
        QCOMPARE(m_profiles->profile().slots[2].subscriptions, (QList<QPair<QByteArray, int>>{{"dev/7/cmd/#", 1}}));
        QVERIFY(!m_profiles->hasUnsavedChanges()); // secrets read back are not edits
        QVERIFY(!m_profiles->switchTo(QStringLiteral("No such profile")));
    }

    void anEditIsAnUnsavedChangeUntilKeptAsSaved()
    {
        m_profiles->setProfile(named(QStringLiteral("Edited")));
        QVERIFY(!m_profiles->hasUnsavedChanges());
        SlotConfig config = m_profiles->current().slots[2].config;
        config.host = "other.example.net";
        m_profiles->editSlot(2, config, true);
        QCOMPARE(m_controller->config(2).host, QByteArray("other.example.net"));
        QVERIFY(m_profiles->hasUnsavedChanges());
        m_profiles->keepAsSaved();
        QVERIFY(!m_profiles->hasUnsavedChanges());
    }

    void aRefusedImportChangesNothing()
    {
        const Profile kept = named(QStringLiteral("Kept"));
        m_store->save(kept);
        QVERIFY(m_profiles->switchTo(kept.name));
        const Profile before = m_profiles->profile();
        const QString path = m_dir->filePath(QStringLiteral("bad.json"));
        QFile bad(path);
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"qmtStudioProfile":1,"name":"Bad","slots":[{"subscriptions":[{"filter":"a","qos":"1"}]}]})");
        bad.close();

        const Validated<QString> refused = m_profiles->importFrom(path);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().contains(QStringLiteral("slot 0: subscriptions[0]: qos")),
                 qPrintable(refused.error().message()));
        QCOMPARE(m_profiles->profile(), before);
        QVERIFY(!m_profiles->hasUnsavedChanges());
        QCOMPARE(m_store->names(), QStringList{kept.name});
        QCOMPARE(m_store->load(kept.name)->slots[2].config.host, kept.slots[2].config.host);

        // A good import becomes the profile in use, not saved: nothing stored changes either.
        QString error;
        QVERIFY(ProfileStore::exportTo(named(QStringLiteral("Imported")), path, &error));
        const Validated<QString> imported = m_profiles->importFrom(path);
        QVERIFY(imported);
        QCOMPARE(*imported, QStringLiteral("Imported"));
        QCOMPARE(m_profiles->current().name, QStringLiteral("Imported"));
        QVERIFY(m_profiles->hasUnsavedChanges());
        QCOMPARE(m_store->names(), QStringList{kept.name});
    }

    void aSlotWhoseSecretIsMissingDoesNotStart()
    {
        Profile p = named(QStringLiteral("No password here"));
        p.slots[2].hasPassword = true; // saved with one, which the secret store does not have
        m_store->save(p);
        QSignalSpy loaded(m_profiles.get(), &ProfileManager::secretsLoaded);
        QVERIFY(m_profiles->switchTo(p.name));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 5000);
        QList<ProfileManager::SlotStart> starts;
        connect(m_profiles.get(), &ProfileManager::profileStarted, this,
                [&starts](const QList<ProfileManager::SlotStart> &s) { starts = s; });
        m_profiles->start();
        QCOMPARE(starts.size(), 1);
        QCOMPARE(starts.first().slot, 2);
        QVERIFY(starts.first().refused);
        QCOMPARE(starts.first().refused->missing, std::optional(Profile::MissingSecret::Password));
        QVERIFY2(starts.first().refused->text.contains(QStringLiteral("password")),
                 qPrintable(starts.first().refused->text));
        QCOMPARE(m_controller->status(2).state, SlotState::Closed);
    }

    void aDeletedProfileLeavesNoSecretBehind()
    {
        m_profiles->setProfile(named(QStringLiteral("Doomed")));
        typePassword(*m_profiles, "pw-doomed");
        QSignalSpy saved(m_profiles.get(), &ProfileManager::secretsSaved);
        m_profiles->save();
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 5000);
        QVERIFY(m_secrets->size() > 0);
        m_profiles->remove();
        QVERIFY(!m_store->names().contains(QStringLiteral("Doomed")));
        QTRY_COMPARE_WITH_TIMEOUT(m_secrets->size(), qsizetype(0), 5000);
    }

    void uploadedMaterialIsReferencedAndItsTestRecorded()
    {
        m_profiles->setProfile(named(QStringLiteral("TLS")));
        TlsMaterial material;
        material.secLevel = 2;
        material.clientKey = "-----BEGIN PRIVATE KEY-----";
        const SslIndex index{0, 2};
        m_profiles->takeUploaded(material, TlsCheckReport{}, 2, index, {{SslItem::ClientKey, 27}});
        QVERIFY(m_profiles->current().tlsAt(index));
        QVERIFY(m_profiles->current().tlsAt(index)->hasClientKey);
        QCOMPARE(m_profiles->tlsMaterial(index).clientKey, material.clientKey);
        QCOMPARE(m_profiles->reportedLengths(index).value(SslItem::ClientKey), 27);
        m_profiles->takeTested(index, false);
        QCOMPARE(m_profiles->profile().tlsAt(index)->lastTest, Profile::TlsReference::Test::Failed);
        // Exported, the profile refers to the material and holds none of it.
        const QString path = m_dir->filePath(QStringLiteral("tls.json"));
        QString error;
        QVERIFY2(m_profiles->exportTo(path, &error), qPrintable(error));
        QFile exported(path);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QVERIFY(!exported.readAll().contains("PRIVATE KEY"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<SessionSecretStore> m_secrets;
    std::unique_ptr<ModuleController> m_controller;
    std::unique_ptr<ProfileManager> m_profiles;
};

QTEST_GUILESS_MAIN(TestProfileManager)
#include "tst_profilemanager.moc"
