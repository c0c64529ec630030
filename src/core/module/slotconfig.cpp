#include "core/module/slotconfig.h"

#include "core/module/jsonfields.h"

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

Validated<SlotConfig> SlotConfig::fromJson(const QJsonObject &json)
{
    JsonFields fields(json, {});
    const SlotConfig c = fromJson(fields);
    if (fields.failed())
        return fields.error();
    return c;
}

SlotConfig SlotConfig::fromJson(JsonFields &f)
{
    SlotConfig c;
    int send = int(c.sendFormat);
    int recv = int(c.recvFormat);
    f.text(KHost, c.host);
    f.integer(KPort, Param::Port, c.port);
    f.text(KClientId, c.clientId);
    f.text(KUserName, c.userName);
    f.integer(KPktTimeout, Param::PktTimeout, c.pktTimeoutS);
    f.integer(KRetryTimes, Param::RetryTimes, c.retryTimes);
    f.boolean(KTimeoutNotice, c.timeoutNotice);
    f.boolean(KCleanSession, c.cleanSession);
    f.integer(KKeepAlive, Param::KeepAliveTime, c.keepAliveS);
    f.integer(KVersion, Param::VersionNum, c.version);
    f.boolean(KShowRecvLen, c.showRecvLen);
    f.boolean(KEchoMode, c.echoMode);
    f.integer(KSendFormat, Param::SendFormat, send);
    f.integer(KRecvFormat, Param::RecvFormat, recv);
    JsonFields will = f.object(KWill);
    will.boolean("enabled", c.will.enabled);
    will.integer("qos", Param::WillQos, c.will.qos);
    will.boolean("retain", c.will.retain);
    will.text("topic", c.will.topic);
    will.text("message", c.will.message);
    JsonFields ali = f.object(KAliAuth);
    ali.boolean("enabled", c.aliAuthEnabled);
    ali.text("productKey", c.productKey);
    ali.text("deviceName", c.deviceName);
    JsonFields ssl = f.object(KSsl);
    ssl.boolean("enabled", c.sslEnabled);
    ssl.integer("contextId", Param::SslContextId, c.sslContextId);
    ssl.integer("connectId", Param::SslConnectId, c.sslConnectId);
    c.sendFormat = DataFormat(send);
    c.recvFormat = DataFormat(recv);
    return c;
}

std::optional<ValidationError> SlotConfig::problem() const
{
    const struct
    {
        const char *key;
        Param param;
        const QByteArray &value;
    } texts[] = {{KHost, Param::HostName, host},
                 {KClientId, Param::ClientId, clientId},
                 {KUserName, Param::UserName, userName},
                 {"will: topic", Param::WillTopic, will.topic},
                 {"will: message", Param::WillMessage, will.message},
                 {"aliAuth: productKey", Param::ProductKey, productKey},
                 {"aliAuth: deviceName", Param::DeviceName, deviceName}};
    for (const auto &[name, param, value] : texts) {
        if (value.isEmpty())
            continue;
        // The checks the builders make of these values (QmtCommands::open(), conn(), cfgWill(), cfgAliAuth()).
        auto e = param == Param::WillTopic ? check::publishTopic(value, param) : check::utf8Quoted(param, value);
        if (e) {
            e->parameter = key(name);
            return e;
        }
    }
    return std::nullopt;
}

} // namespace qmt
