#include "core/tls/seclevelkeeper.h"

#include "core/module/modulecontroller.h"

namespace qmt {

SecLevelKeeper::SecLevelKeeper(ModuleController &controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{
    // moduleRebooted comes before the controller's recovery timers fire, so this command is queued first.
    connect(&controller, &ModuleController::moduleRebooted, this, &SecLevelKeeper::restore);
}

void SecLevelKeeper::setLevel(SslIndex index, std::optional<int> level)
{
    if (level)
        m_levels.insert(index, *level);
    else
        m_levels.remove(index);
}

std::optional<int> SecLevelKeeper::level(SslIndex index) const
{
    const auto it = m_levels.constFind(index);
    return it == m_levels.cend() ? std::nullopt : std::optional<int>(*it);
}

void SecLevelKeeper::restore()
{
    for (auto it = m_levels.cbegin(); it != m_levels.cend(); ++it) {
        const SslIndex index = it.key();
        const auto command = m_controller.commands().sslSecLevel(it.value(), index.contextId, index.connectId);
        if (!command) {
            Q_EMIT notice(command.error().message());
            continue;
        }
        m_controller.port().channel().submit(*command);
        Q_EMIT notice(tr("The module rebooted: security level %1 restored at %2 (the module does not keep it).")
                          .arg(it.value())
                          .arg(index.text()));
    }
}

} // namespace qmt
