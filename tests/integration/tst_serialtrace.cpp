// The byte trace of qmt-sim --verbose never shows a secret, however the host sends it: pasted commands
// answered late, backspaces, line noise before "AT", chained commands, unquoted strings, upper case, a
// prompt that timed out before the key came, publish data that runs into the next command.

#include "sim/serialtrace.h"

#include "fakepem.h"

#include <QTest>

using namespace qmt::sim;

namespace {

/// One write: from the host (true) or from the module.
struct Step
{
    bool host;
    QByteArray bytes;
};
using Steps = QList<Step>;

Step host(QByteArray b)
{
    return {true, std::move(b)};
}
Step module(QByteArray b)
{
    return {false, std::move(b)};
}

/// The trace as qmt-sim prints it, each write given whole or byte by byte; `text` gets what was shown
/// without the line prefixes, for finding text that arrived in pieces.
QByteArray traceOf(const Steps &steps, bool byteByByte, QByteArray *text)
{
    SerialTrace trace;
    QByteArray out;
    for (const Step &step : steps) {
        const qsizetype chunk = byteByByte ? 1 : step.bytes.size();
        for (qsizetype i = 0; i < step.bytes.size(); i += chunk) {
            const QByteArrayView piece = QByteArrayView(step.bytes).sliced(i, qMin(chunk, step.bytes.size() - i));
            const QByteArray shown = step.host ? trace.fromHost(piece) : trace.fromModule(piece);
            if (!shown.isEmpty())
                out += (step.host ? "host > " : "module < ") + shown + '\n';
            *text += shown;
        }
    }
    return out;
}

const QByteArray KeyPrompt = "AT+QSSLCFG=0,0,\"clientkey\"\r";

} // namespace

Q_DECLARE_METATYPE(Steps)

class TestSerialTrace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_serialtrace"));
    }

    void noSecretReachesTheTrace_data()
    {
        QTest::addColumn<Steps>("steps");
        QTest::addColumn<QByteArrayList>("secrets");
        QTest::addColumn<QByteArrayList>("shown"); // what the trace must still show

        QTest::newRow("client key pasted behind another command")
            << Steps{host("AT\r" + KeyPrompt), module("AT\r\r\nOK\r\n"), module(KeyPrompt + "\r\n> "),
                     host("RAW-KEY-BYTES\x1a"), module("RAW-KEY-BYTES\r\n+QSSLCFG: 0,0,\"clientkey\",13\r\n\r\nOK\r\n")}
            << QByteArrayList{"RAW-KEY-BYTES"}
            << QByteArrayList{"host > <redacted, 13 bytes>\x1a", "+QSSLCFG: 0,0,\"clientkey\",13", "OK"};
        QTest::newRow("aliauth query answered after the next command was sent")
            << Steps{host("AT+QMTCFG=\"aliauth\",0\rAT\r"),
                     module("AT+QMTCFG=\"aliauth\",0\r\r\n+QMTCFG: \"pk\",\"dn\",\"Dev-Secret\"\r\n\r\nOK\r\n"),
                     module("AT\r\r\nOK\r\n")}
            << QByteArrayList{"Dev-Secret"} << QByteArrayList{"+QMTCFG: \"pk\",\"dn\",\"<redacted, 10 bytes>\""};
        QTest::newRow("CLIENTKEY in upper case")
            << Steps{host("AT+QSSLCFG=0,0,\"CLIENTKEY\"\r"), module("AT+QSSLCFG=0,0,\"CLIENTKEY\"\r\r\n> "),
                     host("UPPER-KEY\x1a"), module("UPPER-KEY\r\n+QSSLCFG: 0,0,\"clientkey\",9\r\n\r\nOK\r\n")}
            << QByteArrayList{"UPPER-KEY"} << QByteArrayList{"+QSSLCFG: 0,0,\"clientkey\",9"};
        QTest::newRow("backspace inside AT")
            << Steps{host("AX\bT+QMTCONN=0,\"c\",\"u\",\"pw-secret\"\r"),
                     module("AX\bT+QMTCONN=0,\"c\",\"u\",\"pw-secret\"\r\r\nOK\r\n")}
            << QByteArrayList{"pw-secret"} << QByteArrayList{"AT+QMTCONN=0,\"c\",\"u\",\"<redacted, 9 bytes>\""};
        QTest::newRow("line noise before AT, on both sides")
            << Steps{host("\xff\xfe"
                          "AT+QMTCONN=0,c,u,pw-secret\r"),
                     module("\xfe\xff"
                            "AT+QMTCONN=0,c,u,pw-secret\r\r\nOK\r\n")}
            << QByteArrayList{"pw-secret"} << QByteArrayList{"AT+QMTCONN=0,c,u,<redacted, 9 bytes>"};
        QTest::newRow("publish data starting with A, then a command")
            << Steps{host("AT+QMTPUB=0,0,0,0,\"t\",5\r"), module("AT+QMTPUB=0,0,0,0,\"t\",5\r\r\n> "), host("Alarm"),
                     host("AT+QMTCONN=1,\"c\",\"u\",\"pw-secret\"\r"), module("\r\nOK\r\n")}
            << QByteArrayList{"pw-secret"} << QByteArrayList{"Alarm", "<redacted, 9 bytes>"};
        QTest::newRow("publish data ended by Ctrl+Z, then a command")
            << Steps{host("AT+QMTPUB=0,0,0,0,\"t\"\r"), module("AT+QMTPUB=0,0,0,0,\"t\"\r\r\n> "),
                     host("Alarm\x1a"
                          "AT+QMTCONN=1,\"c\",\"u\",\"pw-secret\"\r")}
            << QByteArrayList{"pw-secret"} << QByteArrayList{"Alarm", "<redacted, 9 bytes>"};
        QTest::newRow("chained commands")
            << Steps{host("AT+CSQ;+QMTCONN=0,\"c\",\"u\",\"pw-secret\"\r"),
                     module("AT+CSQ;+QMTCONN=0,\"c\",\"u\",\"pw-secret\"\r\r\n+CSQ: 20,0\r\n\r\nOK\r\n")}
            << QByteArrayList{"pw-secret"} << QByteArrayList{"+CSQ: 20,0", "AT+CSQ;+QMTCONN"};
        QTest::newRow("unquoted device secret")
            << Steps{host("AT+QMTCFG=aliauth,0,pk,dn,ds-secret\r"),
                     module("AT+QMTCFG=aliauth,0,pk,dn,ds-secret\r\r\nOK\r\n")}
            << QByteArrayList{"ds-secret"} << QByteArrayList{"AT+QMTCFG=aliauth,0,pk,dn,<redacted, 9 bytes>"};
        QTest::newRow("key pasted after the prompt timed out")
            << Steps{host(KeyPrompt),
                     module(KeyPrompt + "\r\n> "),
                     module("\r\nERROR\r\n"),
                     host(qmt::test::fakePrivateKey("fake-key-line", "\r")),
                     module(qmt::test::fakePrivateKey("fake-key-line", "\r")),
                     host("ATI\r"),
                     module("ATI\r\r\nQuectel_Ltd\r\n\r\nOK\r\n")}
            << QByteArrayList{"fake-key-line"} << QByteArrayList{"Quectel_Ltd", "host > ATI"};
        QTest::newRow("Esc cancels the key")
            << Steps{host(KeyPrompt),         module(KeyPrompt + "\r\n> "),
                     host("PARTIAL-KEY\x1b"), module("PARTIAL-KEY\r\nOK\r\n"),
                     host("AT+CSQ\r"),        module("AT+CSQ\r\r\n+CSQ: 20,0\r\n\r\nOK\r\n")}
            << QByteArrayList{"PARTIAL-KEY"} << QByteArrayList{"host > AT+CSQ", "+CSQ: 20,0"};
        QTest::newRow("echo off, PEM key")
            << Steps{host("ATE0\r"),
                     module("\r\nOK\r\n"),
                     host(KeyPrompt),
                     module("\r\n> "),
                     host(qmt::test::fakePrivateKey("fake-ec-key-line", "\n", "EC") + "\x1a"),
                     module("\r\n+QSSLCFG: 0,0,\"clientkey\",80\r\n\r\nOK\r\n")}
            << QByteArrayList{"fake-ec-key-line", qmt::test::fakeKeyLine("BEGIN", "EC").mid(5, 20)}
            << QByteArrayList{"+QSSLCFG: 0,0,\"clientkey\",80"};
    }

    void noSecretReachesTheTrace()
    {
        QFETCH(Steps, steps);
        QFETCH(QByteArrayList, secrets);
        QFETCH(QByteArrayList, shown);
        for (const bool byteByByte : {false, true}) {
            QByteArray text;
            const QByteArray trace = traceOf(steps, byteByByte, &text);
            for (const QByteArray &secret : secrets)
                QVERIFY2(!text.contains(secret), trace.constData());
            for (const QByteArray &expected : shown)
                QVERIFY2(trace.contains(expected) || text.contains(expected),
                         (expected + " missing from:\n" + trace).constData());
        }
    }

    void aKeyBlockWithoutItsEndDoesNotHideTheRestOfTheSession()
    {
        SerialTrace trace;
        QByteArray out = trace.fromHost(qmt::test::fakeKeyLine("BEGIN") + '\r');
        for (int i = 0; i < 100; ++i) // a 4096-bit RSA key is about 50 lines
            out += trace.fromHost(QByteArray(64, 'k') + '\r');
        QVERIFY(!out.contains("kkkk"));
        // Lines past a key's largest size are shown again.
        QByteArray later;
        for (int i = 0; i < 10'000 && !later.startsWith("ATI"); ++i)
            later = trace.fromHost("ATI\r");
        QCOMPARE(later, QByteArray("ATI\r"));
    }
};

QTEST_GUILESS_MAIN(TestSerialTrace)
#include "tst_serialtrace.moc"
