#pragma once

#include "core/tls/certificatesummary.h"
#include "core/tls/tlsmaterial.h"

#include "core/qmt/qmtcommands.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace qmt {

/// The parts of the material a finding is about.
enum class TlsField {
    SecLevel,
    CaCert,
    ClientCert,
    ClientKey,
    KeyPassphrase
};

/// One result of the check, for the user to read.
struct TlsFinding
{
    enum class Severity {
        Info,
        Warning,
        Error
    };
    TlsField field = TlsField::SecLevel;
    Severity severity = Severity::Info;
    QString text;
};

/// One AT+QSSLCFG upload: the exact bytes sent, which are the bytes the module must report.
struct TlsUpload
{
    SslItem item = SslItem::CaCert;
    QByteArray bytes;
    bool secret = false; ///< the private key: logs show "<redacted, N bytes>"
};

/// What the check found, and — only when it found no error — what to upload.
struct TlsCheckReport
{
    int secLevel = 0;
    QList<TlsFinding> findings;
    QList<TlsUpload> uploads; ///< empty unless ok(): nothing goes out on any error
    QList<CertificateSummary> caCertificates;
    QList<CertificateSummary> clientCertificates; ///< the module's certificate first
    QString keyDescription;                       ///< a sentence: kind, size, what was done with a passphrase
    QString keySummary;                           ///< "RSA 2048-bit, passphrase-protected": for tables

    [[nodiscard]] bool ok() const;
    [[nodiscard]] bool hasWarnings() const;
    [[nodiscard]] QList<TlsFinding> errors() const;
    /// The findings of one severity about one field.
    [[nodiscard]] QStringList texts(TlsField field, TlsFinding::Severity severity) const;
};

/// Checks TLS material before anything is sent, and prepares the bytes to send.
///
/// - every item given parses as PEM and as what it should be (certificates; one RSA or EC private key);
/// - the items the security level needs are there (1: the CA; 2: the CA, the client certificate and key);
/// - no certificate is expired or not yet valid (refused, with its dates);
/// - the private key belongs to the client certificate (their public keys are compared);
/// - the client certificate was issued by the given CA — by name and by signature — or a warning says
///   it was not (a broker may trust another CA for client certificates, so this does not refuse);
/// - each item, as sent, is at most MaxPemItemBytes;
/// - line endings are normalised (PemText), so the length the module reports can be compared with what
///   was sent;
/// - a passphrase-protected key is opened with its passphrase and re-encoded without one, as the module
///   cannot take a passphrase: that re-encoded key is the secret upload.
class TlsMaterialCheck
{
    Q_DECLARE_TR_FUNCTIONS(qmt::TlsMaterialCheck)

public:
    /// The largest item QMT Studio uploads. The BC660K-GL's limit is not documented (protocol-notes §5.1 and §10.4).
    /// The note's own example is 1216 bytes, and an RSA-2048 certificate (~1.2 KB) or key (~1.7 KB), even an RSA-4096
    /// key (~3.2 KB), fits in 4 KiB with room to spare; larger items are CA bundles whose extra certificates the module
    /// does not need. Half of what the virtual module takes (8 KiB), so anything this lets through is also within every
    /// limit the project knows of; an upload the module refused would otherwise only show as a failed handshake much
    /// later.
    static constexpr int MaxPemItemBytes = 4096;

    [[nodiscard]] static TlsCheckReport check(const TlsMaterial &material, const QDateTime &now);

    /// "CA certificate", "client certificate", "private key", … for messages.
    [[nodiscard]] static QString fieldName(TlsField field);
    [[nodiscard]] static QString itemName(SslItem item);
};

} // namespace qmt
