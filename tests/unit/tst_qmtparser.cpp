#include "core/qmt/qmtcodes.h"
#include "core/qmt/qmtparser.h"

#include <QTest>

using namespace qmt;

namespace {
/// The expected parse of a line; wrapped so QTest can carry it in a column.
struct Expected
{
    std::optional<QmtEvent> event;
};
} // namespace
Q_DECLARE_METATYPE(Expected)

namespace {

/// The result of a command without a msgID: OPEN, CLOSE, CONN, DISC.
CommandResult result(QmtCommand command, int connectId, int result, QList<int> values = {})
{
    return {command, connectId, std::nullopt, result, std::move(values)};
}

/// The result of a packet with a msgID: SUB, UNS, PUB.
CommandResult packet(QmtCommand command, int connectId, int msgId, int result, QList<int> values = {})
{
    return {command, connectId, msgId, result, std::move(values)};
}

} // namespace

class TestQmtParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linesParseIntoTypedEvents_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("isResponse");
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<Expected>("expected");

        auto row = [](const char *name, const char *line, std::optional<QmtEvent> e, bool response = false,
                      const char *command = "") {
            QTest::newRow(name) << QByteArray(line) << response << QByteArray(command) << Expected{e};
        };
        for (int r = -1; r <= 4; ++r) {
            const QByteArray line = "+QMTOPEN: 2," + QByteArray::number(r);
            QTest::newRow(qPrintable(QStringLiteral("open result %1").arg(r)))
                << line << false << QByteArray() << Expected{std::optional<QmtEvent>(result(QmtCommand::Open, 2, r))};
        }
        row("open read form", "+QMTOPEN: 0,\"broker.emqx.io\",1883", OpenInfo{0, "broker.emqx.io", 1883}, true,
            "AT+QMTOPEN?");
        row("open test form", "+QMTOPEN: (0-4),\"<host_name>\",(1-65535)",
            TestReply{QmtCommand::Open, {"(0-4)", "<host_name>", "(1-65535)"}}, true, "AT+QMTOPEN=?");
        row("close ok", "+QMTCLOSE: 0,0", result(QmtCommand::Close, 0, 0));
        row("close failed", "+QMTCLOSE: 4,-1", result(QmtCommand::Close, 4, -1));
        for (int ret = 0; ret <= 5; ++ret) {
            const QByteArray line = "+QMTCONN: 1,0," + QByteArray::number(ret);
            QTest::newRow(qPrintable(QStringLiteral("conn ret_code %1").arg(ret)))
                << line << false << QByteArray()
                << Expected{std::optional<QmtEvent>(result(QmtCommand::Conn, 1, 0, {ret}))};
        }
        row("conn result without ret_code", "+QMTCONN: 0,0", result(QmtCommand::Conn, 0, 0));
        row("conn retransmission", "+QMTCONN: 0,1", result(QmtCommand::Conn, 0, 1));
        row("conn failed", "+QMTCONN: 0,2", result(QmtCommand::Conn, 0, 2));
        for (int state = 1; state <= 4; ++state) {
            const QByteArray line = "+QMTCONN: 0," + QByteArray::number(state);
            QTest::newRow(qPrintable(QStringLiteral("conn read state %1").arg(state)))
                << line << true << QByteArray("AT+QMTCONN?") << Expected{std::optional<QmtEvent>(ConnState{0, state})};
        }
        row("conn test form", "+QMTCONN: (0-4),<clientID>,<username>,<password>",
            TestReply{QmtCommand::Conn, {"(0-4)", "<clientID>", "<username>", "<password>"}}, true, "AT+QMTCONN=?");
        row("disc ok", "+QMTDISC: 3,0", result(QmtCommand::Disc, 3, 0));
        row("disc failed", "+QMTDISC: 0,-1", result(QmtCommand::Disc, 0, -1));
        row("sub granted", "+QMTSUB: 0,1,0,1", packet(QmtCommand::Sub, 0, 1, 0, {1}));
        row("sub several granted", "+QMTSUB: 0,1,0,0,1,2", packet(QmtCommand::Sub, 0, 1, 0, {0, 1, 2}));
        row("sub refused", "+QMTSUB: 0,7,0,128", packet(QmtCommand::Sub, 0, 7, 0, {128}));
        row("sub retransmitted", "+QMTSUB: 0,7,1,3", packet(QmtCommand::Sub, 0, 7, 1, {3}));
        row("sub failed", "+QMTSUB: 0,1,2", packet(QmtCommand::Sub, 0, 1, 2));
        row("sub test form", "+QMTSUB: (0-4),(1-65535),<topic>,(0-2),<topic>,(0-2),...",
            TestReply{QmtCommand::Sub, {"(0-4)", "(1-65535)", "<topic>", "(0-2)", "<topic>", "(0-2)", "..."}}, true,
            "AT+QMTSUB=?");
        row("uns", "+QMTUNS: 0,2,0", packet(QmtCommand::Uns, 0, 2, 0));
        row("pub ok", "+QMTPUB: 0,0,0", packet(QmtCommand::Pub, 0, 0, 0));
        row("pub retransmitted", "+QMTPUB: 0,5,1,2", packet(QmtCommand::Pub, 0, 5, 1, {2}));
        row("pub failed", "+QMTPUB: 0,5,2", packet(QmtCommand::Pub, 0, 5, 2));
        row("pub test form", "+QMTPUB: (0-4),(0-65535),(0-2),(0,1),<topic>,(0-1460),<msg>",
            TestReply{QmtCommand::Pub, {"(0-4)", "(0-65535)", "(0-2)", "(0,1)", "<topic>", "(0-1460)", "<msg>"}}, true,
            "AT+QMTPUB=?");
        for (int code = 1; code <= 8; ++code) {
            const QByteArray line = "+QMTSTAT: 0," + QByteArray::number(code);
            QTest::newRow(qPrintable(QStringLiteral("stat %1").arg(code)))
                << line << false << QByteArray() << Expected{std::optional<QmtEvent>(StatEvent{0, code})};
        }
        row("stat reserved 255 kept", "+QMTSTAT: 1,255", StatEvent{1, 255});
        for (int code : {8503, 8504, 8505, 8506, 8507, 8508, 8509, 8510, 8511, 8600}) {
            const QByteArray line = "+CME ERROR: " + QByteArray::number(code);
            QTest::newRow(qPrintable(QStringLiteral("cme %1").arg(code)))
                << line << false << QByteArray() << Expected{std::optional<QmtEvent>(CmeError{code})};
        }
        row("cfg timeout query", "+QMTCFG: 30,0,0", CfgReply{CfgOption::Timeout, {"30", "0", "0"}}, true,
            "AT+QMTCFG=\"timeout\",0");
        row("cfg aliauth query", "+QMTCFG: \"pk\",\"dn\",\"ds\"", CfgReply{CfgOption::AliAuth, {"pk", "dn", "ds"}},
            true, "AT+QMTCFG=\"aliauth\",0");
        row("cfg will query", "+QMTCFG: 1,1,0,\"w/t\",\"bye\"",
            CfgReply{CfgOption::Will, {"1", "1", "0", "w/t", "bye"}}, true, "AT+QMTCFG=\"will\",2");
        row("cfg test will", "+QMTCFG: \"will\",(0-4),(0,1),(0-2),(0,1),<will_topic>,<will_msg>",
            CfgTestLine{CfgOption::Will, "will", {"(0-4)", "(0,1)", "(0-2)", "(0,1)", "<will_topic>", "<will_msg>"}},
            true, "AT+QMTCFG=?");
        row("cfg test echo_mode spelling", "+QMTCFG: \"echo_mode\",(0-4),(0,1)",
            CfgTestLine{CfgOption::EchoMode, "echo_mode", {"(0-4)", "(0,1)"}}, true, "AT+QMTCFG=?");
        row("cfg test echomode spelling", "+QMTCFG: \"echomode\",(0-4),(0,1)",
            CfgTestLine{CfgOption::EchoMode, "echomode", {"(0-4)", "(0,1)"}});
        row("cfg test unknown option kept", "+QMTCFG: \"qmtping\",(0-5),(5-60)",
            CfgTestLine{std::nullopt, "qmtping", {"(0-5)", "(5-60)"}});
        row("not a qmt line", "+CEREG: 2", std::nullopt);
        row("malformed stat", "+QMTSTAT: x", std::nullopt);
        row("buffer status line of other modules", "+QMTRECV: 0,0,0,0,0,0", std::nullopt);
    }
    void linesParseIntoTypedEvents()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, isResponse);
        QFETCH(QByteArray, command);
        QFETCH(Expected, expected);
        ParseContext ctx;
        ctx.isResponse = isResponse;
        ctx.command = command;
        const std::optional<QmtEvent> got = parseQmtLine(line, ctx);
        QCOMPARE(got.has_value(), expected.event.has_value());
        if (got) {
            QCOMPARE(eventName(*got), eventName(*expected.event));
            QVERIFY(*got == *expected.event);
        }
    }

    void recvPayloadsAreTakenWhole_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("format");
        QTest::addColumn<QByteArray>("topic");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("declared"); // -1 when absent
        QTest::addColumn<bool>("hex");
        QTest::addColumn<bool>("flagged"); // unterminated or length mismatch

        const int Auto = -1, Hex = int(DataFormat::Hex); // -1: the format is unknown
        QTest::newRow("plain") << QByteArray("+QMTRECV: 0,1023,\" /a/get\",\"This is the payload related to topic\"")
                               << Auto << QByteArray(" /a/get") << QByteArray("This is the payload related to topic")
                               << -1 << false << false;
        QTest::newRow("json unescaped")
            << QByteArray("+QMTRECV: 0,1,\"$aws/x\",\"{\"state\":{\"a\":\"29\",\"b\":\"Red\"},\"v\":5}\"") << Auto
            << QByteArray("$aws/x") << QByteArray("{\"state\":{\"a\":\"29\",\"b\":\"Red\"},\"v\":5}") << -1 << false
            << false;
        QTest::newRow("commas and quotes") << QByteArray("+QMTRECV: 1,2,\"t\",\"a,\"b\",c\"") << Auto << QByteArray("t")
                                           << QByteArray("a,\"b\",c") << -1 << false << false;
        QTest::newRow("crlf inside") << QByteArray("+QMTRECV: 0,1,\"t\",\"a\r\nb\"") << Auto << QByteArray("t")
                                     << QByteArray("a\r\nb") << -1 << false << false;
        QTest::newRow("empty") << QByteArray("+QMTRECV: 0,1,\"t\",\"\"") << Auto << QByteArray("t") << QByteArray()
                               << -1 << false << false;
        QTest::newRow("with length") << QByteArray("+QMTRECV: 0,0,\"topic\",10,\"vTaskList2\"") << Auto
                                     << QByteArray("topic") << QByteArray("vTaskList2") << 10 << false << false;
        QTest::newRow("length frames quotes and crlf")
            << QByteArray("+QMTRECV: 0,0,\"t\",7,\"\"\r\n,\"x\"\"") << Auto << QByteArray("t")
            << QByteArray("\"\r\n,\"x\"") << 7 << false << false;
        QTest::newRow("payload that looks like a length")
            << QByteArray("+QMTRECV: 0,0,\"t\",\"12,\"") << Auto << QByteArray("t") << QByteArray("12,") << -1 << false
            << false;
        QTest::newRow("hex by length") << QByteArray("+QMTRECV: 0,3,\"t\",3,\"00FF1A\"") << Auto << QByteArray("t")
                                       << QByteArray("\x00\xff\x1a", 3) << 3 << true << false;
        QTest::newRow("hex by format without length") << QByteArray("+QMTRECV: 0,3,\"t\",\"0d0a\"") << Hex
                                                      << QByteArray("t") << QByteArray("\r\n") << -1 << true << false;
        QTest::newRow("hex format, length counts digits")
            << QByteArray("+QMTRECV: 0,3,\"t\",4,\"0d0a\"") << Hex << QByteArray("t") << QByteArray("\r\n") << 4 << true
            << false;
        QTest::newRow("missing closing quote") << QByteArray("+QMTRECV: 0,1,\"t\",\"cut") << Auto << QByteArray("t")
                                               << QByteArray("cut") << -1 << false << true;
        QTest::newRow("wrong length kept and flagged") << QByteArray("+QMTRECV: 0,1,\"t\",3,\"abcd\"") << Auto
                                                       << QByteArray("t") << QByteArray("abcd") << 3 << false << true;
        QTest::newRow("unquoted old firmware")
            << QByteArray("+QMTRECV: 0,1,test,M95 Hello World") << Auto << QByteArray("test")
            << QByteArray("M95 Hello World") << -1 << false << false;
        // Issue 9 section 6: the opening quote lost on the line leaves no stray closing quote in the payload.
        QTest::newRow("opening quote lost") << QByteArray("+QMTRECV: 0,1,\"t\",abc\"") << Auto << QByteArray("t")
                                            << QByteArray("abc") << -1 << false << true;
        QTest::newRow("opening quote lost, with length") << QByteArray("+QMTRECV: 0,1,\"t\",3,abc\"") << Auto
                                                         << QByteArray("t") << QByteArray("abc") << 3 << false << true;
        QTest::newRow("opening quote of json lost")
            << QByteArray("+QMTRECV: 0,1,\"t\",{\"a\":1}\"") << Auto << QByteArray("t") << QByteArray("{\"a\":1}") << -1
            << false << true;
        QTest::newRow("unquoted old firmware, quotes inside")
            << QByteArray("+QMTRECV: 0,1,test,say \"hi\"") << Auto << QByteArray("test") << QByteArray("say \"hi\"")
            << -1 << false << false;
        QTest::newRow("no space after colon") << QByteArray("+QMTRECV:0,1,\"t\",\"x\"") << Auto << QByteArray("t")
                                              << QByteArray("x") << -1 << false << false;
    }
    void recvPayloadsAreTakenWhole()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, format);
        QFETCH(QByteArray, topic);
        QFETCH(QByteArray, payload);
        QFETCH(int, declared);
        QFETCH(bool, hex);
        QFETCH(bool, flagged);
        const auto msg = parseRecv(line, format < 0 ? std::nullopt : std::optional(DataFormat(format)));
        QVERIFY(msg);
        QCOMPARE(msg->topic, topic);
        QCOMPARE(msg->payload, payload);
        QCOMPARE(msg->declaredLength.value_or(-1), declared);
        QCOMPARE(msg->hex, hex);
        QCOMPARE(msg->unterminated || msg->lengthMismatch || msg->unopened, flagged);
    }

    void everyCodeHasTheNotesMeaning()
    {
        QCOMPARE(codes::openResult(2), QStringLiteral("The MQTT socket is occupied"));
        QCOMPARE(codes::openResult(4), QStringLiteral("Failed to parse the domain name"));
        QCOMPARE(codes::connReturnCode(4), QStringLiteral("Connection Refused: Incorrect User Name or Password"));
        QCOMPARE(codes::grantedQos(128), QStringLiteral("Subscription rejected by the server"));
        QCOMPARE(
            codes::cmeError(8508),
            QStringLiteral("The length of transmitted data exceeds the size of the remaining transmission buffer"));
        QCOMPARE(codes::statAdvice(1), QStringLiteral("Execute AT+QMTOPEN to reopen the MQTT connection."));
        QCOMPARE(codes::statAdvice(2),
                 QStringLiteral("Deactivate and activate the PDP, and then reopen the MQTT connection."));
        QVERIFY(codes::statMeaning(9).contains(QStringLiteral("Reserved")));
        for (int code = 1; code <= 7; ++code) {
            QVERIFY(!codes::statMeaning(code).contains(QStringLiteral("Unknown")));
            QVERIFY(!codes::statAdvice(code).isEmpty());
        }
        for (int r = -1; r <= 4; ++r)
            QVERIFY(!codes::openResult(r).contains(QStringLiteral("Unknown")));
        for (int s = 1; s <= 4; ++s)
            QVERIFY(!codes::connState(s).contains(QStringLiteral("Unknown")));
        for (int code : {8503, 8504, 8505, 8506, 8507, 8508, 8509, 8510, 8511, 8600})
            QVERIFY(!codes::cmeError(code).contains(QStringLiteral("Unknown")));
        QVERIFY(codes::cmeError(8512).contains(QStringLiteral("8512")));
    }
};

QTEST_GUILESS_MAIN(TestQmtParser)
#include "tst_qmtparser.moc"
