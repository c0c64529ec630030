#pragma once

// Shared by the fuzz targets: reading structured values out of the fuzzer's bytes, the secrets planted in
// streams, and how a broken property is reported.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace qmt::fuzz {

/// Reads values from the front of the fuzzer's input; past its end every read gives zeros and empty
/// strings, so a target never has to check how much is left.
class ByteReader
{
public:
    ByteReader(const uint8_t *data, size_t size)
        : m_data(data)
        , m_size(size)
    {}

    [[nodiscard]] bool atEnd() const { return m_pos >= m_size; }
    [[nodiscard]] size_t remaining() const { return m_size - m_pos; }

    uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    bool flag() { return byte() & 1; }

    /// A value in [low, high], mostly inside it but now and then at or beyond its edges when `wide`:
    /// range checks are the point of many builders.
    qint64 integer(qint64 low, qint64 high)
    {
        const uint8_t pick = byte();
        switch (pick % 8) {
        case 0:
            return low - 1 - (pick >> 3);
        case 1:
            return high + 1 + (pick >> 3);
        case 2: {
            qint64 v = 0;
            for (int i = 0; i < 8; ++i)
                v = (v << 8) | byte();
            return v;
        }
        default: {
            const quint64 span = quint64(high - low) + 1;
            quint64 v = 0;
            for (int i = 0; i < 4; ++i)
                v = (v << 8) | byte();
            return low + qint64(span == 0 ? v : v % span);
        }
        }
    }

    /// A length-prefixed string (one byte of length, up to 255 bytes).
    QByteArray bytes() { return bytes(byte()); }

    QByteArray bytes(size_t length)
    {
        const size_t n = length < remaining() ? length : remaining();
        QByteArray out(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(n));
        m_pos += n;
        return out;
    }

    /// Everything not read yet.
    QByteArrayView rest()
    {
        const QByteArrayView out(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(remaining()));
        m_pos = m_size;
        return out;
    }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

/// A property of the code under test does not hold: print what and why, then abort, which libFuzzer
/// reports as a crash with the input that caused it (and the replay test as a failure).
[[noreturn]] inline void propertyFailed(const char *property, const QByteArray &detail)
{
    std::fprintf(stderr, "\n*** property broken: %s\n%s\n", property, detail.constData());
    std::fflush(stderr);
    std::abort();
}

/// Bytes made printable for a report (C escapes for the rest).
inline QByteArray printable(QByteArrayView bytes, qsizetype limit = 400)
{
    QByteArray out;
    for (qsizetype i = 0; i < bytes.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out += char(c);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", c);
            out += hex;
        }
    }
    if (bytes.size() > limit)
        out += "…";
    return out;
}

/// Chunk-split invariance: two readings of one stream gave the same events; otherwise the first that differs
/// is reported, each side as `describe` puts it.
template<typename Event, typename Describe>
void requireSameEvents(const char *property, const QByteArray &how, const std::vector<Event> &whole,
                       const std::vector<Event> &split, Describe describe)
{
    if (whole == split)
        return;
    size_t i = 0;
    while (i < whole.size() && i < split.size() && whole[i] == split[i])
        ++i;
    const auto at = [&](const std::vector<Event> &v) { return i < v.size() ? describe(v[i]) : QByteArray("(none)"); };
    propertyFailed(property, how + ": event " + QByteArray::number(qulonglong(i)) + " differs\n  whole: " + at(whole) +
                                 "\n  split: " + at(split));
}

/// Secrets are told apart from anything a fuzzer writes by their 8-byte pieces: no piece may appear in an
/// output (a secret cut in half is still a leak), and a run whose own bytes already hold a piece (a
/// fuzzer can learn a planted string from the comparisons) proves nothing about the code.
constexpr qsizetype SecretPiece = 8;

inline bool holdsPieceOf(QByteArrayView haystack, QByteArrayView secret)
{
    if (haystack.size() < SecretPiece)
        return false;
    for (qsizetype i = 0; i + SecretPiece <= secret.size(); ++i) {
        if (haystack.indexOf(secret.sliced(i, SecretPiece)) >= 0)
            return true;
    }
    return false;
}

/// The secrets planted into streams: what a host sends and must never see again in plain text.
struct Secrets
{
    static constexpr QByteArrayView Password = "pw-Fz7Kq2Lm9Xv4Rt8c";
    static constexpr QByteArrayView DeviceSecret = "ds-Hn3Wp6Yb1Qe5Js0d";
    static constexpr QByteArrayView KeyBody = "kb-Tg8Mr2Vx5Nc7Lz4Wq";

    static bool anyIn(QByteArrayView bytes)
    {
        return holdsPieceOf(bytes, Password) || holdsPieceOf(bytes, DeviceSecret) || holdsPieceOf(bytes, KeyBody);
    }
};

/// "-----BEGIN PRIVATE KEY-----" put together at run time, so no tracked file looks like it holds a key.
inline QByteArray keyArmour(const char *edge)
{
    return QByteArray("-----") + edge + ' ' + "PRIVATE" + " KEY-----";
}

/// Findings known and not fixed yet (docs/fuzzing.md lists them): named in QMT_FUZZ_KNOWN (comma separated),
/// a broken property that matches one is not reported, so a short CI run stays useful while the fix is on
/// its way. Long runs leave the variable unset.
inline bool knownFinding(const char *name)
{
    static const QByteArray known = qgetenv("QMT_FUZZ_KNOWN");
    if (known.isEmpty())
        return false;
    for (const QByteArray &k : known.split(',')) {
        if (k.trimmed() == name)
            return true;
    }
    return false;
}

} // namespace qmt::fuzz
