#include "core/module/profilestore.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace qmt {

namespace {
const QString Group = QStringLiteral("profiles");
}

ProfileStore::ProfileStore()
    : m_settings(std::make_unique<QSettings>())
{}

ProfileStore::ProfileStore(const QString &settingsFile)
    : m_settings(std::make_unique<QSettings>(settingsFile, QSettings::IniFormat))
{}

QStringList ProfileStore::names() const
{
    m_settings->beginGroup(Group);
    QStringList keys = m_settings->childKeys();
    m_settings->endGroup();
    for (QString &k : keys)
        k = QString::fromUtf8(QByteArray::fromPercentEncoding(k.toUtf8()));
    keys.sort(Qt::CaseInsensitive);
    return keys;
}

std::optional<Profile> ProfileStore::load(const QString &name) const
{
    const QString key = Group + QLatin1Char('/') + QString::fromLatin1(name.toUtf8().toPercentEncoding());
    const QByteArray json = m_settings->value(key).toByteArray();
    if (json.isEmpty())
        return std::nullopt;
    auto profile = Profile::fromJson(QJsonDocument::fromJson(json).object());
    if (!profile)
        return std::nullopt;
    profile.value().name = name;
    return *profile;
}

void ProfileStore::save(const Profile &profile)
{
    const QString key = Group + QLatin1Char('/') + QString::fromLatin1(profile.name.toUtf8().toPercentEncoding());
    m_settings->setValue(key, QJsonDocument(profile.toJson()).toJson(QJsonDocument::Compact));
    m_settings->sync();
}

void ProfileStore::remove(const QString &name)
{
    m_settings->remove(Group + QLatin1Char('/') + QString::fromLatin1(name.toUtf8().toPercentEncoding()));
    m_settings->sync();
}

bool ProfileStore::exportTo(const Profile &profile, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(profile.toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

Validated<Profile> ProfileStore::importFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ValidationError{path, ValidationError::tr("a readable file"), file.errorString(), {}};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        return ValidationError{path, ValidationError::tr("a JSON object"), parseError.errorString(),
                               ValidationError::tr("at byte %1").arg(parseError.offset)};
    }
    auto profile = Profile::fromJson(doc.object());
    if (profile) {
        if (auto problem = profile->problem())
            return *problem;
    }
    return profile;
}

} // namespace qmt
