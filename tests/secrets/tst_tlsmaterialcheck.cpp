// The TLS material check on certificates and keys made with openssl at test time: what passes, what is
// refused with which message, and that what would be uploaded is exactly what is counted.

#include "certificatemaker.h"
#include "fakepem.h"

#include "core/tls/pemtext.h"
#include "core/tls/publickeymaterial.h"
#include "core/tls/tlsmaterialcheck.h"

#include <QProcess>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;
using namespace qmt::test;

namespace {

const QByteArray Passphrase = CertificateMaker::ProtectedKeyPassphrase;

QByteArray crlf(QByteArray pem)
{
    return pem.replace("\n", "\r\n");
}

} // namespace

class TestTlsMaterialCheck : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<CertificateMaker> m_certs;

    [[nodiscard]] QByteArray read(const char *name) const { return m_certs->read(name); }
    /// Level 2 with the test CA, the client certificate and its key.
    [[nodiscard]] TlsMaterial mutual() const
    {
        return TlsMaterial{2,
                           read(CertificateMaker::CaCert),
                           read(CertificateMaker::ClientCert),
                           read(CertificateMaker::ClientKey),
                           {}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_tlsmaterialcheck"));
        QVERIFY(m_dir.isValid());
        m_certs = std::make_unique<CertificateMaker>(m_dir.path());
        QString error;
        QVERIFY2(m_certs->make(&error), qPrintable(error));
        QVERIFY2(m_certs->makeNegativeCases(&error), qPrintable(error));
    }

    void pemIsNormalisedToWhatTheModuleWillCount_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("sent");
        const QByteArray block = "-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----\n";
        QTest::newRow("LF, as is") << block << block;
        QTest::newRow("CR LF") << crlf(block) << block;
        QTest::newRow("lone CR") << QByteArray(block).replace('\n', '\r') << block;
        QTest::newRow("no newline at the end") << block.chopped(1) << block;
        QTest::newRow("trailing blanks") << QByteArray(block).replace("QUJD\n", "QUJD \t\n") << block;
        QTest::newRow("text around the block (openssl's Bag Attributes)")
            << "Bag Attributes\n    localKeyID: 01 02\nsubject=/CN=x\n" + block + "\n\ntrailing words\n"
            << block;
        QTest::newRow("two blocks, mixed line ends") << block + crlf(block) << block + block;
    }
    void pemIsNormalisedToWhatTheModuleWillCount()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, sent);
        const PemText::Parsed parsed = PemText::parse(input);
        QVERIFY2(!parsed.error, qPrintable(parsed.error.value_or(QString())));
        QCOMPARE(PemText::join(parsed.blocks), sent);
    }

    void textThatIsNotPemSaysWhy_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no block") << QByteArray("just words") << QStringLiteral("not PEM text");
        QTest::newRow("no END") << QByteArray("-----BEGIN CERTIFICATE-----\nQUJD\n")
                                << QStringLiteral("\"CERTIFICATE\" block has no END line");
        QTest::newRow("END of another kind")
            << QByteArray("-----BEGIN CERTIFICATE-----\nQUJD\n" + fakeKeyLine("END") + '\n')
            << QStringLiteral("began as \"CERTIFICATE\"");
        QTest::newRow("Ctrl+Z inside") << QByteArray("-----BEGIN CERTIFICATE-----\nQU\x1a"
                                                     "JD\n-----END CERTIFICATE-----\n")
                                       << QStringLiteral("line 2 holds byte 0x1a");
        QTest::newRow("UTF-8 inside") << QByteArray(
                                             "-----BEGIN CERTIFICATE-----\nQUJ\xc3\xa9\n-----END CERTIFICATE-----\n")
                                      << QStringLiteral("byte 0xc3");
    }
    void textThatIsNotPemSaysWhy()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, mentions);
        const PemText::Parsed parsed = PemText::parse(input);
        QVERIFY(parsed.error);
        QVERIFY2(parsed.error->contains(mentions), qPrintable(*parsed.error));
        QVERIFY(parsed.blocks.isEmpty());
    }

    void goodMaterialPassesAndUploadsExactlyWhatIsCounted_data()
    {
        QTest::addColumn<TlsMaterial>("material");
        QTest::addColumn<QList<int>>("items");
        QTest::addColumn<bool>("keyWasProtected");
        using C = CertificateMaker;
        const QList<int> all{int(SslItem::CaCert), int(SslItem::ClientCert), int(SslItem::ClientKey)};
        QTest::newRow("mutual, RSA") << mutual() << all << false;
        QTest::newRow("mutual, EC P-256")
            << TlsMaterial{2, read(C::CaCert), read(C::EcClientCert), read(C::EcClientKey), {}} << all << false;
        QTest::newRow("mutual, PKCS#8 key with its passphrase")
            << TlsMaterial{2, read(C::CaCert), read(C::ClientCert), read(C::ProtectedClientKey), Passphrase} << all
            << true;
        QTest::newRow("mutual, traditional encrypted key with its passphrase")
            << TlsMaterial{2, read(C::CaCert), read(C::ClientCert), read(C::LegacyProtectedClientKey), Passphrase}
            << all << true;
        QTest::newRow("mutual, files with CR LF line ends")
            << TlsMaterial{2, crlf(read(C::CaCert)), crlf(read(C::ClientCert)), crlf(read(C::ClientKey)), {}} << all
            << false;
        QTest::newRow("server authentication: the CA only")
            << TlsMaterial{1, read(C::CaCert), {}, {}, {}} << QList<int>{int(SslItem::CaCert)} << false;
        QTest::newRow("level 0: nothing needed") << TlsMaterial{0, {}, {}, {}, {}} << QList<int>{} << false;
    }
    void goodMaterialPassesAndUploadsExactlyWhatIsCounted()
    {
        QFETCH(TlsMaterial, material);
        QFETCH(QList<int>, items);
        QFETCH(bool, keyWasProtected);
        const TlsCheckReport report = TlsMaterialCheck::check(material, QDateTime::currentDateTimeUtc());
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.errors().first().text));
        QCOMPARE(report.uploads.size(), items.size());
        for (qsizetype i = 0; i < items.size(); ++i) {
            const TlsUpload &u = report.uploads[i];
            QCOMPARE(int(u.item), items[i]);
            QCOMPARE(u.secret, u.item == SslItem::ClientKey);
            QVERIFY(!u.bytes.contains('\r'));
            QVERIFY(u.bytes.endsWith('\n'));
            QVERIFY(u.bytes.size() <= TlsMaterialCheck::MaxPemItemBytes);
            QCOMPARE(PemText::join(PemText::parse(u.bytes).blocks), u.bytes); // nothing left to normalise
        }
        if (items.contains(int(SslItem::ClientKey))) {
            const QByteArray key = report.uploads.last().bytes;
            QCOMPARE(key.contains("ENCRYPTED"), false); // the module cannot take a passphrase
            const QSslKey rsa(key, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
            const QSslKey ec(key, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
            QVERIFY2(!rsa.isNull() || !ec.isNull(), "the module gets a key it can read without a passphrase");
            QCOMPARE(report.keyDescription.contains(QStringLiteral("passphrase")), keyWasProtected);
            QVERIFY2(report.texts(TlsField::ClientKey, TlsFinding::Severity::Info)
                         .join(QString())
                         .contains(QStringLiteral("belongs to the client certificate")),
                     "the key is shown to match");
            QVERIFY(report.texts(TlsField::ClientCert, TlsFinding::Severity::Info)
                        .join(QString())
                        .contains(QStringLiteral("issued by the given CA")));
        }
        if (material.secLevel == 0)
            QVERIFY(report.hasWarnings());
    }

    void badMaterialIsRefusedWithItsOwnMessageAndNothingToUpload_data()
    {
        QTest::addColumn<TlsMaterial>("material");
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("mentions");
        using C = CertificateMaker;
        TlsMaterial m = mutual();
        auto with = [](TlsMaterial base, auto change) {
            change(base);
            return base;
        };
        QTest::newRow("expired client certificate")
            << with(m, [&](TlsMaterial &x) { x.clientCert = read(C::ExpiredClientCert); }) << int(TlsField::ClientCert)
            << QStringLiteral("expired on 2020-02-01 00:00 UTC (valid 2020-01-01 00:00 UTC – 2020-02-01 00:00 UTC)");
        QTest::newRow("client certificate not yet valid")
            << with(m, [&](TlsMaterial &x) { x.clientCert = read(C::FutureClientCert); }) << int(TlsField::ClientCert)
            << QStringLiteral("is not valid before 2099-01-01 00:00 UTC");
        QTest::newRow("key of another certificate")
            << with(m, [&](TlsMaterial &x) { x.clientKey = read(C::UnrelatedKey); }) << int(TlsField::ClientKey)
            << QStringLiteral("does not belong to the client certificate \"CN=qmt-sim-client\"");
        QTest::newRow("RSA certificate with the EC key")
            << with(m, [&](TlsMaterial &x) { x.clientKey = read(C::EcClientKey); }) << int(TlsField::ClientKey)
            << QStringLiteral("their public keys differ");
        QTest::newRow("protected key without its passphrase")
            << with(m, [&](TlsMaterial &x) { x.clientKey = read(C::ProtectedClientKey); })
            << int(TlsField::KeyPassphrase) << QStringLiteral("protected by a passphrase; enter the passphrase");
        QTest::newRow("protected key with a wrong passphrase") << with(m, [&](TlsMaterial &x) {
            x.clientKey = read(C::LegacyProtectedClientKey);
            x.keyPassphrase = "wrong";
        }) << int(TlsField::KeyPassphrase) << QStringLiteral("the passphrase does not open it");
        QTest::newRow("CA bundle over the size cap") << with(m, [&](TlsMaterial &x) {
            x.caCert = read(C::CaCert) + read(C::OtherCaCert) + read(C::ServerCert) + read(C::ImpostorCaCert);
        }) << int(TlsField::CaCert) << QStringLiteral("at most 4096 bytes can be uploaded to the module; this one is");
        QTest::newRow("words instead of a CA")
            << with(m, [&](TlsMaterial &x) { x.caCert = "hello"; }) << int(TlsField::CaCert)
            << QStringLiteral("CA certificate: no \"-----BEGIN …-----\" line: this is not PEM text.");
        QTest::newRow("a key in the CA field")
            << with(m, [&](TlsMaterial &x) { x.caCert = read(C::ClientKey); }) << int(TlsField::CaCert)
            << QStringLiteral("holds a \"PRIVATE KEY\" block; only certificates belong here");
        QTest::newRow("a certificate in the key field")
            << with(m, [&](TlsMaterial &x) { x.clientKey = read(C::ClientCert); }) << int(TlsField::ClientKey)
            << QStringLiteral("holds a \"CERTIFICATE\" block, not a private key");
        QTest::newRow("damaged certificate")
            << with(m, [&](TlsMaterial &x) { x.clientCert = QByteArray(read(C::ClientCert)).replace("MII", "XXX"); })
            << int(TlsField::ClientCert) << QStringLiteral("certificate 1 of 1 cannot be read");
        QTest::newRow("mutual without a key")
            << with(m, [](TlsMaterial &x) { x.clientKey.clear(); }) << int(TlsField::ClientKey)
            << QStringLiteral("Private key: required for security level 2");
        QTest::newRow("server authentication without a CA")
            << TlsMaterial{1, {}, {}, {}, {}} << int(TlsField::CaCert)
            << QStringLiteral("CA certificate: required for security level 1 (server authentication)");
        QTest::newRow("a certificate without its key") << with(m, [](TlsMaterial &x) {
            x.secLevel = 1;
            x.clientKey.clear();
        }) << int(TlsField::ClientKey) << QStringLiteral("give both or neither");
        QTest::newRow("security level 3")
            << with(m, [](TlsMaterial &x) { x.secLevel = 3; }) << int(TlsField::SecLevel) << QStringLiteral("seclevel");
    }
    void badMaterialIsRefusedWithItsOwnMessageAndNothingToUpload()
    {
        QFETCH(TlsMaterial, material);
        QFETCH(int, field);
        QFETCH(QString, mentions);
        const TlsCheckReport report = TlsMaterialCheck::check(material, QDateTime::currentDateTimeUtc());
        QVERIFY(!report.ok());
        QVERIFY(report.uploads.isEmpty());
        const QString errors = report.texts(TlsField(field), TlsFinding::Severity::Error).join(QLatin1Char('\n'));
        QVERIFY2(errors.contains(mentions), qPrintable(errors.isEmpty() ? report.errors().first().text : errors));
        // No message ever quotes the key or the passphrase.
        for (const TlsFinding &f : report.findings) {
            QVERIFY(!f.text.toUtf8().contains(Passphrase));
            QVERIFY(!f.text.toUtf8().contains("wrong"));
        }
    }

    void aClientCertificateFromAnotherCaOnlyWarns_data()
    {
        QTest::addColumn<QByteArray>("clientCert");
        QTest::addColumn<QByteArray>("ca");
        QTest::addColumn<QString>("mentions");
        using C = CertificateMaker;
        QTest::newRow("issuer of another name")
            << read(C::ClientCert) << read(C::OtherCaCert)
            << QStringLiteral("issued by \"CN=QMT Studio Test CA\", not by the given CA \"CN=Unrelated Test CA\"");
        QTest::newRow("same name, another key: the signature decides")
            << read(C::ImpostorClientCert) << read(C::CaCert)
            << QStringLiteral("names \"CN=QMT Studio Test CA\" as its issuer, but that CA's signature on it does not "
                              "verify");
    }
    void aClientCertificateFromAnotherCaOnlyWarns()
    {
        QFETCH(QByteArray, clientCert);
        QFETCH(QByteArray, ca);
        QFETCH(QString, mentions);
        TlsMaterial m = mutual();
        m.clientCert = clientCert;
        m.caCert = ca;
        const TlsCheckReport report = TlsMaterialCheck::check(m, QDateTime::currentDateTimeUtc());
        QVERIFY(report.ok());
        QCOMPARE(report.uploads.size(), 3);
        const QStringList warnings = report.texts(TlsField::ClientCert, TlsFinding::Severity::Warning);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(mentions), qPrintable(warnings.first()));
    }

    void validityIsJudgedByTheGivenClock()
    {
        const TlsMaterial m{1, read(CertificateMaker::CaCert), {}, {}, {}};
        const TlsCheckReport now = TlsMaterialCheck::check(m, QDateTime::currentDateTimeUtc());
        QVERIFY(now.ok());
        const CertificateSummary ca = now.caCertificates.first();
        const TlsCheckReport before = TlsMaterialCheck::check(m, ca.notBefore.addSecs(-3600));
        QVERIFY(!before.ok());
        QVERIFY(before.errors().first().text.contains(QStringLiteral("is not valid before ") +
                                                      CertificateSummary::formatTime(ca.notBefore)));
        const TlsCheckReport after = TlsMaterialCheck::check(m, ca.notAfter.addSecs(60));
        QVERIFY(!after.ok());
        QVERIFY(after.errors().first().text.contains(QStringLiteral("expired on ") +
                                                     CertificateSummary::formatTime(ca.notAfter)));
    }

    void fingerprintsAreOpensslsSha256()
    {
        const TlsCheckReport report = TlsMaterialCheck::check(mutual(), QDateTime::currentDateTimeUtc());
        QProcess openssl;
        openssl.start(QStringLiteral(QMT_OPENSSL),
                      {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"),
                       QStringLiteral("-sha256"), QStringLiteral("-in"), m_certs->path(CertificateMaker::ClientCert)});
        QVERIFY(openssl.waitForFinished(10'000));
        const QString line = QString::fromLatin1(openssl.readAllStandardOutput()).trimmed();
        QCOMPARE(QStringLiteral("sha256 Fingerprint=") + report.clientCertificates.first().sha256, line);
        QCOMPARE(report.clientCertificates.first().subject, QStringLiteral("CN=qmt-sim-client"));
        QCOMPARE(report.clientCertificates.first().issuer, QStringLiteral("CN=QMT Studio Test CA"));
    }

    void publicKeysCompareEqualOnlyWithinAKeyPair_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("certificate");
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<bool>("pair");
        using C = CertificateMaker;
        QTest::newRow("RSA pair") << read(C::ClientKey) << read(C::ClientCert) << int(QSsl::Rsa) << true;
        QTest::newRow("EC pair") << read(C::EcClientKey) << read(C::EcClientCert) << int(QSsl::Ec) << true;
        QTest::newRow("RSA, another key") << read(C::UnrelatedKey) << read(C::ClientCert) << int(QSsl::Rsa) << false;
        QTest::newRow("server key, client certificate")
            << read(C::ServerKey) << read(C::ClientCert) << int(QSsl::Rsa) << false;
    }
    void publicKeysCompareEqualOnlyWithinAKeyPair()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, certificate);
        QFETCH(int, algorithm);
        QFETCH(bool, pair);
        const QSslKey k(key, QSsl::KeyAlgorithm(algorithm), QSsl::Pem, QSsl::PrivateKey);
        const QByteArray fromKey = PublicKeyMaterial::ofPrivateKey(k);
        const QByteArray fromCert = PublicKeyMaterial::ofCertificate(QSslCertificate(certificate));
        QVERIFY(!fromKey.isEmpty());
        QVERIFY(!fromCert.isEmpty());
        QCOMPARE(fromKey == fromCert, pair);
    }
};

QTEST_GUILESS_MAIN(TestTlsMaterialCheck)
#include "tst_tlsmaterialcheck.moc"
