#include "slotconfig.h"

#include <QJsonValue>

namespace qmt {

namespace {

// JSON keys: stable, since exported profiles are shared between machines and versions.
constexpr auto KHost = "host";
constexpr auto KPort = "port";
constexpr auto KClientId = "clientId";
constexpr auto KUserName = "userName";
constexpr auto KHasPassword = "hasPassword";
constexpr auto KWill = "will";
constexpr auto KPktTimeout = "pktTimeout";
constexpr auto KRetryTimes = "retryTimes";
constexpr auto KTimeoutNotice = "timeoutNotice";
constexpr auto KCleanSession = "cleanSession";
constexpr auto KKeepAlive = "keepAlive";
constexpr auto KAliAuth = "aliAuth";
constexpr auto KVersion = "version";
constexpr auto KShowRecvLen = "showRecvLen";
constexpr auto KEchoMode = "echoMode";
constexpr auto KSendFormat = "sendFormat";
constexpr auto KRecvFormat = "recvFormat";
constexpr auto KSsl = "ssl";

QString key(const char *k)
{
    return QString::fromLatin1(k);
}
QString str(const QByteArray &b)
{
    return QString::fromUtf8(b);
}
QByteArray bytes(const QJsonObject &o, const char *k, const QByteArray &fallback = {})
{
    return o.contains(key(k)) ? o.value(key(k)).toString().toUtf8() : fallback;
}

/// Reads an integer field and checks it against the spec table.
std::optional<ValidationError> readInt(const QJsonObject &o, const char *k, Param p, int &target)
{
    if (!o.contains(key(k)))
        return std::nullopt;
    const QJsonValue v = o.value(key(k));
    if (!v.isDouble()) {
        return ValidationError{QString::fromLatin1(k), allowedRange(p), v.toVariant().toString(),
                               ValidationError::tr("not a number")};
    }
    const qint64 n = v.toInteger(std::numeric_limits<qint64>::min());
    if (auto e = check::integer(p, n)) {
        e->parameter = QString::fromLatin1(k);
        return e;
    }
    target = int(n);
    return std::nullopt;
}

std::optional<ValidationError> readBool(const QJsonObject &o, const char *k, bool &target)
{
    if (!o.contains(key(k)))
        return std::nullopt;
    const QJsonValue v = o.value(key(k));
    if (!v.isBool()) {
        return ValidationError{
            QString::fromLatin1(k), ValidationError::tr("true or false"), v.toVariant().toString(), {}};
    }
    target = v.toBool();
    return std::nullopt;
}

} // namespace

Validated<QList<AtCommand>> SlotConfig::configCommands(int slot, const QmtCommands &c, bool includeBeforeOpen) const
{
    QList<Validated<AtCommand>> built;
    if (includeBeforeOpen)
        built.append(c.cfgWill(slot, will));
    built.append(c.cfgTimeout(slot, pktTimeoutS, retryTimes, timeoutNotice ? 1 : 0));
    if (includeBeforeOpen) {
        built.append(c.cfgSession(slot, cleanSession ? 1 : 0));
        built.append(c.cfgKeepAlive(slot, keepAliveS));
        if (aliAuthEnabled)
            built.append(c.cfgAliAuth(slot, AliAuth{productKey, deviceName, deviceSecret}));
        built.append(c.cfgVersion(slot, version));
    }
    built.append(c.cfgShowRecvLen(slot, showRecvLen ? 1 : 0));
    built.append(c.cfgEchoMode(slot, echoMode ? 1 : 0));
    built.append(c.cfgDataFormat(slot, int(sendFormat), int(recvFormat)));
    if (includeBeforeOpen)
        built.append(c.cfgSsl(slot, sslEnabled ? 1 : 0, sslContextId, sslConnectId));
    QList<AtCommand> out;
    for (const Validated<AtCommand> &b : built) {
        if (!b)
            return b.error();
        out.append(*b);
    }
    return out;
}

Validated<AtCommand> SlotConfig::openCommand(int slot, const QmtCommands &c) const
{
    return c.open(slot, host, port);
}

Validated<AtCommand> SlotConfig::connectCommand(int slot, const QmtCommands &c) const
{
    // With "aliauth" configured the module derives the credentials itself (note 3.3.1, note 4).
    std::optional<QByteArray> user;
    std::optional<QByteArray> pass;
    if (!userName.isEmpty() || !password.isEmpty())
        user = userName;
    if (!password.isEmpty())
        pass = password;
    return c.conn(slot, clientId, user, pass);
}

QJsonObject SlotConfig::toJson() const
{
    QJsonObject o{
        {key(KHost), str(host)},
        {key(KPort), port},
        {key(KClientId), str(clientId)},
        {key(KUserName), str(userName)},
        {key(KHasPassword), !password.isEmpty()},
        {key(KPktTimeout), pktTimeoutS},
        {key(KRetryTimes), retryTimes},
        {key(KTimeoutNotice), timeoutNotice},
        {key(KCleanSession), cleanSession},
        {key(KKeepAlive), keepAliveS},
        {key(KVersion), version},
        {key(KShowRecvLen), showRecvLen},
        {key(KEchoMode), echoMode},
        {key(KSendFormat), int(sendFormat)},
        {key(KRecvFormat), int(recvFormat)},
    };
    o.insert(key(KWill), QJsonObject{{QStringLiteral("enabled"), will.enabled},
                                     {QStringLiteral("qos"), will.qos},
                                     {QStringLiteral("retain"), will.retain},
                                     {QStringLiteral("topic"), str(will.topic)},
                                     {QStringLiteral("message"), str(will.message)}});
    o.insert(key(KAliAuth), QJsonObject{{QStringLiteral("enabled"), aliAuthEnabled},
                                        {QStringLiteral("productKey"), str(productKey)},
                                        {QStringLiteral("deviceName"), str(deviceName)},
                                        {QStringLiteral("hasDeviceSecret"), !deviceSecret.isEmpty()}});
    o.insert(key(KSsl), QJsonObject{{QStringLiteral("enabled"), sslEnabled},
                                    {QStringLiteral("contextId"), sslContextId},
                                    {QStringLiteral("connectId"), sslConnectId}});
    return o;
}

Validated<SlotConfig> SlotConfig::fromJson(const QJsonObject &o)
{
    SlotConfig c;
    c.host = bytes(o, KHost);
    c.clientId = bytes(o, KClientId);
    c.userName = bytes(o, KUserName);
    int send = int(c.sendFormat);
    int recv = int(c.recvFormat);
    const QJsonObject will = o.value(key(KWill)).toObject();
    const QJsonObject ali = o.value(key(KAliAuth)).toObject();
    const QJsonObject ssl = o.value(key(KSsl)).toObject();
    c.will.topic = bytes(will, "topic");
    c.will.message = bytes(will, "message");
    c.productKey = bytes(ali, "productKey");
    c.deviceName = bytes(ali, "deviceName");
    const std::optional<ValidationError> errors[] = {
        readInt(o, KPort, Param::Port, c.port),
        readInt(o, KPktTimeout, Param::PktTimeout, c.pktTimeoutS),
        readInt(o, KRetryTimes, Param::RetryTimes, c.retryTimes),
        readBool(o, KTimeoutNotice, c.timeoutNotice),
        readBool(o, KCleanSession, c.cleanSession),
        readInt(o, KKeepAlive, Param::KeepAliveTime, c.keepAliveS),
        readInt(o, KVersion, Param::VersionNum, c.version),
        readBool(o, KShowRecvLen, c.showRecvLen),
        readBool(o, KEchoMode, c.echoMode),
        readInt(o, KSendFormat, Param::SendFormat, send),
        readInt(o, KRecvFormat, Param::RecvFormat, recv),
        readBool(will, "enabled", c.will.enabled),
        readInt(will, "qos", Param::WillQos, c.will.qos),
        readBool(will, "retain", c.will.retain),
        readBool(ali, "enabled", c.aliAuthEnabled),
        readBool(ssl, "enabled", c.sslEnabled),
        readInt(ssl, "contextId", Param::SslContextId, c.sslContextId),
        readInt(ssl, "connectId", Param::SslConnectId, c.sslConnectId),
    };
    for (const auto &e : errors) {
        if (e)
            return *e;
    }
    c.sendFormat = DataFormat(send);
    c.recvFormat = DataFormat(recv);
    return c;
}

} // namespace qmt
