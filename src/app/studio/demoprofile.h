#pragma once

#include "core/module/profile.h"

namespace qmt {

/// The profile `--demo` starts: slot 0 on the given broker, subscribed to "demo/#", the payload length shown
/// so that demo payloads with line breaks come out whole.
[[nodiscard]] Profile demoProfile(const QByteArray &host, int port);

/// The topic the demo charts: scripts/demo-broker.sh publishes JSON telemetry on it every second.
inline constexpr char DemoChartedTopic[] = "demo/fleet/dev-1/telemetry";

} // namespace qmt
