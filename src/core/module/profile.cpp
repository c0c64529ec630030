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

/// Profile::TlsReference::Test in JSON.
constexpr const char *testNames[] = {"untested", "passed", "failed"};

/// One TLS reference from JSON; `where` names it in errors ("tlsMaterial[1]", or "tls" for the one object
/// that versions before per-slot SSL indices wrote, whose material was at SSL context 0, connect ID 0).
Validated<Profile::TlsReference> tlsReferenceFromJson(const QJsonObject &o, const QString &where)
{
    Profile::TlsReference t;
    const struct
    {
        const char *key;
        Param param;
        int *target;
    } integers[] = {{"contextId", Param::SslContextId, &t.index.contextId},
                    {"connectId", Param::SslConnectId, &t.index.connectId},
                    {"secLevel", Param::SecLevel, &t.secLevel}};
    for (const auto &[key, param, target] : integers) {
        const QString name = QLatin1String(key);
        if (!o.contains(name) && param != Param::SecLevel)
            continue; // the old object has no index: 0,0
        const qint64 value = o.value(name).toInteger(-1);
        if (auto e = check::integer(param, value)) {
            e->parameter = where + QStringLiteral(": ") + name;
            return *e;
        }
        *target = int(value);
    }
    t.caCertSha256 = o.value(QStringLiteral("caCertSha256")).toString();
    t.clientCertSha256 = o.value(QStringLiteral("clientCertSha256")).toString();
    t.hasClientKey = o.value(QStringLiteral("hasClientKey")).toBool();
    t.hasKeyPassphrase = o.value(QStringLiteral("hasKeyPassphrase")).toBool();
    const QString test = o.value(QStringLiteral("lastTest")).toString();
    for (size_t i = 0; i < std::size(testNames); ++i) {
        if (test == QLatin1String(testNames[i]))
            t.lastTest = Profile::TlsReference::Test(i);
    }
    return t;
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
    if (!tls.isEmpty()) {
        QJsonArray material;
        for (const TlsReference &t : tls) {
            material.append(QJsonObject{{QStringLiteral("contextId"), t.index.contextId},
                                        {QStringLiteral("connectId"), t.index.connectId},
                                        {QStringLiteral("secLevel"), t.secLevel},
                                        {QStringLiteral("caCertSha256"), t.caCertSha256},
                                        {QStringLiteral("clientCertSha256"), t.clientCertSha256},
                                        {QStringLiteral("hasClientKey"), t.hasClientKey},
                                        {QStringLiteral("hasKeyPassphrase"), t.hasKeyPassphrase},
                                        {QStringLiteral("lastTest"), QLatin1String(testNames[size_t(t.lastTest)])}});
        }
        json.insert(QStringLiteral("tlsMaterial"), material);
    }
    return json;
}

const Profile::TlsReference *Profile::tlsAt(SslIndex index) const
{
    for (const TlsReference &t : tls) {
        if (t.index == index)
            return &t;
    }
    return nullptr;
}

Profile::TlsReference *Profile::tlsAt(SslIndex index)
{
    return const_cast<TlsReference *>(std::as_const(*this).tlsAt(index));
}

void Profile::setTls(const TlsReference &reference)
{
    if (TlsReference *there = tlsAt(reference.index)) {
        *there = reference;
        return;
    }
    const auto after =
        std::find_if(tls.begin(), tls.end(), [&reference](const TlsReference &t) { return reference.index < t.index; });
    tls.insert(after, reference);
}

QList<SslIndex> Profile::tlsIndices() const
{
    QList<SslIndex> indices;
    for (const TlsReference &t : tls)
        indices.append(t.index);
    return indices;
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
        const auto old = tlsReferenceFromJson(json.value(QStringLiteral("tls")).toObject(), QStringLiteral("tls"));
        if (!old)
            return old.error();
        p.setTls(*old);
    }
    const QJsonArray material = json.value(QStringLiteral("tlsMaterial")).toArray();
    for (qsizetype i = 0; i < material.size(); ++i) {
        const auto t = tlsReferenceFromJson(material[i].toObject(), QStringLiteral("tlsMaterial[%1]").arg(i));
        if (!t)
            return t.error();
        p.setTls(*t);
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
