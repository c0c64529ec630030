#pragma once

#include "core/module/profile.h"

#include <QSettings>
#include <QStringList>

#include <optional>

namespace qmt {

/// Named profiles kept in the application's settings (which never see a secret), and their JSON export.
class ProfileStore
{
public:
    /// The settings of the running application (organisation and application names set by main()).
    ProfileStore();
    /// For tests and tools: profiles in this settings file.
    explicit ProfileStore(const QString &settingsFile);

    [[nodiscard]] QStringList names() const;
    [[nodiscard]] std::optional<Profile> load(const QString &name) const;
    void save(const Profile &profile);
    void remove(const QString &name);

    static bool exportTo(const Profile &profile, const QString &path, QString *error);
    /// The profile in the JSON file at `path`, checked as Profile::fromJson() and Profile::problem() do;
    /// the error names the field, the rule and the value. Nothing is stored: the caller decides.
    static Validated<Profile> importFrom(const QString &path);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace qmt
