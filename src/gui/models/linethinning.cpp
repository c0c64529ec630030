#include "gui/models/linethinning.h"

#include <algorithm>

namespace qmt {

QList<QPointF> thinnedLine(const RingBuffer<QPointF> &samples, int width)
{
    QList<QPointF> out;
    const qsizetype n = samples.size();
    const qsizetype buckets = std::max(1, width);
    if (n <= 2 * buckets) {
        out.reserve(n);
        for (qsizetype i = 0; i < n; ++i)
            out.append(samples.at(i));
        return out;
    }
    out.reserve(2 * buckets);
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype from = b * n / buckets;
        const qsizetype to = (b + 1) * n / buckets;
        qsizetype low = from;
        qsizetype high = from;
        for (qsizetype i = from + 1; i < to; ++i) {
            if (samples.at(i).y() < samples.at(low).y())
                low = i;
            if (samples.at(i).y() > samples.at(high).y())
                high = i;
        }
        out.append(samples.at(std::min(low, high)));
        if (low != high)
            out.append(samples.at(std::max(low, high)));
    }
    return out;
}

} // namespace qmt
