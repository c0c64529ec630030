// Fuzz target: the command builders (QmtCommands and a slot's whole configuration, SlotConfig).
//
// The input is a sequence of builder calls with fuzzed parameters. Properties of every command built:
//   - the command line carries no CR, LF, NUL, Ctrl+Z or Esc, and every parameter comes back out of it
//     unchanged when the line is split as the module splits it: no quote, comma or terminator in a
//     parameter can end it early and smuggle the rest in as more parameters or another command;
//   - data-mode bytes are the payload as given (hex-encoded when the slot sends hex) and fit their
//     termination: no Ctrl+Z or Esc before the Ctrl+Z that ends variable-length data;
//   - what logs show of a command (its display text) and a refusal's message never hold a password or a
//     device secret;
// and of every refusal: it names the parameter.

#include "fuzzsupport.h"

#include "core/module/slotconfig.h"
#include "core/qmt/atfields.h"
#include "core/qmt/qmtcommands.h"

#include <QList>

using namespace qmt;
using namespace qmt::fuzz;

namespace {

/// Secret values carry this prefix, so they can be looked for in what is shown.
constexpr QByteArrayView SecretMark = "S3cr~";

struct Expected
{
    QByteArray text;
    bool quoted;
};

QByteArray secretFrom(ByteReader &in)
{
    return SecretMark.toByteArray() + in.bytes();
}

/// False when the fuzzer wrote the mark into a parameter itself: then a shown mark proves nothing.
bool s_lookForSecrets = true;

void checkShown(const QString &shown, const char *what)
{
    if (s_lookForSecrets && shown.toUtf8().contains(SecretMark.toByteArray()))
        propertyFailed("no secret in what is shown", QByteArray(what) + ": " + printable(shown.toUtf8()));
}

void checkRefusal(const ValidationError &e)
{
    if (e.parameter.isEmpty() || e.allowed.isEmpty())
        propertyFailed("a refusal names the parameter and what is allowed", e.message().toUtf8());
    checkShown(e.message(), "refusal");
}

/// The command line is clean and every expected argument comes back out of it as given.
void checkLine(const AtCommand &c, const QList<Expected> &expected)
{
    for (const char bad : {'\r', '\n', '\0', '\x1A', '\x1B'}) {
        if (c.text.contains(bad))
            propertyFailed("no CR, LF, NUL, Ctrl+Z or Esc on a command line", printable(c.text));
    }
    if (!c.text.startsWith("AT+"))
        propertyFailed("a command starts with AT+", printable(c.text));
    if (c.text.count('"') % 2 != 0)
        propertyFailed("quotes pair up on a command line", printable(c.text));
    const QList<AtField> args = argumentsOf(c.text);
    if (!expected.isEmpty()) {
        bool same = args.size() == expected.size();
        for (qsizetype i = 0; same && i < args.size(); ++i)
            same = args[i].text == expected[i].text && args[i].quoted == expected[i].quoted;
        if (!same) {
            QByteArray detail = printable(c.text) + "\n  arguments:";
            for (const AtField &a : args)
                detail += " [" + printable(a.text) + ']';
            detail += "\n  expected:";
            for (const Expected &e : expected)
                detail += " [" + printable(e.text) + ']';
            propertyFailed("every parameter comes back out of the command line unchanged", detail);
        }
    }
    if (c.payload) {
        const QByteArray &data = c.payload->bytes;
        if (c.payload->termination == AtPayload::Termination::CtrlZ && (data.contains('\x1A') || data.contains('\x1B')))
            propertyFailed("no Ctrl+Z or Esc inside variable-length data", printable(c.text));
    }
    checkShown(QString::fromUtf8(c.shownText()), "display text");
}

template<typename Check> void expect(const Validated<AtCommand> &built, Check &&onBuilt)
{
    if (!built) {
        checkRefusal(built.error());
        return;
    }
    onBuilt(*built);
}

Expected q(const QByteArray &t)
{
    return {t, true};
}
Expected n(qint64 v)
{
    return {QByteArray::number(v), false};
}

QList<Expected> cfg(const char *option, qint64 id, QList<Expected> values)
{
    return QList<Expected>{q(option), n(id)} + values;
}

void buildOne(ByteReader &in, QmtCommands &commands)
{
    const qint64 id = in.integer(0, 4);
    switch (in.byte() % 16) {
    case 0: {
        WillConfig will{in.flag(), int(in.integer(0, 2)), in.flag(), in.bytes(), in.bytes()};
        expect(commands.cfgWill(id, will), [&](const AtCommand &c) {
            checkLine(c, will.enabled
                             ? cfg("will", id, {n(1), n(will.qos), n(will.retain), q(will.topic), q(will.message)})
                             : cfg("will", id, {n(0)}));
        });
        break;
    }
    case 1: {
        const qint64 t = in.integer(1, 60), r = in.integer(0, 10), notice = in.integer(0, 1);
        expect(commands.cfgTimeout(id, t, r, notice), [&](const AtCommand &c) {
            checkLine(c, cfg("timeout", id, {n(t), n(r), n(notice)}));
        });
        break;
    }
    case 2: {
        const AliAuth auth{in.bytes(), in.bytes(), secretFrom(in)};
        expect(commands.cfgAliAuth(id, auth), [&](const AtCommand &c) {
            checkLine(c, cfg("aliauth", id, {q(auth.productKey), q(auth.deviceName), q(auth.deviceSecret)}));
        });
        break;
    }
    case 3: {
        const QByteArray host = in.bytes();
        const qint64 port = in.integer(0, 65535);
        expect(commands.open(id, host, port), [&](const AtCommand &c) { checkLine(c, {n(id), q(host), n(port)}); });
        break;
    }
    case 4: {
        const QByteArray client = in.bytes();
        const std::optional<QByteArray> user = in.flag() ? std::optional(in.bytes()) : std::nullopt;
        const std::optional<QByteArray> password = in.flag() ? std::optional(secretFrom(in)) : std::nullopt;
        expect(commands.conn(id, client, user, password), [&](const AtCommand &c) {
            QList<Expected> args{n(id), q(client)};
            if (user)
                args.append(q(*user));
            if (password)
                args.append(q(*password));
            checkLine(c, args);
        });
        break;
    }
    case 5: {
        const qint64 msgId = in.integer(1, 65535);
        QList<TopicQos> topics;
        QList<Expected> args{n(id), n(msgId)};
        for (int i = in.byte() % 4; i > 0; --i) {
            topics.append({in.bytes(), in.integer(0, 2)});
            args += {q(topics.last().topic), n(topics.last().qos)};
        }
        expect(commands.subscribe(id, msgId, topics), [&](const AtCommand &c) { checkLine(c, args); });
        break;
    }
    case 6: {
        const qint64 msgId = in.integer(1, 65535);
        QList<QByteArray> topics;
        QList<Expected> args{n(id), n(msgId)};
        for (int i = in.byte() % 4; i > 0; --i) {
            topics.append(in.bytes());
            args.append(q(topics.last()));
        }
        expect(commands.unsubscribe(id, msgId, topics), [&](const AtCommand &c) { checkLine(c, args); });
        break;
    }
    case 7: {
        Publish p;
        p.connectId = id;
        p.qos = in.integer(0, 2);
        p.msgId = p.qos == 0 && in.flag() ? 0 : in.integer(1, 65535);
        p.retain = in.flag();
        p.topic = in.bytes();
        p.payload = in.bytes(size_t(in.byte()) * (in.flag() ? 8 : 1));
        p.form = PublishForm(in.byte() % 4);
        const bool hex = commands.settings(int(std::clamp<qint64>(id, 0, SlotCount - 1))).sendFormat == DataFormat::Hex;
        expect(commands.publish(p), [&](const AtCommand &c) {
            const QByteArray wire = hex ? p.payload.toHex().toUpper() : p.payload;
            QList<Expected> args{n(id), n(p.msgId), n(p.qos), n(p.retain), q(p.topic)};
            if (!c.payload) {
                args += {n(p.payload.size()), q(wire)};
            } else {
                if (c.payload->termination == AtPayload::Termination::FixedLength)
                    args.append(n(p.payload.size()));
                if (c.payload->bytes != wire)
                    propertyFailed("data mode sends the payload as given", printable(c.text));
            }
            checkLine(c, args);
        });
        break;
    }
    case 8: {
        const QByteArray pem = in.flag() ? secretFrom(in) : in.bytes(size_t(in.byte()) * 4);
        const SslItem item = SslItem(in.byte() % 3);
        expect(commands.sslUpload(item, pem), [&](const AtCommand &c) {
            checkLine(c, {n(0), n(0), q(sslItemName(item))});
            if (c.payload->bytes != pem)
                propertyFailed("a certificate goes out as given", printable(pem));
        });
        break;
    }
    case 9: {
        const qint64 send = in.integer(0, 1), recv = in.integer(0, 1);
        expect(commands.cfgDataFormat(id, send, recv), [&](const AtCommand &c) {
            checkLine(c, cfg("dataformat", id, {n(send), n(recv)}));
            AtReply ok;
            ok.command = c.text;
            commands.learn(ok); // later publishes on the slot go out in hex
        });
        break;
    }
    case 10: {
        const qint64 v = in.integer(0, 3600);
        expect(commands.cfgKeepAlive(id, v), [&](const AtCommand &c) { checkLine(c, cfg("keepalive", id, {n(v)})); });
        break;
    }
    case 11: {
        const qint64 enable = in.integer(0, 1), ctx = in.integer(0, 0), sslId = in.integer(0, 0);
        expect(commands.cfgSsl(id, enable, ctx, sslId), [&](const AtCommand &c) {
            checkLine(c, enable ? cfg("ssl", id, {n(1), n(ctx), n(sslId)}) : cfg("ssl", id, {n(0)}));
        });
        break;
    }
    case 12:
    case 13:
    case 14: {
        // A whole slot, as the controller sends it on Start.
        SlotConfig s;
        s.host = in.bytes();
        s.port = int(in.integer(1, 65535));
        s.clientId = in.bytes();
        s.userName = in.bytes();
        s.password = in.flag() ? secretFrom(in) : QByteArray();
        s.will = WillConfig{in.flag(), int(in.integer(0, 2)), in.flag(), in.bytes(), in.bytes()};
        s.pktTimeoutS = int(in.integer(1, 60));
        s.retryTimes = int(in.integer(0, 10));
        s.cleanSession = in.flag();
        s.keepAliveS = int(in.integer(0, 3600));
        s.aliAuthEnabled = in.flag();
        s.productKey = in.bytes();
        s.deviceName = in.bytes();
        s.deviceSecret = secretFrom(in);
        s.sendFormat = in.flag() ? DataFormat::Hex : DataFormat::Text;
        s.sslEnabled = in.flag();
        const int slot = int(in.integer(0, 4));
        if (const auto all = s.configCommands(slot, commands, in.flag()); all) {
            for (const AtCommand &c : *all) {
                checkLine(c, {});
                const QList<AtField> args = argumentsOf(c.text);
                if (args.value(0).text == "aliauth" &&
                    (args.size() != 5 || args[2].text != s.productKey || args[4].text != s.deviceSecret))
                    propertyFailed("aliauth carries the slot's values", printable(c.text));
            }
        } else {
            checkRefusal(all.error());
        }
        expect(s.openCommand(slot, commands), [&](const AtCommand &c) {
            checkLine(c, {n(slot), q(s.host), n(s.port)});
        });
        expect(s.connectCommand(slot, commands), [&](const AtCommand &c) {
            checkLine(c, {});
            const QList<AtField> args = argumentsOf(c.text);
            if (args.value(1).text != s.clientId || (!s.userName.isEmpty() && args.value(2).text != s.userName) ||
                (!s.password.isEmpty() && args.value(3).text != s.password))
                propertyFailed("AT+QMTCONN carries the slot's client ID, user and password", printable(c.shownText()));
        });
        break;
    }
    default: {
        const CfgOption option = CfgOption(in.byte() % int(CfgOption::Count_));
        expect(commands.cfgQuery(option, id), [&](const AtCommand &c) { checkLine(c, {q(spec(option).name), n(id)}); });
        break;
    }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    s_lookForSecrets = !QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)).contains(SecretMark);
    ByteReader in(data, size);
    QmtCommands commands;
    for (int calls = 0; calls < 32 && !in.atEnd(); ++calls)
        buildOne(in, commands);
    return 0;
}
