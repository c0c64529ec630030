#include "core/module/slotstatus.h"

namespace qmt {

QString SlotStateText::name(SlotState state)
{
    switch (state) {
    case SlotState::Closed:
        return tr("Closed");
    case SlotState::Opening:
        return tr("Opening");
    case SlotState::Open:
        return tr("Open");
    case SlotState::Connecting:
        return tr("Connecting");
    case SlotState::Connected:
        return tr("Connected");
    case SlotState::Disconnecting:
        return tr("Disconnecting");
    case SlotState::Closing:
        return tr("Closing");
    }
    return {};
}

} // namespace qmt
