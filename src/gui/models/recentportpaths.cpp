#include "gui/models/recentportpaths.h"

#include <QSettings>

namespace qmt {

RecentPortPaths::RecentPortPaths()
    : m_paths(QSettings().value(SettingsKey).toStringList().mid(0, MaxPaths))
{}

std::optional<QString> RecentPortPaths::remember(const QString &path)
{
    const QString trimmed = path.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    m_paths.removeAll(trimmed);
    m_paths.prepend(trimmed);
    std::optional<QString> dropped;
    if (m_paths.size() > MaxPaths)
        dropped = m_paths.takeLast();
    QSettings().setValue(SettingsKey, m_paths);
    return dropped;
}

} // namespace qmt
