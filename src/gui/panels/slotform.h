#pragma once

#include "core/module/slotconfig.h"

namespace Ui {
class ConfigPanel;
}

namespace qmt::slotform {

// The Configuration panel's form and a slot's configuration, field by field: one place that says which
// widget shows which setting.

/// Bounds, defaults, units and tooltips from the spec table; the choices of the combo boxes.
void bind(Ui::ConfigPanel &ui);
/// Puts `config` into the form's fields.
void show(Ui::ConfigPanel &ui, const SlotConfig &config);
/// The configuration the form's fields say.
[[nodiscard]] SlotConfig read(const Ui::ConfigPanel &ui);

} // namespace qmt::slotform
