#pragma once

#include "capturedecoder.h"

#include <QJsonObject>

namespace qmt {

/// The decoder's machine-readable form of one event (documented in the README, "qmt-decode output").
[[nodiscard]] QJsonObject toJson(const DecodedEvent &event);

/// The parsed fields of a +QMT… event, with the note's meaning of each code.
[[nodiscard]] QJsonObject fieldsToJson(const QmtEvent &event);

} // namespace qmt
