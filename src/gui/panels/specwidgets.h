#pragma once

#include "core/qmt/qmtspec.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace qmt::specwidgets {

// Widgets take their bounds, defaults, units and tooltips from the spec table, the same table the builders
// validate with, so a form cannot offer a value the module would refuse.

/// Range, default (when the note gives one), unit suffix and the note's description as tooltip.
void bind(QSpinBox *spin, Param param);
/// Maximum length and tooltip; secrets get password echo. (Length in bytes is checked on sending: a
/// QLineEdit counts characters.)
void bind(QLineEdit *edit, Param param);
/// The QoS choices 0–2 with their meaning.
void fillQos(QComboBox *combo);
/// Slots 0–4.
void fillSlots(QComboBox *combo);

} // namespace qmt::specwidgets
