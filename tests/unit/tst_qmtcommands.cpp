#include "core/qmt/qmtcommands.h"

#include "fakepem.h"

#include <QTest>

#include <functional>

using namespace qmt;

namespace {

using Builder = std::function<Validated<AtCommand>(const QmtCommands &)>;
struct BuilderBox
{
    Builder build;
};

/// What the channel reports for `command` when the module answered OK (and these lines).
AtReply okReply(const AtCommand &command, const QList<QByteArray> &lines = {})
{
    AtReply r;
    r.command = command.shownText();
    r.status = ReplyStatus::Ok;
    r.lines = lines;
    return r;
}

QByteArray text(const Validated<AtCommand> &c)
{
    return c ? c->text : QByteArray("<refused>");
}

} // namespace

Q_DECLARE_METATYPE(BuilderBox)

class TestQmtCommands : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCommandFormIsBuiltAsTheNoteWritesIt_data()
    {
        QTest::addColumn<BuilderBox>("builder");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<bool>("twoPhase");

        auto row = [](const char *name, Builder b, const char *expected, int timeout, bool twoPhase) {
            QTest::newRow(name) << BuilderBox{std::move(b)} << QByteArray(expected) << timeout << twoPhase;
        };
        auto plain = [](AtCommand c) { return Validated<AtCommand>(std::move(c)); };
        row(
            "cfg test", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Cfg)); },
            "AT+QMTCFG=?", 300, false);
        const char *options[] = {"will",    "timeout",     "session",  "keepalive",  "aliauth",
                                 "version", "showrecvlen", "echomode", "dataformat", "ssl"};
        for (int o = 0; o < int(CfgOption::Count_); ++o) {
            const QByteArray expected = QByteArray("AT+QMTCFG=\"") + options[o] + "\",3";
            QTest::newRow(qPrintable(QStringLiteral("cfg query %1").arg(QLatin1String(options[o]))))
                << BuilderBox{[o](const QmtCommands &c) { return c.cfgQuery(CfgOption(o), 3); }} << expected << 300
                << false;
        }
        row(
            "cfg will on",
            [](const QmtCommands &c) {
                return c.cfgWill(0, WillConfig{true, 1, true, "dev/lwt", "gone"});
            },
            "AT+QMTCFG=\"will\",0,1,1,1,\"dev/lwt\",\"gone\"", 300, false);
        row(
            "cfg will off", [](const QmtCommands &c) { return c.cfgWill(0, WillConfig{}); }, "AT+QMTCFG=\"will\",0,0",
            300, false);
        row(
            "cfg timeout", [](const QmtCommands &c) { return c.cfgTimeout(1, 20, 3, 1); },
            "AT+QMTCFG=\"timeout\",1,20,3,1", 300, false);
        row(
            "cfg session", [](const QmtCommands &c) { return c.cfgSession(0, 0); }, "AT+QMTCFG=\"session\",0,0", 300,
            false);
        row(
            "cfg keepalive", [](const QmtCommands &c) { return c.cfgKeepAlive(0, 3600); },
            "AT+QMTCFG=\"keepalive\",0,3600", 300, false);
        row(
            "cfg aliauth (6.1)",
            [](const QmtCommands &c) {
                return c.cfgAliAuth(0, AliAuth{"oyjtmPl5a5j", "MQTT_TEST", "wN9Y6pZSlly7Exa5qVzcmigEGO4kAaz"});
            },
            "AT+QMTCFG=\"aliauth\",0,\"oyjtmPl5a5j\",\"MQTT_TEST\",\"wN9Y6pZSlly7Exa5qVzcmigEGO4kAaz\"", 300, false);
        row(
            "cfg version (6.2)", [](const QmtCommands &c) { return c.cfgVersion(3, 1); }, "AT+QMTCFG=\"version\",3,1",
            300, false);
        row(
            "cfg showrecvlen", [](const QmtCommands &c) { return c.cfgShowRecvLen(0, 1); },
            "AT+QMTCFG=\"showrecvlen\",0,1", 300, false);
        row(
            "cfg echomode", [](const QmtCommands &c) { return c.cfgEchoMode(0, 0); }, "AT+QMTCFG=\"echomode\",0,0", 300,
            false);
        row(
            "cfg dataformat", [](const QmtCommands &c) { return c.cfgDataFormat(0, 1, 1); },
            "AT+QMTCFG=\"dataformat\",0,1,1", 300, false);
        row(
            "cfg ssl on (6.2)", [](const QmtCommands &c) { return c.cfgSsl(3, 1, 0, 0); }, "AT+QMTCFG=\"ssl\",3,1,0,0",
            300, false);
        row(
            "cfg ssl off", [](const QmtCommands &c) { return c.cfgSsl(3, 0); }, "AT+QMTCFG=\"ssl\",3,0", 300, false);
        // Each slot's TLS material has its own SSL context and connect ID (AT+QMTCFG="ssl" names them).
        row(
            "ssl seclevel at context 0, connect 3", [](const QmtCommands &c) { return c.sslSecLevel(2, 0, 3); },
            "AT+QSSLCFG=0,3,\"seclevel\",2", 300, false);
        row(
            "ssl cacert at context 10, connect 4",
            [](const QmtCommands &c) { return c.sslUpload(SslItem::CaCert, "pem", 10, 4); },
            "AT+QSSLCFG=10,4,\"cacert\"", 10'000, false);
        row(
            "open test", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Open)); },
            "AT+QMTOPEN=?", 300, false);
        row(
            "open read", [&](const QmtCommands &) { return plain(QmtCommands::openRead()); }, "AT+QMTOPEN?", 300,
            false);
        row(
            "open (6.1)",
            [](const QmtCommands &c) { return c.open(0, "oyjtmPl5a5j.iot-as-mqtt.cn-shanghai.aliyuncs.com", 1883); },
            "AT+QMTOPEN=0,\"oyjtmPl5a5j.iot-as-mqtt.cn-shanghai.aliyuncs.com\",1883", 176000, true);
        row(
            "close test", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Close)); },
            "AT+QMTCLOSE=?", 300, false);
        row(
            "close", [](const QmtCommands &c) { return c.close(4); }, "AT+QMTCLOSE=4", 300, true);
        row(
            "conn test (6.1)", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Conn)); },
            "AT+QMTCONN=?", 300, false);
        row(
            "conn read", [&](const QmtCommands &) { return plain(QmtCommands::connRead()); }, "AT+QMTCONN?", 300,
            false);
        row(
            "conn client id only (6.1)", [](const QmtCommands &c) { return c.conn(0, "clientExample"); },
            "AT+QMTCONN=0,\"clientExample\"", 30000, true);
        row(
            "conn with user name (6.2)",
            [](const QmtCommands &c) {
                return c.conn(3, "quectel-device-x509self",
                              QByteArray("quectel-iot-hub.azure-devices.net/quectel-device-x509self"));
            },
            "AT+QMTCONN=3,\"quectel-device-x509self\",\"quectel-iot-hub.azure-devices.net/quectel-device-x509self\"",
            30000, true);
        row(
            "conn with user name and password",
            [](const QmtCommands &c) {
                return c.conn(0, "python-mqtt-176", QByteArray("finamon"), QByteArray("Finamon_2022"));
            },
            "AT+QMTCONN=0,\"python-mqtt-176\",\"finamon\",\"Finamon_2022\"", 30000, true);
        row(
            "disc test", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Disc)); },
            "AT+QMTDISC=?", 300, false);
        row(
            "disc (6.1)", [](const QmtCommands &c) { return c.disc(0); }, "AT+QMTDISC=0", 300, true);
        row(
            "sub test (6.1)", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Sub)); },
            "AT+QMTSUB=?", 300, false);
        row(
            "sub one topic (6.1)",
            [](const QmtCommands &c) {
                return c.subscribe(0, 1, {{" /oyjtmPl5a5j/S2fXbFBKh4NSwwyljSC4/user/get", 1}});
            },
            "AT+QMTSUB=0,1,\" /oyjtmPl5a5j/S2fXbFBKh4NSwwyljSC4/user/get\",1", 30000, true);
        row(
            "sub several topics",
            [](const QmtCommands &c) {
                return c.subscribe(0, 9, {{"a/+/c", 0}, {"d/#", 2}, {"#", 1}});
            },
            "AT+QMTSUB=0,9,\"a/+/c\",0,\"d/#\",2,\"#\",1", 30000, true);
        row(
            "uns test", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Uns)); },
            "AT+QMTUNS=?", 300, false);
        row(
            "uns one topic (6.1)",
            [](const QmtCommands &c) { return c.unsubscribe(0, 2, {" /oyjtmPl5a5j/S2fXbFBKh4NSwwyljSC4/user/get"}); },
            "AT+QMTUNS=0,2,\" /oyjtmPl5a5j/S2fXbFBKh4NSwwyljSC4/user/get\"", 30000, true);
        row(
            "uns several topics",
            [](const QmtCommands &c) {
                return c.unsubscribe(1, 3, {"a", "b/#"});
            },
            "AT+QMTUNS=1,3,\"a\",\"b/#\"", 30000, true);
        row(
            "pub test (6.1)", [&](const QmtCommands &) { return plain(QmtCommands::testForm(QmtCommand::Pub)); },
            "AT+QMTPUB=?", 300, false);
        row(
            "pub variable length (6.1)",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 0, 0, false, " /oyjtmPl5a5j/S2fXbFBKh4NSwwyljSC4/user/update",
                                         "This is test data, hello MQTT.", PublishForm::VariableLength});
            },
            "AT+QMTPUB=0,0,0,0,\" /oyjtmPl5a5j/S2fXbFBKh4NSwwyljSC4/user/update\"", 30000, true);
        row(
            "pub fixed length data mode",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 1, 1, false, "t", "a\r\nb", PublishForm::FixedLength});
            },
            "AT+QMTPUB=0,1,1,0,\"t\",4", 30000, true);
        row(
            "pub inline",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 7, 2, true, "t", "hello, world", PublishForm::Inline});
            },
            "AT+QMTPUB=0,7,2,1,\"t\",12,\"hello, world\"", 30000, true);
    }
    void everyCommandFormIsBuiltAsTheNoteWritesIt()
    {
        QFETCH(BuilderBox, builder);
        QFETCH(QByteArray, expected);
        QFETCH(int, timeoutMs);
        QFETCH(bool, twoPhase);
        const QmtCommands commands;
        const Validated<AtCommand> built = builder.build(commands);
        if (!built)
            QFAIL(qPrintable(built.error().message()));
        QCOMPARE(built->text, expected);
        QCOMPARE(built->timeoutMs, timeoutMs);
        QCOMPARE(bool(built->resultMatcher), twoPhase);
    }

    void outOfRangeValuesAreRefusedNamingTheParameter_data()
    {
        QTest::addColumn<BuilderBox>("builder");
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QString>("allowed");
        QTest::addColumn<QString>("given");

        auto row = [](const char *name, Builder b, const char *param, const QString &allowed, const char *given) {
            QTest::newRow(name) << BuilderBox{std::move(b)} << QString::fromLatin1(param) << allowed
                                << QString::fromUtf8(given);
        };
        const QString en = QStringLiteral("–");
        row(
            "connect id -1", [](const QmtCommands &c) { return c.close(-1); }, "TCP_connectID", QStringLiteral("0–4"),
            "-1");
        row(
            "connect id 5", [](const QmtCommands &c) { return c.open(5, "h", 1883); }, "TCP_connectID",
            QStringLiteral("0–4"), "5");
        row(
            "pub msgID above 65535",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 65536, 1, false, "t", "x"});
            },
            "msgID", QStringLiteral("1–65535 when QoS is 1 or 2"), "65536");
        row(
            "pub msgID not 0 at QoS 0",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 5, 0, false, "t", "x"});
            },
            "msgID", QStringLiteral("0 when QoS is 0"), "5");
        row(
            "pub msgID 0 at QoS 1",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 0, 1, false, "t", "x"});
            },
            "msgID", QStringLiteral("1–65535 when QoS is 1 or 2"), "0");
        row(
            "sub msgID 0",
            [](const QmtCommands &c) {
                return c.subscribe(0, 0, {{"t", 0}});
            },
            "msgID", QStringLiteral("1–65535"), "0");
        row(
            "uns msgID 65536", [](const QmtCommands &c) { return c.unsubscribe(0, 65536, {"t"}); }, "msgID",
            QStringLiteral("1–65535"), "65536");
        row(
            "pub qos 3",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 1, 3, false, "t", "x"});
            },
            "qos", QStringLiteral("0–2"), "3");
        row(
            "sub qos -1",
            [](const QmtCommands &c) {
                return c.subscribe(0, 1, {{"t", -1}});
            },
            "qos", QStringLiteral("0–2"), "-1");
        row(
            "topic 257 bytes",
            [](const QmtCommands &c) {
                return c.subscribe(0, 1, {{QByteArray(257, 't'), 0}});
            },
            "topic", QStringLiteral("1–256 bytes"), "257 bytes");
        row(
            "topic empty",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 0, 0, false, "", "x"});
            },
            "topic", QStringLiteral("1–256 bytes"), "0 bytes");
        row(
            "host 101 bytes", [](const QmtCommands &c) { return c.open(0, QByteArray(101, 'h'), 1883); }, "host_name",
            QStringLiteral("1–100 bytes"), "101 bytes");
        row(
            "port 0", [](const QmtCommands &c) { return c.open(0, "h", 0); }, "port", QStringLiteral("1–65535"), "0");
        row(
            "port 65536", [](const QmtCommands &c) { return c.open(0, "h", 65536); }, "port", QStringLiteral("1–65535"),
            "65536");
        row(
            "client id 129 bytes", [](const QmtCommands &c) { return c.conn(0, QByteArray(129, 'c')); }, "clientID",
            QStringLiteral("1–128 bytes"), "129 bytes");
        row(
            "user name 257 bytes", [](const QmtCommands &c) { return c.conn(0, "c", QByteArray(257, 'u')); },
            "username", QStringLiteral("at most 256 bytes"), "257 bytes");
        row(
            "password 257 bytes",
            [](const QmtCommands &c) { return c.conn(0, "c", QByteArray("u"), QByteArray(257, 'p')); }, "password",
            QStringLiteral("at most 256 bytes"), "<redacted, 257 bytes>");
        row(
            "will topic empty",
            [](const QmtCommands &c) {
                return c.cfgWill(0, WillConfig{true, 0, false, "", "m"});
            },
            "will_topic", QStringLiteral("1–256 bytes"), "0 bytes");
        row(
            "will topic 257 bytes",
            [](const QmtCommands &c) {
                return c.cfgWill(0, WillConfig{true, 0, false, QByteArray(257, 'w'), "m"});
            },
            "will_topic", QStringLiteral("1–256 bytes"), "257 bytes");
        row(
            "will message empty",
            [](const QmtCommands &c) {
                return c.cfgWill(0, WillConfig{true, 0, false, "t", ""});
            },
            "will_msg", QStringLiteral("1–256 bytes"), "0 bytes");
        row(
            "will message 257 bytes",
            [](const QmtCommands &c) {
                return c.cfgWill(0, WillConfig{true, 0, false, "t", QByteArray(257, 'm')});
            },
            "will_msg", QStringLiteral("1–256 bytes"), "257 bytes");
        row(
            "will qos 3",
            [](const QmtCommands &c) {
                return c.cfgWill(0, WillConfig{true, 3, false, "t", "m"});
            },
            "will_QoS", QStringLiteral("0–2"), "3");
        row(
            "keepalive 3601", [](const QmtCommands &c) { return c.cfgKeepAlive(0, 3601); }, "keep_alive_time",
            QStringLiteral("0–3600"), "3601");
        row(
            "keepalive -1", [](const QmtCommands &c) { return c.cfgKeepAlive(0, -1); }, "keep_alive_time",
            QStringLiteral("0–3600"), "-1");
        row(
            "pkt_timeout 0", [](const QmtCommands &c) { return c.cfgTimeout(0, 0, 0, 0); }, "pkt_timeout",
            QStringLiteral("1–60"), "0");
        row(
            "pkt_timeout 61", [](const QmtCommands &c) { return c.cfgTimeout(0, 61, 0, 0); }, "pkt_timeout",
            QStringLiteral("1–60"), "61");
        row(
            "retry_times 11", [](const QmtCommands &c) { return c.cfgTimeout(0, 30, 11, 0); }, "retry_times",
            QStringLiteral("0–10"), "11");
        row(
            "timeout_notice 2", [](const QmtCommands &c) { return c.cfgTimeout(0, 30, 0, 2); }, "timeout_notice",
            QStringLiteral("0 or 1"), "2");
        row(
            "clean_session 2", [](const QmtCommands &c) { return c.cfgSession(0, 2); }, "clean_session",
            QStringLiteral("0 or 1"), "2");
        row(
            "version 2", [](const QmtCommands &c) { return c.cfgVersion(0, 2); }, "version_num",
            QStringLiteral("0 or 1"), "2");
        row(
            "show_flag 2", [](const QmtCommands &c) { return c.cfgShowRecvLen(0, 2); }, "show_flag",
            QStringLiteral("0 or 1"), "2");
        row(
            "echo_mode 2", [](const QmtCommands &c) { return c.cfgEchoMode(0, 2); }, "echo_mode",
            QStringLiteral("0 or 1"), "2");
        row(
            "send_format 2", [](const QmtCommands &c) { return c.cfgDataFormat(0, 2, 0); }, "send_format",
            QStringLiteral("0 or 1"), "2");
        row(
            "recv_format 2", [](const QmtCommands &c) { return c.cfgDataFormat(0, 0, 2); }, "recv_format",
            QStringLiteral("0 or 1"), "2");
        row(
            "SSL_enable 2", [](const QmtCommands &c) { return c.cfgSsl(0, 2); }, "SSL_enable", QStringLiteral("0 or 1"),
            "2");
        row(
            "SSL_contextID 11", [](const QmtCommands &c) { return c.cfgSsl(0, 1, 11, 0); }, "SSL_contextID",
            QStringLiteral("0–10"), "11");
        row(
            "SSL_connectID 5", [](const QmtCommands &c) { return c.cfgSsl(0, 1, 0, 5); }, "SSL_connectID",
            QStringLiteral("0–4"), "5");
        row(
            "product key 65 bytes",
            [](const QmtCommands &c) {
                return c.cfgAliAuth(0, AliAuth{QByteArray(65, 'k'), "d", "s"});
            },
            "product_key", QStringLiteral("1–64 bytes"), "65 bytes");
        row(
            "device name 65 bytes",
            [](const QmtCommands &c) {
                return c.cfgAliAuth(0, AliAuth{"k", QByteArray(65, 'd'), "s"});
            },
            "device_name", QStringLiteral("1–64 bytes"), "65 bytes");
        row(
            "device secret 65 bytes",
            [](const QmtCommands &c) {
                return c.cfgAliAuth(0, AliAuth{"k", "d", QByteArray(65, 's')});
            },
            "device_secret", QStringLiteral("1–64 bytes"), "<redacted, 65 bytes>");
        row(
            "payload 1461 bytes in text",
            [](const QmtCommands &c) {
                return c.publish(Publish{0, 0, 0, false, "t", QByteArray(1461, 'p')});
            },
            "msg", QStringLiteral("at most 1460 bytes"), "1461 bytes");
        row(
            "seclevel 3", [](const QmtCommands &c) { return c.sslSecLevel(3); }, "seclevel", QStringLiteral("0–2"),
            "3");
        row(
            "seclevel at SSL context 11", [](const QmtCommands &c) { return c.sslSecLevel(1, 11, 0); }, "SSL_contextID",
            QStringLiteral("0–10"), "11");
        row(
            "upload at SSL connect 5", [](const QmtCommands &c) { return c.sslUpload(SslItem::CaCert, "pem", 0, 5); },
            "SSL_connectID", QStringLiteral("0–4"), "5");
        Q_UNUSED(en);
    }
    void outOfRangeValuesAreRefusedNamingTheParameter()
    {
        QFETCH(BuilderBox, builder);
        QFETCH(QString, parameter);
        QFETCH(QString, allowed);
        QFETCH(QString, given);
        const QmtCommands commands;
        const Validated<AtCommand> built = builder.build(commands);
        QVERIFY2(!built, qPrintable(QStringLiteral("built: ") + QString::fromLatin1(text(built))));
        QCOMPARE(built.error().parameter, parameter);
        QCOMPARE(built.error().allowed, allowed);
        const QString message = built.error().message();
        QVERIFY2(message.contains(parameter) && message.contains(allowed) && message.contains(given),
                 qPrintable(message));
    }

    void payloadOver730BytesIsRefusedWhenTheSlotSendsHex()
    {
        QmtCommands commands;
        SlotSettings hex;
        hex.sendFormat = DataFormat::Hex;
        commands.setSettings(0, hex);
        const auto refused = commands.publish(Publish{0, 0, 0, false, "t", QByteArray(731, '\x01')});
        QVERIFY(!refused);
        QCOMPARE(refused.error().allowed, QStringLiteral("at most 730 bytes"));
        const auto fits = commands.publish(Publish{0, 0, 0, false, "t", QByteArray("\x00\x1a\xff", 3)});
        QVERIFY(fits);
        QCOMPARE(fits->text, QByteArray("AT+QMTPUB=0,0,0,0,\"t\",3,\"001AFF\""));
    }

    void quotedParametersRefuseInjection_data()
    {
        QTest::addColumn<BuilderBox>("builder");
        QTest::addColumn<QString>("parameter");
        const QByteArray attack = "a\"\r\nAT+QRST=1";
        for (const QByteArray &bad : {QByteArray("a\"b"), QByteArray("a\rb"), QByteArray("a\nb"), QByteArray("a\x1a"),
                                      QByteArray("a\x1b"), attack}) {
            const QString suffix = QString::fromLatin1(bad.toHex());
            auto row = [&](const char *name, Builder b, const char *param) {
                QTest::newRow(qPrintable(QLatin1String(name) + QLatin1Char(' ') + suffix))
                    << BuilderBox{std::move(b)} << QString::fromLatin1(param);
            };
            row(
                "topic to publish",
                [bad](const QmtCommands &c) {
                    return c.publish(Publish{0, 0, 0, false, bad, "x"});
                },
                "topic");
            row(
                "topic to subscribe",
                [bad](const QmtCommands &c) {
                    return c.subscribe(0, 1, {{bad, 0}});
                },
                "topic");
            row(
                "topic to unsubscribe", [bad](const QmtCommands &c) { return c.unsubscribe(0, 1, {bad}); }, "topic");
            row(
                "host", [bad](const QmtCommands &c) { return c.open(0, bad, 1883); }, "host_name");
            row(
                "client id", [bad](const QmtCommands &c) { return c.conn(0, bad); }, "clientID");
            row(
                "user name", [bad](const QmtCommands &c) { return c.conn(0, "c", bad); }, "username");
            row(
                "password", [bad](const QmtCommands &c) { return c.conn(0, "c", QByteArray("u"), bad); }, "password");
            row(
                "will topic",
                [bad](const QmtCommands &c) {
                    return c.cfgWill(0, WillConfig{true, 0, false, bad, "m"});
                },
                "will_topic");
            row(
                "will message",
                [bad](const QmtCommands &c) {
                    return c.cfgWill(0, WillConfig{true, 0, false, "t", bad});
                },
                "will_msg");
            row(
                "product key",
                [bad](const QmtCommands &c) {
                    return c.cfgAliAuth(0, AliAuth{bad, "d", "s"});
                },
                "product_key");
            row(
                "device name",
                [bad](const QmtCommands &c) {
                    return c.cfgAliAuth(0, AliAuth{"k", bad, "s"});
                },
                "device_name");
            row(
                "device secret",
                [bad](const QmtCommands &c) {
                    return c.cfgAliAuth(0, AliAuth{"k", "d", bad});
                },
                "device_secret");
            row(
                "inline payload",
                [bad](const QmtCommands &c) {
                    return c.publish(Publish{0, 0, 0, false, "t", bad, PublishForm::Inline});
                },
                "msg");
        }
    }
    void quotedParametersRefuseInjection()
    {
        QFETCH(BuilderBox, builder);
        QFETCH(QString, parameter);
        const QmtCommands commands;
        const Validated<AtCommand> built = builder.build(commands);
        QVERIFY2(!built, built ? built->text.constData() : "");
        QCOMPARE(built.error().parameter, parameter);
    }

    void secretsNeverAppearInErrorsOrDisplayText()
    {
        const QmtCommands commands;
        const auto conn = commands.conn(0, "c", QByteArray("user"), QByteArray("s3cr3t-pw"));
        QVERIFY(conn);
        QVERIFY(conn->text.contains("s3cr3t-pw"));
        QVERIFY(!conn->shownText().contains("s3cr3t-pw"));
        QVERIFY(conn->shownText().contains("<redacted, 9 bytes>"));
        const auto ali = commands.cfgAliAuth(0, AliAuth{"k", "d", "dev-secret-42"});
        QVERIFY(ali && !ali->shownText().contains("dev-secret-42"));
        const auto bad = commands.conn(0, "c", QByteArray("u"), QByteArray("pw\"with-quote"));
        QVERIFY(!bad && !bad.error().message().contains(QStringLiteral("with-quote")));
        const auto key = commands.sslUpload(SslItem::ClientKey, test::fakeKeyLine("BEGIN") + "\nabc\n");
        QVERIFY(key && key->payload && key->payload->secret);
    }

    void wildcardsAreCheckedByMqttRules_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<bool>("valid");
        QTest::newRow("#") << QByteArray("#") << true;
        QTest::newRow("a/#") << QByteArray("a/#") << true;
        QTest::newRow("+") << QByteArray("+") << true;
        QTest::newRow("a/+/c") << QByteArray("a/+/c") << true;
        QTest::newRow("+/+") << QByteArray("+/+") << true;
        QTest::newRow("a#") << QByteArray("a#") << false;
        QTest::newRow("a/#/c") << QByteArray("a/#/c") << false;
        QTest::newRow("a+/b") << QByteArray("a+/b") << false;
        QTest::newRow("invalid utf-8") << QByteArray("a/\xff") << false;
    }
    void wildcardsAreCheckedByMqttRules()
    {
        QFETCH(QByteArray, filter);
        QFETCH(bool, valid);
        const QmtCommands commands;
        QCOMPARE(bool(commands.subscribe(0, 1, {{filter, 0}})), valid);
        // Topics to publish to never take wildcards.
        if (filter.contains('#') || filter.contains('+'))
            QVERIFY(!commands.publish(Publish{0, 0, 0, false, filter, "x"}));
    }

    void publishFormFollowsThePayload_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("form");
        QTest::newRow("text goes inline") << QByteArray("hello, world") << int(PublishForm::Inline);
        QTest::newRow("utf-8 text goes inline") << QByteArray("grüße") << int(PublishForm::Inline);
        QTest::newRow("empty goes inline") << QByteArray() << int(PublishForm::Inline);
        QTest::newRow("quotes go by length") << QByteArray("{\"a\":\"1\"}") << int(PublishForm::FixedLength);
        QTest::newRow("crlf goes by length") << QByteArray("a\r\nb") << int(PublishForm::FixedLength);
        QTest::newRow("ctrl+z goes by length") << QByteArray("a\x1a") << int(PublishForm::FixedLength);
        QTest::newRow("esc goes by length") << QByteArray("a\x1b") << int(PublishForm::FixedLength);
        QTest::newRow("binary goes by length") << QByteArray("\x00\x01\xfe", 3) << int(PublishForm::FixedLength);
    }
    void publishFormFollowsThePayload()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, form);
        const QmtCommands commands;
        QCOMPARE(int(QmtCommands::chooseForm(payload, DataFormat::Text)), form);
        const auto built = commands.publish(Publish{0, 0, 0, false, "t", payload});
        QVERIFY(built);
        QCOMPARE(built->payload.has_value(), form == int(PublishForm::FixedLength));
        if (built->payload) {
            QCOMPARE(built->payload->bytes, payload);
            QCOMPARE(built->payload->termination, AtPayload::Termination::FixedLength);
            QCOMPARE(built->text, "AT+QMTPUB=0,0,0,0,\"t\"," + QByteArray::number(payload.size()));
        }
    }

    void variableLengthRefusesCtrlZAndEsc()
    {
        const QmtCommands commands;
        const auto z = commands.publish(Publish{0, 0, 0, false, "t", "ab\x1a", PublishForm::VariableLength});
        QVERIFY(!z);
        QVERIFY(z.error().message().contains(QStringLiteral("Ctrl+Z at byte 3")));
        const auto ok = commands.publish(Publish{0, 0, 0, false, "t", "a\r\nb", PublishForm::VariableLength});
        QVERIFY(ok && ok->payload);
        QCOMPARE(ok->payload->termination, AtPayload::Termination::CtrlZ);
    }

    void timeoutFollowsTheSlotsTimeoutConfiguration()
    {
        QmtCommands commands;
        QCOMPARE(commands.conn(2, "c")->timeoutMs, 30000); // defaults: 30 s × (0 + 1)
        const auto cfg = commands.cfgTimeout(2, 12, 2, 0);
        QVERIFY(cfg);
        QCOMPARE(commands.conn(2, "c")->timeoutMs, 30000); // not applied until the module says OK
        AtReply failed = okReply(*cfg);
        failed.status = ReplyStatus::Error;
        cfg->onFinished(failed);
        QCOMPARE(commands.subscribe(2, 1, {{"t", 0}})->timeoutMs, 30000);
        cfg->onFinished(okReply(*cfg));
        QCOMPARE(commands.conn(2, "c")->timeoutMs, 36000); // 12 s × (2 + 1)
        QCOMPARE(commands.publish(Publish{2, 0, 0, false, "t", "x"})->timeoutMs, 36000);
        const auto cfg2 = commands.cfgTimeout(2, 7, 1, 0);
        cfg2->onFinished(okReply(*cfg2));
        QCOMPARE(commands.unsubscribe(2, 1, {"t"})->timeoutMs, 14000);
        QCOMPARE(commands.conn(1, "c")->timeoutMs, 30000); // other slots keep theirs
        // A query answer teaches it too.
        const auto query = commands.cfgQuery(CfgOption::Timeout, 1);
        query->onFinished(okReply(*query, {"+QMTCFG: 5,3,1"}));
        QCOMPARE(commands.conn(1, "c")->timeoutMs, 20000);
        QVERIFY(commands.settings(1).timeout.timeoutNotice);
        commands.resetSettings(); // a module reboot forgets the configuration
        QCOMPARE(commands.conn(1, "c")->timeoutMs, 30000);
    }

    void resultMatchersMatchConnectIdAndMsgId()
    {
        const QmtCommands commands;
        const auto sub = commands.subscribe(1, 42, {{"t", 1}});
        const auto &m = sub->resultMatcher;
        QCOMPARE(m("+QMTSUB: 1,42,0,1"), MatchResult::Complete);
        QCOMPARE(m("+QMTSUB: 1,42,1,2"), MatchResult::Progress);
        QCOMPARE(m("+QMTSUB: 1,42,2"), MatchResult::Complete);
        QCOMPARE(m("+QMTSUB: 1,43,0,1"), MatchResult::NoMatch);
        QCOMPARE(m("+QMTSUB: 0,42,0,1"), MatchResult::NoMatch);
        QCOMPARE(m("+QMTSTAT: 1,1"), MatchResult::CompleteAll); // the link is gone: every command of the slot ends
        QCOMPARE(m("+QMTSTAT: 0,1"), MatchResult::NoMatch);
        QCOMPARE(m("+QMTUNS: 1,42,0"), MatchResult::NoMatch);
        const auto conn = commands.conn(3, "c");
        QCOMPARE(conn->resultMatcher("+QMTCONN: 3,0,0"), MatchResult::Complete);
        QCOMPARE(conn->resultMatcher("+QMTCONN: 3,0"), MatchResult::Complete);
        QCOMPARE(conn->resultMatcher("+QMTSTAT: 3,4"), MatchResult::CompleteAll);
        const auto open = commands.open(0, "h", 1);
        QCOMPARE(open->resultMatcher("+QMTOPEN: 0,-1"), MatchResult::Complete);
        QCOMPARE(open->resultMatcher("+QMTOPEN: 1,0"), MatchResult::NoMatch);
    }

    void specTableIsComplete()
    {
        for (const ParamSpec &p : allParams()) {
            QVERIFY(p.name && *p.name);
            QVERIFY(p.minimum <= p.maximum);
            QVERIFY(!describe(p.id).isEmpty());
            if (p.defaultValue)
                QVERIFY(*p.defaultValue >= p.minimum && *p.defaultValue <= p.maximum);
        }
        QCOMPARE(spec(Param::KeepAliveTime).defaultValue, std::optional<int>(120));
        QCOMPARE(spec(Param::PktTimeout).defaultValue, std::optional<int>(30));
        QCOMPARE(spec(Param::RetryTimes).defaultValue, std::optional<int>(0));
        QCOMPARE(cfgOptionFromName("echo_mode"), std::optional<CfgOption>(CfgOption::EchoMode));
        QCOMPARE(cfgOptionFromName("SSL"), std::optional<CfgOption>(CfgOption::Ssl));
        int beforeOpen = 0;
        for (const CfgOptionSpec &o : allCfgOptions())
            beforeOpen += o.mustPrecedeOpen;
        QCOMPARE(beforeOpen, 6); // will, session, keepalive, aliauth, version, ssl
    }
};

QTEST_GUILESS_MAIN(TestQmtCommands)
#include "tst_qmtcommands.moc"
