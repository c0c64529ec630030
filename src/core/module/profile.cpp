#include "core/module/profile.h"

#include "core/module/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace qmt {

namespace {

constexpr int FormatVersion = 1;
// JSON keys: stable, since exported profiles are shared between machines and versions.
constexpr auto HasPassword = "hasPassword";
constexpr auto HasDeviceSecret = "hasDeviceSecret";
constexpr auto AliAuthKey = "aliAuth";
constexpr auto AutoRecovery = "autoRecovery";

/// Profile::TlsReference::Test in JSON.
constexpr const char *testNames[] = {"untested", "passed", "failed"};

/// One TLS reference from JSON: in "tlsMaterial", or the one "tls" object that versions before per-slot SSL
/// indices wrote, whose material was at SSL context 0, connect ID 0 (so a missing index is 0,0).
Profile::TlsReference tlsReferenceFromJson(JsonFields &o)
{
    Profile::TlsReference t;
    o.integer("contextId", Param::SslContextId, t.index.contextId);
    o.integer("connectId", Param::SslConnectId, t.index.connectId);
    if (!o.has("secLevel"))
        o.fail("secLevel", ValidationError{{}, allowedRange(Param::SecLevel), ValidationError::tr("nothing"), {}});
    o.integer("secLevel", Param::SecLevel, t.secLevel);
    o.string("caCertSha256", t.caCertSha256);
    o.string("clientCertSha256", t.clientCertSha256);
    o.boolean("hasClientKey", t.hasClientKey);
    o.boolean("hasKeyPassphrase", t.hasKeyPassphrase);
    QString test = QLatin1String(testNames[0]);
    o.string("lastTest", test);
    const auto *known = std::find_if(std::begin(testNames), std::end(testNames),
                                     [&test](const char *name) { return test == QLatin1String(name); });
    if (known == std::end(testNames)) {
        o.fail("lastTest",
               ValidationError{{}, ValidationError::tr("untested, passed or failed"), JsonFields::shown(test), {}});
    } else {
        t.lastTest = Profile::TlsReference::Test(known - std::begin(testNames));
    }
    return t;
}

/// One slot from JSON: `slot` reads the slot's object, `index` is its number.
Profile::SlotSetup slotFromJson(JsonFields &slot, int index)
{
    Profile::SlotSetup s;
    slot.boolean("enabled", s.enabled);
    // "slot 1: port", as the user knows the field, not "slot 1: config: port".
    JsonFields config = slot.object("config", ValidationError::tr("slot %1").arg(index));
    s.config = SlotConfig::fromJson(config);
    config.boolean(HasPassword, s.hasPassword);
    config.object(AliAuthKey).boolean(HasDeviceSecret, s.hasDeviceSecret);
    const QJsonArray subscriptions = slot.array("subscriptions");
    for (qsizetype j = 0; j < subscriptions.size() && !slot.failed(); ++j) {
        JsonFields sub =
            slot.element(subscriptions, j, ValidationError::tr("slot %1: subscriptions[%2]").arg(index).arg(j));
        QByteArray filter;
        int qos = 0;
        sub.text("filter", filter);
        sub.integer("qos", Param::Qos, qos);
        if (auto e = check::topicFilter(filter))
            sub.fail("filter", *e);
        s.subscriptions.append({filter, qos});
    }
    return s;
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
        config.insert(QLatin1String(HasPassword), s.hasPassword || !s.config.password.isEmpty());
        QJsonObject ali = config.value(QLatin1String(AliAuthKey)).toObject();
        ali.insert(QLatin1String(HasDeviceSecret), s.hasDeviceSecret || !s.config.deviceSecret.isEmpty());
        config.insert(QLatin1String(AliAuthKey), ali);
        slotArray.append(QJsonObject{{QStringLiteral("enabled"), s.enabled},
                                     {QStringLiteral("config"), config},
                                     {QStringLiteral("subscriptions"), subs}});
    }
    QJsonObject json{{QStringLiteral("qmtStudioProfile"), FormatVersion},
                     {QStringLiteral("name"), name},
                     {QStringLiteral("slots"), slotArray}};
    if (autoRecovery)
        json.insert(QLatin1String(AutoRecovery), *autoRecovery);
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
    JsonFields f(json, {});
    Profile p;
    f.string("name", p.name);
    const QJsonArray slotArray = f.array("slots");
    if (slotArray.size() > SlotCount) {
        return ValidationError{QStringLiteral("slots"),
                               ValidationError::tr("at most %1").arg(SlotCount),
                               QString::number(slotArray.size()),
                               {}};
    }
    for (qsizetype i = 0; i < slotArray.size() && !f.failed(); ++i) {
        JsonFields slot = f.element(slotArray, i, ValidationError::tr("slot %1").arg(i));
        p.slots[size_t(i)] = slotFromJson(slot, int(i));
    }
    if (f.has("tls")) {
        JsonFields old = f.object("tls");
        p.setTls(tlsReferenceFromJson(old));
    }
    const QJsonArray material = f.array("tlsMaterial");
    for (qsizetype i = 0; i < material.size() && !f.failed(); ++i) {
        JsonFields t = f.element(material, i, QStringLiteral("tlsMaterial[%1]").arg(i));
        p.setTls(tlsReferenceFromJson(t));
    }
    if (f.has(AutoRecovery)) {
        bool recovery = false;
        f.boolean(AutoRecovery, recovery);
        p.autoRecovery = recovery;
    }
    if (f.failed())
        return f.error();
    return p;
}

std::optional<ValidationError> Profile::problem() const
{
    if (name.size() > MaxNameLength) {
        return ValidationError{QStringLiteral("name"),
                               ValidationError::tr("at most %1 characters").arg(MaxNameLength),
                               JsonFields::shown(name),
                               {}};
    }
    const auto control =
        std::find_if(name.cbegin(), name.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
    if (control != name.cend()) {
        return ValidationError{QStringLiteral("name"), ValidationError::tr("text without control characters"),
                               JsonFields::shown(name),
                               ValidationError::tr("U+%1 at character %2")
                                   .arg(control->unicode(), 4, 16, QLatin1Char('0'))
                                   .arg(control - name.cbegin() + 1)};
    }
    for (int i = 0; i < SlotCount; ++i) {
        if (auto e = slots[size_t(i)].config.problem()) {
            e->parameter = ValidationError::tr("slot %1: %2").arg(i).arg(e->parameter);
            return e;
        }
    }
    return std::nullopt;
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
