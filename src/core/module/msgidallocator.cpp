#include "core/module/msgidallocator.h"

namespace qmt {

int MsgIdAllocator::acquire()
{
    constexpr int MaxId = 65535;
    if (m_inUse.size() >= MaxId)
        return 0;
    int id = m_last;
    do {
        id = id % MaxId + 1;
    } while (m_inUse.contains(id));
    m_inUse.insert(id);
    m_last = id;
    return id;
}

void MsgIdAllocator::release(int msgId)
{
    m_inUse.remove(msgId);
}

void MsgIdAllocator::reset()
{
    m_inUse.clear();
    m_last = 0;
}

} // namespace qmt
