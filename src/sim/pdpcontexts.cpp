#include "sim/pdpcontexts.h"

namespace qmt::sim {

namespace {

/// The APN the test network gives a subscription that asks for none.
constexpr const char *NetworkApn = "NBIOT.TEST";
/// Context 0's address (protocol-notes §9.1 shows one per active context); the host's follow it.
constexpr int FirstAddressHost = 7;

QByteArray quoted(const QByteArray &text)
{
    return '"' + text + '"';
}

} // namespace

const QList<QByteArray> &PdpContexts::pdpTypes()
{
    static const QList<QByteArray> types{"IP", "IPV6", "IPV4V6", "Non-IP"};
    return types;
}

std::optional<QByteArray> PdpContexts::pdpType(const QByteArray &text)
{
    for (const QByteArray &type : pdpTypes()) {
        if (text.compare(type, Qt::CaseInsensitive) == 0)
            return type;
    }
    return std::nullopt;
}

void PdpContexts::powerOn()
{
    m_initial.type = m_configured.type;
    // "The value of <APN> is case-insensitive, and the reads are converted to uppercase" (AT manual 5.4).
    m_initial.apn = m_configured.apn.isEmpty() ? QByteArray(NetworkApn) : m_configured.apn.toUpper();
    deactivateAll();
}

void PdpContexts::deactivateAll()
{
    for (auto &[cid, context] : m_defined)
        context.active = false;
}

bool PdpContexts::isDefined(int cid) const
{
    return cid == 0 || m_defined.count(cid) > 0;
}

QList<int> PdpContexts::cids() const
{
    QList<int> all{0};
    for (const auto &entry : m_defined)
        all.append(entry.first);
    return all;
}

void PdpContexts::define(int cid, const QByteArray &type, const QByteArray &apn)
{
    m_defined[cid] = Context{type, apn.toUpper(), false};
}

void PdpContexts::undefine(int cid)
{
    m_defined.erase(cid);
}

bool PdpContexts::setActive(int cid, bool active)
{
    const auto it = m_defined.find(cid);
    if (it == m_defined.end())
        return false;
    it->second.active = active;
    return true;
}

QList<QByteArray> PdpContexts::definitionLines(bool initialUp) const
{
    // The example of the AT manual (5.4): context 0 with its address, the host's without.
    QByteArray initial = "+CGDCONT: 0," + quoted(m_initial.type) + ',' + quoted(m_initial.apn);
    if (initialUp)
        initial += ',' + quoted(address(0, true));
    QList<QByteArray> lines{initial};
    for (const auto &[cid, context] : m_defined)
        lines.append("+CGDCONT: " + QByteArray::number(cid) + ',' + quoted(context.type) + ',' + quoted(context.apn));
    return lines;
}

QList<QByteArray> PdpContexts::activationLines(bool initialUp) const
{
    QList<QByteArray> lines{"+CGACT: 0," + QByteArray::number(initialUp ? 1 : 0)};
    for (const auto &[cid, context] : m_defined)
        lines.append("+CGACT: " + QByteArray::number(cid) + ',' + QByteArray::number(context.active ? 1 : 0));
    return lines;
}

QByteArray PdpContexts::address(int cid, bool initialUp) const
{
    const auto it = m_defined.find(cid);
    const bool up = cid == 0 ? initialUp : it != m_defined.end() && it->second.active;
    if (!up)
        return {};
    return "10.0.0." + QByteArray::number(FirstAddressHost + cid);
}

} // namespace qmt::sim
