#pragma once

#include "module/profile.h"

namespace qmt {

/// The profile `--demo` starts: slot 0 on the given broker, subscribed to "demo/#", the payload length shown
/// so that demo payloads with line breaks come out whole.
[[nodiscard]] Profile demoProfile(const QByteArray &host, int port);

} // namespace qmt
