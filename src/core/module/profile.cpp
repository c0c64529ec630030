#include "profile.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace qmt {

namespace {
constexpr int FormatVersion = 1;
const QString HasPassword = QStringLiteral("hasPassword");
const QString HasDeviceSecret = QStringLiteral("hasDeviceSecret");
const QString AliAuthKey = QStringLiteral("aliAuth");
const QString AutoRecovery = QStringLiteral("autoRecovery");

/// A JSON value as it was written, for an error message: "yes" with its quotes, 1 without.
QString jsonText(const QJsonValue &value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2)); // without the array's brackets
}
} // namespace

QJsonObject Profile::toJson() const
{
    QJsonArray slotArray;
    for (const SlotSetup &s : slots) {
        QJsonArray subs;
        for (const auto &[filter, qos] : s.subscriptions)
            subs.append(
                QJsonObject{{QStringLiteral("filter"), QString::fromUtf8(filter)}, {QStringLiteral("qos"), qos}});
        // The references say what the keychain holds for the slot, whether or not the value is in memory.
        QJsonObject config = s.config.toJson();
        config.insert(HasPassword, s.hasPassword || !s.config.password.isEmpty());
        QJsonObject ali = config.value(AliAuthKey).toObject();
        ali.insert(HasDeviceSecret, s.hasDeviceSecret || !s.config.deviceSecret.isEmpty());
        config.insert(AliAuthKey, ali);
        slotArray.append(QJsonObject{{QStringLiteral("enabled"), s.enabled},
                                     {QStringLiteral("config"), config},
                                     {QStringLiteral("subscriptions"), subs}});
    }
    QJsonObject json{{QStringLiteral("qmtStudioProfile"), FormatVersion},
                     {QStringLiteral("name"), name},
                     {QStringLiteral("slots"), slotArray}};
    if (autoRecovery)
        json.insert(AutoRecovery, *autoRecovery);
    if (tls.isSet()) {
        json.insert(QStringLiteral("tls"), QJsonObject{{QStringLiteral("secLevel"), tls.secLevel},
                                                       {QStringLiteral("caCertSha256"), tls.caCertSha256},
                                                       {QStringLiteral("clientCertSha256"), tls.clientCertSha256},
                                                       {QStringLiteral("hasClientKey"), tls.hasClientKey},
                                                       {QStringLiteral("hasKeyPassphrase"), tls.hasKeyPassphrase}});
    }
    return json;
}

Validated<Profile> Profile::fromJson(const QJsonObject &json)
{
    if (!json.contains(QStringLiteral("qmtStudioProfile"))) {
        return ValidationError{QStringLiteral("qmtStudioProfile"),
                               ValidationError::tr("a QMT Studio profile"),
                               ValidationError::tr("a JSON object without it"),
                               {}};
    }
    Profile p;
    p.name = json.value(QStringLiteral("name")).toString();
    const QJsonArray slotArray = json.value(QStringLiteral("slots")).toArray();
    if (slotArray.size() > SlotCount) {
        return ValidationError{QStringLiteral("slots"),
                               ValidationError::tr("at most %1").arg(SlotCount),
                               QString::number(slotArray.size()),
                               {}};
    }
    for (qsizetype i = 0; i < slotArray.size(); ++i) {
        const QJsonObject o = slotArray[i].toObject();
        SlotSetup &s = p.slots[size_t(i)];
        s.enabled = o.value(QStringLiteral("enabled")).toBool();
        auto config = SlotConfig::fromJson(o.value(QStringLiteral("config")).toObject());
        if (!config) {
            ValidationError e = config.error();
            e.parameter = ValidationError::tr("slot %1: %2").arg(i).arg(e.parameter);
            return e;
        }
        s.config = *config;
        const QJsonObject configJson = o.value(QStringLiteral("config")).toObject();
        s.hasPassword = configJson.value(HasPassword).toBool();
        s.hasDeviceSecret = configJson.value(AliAuthKey).toObject().value(HasDeviceSecret).toBool();
        for (const QJsonValue &v : o.value(QStringLiteral("subscriptions")).toArray()) {
            const QJsonObject sub = v.toObject();
            const QByteArray filter = sub.value(QStringLiteral("filter")).toString().toUtf8();
            const int qos = sub.value(QStringLiteral("qos")).toInt();
            if (auto e = check::topicFilter(filter)) {
                e->parameter = ValidationError::tr("slot %1: subscription").arg(i);
                return *e;
            }
            if (auto e = check::integer(Param::Qos, qos)) {
                e->parameter = ValidationError::tr("slot %1: subscription QoS").arg(i);
                return *e;
            }
            s.subscriptions.append({filter, qos});
        }
    }
    if (json.contains(QStringLiteral("tls"))) {
        const QJsonObject tlsJson = json.value(QStringLiteral("tls")).toObject();
        const qint64 level = tlsJson.value(QStringLiteral("secLevel")).toInteger(-2);
        if (auto e = check::integer(Param::SecLevel, level)) {
            e->parameter = QStringLiteral("tls: secLevel");
            return *e;
        }
        p.tls.secLevel = int(level);
        p.tls.caCertSha256 = tlsJson.value(QStringLiteral("caCertSha256")).toString();
        p.tls.clientCertSha256 = tlsJson.value(QStringLiteral("clientCertSha256")).toString();
        p.tls.hasClientKey = tlsJson.value(QStringLiteral("hasClientKey")).toBool();
        p.tls.hasKeyPassphrase = tlsJson.value(QStringLiteral("hasKeyPassphrase")).toBool();
    }
    if (json.contains(AutoRecovery)) {
        const QJsonValue recovery = json.value(AutoRecovery);
        if (!recovery.isBool()) {
            return ValidationError{AutoRecovery, ValidationError::tr("true or false"), jsonText(recovery), {}};
        }
        p.autoRecovery = recovery.toBool();
    }
    return p;
}

QList<Profile::MissingSecret> Profile::missingSecrets() const
{
    QList<MissingSecret> missing;
    for (int s = 0; s < SlotCount; ++s) {
        if (slots[size_t(s)].passwordMissing())
            missing.append({s, MissingSecret::Password});
        if (slots[size_t(s)].deviceSecretMissing())
            missing.append({s, MissingSecret::DeviceSecret});
    }
    return missing;
}

} // namespace qmt
