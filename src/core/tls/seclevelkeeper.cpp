#include "seclevelkeeper.h"

#include "module/modulecontroller.h"

namespace qmt {

SecLevelKeeper::SecLevelKeeper(ModuleController &controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{
    // moduleRebooted comes before the controller's recovery timers fire, so this command is queued first.
    connect(&controller, &ModuleController::moduleRebooted, this, &SecLevelKeeper::restore);
}

void SecLevelKeeper::restore()
{
    if (!m_level)
        return;
    const auto command = m_controller.commands().sslSecLevel(*m_level);
    if (!command) {
        Q_EMIT notice(command.error().message());
        return;
    }
    m_controller.channel().submit(*command);
    Q_EMIT notice(tr("The module rebooted: security level %1 restored (the module does not keep it).").arg(*m_level));
}

} // namespace qmt
