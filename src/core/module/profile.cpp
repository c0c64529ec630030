#include "profile.h"

#include <QJsonArray>

namespace qmt {

namespace {
constexpr int FormatVersion = 1;
}

QJsonObject Profile::toJson() const
{
    QJsonArray slotArray;
    for (const SlotSetup &s : slots) {
        QJsonArray subs;
        for (const auto &[filter, qos] : s.subscriptions)
            subs.append(
                QJsonObject{{QStringLiteral("filter"), QString::fromUtf8(filter)}, {QStringLiteral("qos"), qos}});
        slotArray.append(QJsonObject{{QStringLiteral("enabled"), s.enabled},
                                     {QStringLiteral("config"), s.config.toJson()},
                                     {QStringLiteral("subscriptions"), subs}});
    }
    QJsonObject json{{QStringLiteral("qmtStudioProfile"), FormatVersion},
                     {QStringLiteral("name"), name},
                     {QStringLiteral("slots"), slotArray}};
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
    return p;
}

} // namespace qmt
