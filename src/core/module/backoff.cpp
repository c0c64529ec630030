#include "core/module/backoff.h"

#include <algorithm>

namespace qmt {

int Backoff::next()
{
    long long delay = m_first;
    for (int i = 0; i < m_attempt && delay < m_max; ++i)
        delay *= 2;
    ++m_attempt;
    return int(std::min<long long>(delay, m_max));
}

} // namespace qmt
