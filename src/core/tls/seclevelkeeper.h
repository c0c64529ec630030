#pragma once

#include "core/tls/sslindex.h"

#include <QMap>
#include <QObject>

#include <optional>

namespace qmt {

class ModuleController;

/// Puts the security level of each SSL index back after the module reboots.
///
/// The module keeps its certificates across a reboot but not the rest of its SSL configuration (protocol-notes §5.1:
/// "Only the certificate configuration is saved"), so "seclevel" falls back to its default — and a slot
/// restored after the reboot would connect without checking the broker. The level is re-sent as soon as
/// the reboot is seen, before the controller's recovery reopens any slot.
class SecLevelKeeper : public QObject
{
    Q_OBJECT

public:
    explicit SecLevelKeeper(ModuleController &controller, QObject *parent = nullptr);

    /// The level to keep at an SSL index; nullopt keeps none there (the module's default stands).
    void setLevel(SslIndex index, std::optional<int> level);
    /// Forgets every level (another profile).
    void clear() { m_levels.clear(); }
    [[nodiscard]] std::optional<int> level(SslIndex index) const;

Q_SIGNALS:
    /// What was done, for the status bar.
    void notice(const QString &text);

private:
    void restore();

    ModuleController &m_controller;
    QMap<SslIndex, int> m_levels;
};

} // namespace qmt
