#include "core/at/secretscrubber.h"

#include "core/at/atcommand.h"

#include <QList>

#include <algorithm>
#include <cstring>
#include <utility>

namespace qmt {

namespace {

inline quint64 pieceAt(const char *p)
{
    quint64 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline unsigned leadAt(const char *p)
{
    return unsigned(static_cast<unsigned char>(p[0])) << 8 | static_cast<unsigned char>(p[1]);
}

static_assert(SecretScrubber::Piece == sizeof(quint64));

} // namespace

void SecretScrubber::learn(QByteArrayView secret)
{
    if (secret.size() < MinSecret || isRedactedPlaceholder(secret))
        return;
    const auto known = std::find(m_secrets.begin(), m_secrets.end(), secret);
    if (known != m_secrets.end()) {
        // Seen again: it is recent now.
        QByteArray s = std::move(*known);
        m_secrets.erase(known);
        m_secrets.push_back(std::move(s));
        return;
    }
    m_secrets.push_back(secret.toByteArray());
    if (qsizetype(m_secrets.size()) > MaxSecrets)
        m_secrets.pop_front();
    rebuild();
}

void SecretScrubber::learnData(QByteArrayView data)
{
    QByteArray secret;
    for (qsizetype from = 0; from < data.size();) {
        qsizetype end = data.indexOf('\n', from);
        if (end < 0)
            end = data.size();
        if (const QByteArrayView line = data.sliced(from, end - from).trimmed(); !line.startsWith("-----"))
            secret.append(line).append('\n');
        from = end + 1;
    }
    learn(secret.trimmed());
}

void SecretScrubber::clear()
{
    m_secrets.clear();
    rebuild();
}

void SecretScrubber::rebuild()
{
    m_pieces.clear();
    m_leads.reset();
    for (const QByteArray &s : m_secrets) {
        for (qsizetype k = 0; k + Piece <= s.size(); ++k) {
            m_pieces.insert(pieceAt(s.constData() + k));
            m_leads.set(leadAt(s.constData() + k));
        }
    }
}

bool SecretScrubber::scrub(QByteArray &text) const
{
    if (m_secrets.empty() || text.size() < MinSecret)
        return false;
    // Covered ranges, found in order of their start (pieces) and then for short secrets.
    QList<std::pair<qsizetype, qsizetype>> covered;
    const char *const data = text.constData();
    for (qsizetype p = 0; p + Piece <= text.size(); ++p) {
        if (!m_leads.test(leadAt(data + p)) || !m_pieces.contains(pieceAt(data + p)))
            continue;
        if (!covered.isEmpty() && covered.back().second >= p)
            covered.back().second = p + Piece;
        else
            covered.append({p, p + Piece});
    }
    for (const QByteArray &s : m_secrets) {
        if (s.size() >= Piece)
            continue;
        for (qsizetype at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.size()))
            covered.append({at, at + s.size()});
    }
    if (covered.isEmpty())
        return false;
    std::sort(covered.begin(), covered.end());
    QByteArray out;
    out.reserve(text.size());
    qsizetype from = 0;
    for (qsizetype k = 0; k < covered.size();) {
        const qsizetype start = covered[k].first;
        qsizetype end = covered[k].second;
        for (++k; k < covered.size() && covered[k].first <= end; ++k)
            end = std::max(end, covered[k].second);
        out.append(data + from, start - from);
        out.append(redactedPlaceholder(end - start));
        from = end;
    }
    out.append(data + from, text.size() - from);
    text = std::move(out);
    return true;
}

} // namespace qmt
