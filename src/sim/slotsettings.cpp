#include "sim/slotsettings.h"

namespace qmt::sim {

namespace {

int defaultOf(Param p)
{
    return spec(p).defaultValue.value_or(spec(p).minimum);
}
QByteArray num(int v)
{
    return QByteArray::number(v);
}
QByteArray quote(const QByteArray &s)
{
    return '"' + s + '"';
}

} // namespace

SlotSettings SlotSettings::defaults()
{
    SlotSettings c;
    c.will.enabled = defaultOf(Param::WillFlag) != 0;
    c.will.qos = defaultOf(Param::WillQos);
    c.will.retain = defaultOf(Param::WillRetain) != 0;
    c.timeout.pktTimeoutS = defaultOf(Param::PktTimeout);
    c.timeout.retryTimes = defaultOf(Param::RetryTimes);
    c.timeout.timeoutNotice = defaultOf(Param::TimeoutNotice) != 0;
    c.cleanSession = defaultOf(Param::CleanSession) != 0;
    c.keepAliveS = defaultOf(Param::KeepAliveTime);
    c.version = defaultOf(Param::VersionNum);
    c.showRecvLen = defaultOf(Param::ShowFlag) != 0;
    // The spec table's echo_mode default (0): the note leaves it to its lost underline and protocol-notes §4.2 finds
    // module output without the typed data ("> " then OK) on the sibling that shows it at all.
    c.echoMode = defaultOf(Param::EchoMode) != 0;
    c.sendFormat = DataFormat(defaultOf(Param::SendFormat));
    c.recvFormat = DataFormat(defaultOf(Param::RecvFormat));
    c.sslEnabled = defaultOf(Param::SslEnable) != 0;
    c.sslContextId = defaultOf(Param::SslContextId);
    c.sslConnectId = defaultOf(Param::SslConnectId);
    return c;
}

std::optional<QByteArray> SlotSettings::queryLine(CfgOption option) const
{
    const QByteArray head = QByteArrayLiteral("+QMTCFG: ");
    switch (option) {
    case CfgOption::Will:
        if (!will.enabled)
            return head + '0';
        return head + "1," + num(will.qos) + ',' + num(will.retain ? 1 : 0) + ',' + quote(will.topic) + ',' +
               quote(will.message);
    case CfgOption::Timeout:
        return head + num(timeout.pktTimeoutS) + ',' + num(timeout.retryTimes) + ',' +
               num(timeout.timeoutNotice ? 1 : 0);
    case CfgOption::Session:
        return head + num(cleanSession ? 1 : 0);
    case CfgOption::KeepAlive:
        return head + num(keepAliveS);
    case CfgOption::AliAuth:
        if (!aliAuth)
            return std::nullopt;
        return head + quote(aliAuth->productKey) + ',' + quote(aliAuth->deviceName) + ',' +
               quote(aliAuth->deviceSecret);
    case CfgOption::Version:
        return head + num(version);
    case CfgOption::ShowRecvLen:
        return head + num(showRecvLen ? 1 : 0);
    case CfgOption::EchoMode:
        return head + num(echoMode ? 1 : 0);
    case CfgOption::DataFormat:
        return head + num(int(sendFormat)) + ',' + num(int(recvFormat));
    case CfgOption::Ssl:
        if (!sslEnabled)
            return head + '0';
        return head + "1," + num(sslContextId) + ',' + num(sslConnectId);
    case CfgOption::Count_:
        break;
    }
    return std::nullopt;
}

} // namespace qmt::sim
