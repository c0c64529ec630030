#include "core/tls/certificatesummary.h"

#include <QCryptographicHash>
#include <QStringList>

namespace qmt {

namespace {

using InfoAttributes = QList<QByteArray> (QSslCertificate::*)() const;
using InfoOf = QStringList (QSslCertificate::*)(const QByteArray &) const;

QString distinguishedName(const QSslCertificate &c, InfoAttributes attributes, InfoOf info)
{
    QStringList parts;
    for (const QByteArray &attribute : (c.*attributes)()) {
        for (const QString &value : (c.*info)(attribute))
            parts.append(QString::fromLatin1(attribute) + QLatin1Char('=') + value);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

QString CertificateSummary::subjectName(const QSslCertificate &c)
{
    return distinguishedName(c, &QSslCertificate::subjectInfoAttributes,
                             qOverload<const QByteArray &>(&QSslCertificate::subjectInfo));
}

QString CertificateSummary::issuerName(const QSslCertificate &c)
{
    return distinguishedName(c, &QSslCertificate::issuerInfoAttributes,
                             qOverload<const QByteArray &>(&QSslCertificate::issuerInfo));
}

CertificateSummary CertificateSummary::of(const QSslCertificate &c)
{
    CertificateSummary s;
    s.subject = subjectName(c);
    s.issuer = issuerName(c);
    s.notBefore = c.effectiveDate().toUTC();
    s.notAfter = c.expiryDate().toUTC();
    s.sha256 = QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    s.selfSigned = c.isSelfSigned();
    return s;
}

QString CertificateSummary::formatTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString CertificateSummary::validity() const
{
    return tr("valid %1 – %2").arg(formatTime(notBefore), formatTime(notAfter));
}

} // namespace qmt
