#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace qmt::test {

/// A secret to look for in files, by tests that check none was written.
struct Needle
{
    QString name; ///< what it is, for the failure message: never the secret itself
    QByteArray bytes;
};

/// The secret, its base64 and its hex (both cases): the forms a careless encoder leaves behind.
inline QList<Needle> forms(const QString &name, const QByteArray &secret)
{
    return {{name, secret},
            {name + QStringLiteral(" (base64)"), secret.toBase64()},
            {name + QStringLiteral(" (hex)"), secret.toHex()},
            {name + QStringLiteral(" (HEX)"), secret.toHex().toUpper()}};
}

} // namespace qmt::test
