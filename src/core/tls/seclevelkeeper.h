#pragma once

#include <QObject>

#include <optional>

namespace qmt {

class ModuleController;

/// Puts the security level back after the module reboots.
///
/// The module keeps its certificates across a reboot but not the rest of its SSL configuration (FACTS §5:
/// "Only the certificate configuration is saved"), so "seclevel" falls back to its default — and a slot
/// restored after the reboot would connect without checking the broker. The level is re-sent as soon as
/// the reboot is seen, before the controller's recovery reopens any slot.
class SecLevelKeeper : public QObject
{
    Q_OBJECT

public:
    explicit SecLevelKeeper(ModuleController &controller, QObject *parent = nullptr);

    /// The level to keep; nullopt keeps none (the module's default stands).
    void setLevel(std::optional<int> level) { m_level = level; }
    [[nodiscard]] std::optional<int> level() const { return m_level; }

Q_SIGNALS:
    /// What was done, for the status bar.
    void notice(const QString &text);

private:
    void restore();

    ModuleController &m_controller;
    std::optional<int> m_level;
};

} // namespace qmt
