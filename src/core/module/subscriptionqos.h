#pragma once

#include "core/module/slotstatus.h"

#include <QByteArrayView>

#include <optional>

namespace qmt {

/// The QoS a message on `topic` most likely came with: the module does not print a message's QoS, so the
/// grant of the first subscription whose filter matches the topic is the best guess there is. nullopt when
/// no granted subscription matches.
[[nodiscard]] std::optional<int> grantedQosFor(const QList<Subscription> &subscriptions, QByteArrayView topic);

} // namespace qmt
