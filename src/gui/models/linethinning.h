#pragma once

#include "gui/models/ringbuffer.h"

#include <QList>
#include <QPointF>

namespace qmt {

/// The points of a chart line as a plot `width` pixels wide can show them: up to two points per pixel
/// column the line comes back whole; beyond that it is cut into `width` buckets, each giving its lowest and
/// highest point in time order, so peaks stay visible and drawing costs no more than the width allows.
[[nodiscard]] QList<QPointF> thinnedLine(const RingBuffer<QPointF> &samples, int width);

} // namespace qmt
