#pragma once

#include "module/modulecontroller.h"
#include "module/profile.h"

#include <QWidget>

#include <memory>

namespace Ui {
class ConfigPanel;
}

namespace qmt {

class ProfileStore;

/// Per-slot configuration: every AT+QMTCFG option with widgets bounded by the spec table, the broker and
/// the credentials; the order rule (settings before AT+QMTOPEN) enforced and explained; named profiles,
/// exported and imported as JSON. Passwords and secrets never go to the settings or to an export.
class ConfigPanel : public QWidget
{
    Q_OBJECT

public:
    ConfigPanel(ModuleController &controller, ProfileStore &store, QWidget *parent = nullptr);
    ~ConfigPanel() override;

    /// Makes `profile` the current one: its slots' configurations go to the controller.
    void setProfile(const Profile &profile);
    [[nodiscard]] const Profile &profile() const { return m_profile; }
    /// Starts the slots the profile enables, subscribing to their filters.
    void startProfile();
    [[nodiscard]] int currentSlot() const;

Q_SIGNALS:
    void profileChanged(const QString &name);

private:
    void loadSlot(int slot);
    void storeSlot();
    [[nodiscard]] SlotConfig formConfig() const;
    void updateLocks();
    void showResult(const Validated<quint64> &result, const QString &done);
    void reloadProfileNames();
    void saveProfile(bool asNew);
    void deleteProfile();
    void importProfile();
    void exportProfile();
    void switchProfile(const QString &name);

    std::unique_ptr<Ui::ConfigPanel> m_ui;
    ModuleController &m_controller;
    ProfileStore &m_store;
    Profile m_profile;
    bool m_loading = false;   // filling the form: edits are not changes
};

} // namespace qmt
