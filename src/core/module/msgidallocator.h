#pragma once

#include <QSet>

namespace qmt {

/// Hands out message identifiers for one slot so that each in-flight one is unique (note 3.3.6) and, as the
/// note suggests, each is one more than the last: 1, 2, … 65535, then around again skipping those in use.
class MsgIdAllocator
{
public:
    /// The next free identifier, or 0 when all 65535 are in flight.
    [[nodiscard]] int acquire();
    void release(int msgId);
    void reset();
    [[nodiscard]] int inFlight() const { return int(m_inUse.size()); }
    [[nodiscard]] bool isInUse(int msgId) const { return m_inUse.contains(msgId); }

private:
    QSet<int> m_inUse;
    int m_last = 0;
};

} // namespace qmt
