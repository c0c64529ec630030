#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace qmt::test {

/// PEM armour for test data, put together at run time: the tests need text that looks like a private key
/// to check that it is withheld, and no tracked file should hold anything that looks like one.
///   fakeKeyLine("BEGIN")       -> "-----BEGIN PRIVATE KEY-----"
///   fakeKeyLine("END", "EC")   -> "-----END EC PRIVATE KEY-----"
inline QByteArray fakeKeyLine(QByteArrayView edge, QByteArrayView algorithm = {})
{
    QByteArray line = "-----" + edge.toByteArray() + ' ';
    if (!algorithm.isEmpty())
        line += algorithm.toByteArray() + ' ';
    return line + "PRIVATE" + " KEY-----";
}

/// A whole block around `body` (a made-up line, never key material), each line ended by `eol`.
inline QByteArray fakePrivateKey(QByteArrayView body, QByteArrayView eol = "\n", QByteArrayView algorithm = {})
{
    const QByteArray end = eol.toByteArray();
    return fakeKeyLine("BEGIN", algorithm) + end + body.toByteArray() + end + fakeKeyLine("END", algorithm) + end;
}

} // namespace qmt::test
