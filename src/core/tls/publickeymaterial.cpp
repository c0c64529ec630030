#include "core/tls/publickeymaterial.h"

#include <QByteArrayView>

#include <optional>

namespace qmt {

namespace {

enum Tag : quint8 {
    Integer = 0x02,
    BitString = 0x03,
    OctetString = 0x04,
    Sequence = 0x30,
    PublicKeyField = 0xa1, // SEC1 ECPrivateKey [1] publicKey
};

/// A minimal DER reader: enough to walk the key structures above, refusing anything malformed.
class Der
{
public:
    explicit Der(QByteArrayView bytes)
        : m_rest(bytes)
    {}

    [[nodiscard]] bool atEnd() const { return m_rest.isEmpty(); }
    [[nodiscard]] std::optional<quint8> peekTag() const
    {
        return m_rest.isEmpty() ? std::nullopt : std::optional<quint8>(quint8(m_rest[0]));
    }
    /// The content of the next element if its tag is `tag`.
    std::optional<QByteArrayView> take(quint8 tag)
    {
        if (m_rest.size() < 2 || quint8(m_rest[0]) != tag)
            return std::nullopt;
        qsizetype length = quint8(m_rest[1]);
        qsizetype header = 2;
        if (length & 0x80) {
            const int octets = int(length & 0x7f);
            if (octets == 0 || octets > 4 || m_rest.size() < 2 + octets)
                return std::nullopt;
            length = 0;
            for (int i = 0; i < octets; ++i)
                length = (length << 8) | quint8(m_rest[2 + i]);
            header += octets;
        }
        if (m_rest.size() - header < length)
            return std::nullopt;
        const QByteArrayView content = m_rest.sliced(header, length);
        m_rest = m_rest.sliced(header + length);
        return content;
    }
    /// Skips the next element, whatever its tag.
    bool skip()
    {
        const auto tag = peekTag();
        return tag && take(*tag).has_value();
    }

private:
    QByteArrayView m_rest;
};

/// An INTEGER without the leading zero DER adds to keep it positive: one value, one spelling.
QByteArray unsignedInteger(QByteArrayView content)
{
    while (content.size() > 1 && content[0] == '\0')
        content = content.sliced(1);
    return content.toByteArray();
}

QByteArray rsaMaterial(QByteArrayView modulus, QByteArrayView exponent)
{
    const QByteArray n = unsignedInteger(modulus);
    const QByteArray e = unsignedInteger(exponent);
    return QByteArrayLiteral("rsa:") + QByteArray::number(n.size()) + ':' + n + e;
}

QByteArray ecMaterial(QByteArrayView point)
{
    return QByteArrayLiteral("ec:") + point.toByteArray();
}

/// The content of a BIT STRING without its unused-bits octet (always 0 for keys).
std::optional<QByteArrayView> bits(std::optional<QByteArrayView> content)
{
    if (!content || content->isEmpty() || (*content)[0] != '\0')
        return std::nullopt;
    return content->sliced(1);
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, or nothing.
QByteArray rsaPublicKey(QByteArrayView bytes)
{
    Der outer(bytes);
    const auto seq = outer.take(Sequence);
    if (!seq || !outer.atEnd())
        return {};
    Der inner(*seq);
    const auto n = inner.take(Integer);
    const auto e = inner.take(Integer);
    if (!n || !e || !inner.atEnd())
        return {};
    return rsaMaterial(*n, *e);
}

QByteArray fromPrivateDer(QByteArrayView der, int depth = 0)
{
    Der outer(der);
    const auto seq = outer.take(Sequence);
    if (!seq)
        return {};
    Der d(*seq);
    if (!d.take(Integer)) // version
        return {};
    switch (d.peekTag().value_or(0)) {
    case Integer: { // PKCS#1 RSAPrivateKey: version, modulus, publicExponent, …
        const auto n = d.take(Integer);
        const auto e = d.take(Integer);
        return n && e ? rsaMaterial(*n, *e) : QByteArray();
    }
    case OctetString: { // SEC1 ECPrivateKey: version, privateKey, [0] parameters, [1] publicKey
        d.take(OctetString);
        while (!d.atEnd()) {
            if (d.peekTag() == PublicKeyField) {
                Der field(*d.take(PublicKeyField));
                const auto point = bits(field.take(BitString));
                return point ? ecMaterial(*point) : QByteArray();
            }
            if (!d.skip())
                return {};
        }
        return {};
    }
    case Sequence: { // PKCS#8 PrivateKeyInfo: version, algorithm, privateKey OCTET STRING { … }
        d.take(Sequence);
        const auto inner = d.take(OctetString);
        return inner && depth == 0 ? fromPrivateDer(*inner, depth + 1) : QByteArray();
    }
    default:
        return {};
    }
}

} // namespace

QByteArray PublicKeyMaterial::ofCertificate(const QSslCertificate &certificate)
{
    const QSslKey key = certificate.publicKey();
    if (key.isNull())
        return {};
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
    const QByteArray der = key.toDer();
    Der outer(der);
    const auto seq = outer.take(Sequence);
    if (!seq)
        return {};
    Der spki(*seq);
    if (!spki.take(Sequence))
        return rsaPublicKey(der); // a bare PKCS#1 RSAPublicKey
    const auto publicBits = bits(spki.take(BitString));
    if (!publicBits)
        return {};
    if (key.algorithm() == QSsl::Rsa)
        return rsaPublicKey(*publicBits);
    return key.algorithm() == QSsl::Ec ? ecMaterial(*publicBits) : QByteArray();
}

QByteArray PublicKeyMaterial::ofPrivateKey(const QSslKey &key)
{
    if (key.isNull() || key.type() != QSsl::PrivateKey)
        return {};
    return fromPrivateDer(key.toDer());
}

} // namespace qmt
