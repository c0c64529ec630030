#pragma once

#include "core/qmt/capturedecoder.h"

#include <QByteArray>
#include <QJsonObject>

namespace qmt {

/// Appends the decoder's machine-readable form of one event (documented in the README, "qmt-decode
/// output") to `out`: one compact JSON object, no newline, keys in sorted order — byte for byte what
/// QJsonDocument writes for it. Written straight into `out`, with no object tree and, once `out` has grown
/// to hold a line, no allocation for the events a flood is made of (lines, +QMTRECV).
void appendJson(const DecodedEvent &event, QByteArray &out);

/// The same object as a QJsonObject (tests, callers that want to inspect it).
[[nodiscard]] QJsonObject toJson(const DecodedEvent &event);

} // namespace qmt
