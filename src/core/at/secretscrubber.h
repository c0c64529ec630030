#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <bitset>
#include <deque>
#include <unordered_set>

namespace qmt {

/// Removes secrets the host sent from text that comes back, whatever the bytes around them became.
///
/// Redaction by shape (redactCommand(), redactResponse()) finds a password where a well-formed command or
/// answer keeps it; a damaged line — an echo that lost its first bytes, a +QMTRECV that lost its closing
/// quote and ran into the echo, noise glued to a command — hides it from the shape. Whoever knows what was
/// sent (the AT channel; the capture decoder, from the host's lines of the capture) learns the secrets and
/// scrubs every line it hands on: any run of bytes holding a piece of a known secret (8 bytes, the whole
/// secret when shorter) becomes "<redacted, N bytes>". A message that quotes a secret loses it too. Keeps
/// the most recent secrets only (bounded), and costs time linear in the text scrubbed.
class SecretScrubber
{
public:
    static constexpr qsizetype Piece = 8;       ///< secrets are found by pieces this long
    static constexpr qsizetype MinSecret = 4;   ///< shorter secrets are not looked for (they match anything)
    static constexpr qsizetype MaxSecrets = 16; ///< the oldest is forgotten beyond this many

    void learn(QByteArrayView secret);
    /// Learns secret data sent after a prompt (a private key): its PEM armour lines are no secret, and left
    /// out so that a certificate's armour is not taken for a piece of the key.
    void learnData(QByteArrayView data);
    [[nodiscard]] bool isEmpty() const { return m_secrets.empty(); }
    /// Scrubs `text` in place; true when anything was replaced.
    bool scrub(QByteArray &text) const;
    [[nodiscard]] QByteArray scrubbed(QByteArray text) const
    {
        scrub(text);
        return text;
    }
    void clear();

private:
    void rebuild();

    std::deque<QByteArray> m_secrets;
    std::unordered_set<quint64> m_pieces;
    std::bitset<65536> m_leads; // the first two bytes of every piece: most positions stop here
};

} // namespace qmt
