#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QSslCertificate>
#include <QString>

namespace qmt {

/// What a user needs to see of a certificate to tell it apart and know when it runs out: subject, issuer,
/// validity and the SHA-256 fingerprint (as `openssl x509 -fingerprint -sha256` prints it).
struct CertificateSummary
{
    Q_DECLARE_TR_FUNCTIONS(qmt::CertificateSummary)

public:
    QString subject; ///< the distinguished name, e.g. "CN=QMT Studio Test CA"
    QString issuer;
    QDateTime notBefore; ///< UTC
    QDateTime notAfter;  ///< UTC
    QString sha256;      ///< "AB:CD:…", 32 bytes
    bool selfSigned = false;

    [[nodiscard]] static CertificateSummary of(const QSslCertificate &certificate);
    /// The distinguished name as one comparable string ("CN=x, O=y"), attributes in the certificate's order.
    [[nodiscard]] static QString subjectName(const QSslCertificate &certificate);
    [[nodiscard]] static QString issuerName(const QSslCertificate &certificate);
    /// "2026-11-26 00:22 UTC": one unambiguous format, whatever the locale.
    [[nodiscard]] static QString formatTime(const QDateTime &time);

    /// "valid 2026-11-26 00:22 UTC – 2026-11-28 00:22 UTC"
    [[nodiscard]] QString validity() const;
    friend bool operator==(const CertificateSummary &, const CertificateSummary &) = default;
};

} // namespace qmt
