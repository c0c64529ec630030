#include "core/tls/tlsmaterialcheck.h"

#include "core/tls/pemtext.h"
#include "core/tls/publickeymaterial.h"

#include "core/qmt/validation.h"

#include <QSslError>
#include <QSslKey>

namespace qmt {

namespace {

using Severity = TlsFinding::Severity;

const QByteArray CertificateLabel = QByteArrayLiteral("CERTIFICATE");
const QByteArray EncryptedKeyLabel = QByteArrayLiteral("ENCRYPTED PRIVATE KEY");
const QList<QByteArray> KeyLabels = {QByteArrayLiteral("PRIVATE KEY"), QByteArrayLiteral("RSA PRIVATE KEY"),
                                     QByteArrayLiteral("EC PRIVATE KEY"), EncryptedKeyLabel};

struct OpenedKey
{
    QSslKey key;
    QByteArray upload; ///< the PEM sent to the module: unencrypted
    bool wasEncrypted = false;
};

/// One run of the check: the material, the clock, and the report being written.
class Checker
{
public:
    Checker(const TlsMaterial &material, const QDateTime &now)
        : m_material(material)
        , m_now(now.toUTC())
    {}

    TlsCheckReport run()
    {
        m_report.secLevel = m_material.secLevel;
        if (auto e = check::integer(Param::SecLevel, m_material.secLevel)) {
            add(TlsField::SecLevel, Severity::Error, e->message());
            return m_report;
        }
        if (!requiredItemsPresent())
            return m_report;
        if (m_material.secLevel == 0) {
            add(TlsField::SecLevel, Severity::Warning,
                TlsMaterialCheck::tr("Security level 0: the connection is encrypted, but the broker's identity is not "
                                     "checked."));
        }
        const QList<QSslCertificate> cas = certificates(TlsField::CaCert, m_material.caCert, SslItem::CaCert);
        const QList<QSslCertificate> chain =
            certificates(TlsField::ClientCert, m_material.clientCert, SslItem::ClientCert);
        const std::optional<OpenedKey> key = openKey();
        if (key && !chain.isEmpty())
            checkKeyMatches(key->key, chain.first());
        if (!chain.isEmpty() && !cas.isEmpty())
            checkIssuer(chain, cas);
        if (!m_report.ok())
            m_report.uploads.clear();
        return m_report;
    }

private:
    void add(TlsField field, Severity severity, const QString &text)
    {
        m_report.findings.append(TlsFinding{field, severity, text});
    }

    bool requiredItemsPresent()
    {
        const int level = m_material.secLevel;
        bool ok = true;
        auto require = [&](TlsField field, const QByteArray &value, int fromLevel) {
            if (level >= fromLevel && value.trimmed().isEmpty()) {
                add(field, Severity::Error,
                    TlsMaterialCheck::tr("%1: required for security level %2 (%3); none given.")
                        .arg(TlsMaterialCheck::fieldName(field))
                        .arg(level)
                        .arg(level == 1 ? TlsMaterialCheck::tr("server authentication")
                                        : TlsMaterialCheck::tr("mutual authentication")));
                ok = false;
            }
        };
        require(TlsField::CaCert, m_material.caCert, 1);
        require(TlsField::ClientCert, m_material.clientCert, 2);
        require(TlsField::ClientKey, m_material.clientKey, 2);
        if (ok && m_material.clientCert.trimmed().isEmpty() != m_material.clientKey.trimmed().isEmpty()) {
            const TlsField missing =
                m_material.clientCert.trimmed().isEmpty() ? TlsField::ClientCert : TlsField::ClientKey;
            add(missing, Severity::Error,
                TlsMaterialCheck::tr("%1: needed with the %2; give both or neither.")
                    .arg(TlsMaterialCheck::fieldName(missing),
                         TlsMaterialCheck::fieldName(missing == TlsField::ClientCert ? TlsField::ClientKey
                                                                                     : TlsField::ClientCert)
                             .toLower()));
            ok = false;
        }
        return ok;
    }

    std::optional<QList<PemBlock>> pem(TlsField field, const QByteArray &input)
    {
        PemText::Parsed parsed = PemText::parse(input);
        if (parsed.error) {
            add(field, Severity::Error,
                TlsMaterialCheck::tr("%1: %2.").arg(TlsMaterialCheck::fieldName(field), *parsed.error));
            return std::nullopt;
        }
        return parsed.blocks;
    }

    /// Queues the upload, or refuses an item larger than the module is known to take.
    void upload(TlsField field, SslItem item, const QByteArray &bytes, bool secret)
    {
        if (bytes.size() > TlsMaterialCheck::MaxPemItemBytes) {
            add(field, Severity::Error,
                TlsMaterialCheck::tr("%1: at most %2 bytes can be uploaded to the module; this one is %3 bytes.")
                    .arg(TlsMaterialCheck::fieldName(field))
                    .arg(TlsMaterialCheck::MaxPemItemBytes)
                    .arg(bytes.size()));
            return;
        }
        m_report.uploads.append(TlsUpload{item, bytes, secret});
    }

    QList<QSslCertificate> certificates(TlsField field, const QByteArray &input, SslItem item)
    {
        if (input.trimmed().isEmpty())
            return {};
        const auto blocks = pem(field, input);
        if (!blocks)
            return {};
        QList<QSslCertificate> out;
        for (const PemBlock &block : *blocks) {
            if (block.label != CertificateLabel) {
                add(field, Severity::Error,
                    TlsMaterialCheck::tr("%1: holds a \"%2\" block; only certificates belong here.")
                        .arg(TlsMaterialCheck::fieldName(field), QString::fromLatin1(block.label)));
                return {};
            }
            const QList<QSslCertificate> parsed = QSslCertificate::fromData(block.text, QSsl::Pem);
            if (parsed.size() != 1 || parsed.first().isNull()) {
                add(field, Severity::Error,
                    TlsMaterialCheck::tr("%1: certificate %2 of %3 cannot be read (damaged base64 or not X.509).")
                        .arg(TlsMaterialCheck::fieldName(field))
                        .arg(out.size() + 1)
                        .arg(blocks->size()));
                return {};
            }
            out.append(parsed.first());
        }
        QList<CertificateSummary> &summaries =
            field == TlsField::CaCert ? m_report.caCertificates : m_report.clientCertificates;
        for (const QSslCertificate &c : out) {
            const CertificateSummary s = CertificateSummary::of(c);
            summaries.append(s);
            checkValidity(field, s);
        }
        upload(field, item, PemText::join(*blocks), false);
        return out;
    }

    void checkValidity(TlsField field, const CertificateSummary &s)
    {
        const QString name = TlsMaterialCheck::fieldName(field);
        if (m_now < s.notBefore) {
            add(field, Severity::Error,
                TlsMaterialCheck::tr("%1 \"%2\" is not valid before %3 (%4); it is now %5.")
                    .arg(name, s.subject, CertificateSummary::formatTime(s.notBefore), s.validity(),
                         CertificateSummary::formatTime(m_now)));
        } else if (m_now > s.notAfter) {
            add(field, Severity::Error,
                TlsMaterialCheck::tr("%1 \"%2\" expired on %3 (%4); it is now %5.")
                    .arg(name, s.subject, CertificateSummary::formatTime(s.notAfter), s.validity(),
                         CertificateSummary::formatTime(m_now)));
        } else {
            add(field, Severity::Info,
                TlsMaterialCheck::tr("%1 \"%2\": %3; SHA-256 %4.").arg(name, s.subject, s.validity(), s.sha256));
        }
    }

    std::optional<OpenedKey> openKey()
    {
        const QByteArray &input = m_material.clientKey;
        if (input.trimmed().isEmpty())
            return std::nullopt;
        const QString name = TlsMaterialCheck::fieldName(TlsField::ClientKey);
        const auto blocks = pem(TlsField::ClientKey, input);
        if (!blocks)
            return std::nullopt;
        const auto notKey = std::find_if(blocks->cbegin(), blocks->cend(),
                                         [](const PemBlock &b) { return !KeyLabels.contains(b.label); });
        if (notKey != blocks->cend()) {
            add(TlsField::ClientKey, Severity::Error,
                TlsMaterialCheck::tr("%1: holds a \"%2\" block, not a private key.")
                    .arg(name, QString::fromLatin1(notKey->label)));
            return std::nullopt;
        }
        if (blocks->size() != 1) {
            add(TlsField::ClientKey, Severity::Error,
                TlsMaterialCheck::tr("%1: holds %2 private keys; give exactly one.").arg(name).arg(blocks->size()));
            return std::nullopt;
        }
        const PemBlock &block = blocks->first();
        const bool encrypted = block.label == EncryptedKeyLabel || block.text.contains("Proc-Type: 4,ENCRYPTED");
        const QByteArray &passphrase = m_material.keyPassphrase;
        if (encrypted && passphrase.isEmpty()) {
            add(TlsField::KeyPassphrase, Severity::Error,
                TlsMaterialCheck::tr("%1: protected by a passphrase; enter the passphrase.").arg(name));
            return std::nullopt;
        }
        OpenedKey opened;
        opened.wasEncrypted = encrypted;
        for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
            opened.key =
                QSslKey(block.text, algorithm, QSsl::Pem, QSsl::PrivateKey, encrypted ? passphrase : QByteArray());
            if (!opened.key.isNull())
                break;
        }
        if (opened.key.isNull()) {
            if (encrypted) {
                add(TlsField::KeyPassphrase, Severity::Error,
                    TlsMaterialCheck::tr("%1: the passphrase does not open it.").arg(name));
            } else {
                add(TlsField::ClientKey, Severity::Error,
                    TlsMaterialCheck::tr("%1: not an RSA or EC private key (the kinds the module takes).").arg(name));
            }
            return std::nullopt;
        }
        if (!encrypted && !passphrase.isEmpty()) {
            add(TlsField::KeyPassphrase, Severity::Warning,
                TlsMaterialCheck::tr("%1: not protected by a passphrase; the passphrase given is not needed.")
                    .arg(name));
        }
        const QString kind = opened.key.algorithm() == QSsl::Rsa ? QStringLiteral("RSA") : QStringLiteral("EC");
        m_report.keyDescription =
            encrypted ? TlsMaterialCheck::tr("%1 %2-bit private key, opened with its passphrase; the "
                                             "module gets it without one (it cannot take a passphrase)")
                            .arg(kind)
                            .arg(opened.key.length())
                      : TlsMaterialCheck::tr("%1 %2-bit private key").arg(kind).arg(opened.key.length());
        m_report.keySummary =
            encrypted ? TlsMaterialCheck::tr("%1 %2-bit, passphrase-protected").arg(kind).arg(opened.key.length())
                      : TlsMaterialCheck::tr("%1 %2-bit").arg(kind).arg(opened.key.length());
        // The module cannot take a passphrase: an encrypted key goes as Qt re-encodes it, unencrypted.
        opened.upload = encrypted ? PemText::join(PemText::parse(opened.key.toPem()).blocks) : block.text;
        upload(TlsField::ClientKey, SslItem::ClientKey, opened.upload, true);
        return opened;
    }

    void checkKeyMatches(const QSslKey &key, const QSslCertificate &leaf)
    {
        const QByteArray fromKey = PublicKeyMaterial::ofPrivateKey(key);
        const QByteArray fromCertificate = PublicKeyMaterial::ofCertificate(leaf);
        const QString subject = CertificateSummary::subjectName(leaf);
        if (fromKey.isEmpty() || fromCertificate.isEmpty()) {
            add(TlsField::ClientKey, Severity::Warning,
                TlsMaterialCheck::tr("Could not compare the private key with the client certificate \"%1\" (unusual "
                                     "encoding); the live test will tell.")
                    .arg(subject));
        } else if (fromKey != fromCertificate) {
            add(TlsField::ClientKey, Severity::Error,
                TlsMaterialCheck::tr("The private key does not belong to the client certificate \"%1\": their public "
                                     "keys differ.")
                    .arg(subject));
        } else {
            add(TlsField::ClientKey, Severity::Info,
                TlsMaterialCheck::tr("%1; it belongs to the client certificate \"%2\".")
                    .arg(m_report.keyDescription, subject));
        }
    }

    void checkIssuer(const QList<QSslCertificate> &chain, const QList<QSslCertificate> &cas)
    {
        const QSslCertificate &leaf = chain.first();
        const QString issuer = CertificateSummary::issuerName(leaf);
        bool named = false;
        for (const QSslCertificate &c : cas + chain.mid(1))
            named = named || CertificateSummary::subjectName(c) == issuer;
        // Qt checks signatures only as part of a chain; the CA's being untrusted (not a system CA) is expected,
        // a signature that does not verify is what matters.
        bool signatureFails = false;
        for (const QSslError &e : QSslCertificate::verify(chain + cas))
            signatureFails = signatureFails || e.error() == QSslError::CertificateSignatureFailed;
        QStringList caNames;
        for (const QSslCertificate &c : cas)
            caNames.append(CertificateSummary::subjectName(c));
        if (named && !signatureFails) {
            add(TlsField::ClientCert, Severity::Info,
                TlsMaterialCheck::tr("The client certificate was issued by the given CA \"%1\".").arg(issuer));
        } else {
            add(TlsField::ClientCert, Severity::Warning,
                (named
                     ? TlsMaterialCheck::tr("The client certificate names \"%1\" as its issuer, but that CA's "
                                            "signature on it does not verify.")
                           .arg(issuer)
                     : TlsMaterialCheck::tr("The client certificate was issued by \"%1\", not by the given CA \"%2\".")
                           .arg(issuer, caNames.join(QStringLiteral("\", \"")))) +
                    QLatin1Char(' ') +
                    TlsMaterialCheck::tr("This is fine only if the broker trusts that issuer for client "
                                         "certificates."));
        }
    }

    const TlsMaterial &m_material;
    const QDateTime m_now;
    TlsCheckReport m_report;
};

} // namespace

bool TlsCheckReport::ok() const
{
    return errors().isEmpty();
}

bool TlsCheckReport::hasWarnings() const
{
    return std::any_of(findings.cbegin(), findings.cend(),
                       [](const TlsFinding &f) { return f.severity == Severity::Warning; });
}

QList<TlsFinding> TlsCheckReport::errors() const
{
    QList<TlsFinding> out;
    for (const TlsFinding &f : findings) {
        if (f.severity == Severity::Error)
            out.append(f);
    }
    return out;
}

QStringList TlsCheckReport::texts(TlsField field, TlsFinding::Severity severity) const
{
    QStringList out;
    for (const TlsFinding &f : findings) {
        if (f.field == field && f.severity == severity)
            out.append(f.text);
    }
    return out;
}

TlsCheckReport TlsMaterialCheck::check(const TlsMaterial &material, const QDateTime &now)
{
    return Checker(material, now).run();
}

QString TlsMaterialCheck::fieldName(TlsField field)
{
    switch (field) {
    case TlsField::SecLevel:
        return tr("Security level");
    case TlsField::CaCert:
        return tr("CA certificate");
    case TlsField::ClientCert:
        return tr("Client certificate");
    case TlsField::ClientKey:
        return tr("Private key");
    case TlsField::KeyPassphrase:
        return tr("Key passphrase");
    }
    return {};
}

QString TlsMaterialCheck::itemName(SslItem item)
{
    switch (item) {
    case SslItem::CaCert:
        return fieldName(TlsField::CaCert);
    case SslItem::ClientCert:
        return fieldName(TlsField::ClientCert);
    case SslItem::ClientKey:
        return fieldName(TlsField::ClientKey);
    }
    return {};
}

} // namespace qmt
