#include "eventjson.h"

#include "qmtcodes.h"

#include <QJsonArray>
#include <QStringDecoder>

namespace qmt {

namespace {

QString lossyText(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

/// Text is shown as text; bytes that are not clean UTF-8 or are control characters get a hex twin.
bool needsHex(const QByteArray &bytes)
{
    for (char c : bytes) {
        if ((uchar(c) < 0x20 && c != '\t') || uchar(c) == 0x7f)
            return true;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return decoder.hasError();
}

template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

QJsonArray strings(const QList<QByteArray> &list)
{
    QJsonArray out;
    for (const QByteArray &s : list)
        out.append(lossyText(s));
    return out;
}

} // namespace

QJsonObject fieldsToJson(const QmtEvent &event)
{
    return std::visit(
        Overloaded{
            [](const OpenResult &e) {
                return QJsonObject{{QStringLiteral("connectId"), e.connectId},
                                   {QStringLiteral("result"), e.result},
                                   {QStringLiteral("meaning"), codes::openResult(e.result)}};
            },
            [](const OpenInfo &e) {
                return QJsonObject{{QStringLiteral("connectId"), e.connectId},
                                   {QStringLiteral("host"), lossyText(e.host)},
                                   {QStringLiteral("port"), e.port}};
            },
            [](const CloseResult &e) {
                return QJsonObject{{QStringLiteral("connectId"), e.connectId},
                                   {QStringLiteral("result"), e.result},
                                   {QStringLiteral("meaning"), codes::closeResult(e.result)}};
            },
            [](const ConnResult &e) {
                QJsonObject o{{QStringLiteral("connectId"), e.connectId},
                              {QStringLiteral("result"), e.result},
                              {QStringLiteral("meaning"), codes::packetResult(e.result)}};
                if (e.retCode) {
                    o.insert(QStringLiteral("retCode"), *e.retCode);
                    o.insert(QStringLiteral("retCodeMeaning"), codes::connReturnCode(*e.retCode));
                }
                return o;
            },
            [](const ConnState &e) {
                return QJsonObject{{QStringLiteral("connectId"), e.connectId},
                                   {QStringLiteral("state"), e.state},
                                   {QStringLiteral("meaning"), codes::connState(e.state)}};
            },
            [](const DiscResult &e) {
                return QJsonObject{{QStringLiteral("connectId"), e.connectId},
                                   {QStringLiteral("result"), e.result},
                                   {QStringLiteral("meaning"), codes::discResult(e.result)}};
            },
            [](const SubResult &e) {
                QJsonObject o{{QStringLiteral("connectId"), e.connectId},
                              {QStringLiteral("msgId"), e.msgId},
                              {QStringLiteral("result"), e.result},
                              {QStringLiteral("meaning"), codes::packetResult(e.result)}};
                if (e.result == 0) {
                    QJsonArray granted;
                    for (int v : e.values)
                        granted.append(
                            QJsonObject{{QStringLiteral("qos"), v}, {QStringLiteral("meaning"), codes::grantedQos(v)}});
                    o.insert(QStringLiteral("granted"), granted);
                } else if (e.result == 1 && !e.values.isEmpty()) {
                    o.insert(QStringLiteral("retransmissions"), e.values.front());
                }
                return o;
            },
            [](const UnsResult &e) {
                return QJsonObject{{QStringLiteral("connectId"), e.connectId},
                                   {QStringLiteral("msgId"), e.msgId},
                                   {QStringLiteral("result"), e.result},
                                   {QStringLiteral("meaning"), codes::packetResult(e.result)}};
            },
            [](const PubResult &e) {
                QJsonObject o{{QStringLiteral("connectId"), e.connectId},
                              {QStringLiteral("msgId"), e.msgId},
                              {QStringLiteral("result"), e.result},
                              {QStringLiteral("meaning"), codes::packetResult(e.result)}};
                if (e.value)
                    o.insert(QStringLiteral("retransmissions"), *e.value);
                return o;
            },
            [](const StatEvent &e) {
                return QJsonObject{{QStringLiteral("connectId"), e.connectId},
                                   {QStringLiteral("code"), e.code},
                                   {QStringLiteral("meaning"), codes::statMeaning(e.code)},
                                   {QStringLiteral("advice"), codes::statAdvice(e.code)}};
            },
            [](const RecvMessage &e) {
                QJsonObject o{{QStringLiteral("connectId"), e.connectId},
                              {QStringLiteral("msgId"), e.msgId},
                              {QStringLiteral("topic"), lossyText(e.topic)},
                              {QStringLiteral("payloadLength"), qint64(e.payload.size())},
                              {QStringLiteral("payload"), lossyText(e.payload)},
                              {QStringLiteral("payloadHex"), QString::fromLatin1(e.payload.toHex())},
                              {QStringLiteral("format"), e.hex ? QStringLiteral("hex") : QStringLiteral("text")}};
                if (e.declaredLength)
                    o.insert(QStringLiteral("declaredLength"), *e.declaredLength);
                if (e.unterminated)
                    o.insert(QStringLiteral("unterminated"), true);
                if (e.lengthMismatch)
                    o.insert(QStringLiteral("lengthMismatch"), true);
                return o;
            },
            [](const CfgReply &e) {
                QJsonObject o{{QStringLiteral("values"), strings(e.values)}};
                if (e.option)
                    o.insert(QStringLiteral("option"), QString::fromLatin1(spec(*e.option).name));
                return o;
            },
            [](const CfgTestLine &e) {
                QJsonObject o{{QStringLiteral("name"), lossyText(e.name)},
                              {QStringLiteral("ranges"), strings(e.ranges)}};
                if (e.option)
                    o.insert(QStringLiteral("option"), QString::fromLatin1(spec(*e.option).name));
                return o;
            },
            [](const TestReply &e) {
                return QJsonObject{{QStringLiteral("fields"), strings(e.fields)}};
            },
            [](const CmeError &e) {
                return QJsonObject{{QStringLiteral("code"), e.code},
                                   {QStringLiteral("meaning"), codes::cmeError(e.code)}};
            },
        },
        event);
}

QJsonObject toJson(const DecodedEvent &event)
{
    QJsonObject o{{QStringLiteral("offset"), event.offset},
                  {QStringLiteral("kind"), QString::fromLatin1(lineKindName(event.kind))},
                  {QStringLiteral("text"), lossyText(event.text)}};
    if (needsHex(event.text))
        o.insert(QStringLiteral("textHex"), QString::fromLatin1(event.text.toHex()));
    if (!event.command.isEmpty())
        o.insert(QStringLiteral("command"), lossyText(event.command));
    if (event.discarded > 0)
        o.insert(QStringLiteral("discarded"), qint64(event.discarded));
    if (event.final) {
        static constexpr const char *FinalNames[] = {"ok", "error", "cme-error", "cms-error"};
        o.insert(QStringLiteral("result"), QString::fromLatin1(FinalNames[int(event.final->kind)]));
        if (event.final->code >= 0)
            o.insert(QStringLiteral("code"), event.final->code);
    }
    if (event.event) {
        o.insert(QStringLiteral("event"), QString::fromLatin1(eventName(*event.event)));
        o.insert(QStringLiteral("fields"), fieldsToJson(*event.event));
    }
    return o;
}

} // namespace qmt
