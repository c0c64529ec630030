#include "messageledger.h"

#include <algorithm>

namespace qmt::soak {

int MessageLedger::next(int window)
{
    m_entries.push_back(Entry{window, 0, 0, 0, 0, 0, 0});
    return count();
}

MessageLedger::Counts MessageLedger::counts(std::optional<int> window) const
{
    Counts c;
    for (const Entry &e : m_entries) {
        if (window && e.window != *window)
            continue;
        ++c.sent;
        c.attempts += e.attempts;
        c.failedReports += e.failed;
        if (e.arrived == 0) {
            ++c.lost;
            if (e.confirmed > 0)
                ++c.lostConfirmed;
            if (e.onWire == 0)
                ++c.lostNeverPrinted;
            else if (e.unread == e.onWire)
                ++c.lostUnplugged;
        } else if (e.arrived > 1) {
            ++c.duplicated;
            c.duplicates += e.arrived - 1;
        }
    }
    return c;
}

bool MessageLedger::settled() const
{
    // A message printed only to an unplugged port will never arrive: waiting longer changes nothing.
    return std::all_of(m_entries.begin(), m_entries.end(),
                       [](const Entry &e) { return e.arrived > 0 || (e.onWire > 0 && e.unread == e.onWire); });
}

QByteArray MessageLedger::payload(const char *stem, int number)
{
    return QByteArray(stem) + '-' + QByteArray::number(number).rightJustified(6, '0');
}

int MessageLedger::numberOf(QByteArrayView payload, const char *stem)
{
    const qsizetype length = qsizetype(qstrlen(stem));
    if (payload.size() != length + 7 || !payload.startsWith(stem) || payload[length] != '-')
        return 0;
    bool ok = false;
    const int n = payload.sliced(length + 1).toInt(&ok);
    return ok ? n : 0;
}

} // namespace qmt::soak
