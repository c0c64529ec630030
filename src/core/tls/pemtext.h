#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace qmt {

/// One "-----BEGIN <label>-----" … "-----END <label>-----" block, normalised.
struct PemBlock
{
    QByteArray label; ///< "CERTIFICATE", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", …
    QByteArray text;  ///< the whole block, lines ended by LF, the last one too
};

/// PEM text as the module must receive it.
///
/// The module reports the number of bytes it stored (protocol-notes §5.1) and a length that differs from
/// what the host counted after a CR LF conversion is a known cause of failed handshakes (protocol-notes §5.2). So the
/// host decides the exact bytes itself: CR LF and lone CR become LF, trailing blanks go, every line (the
/// last included) ends in LF, and text outside the blocks (openssl's "Bag Attributes", comments) is
/// dropped. What is counted is then exactly what is sent.
class PemText
{
public:
    struct Parsed
    {
        QList<PemBlock> blocks;
        std::optional<QString> error; ///< why the text is not PEM; blocks is then empty
    };

    [[nodiscard]] static Parsed parse(QByteArrayView input);
    /// The blocks one after another: the bytes to upload.
    [[nodiscard]] static QByteArray join(const QList<PemBlock> &blocks);
};

} // namespace qmt
