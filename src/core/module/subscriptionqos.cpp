#include "core/module/subscriptionqos.h"

#include "core/qmt/topicmatcher.h"

namespace qmt {

std::optional<int> grantedQosFor(const QList<Subscription> &subscriptions, QByteArrayView topic)
{
    for (const Subscription &sub : subscriptions) {
        if (sub.grantedQos && *sub.grantedQos <= 2 && TopicMatcher(sub.filter).matches(topic))
            return sub.grantedQos;
    }
    return std::nullopt;
}

} // namespace qmt
