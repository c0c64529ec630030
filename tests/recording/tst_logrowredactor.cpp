// The door of the recording's log: every line the AT channel reports becomes a row that may be written to a
// file, with no secret left in it, and with the slot and kind the log shows.

#include "fakepem.h"

#include "core/recording/logrowredactor.h"

#include <QTest>

using namespace qmt;
using Kind = RecordedLogRow::Kind;
using Direction = RecordedLogRow::Direction;

namespace {

const QByteArray Password = "Pw-Rec-4411";
const QByteArray DeviceSecret = "DevSecret-Rec-8c1";
const QByteArray KeyBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDrecordingtest";

AtLine line(const QByteArray &text, LineKind kind = LineKind::Response, bool secret = false)
{
    return AtLine{text, kind, 0, secret};
}

} // namespace

class TestLogRowRedactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_logrowredactor"));
    }

    void aConnectCommandKeepsEverythingButItsPassword()
    {
        LogRowRedactor r;
        const RecordedLogRow row = r.command("AT+QMTCONN=2,\"client\",\"user\",\"" + Password + '"', 1000);
        QCOMPARE(row.text,
                 "AT+QMTCONN=2,\"client\",\"user\",\"<redacted, " + QByteArray::number(Password.size()) + " bytes>\"");
        QCOMPARE(row.direction, Direction::ToModule);
        QCOMPARE(row.kind, Kind::Command);
        QCOMPARE(row.slot, 2);
        QCOMPARE(row.timeMs, 1000);
    }

    void theEchoOfACommandLosesThePasswordEvenWithItsFirstBytesLost()
    {
        LogRowRedactor r;
        for (const QByteArray &echo :
             {"AT+QMTCONN=0,\"c\",\"u\",\"" + Password + '"', "T+QMTCONN=0,\"c\",\"u\",\"" + Password + '"'}) {
            const RecordedLogRow row = r.line(line(echo, LineKind::Echo), 5);
            QVERIFY2(!row.text.contains(Password), row.text.constData());
            QVERIFY(row.text.contains("<redacted, "));
            QCOMPARE(row.kind, Kind::Echo);
            QCOMPARE(row.direction, Direction::FromModule);
        }
    }

    void theAliAuthSecretIsRedactedInTheCommandAndInTheQueryAnswer()
    {
        LogRowRedactor r;
        const RecordedLogRow set =
            r.command("AT+QMTCFG=\"aliauth\",1,\"a1Product\",\"device\",\"" + DeviceSecret + '"', 1);
        QVERIFY(!set.text.contains(DeviceSecret));
        QCOMPARE(set.slot, 1);
        (void)r.command("AT+QMTCFG=\"aliauth\",1", 2);
        const RecordedLogRow answer = r.line(line("+QMTCFG: \"a1Product\",\"device\",\"" + DeviceSecret + '"'), 3);
        QVERIFY2(!answer.text.contains(DeviceSecret), answer.text.constData());
        QVERIFY(answer.text.startsWith("+QMTCFG: \"a1Product\",\"device\",\"<redacted, "));
    }

    void clientKeyDataKeepsOnlyItsLength()
    {
        LogRowRedactor r;
        const QByteArray key = test::fakePrivateKey(KeyBody);
        (void)r.command("AT+QSSLCFG=0,3,\"clientkey\"", 1);
        // Even shown unredacted by whoever fed it, data after a "clientkey" prompt is secret.
        const RecordedLogRow row = r.dataSent(key, 2, 3);
        QCOMPARE(row.text, "<redacted, " + QByteArray::number(key.size()) + " bytes>");
        QCOMPARE(row.kind, Kind::DataSent);
        QCOMPARE(row.slot, 3);
    }

    void aPrivateKeyAfterTheWrongPromptIsWithheldToo()
    {
        LogRowRedactor r;
        (void)r.command("AT+QSSLCFG=0,0,\"clientcert\"", 1);
        const QByteArray key = test::fakePrivateKey(KeyBody, "\r\n");
        const RecordedLogRow row = r.dataSent(key, 2);
        QVERIFY2(!row.text.contains(KeyBody), row.text.constData());
        // Typed a line at a time (the AT console), each line is withheld, the BEGIN line's block included.
        (void)r.command("AT+QSSLCFG=0,0,\"cacert\"", 3);
        for (const QByteArray &keyLine : key.split('\n')) {
            const RecordedLogRow part = r.dataSent(keyLine.trimmed(), 4);
            QVERIFY2(!part.text.contains(KeyBody), part.text.constData());
        }
    }

    void theModulesEchoOfAKeyIsWithheldUntilItAnswers()
    {
        LogRowRedactor r;
        QVERIFY(r.line(line(test::fakeKeyLine("BEGIN"), LineKind::Unknown), 1).text.startsWith("<redacted, "));
        QVERIFY(!r.line(line(KeyBody, LineKind::Unknown), 2).text.contains(KeyBody));
        QVERIFY(r.line(line(test::fakeKeyLine("END"), LineKind::Unknown), 3).text.startsWith("<redacted, "));
        // The block is over: the module's answer and what follows are shown.
        QCOMPARE(r.line(line("OK", LineKind::Final), 4).text, QByteArray("OK"));
        QCOMPARE(r.line(line("plain", LineKind::Unknown), 5).text, QByteArray("plain"));
    }

    void aLineTheChannelMarkedSecretKeepsOnlyItsLength()
    {
        LogRowRedactor r;
        const RecordedLogRow row = r.line(line("whatever it was", LineKind::Data, true), 1);
        QCOMPARE(row.text, QByteArray("<redacted, 15 bytes>"));
    }

    void aMessageUrcIsKeptAsItCameWithItsSlot()
    {
        LogRowRedactor r;
        const QByteArray urc = "+QMTRECV: 4,17,\"a/b\",\"{\\\"pw\\\":\\\"AT+QMTCONN=0\\\"}\"";
        const RecordedLogRow row = r.line(line(urc, LineKind::Urc), 9);
        QCOMPARE(row.text, urc);
        QCOMPARE(row.slot, 4);
        QCOMPARE(row.kind, Kind::Urc);
        QCOMPARE(row.fullLength, urc.size());
    }

    void aLongLineIsCutAndSaysHowLongItWas()
    {
        LogRowRedactor r;
        const QByteArray urc = "+QMTRECV: 0,1,\"t\",\"" + QByteArray(10'000, 'x') + '"';
        const RecordedLogRow row = r.line(line(urc, LineKind::Urc), 1);
        QCOMPARE(row.text.size(), RecordedLogRow::MaxTextBytes);
        QCOMPARE(row.fullLength, urc.size());
        QVERIFY(row.isCut());
    }
};

QTEST_GUILESS_MAIN(TestLogRowRedactor)
#include "tst_logrowredactor.moc"
