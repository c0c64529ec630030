#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace qmt {

/// The device paths the user opened, most recent first, kept in the settings: a pseudo-terminal of
/// qmt-sim or socat, a remote serial bridge's pty, a /dev/serial/by-id link — paths the system's port list
/// does not show, so the Port panel offers them again and "Find my module" asks them too.
///
/// Bounded: at most MaxPaths; remembering one more drops the least recently used, and says which.
class RecentPortPaths
{
public:
    static constexpr int MaxPaths = 8;
    static inline const QString SettingsKey = QStringLiteral("ports/recentPaths");

    RecentPortPaths();

    [[nodiscard]] QStringList paths() const { return m_paths; }
    /// Puts `path` first (moving it when it is there already) and saves the list. The path dropped to stay
    /// within MaxPaths, if one was; a blank path is not remembered.
    std::optional<QString> remember(const QString &path);

private:
    QStringList m_paths;
};

} // namespace qmt
