#include "gui/models/payloadformatter.h"

#include <QTest>

using namespace qmt;

class TestPayloadFormatter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void textMakesInvisibleBytesVisible_data();
    void textMakesInvisibleBytesVisible();
    void controlNamesStandInForMissingPictures();
    void hexBytesSpellEveryByte();
    void hexDumpShowsOffsetsBytesAndAscii();
    void prettyJsonKeepsTheSendersOrderAndSpelling_data();
    void prettyJsonKeepsTheSendersOrderAndSpelling();
    void invalidJsonSaysWhyAndWhere_data();
    void invalidJsonSaysWhyAndWhere();
    void truncatedPayloadsSayHowLongTheyWere_data();
    void truncatedPayloadsSayHowLongTheyWere();
};

void TestPayloadFormatter::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_payloadformatter"));
}

void TestPayloadFormatter::textMakesInvisibleBytesVisible_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("invisible");

    QTest::newRow("plain") << QByteArray("hello, MQTT") << QStringLiteral("hello, MQTT") << false;
    QTest::newRow("utf-8") << QByteArray("Grüße °C €") << QStringLiteral("Grüße °C €") << false;
    QTest::newRow("four-byte utf-8") << QByteArray("\xF0\x9F\x98\x80") << QStringLiteral("\U0001F600") << false;
    QTest::newRow("cr lf") << QByteArray("a\r\nb") << QStringLiteral("a\u240D\u240Ab") << true;
    QTest::newRow("nul and ctrl-z") << QByteArray("x\0y\x1a", 4) << QStringLiteral("x\u2400y\u241A") << true;
    QTest::newRow("escape and del") << QByteArray("\x1b[0m\x7f") << QStringLiteral("\u241B[0m\u2421") << true;
    QTest::newRow("tab") << QByteArray("a\tb") << QStringLiteral("a\u2409b") << true;
    QTest::newRow("invalid byte") << QByteArray("a\xffz") << QStringLiteral("a<FF>z") << true;
    QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << QStringLiteral("<C0><AF>") << true;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << QStringLiteral("<ED><A0><80>") << true;
    QTest::newRow("cut sequence") << QByteArray("ab\xE2\x82") << QStringLiteral("ab<E2><82>") << true;
    QTest::newRow("empty") << QByteArray() << QString() << false;
}

void TestPayloadFormatter::textMakesInvisibleBytesVisible()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    QFETCH(bool, invisible);
    QCOMPARE(PayloadFormatter::visibleText(bytes), text);
    QCOMPARE(PayloadFormatter::hasInvisibleBytes(bytes), invisible);
    QCOMPARE(PayloadFormatter::render(PayloadFormatter::View::Text, bytes), text);
}

void TestPayloadFormatter::controlNamesStandInForMissingPictures()
{
    PayloadFormatter::setControlStyle(PayloadFormatter::ControlStyle::Names);
    const QString named = PayloadFormatter::visibleText(QByteArray("a\r\n\x1a\x7f\xff\0z", 8));
    PayloadFormatter::setControlStyle(PayloadFormatter::ControlStyle::Pictures);
    QCOMPARE(named, QStringLiteral("a<CR><LF><SUB><DEL><FF><NUL>z"));
}

void TestPayloadFormatter::hexBytesSpellEveryByte()
{
    QCOMPARE(PayloadFormatter::hexBytes(QByteArray("AT\r\n\0\xff", 6)), QStringLiteral("41 54 0D 0A 00 FF"));
    QCOMPARE(PayloadFormatter::hexBytes({}), QString());
}

void TestPayloadFormatter::hexDumpShowsOffsetsBytesAndAscii()
{
    QByteArray bytes("{\"temp\":21.5}\n");
    bytes += QByteArray("\0\xff", 2);
    bytes += "tail";
    const QString expected =
        QStringLiteral("00000000  7b 22 74 65 6d 70 22 3a  32 31 2e 35 7d 0a 00 ff  |{\"temp\":21.5}...|\n"
                       "00000010  74 61 69 6c                                       |tail|");
    QCOMPARE(PayloadFormatter::hexDump(bytes), expected);
    QCOMPARE(PayloadFormatter::render(PayloadFormatter::View::Hex, bytes), expected);
    QCOMPARE(PayloadFormatter::hexDump({}), QString());
}

void TestPayloadFormatter::prettyJsonKeepsTheSendersOrderAndSpelling_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("pretty");

    QTest::newRow("object keeps key order")
        << QByteArray("{\"z\":1,\"a\":[true,null],\"m\":{}}")
        << QStringLiteral("{\n  \"z\": 1,\n  \"a\": [\n    true,\n    null\n  ],\n  \"m\": {}\n}");
    QTest::newRow("numbers keep their spelling") << QByteArray("[1.0e3, 12345678901234567890, -0.10]")
                                                 << QStringLiteral("[\n  1.0e3,\n  12345678901234567890,\n  -0.10\n]");
    QTest::newRow("brackets and escapes inside strings")
        << QByteArray("{ \"k\" : \"a,{b}:[c] \\\"q\\\" \\\\\" }")
        << QStringLiteral("{\n  \"k\": \"a,{b}:[c] \\\"q\\\" \\\\\"\n}");
    QTest::newRow("duplicate keys stay") << QByteArray("{\"a\":1,\"a\":2}")
                                         << QStringLiteral("{\n  \"a\": 1,\n  \"a\": 2\n}");
    QTest::newRow("bare number") << QByteArray(" 42 ") << QStringLiteral("42");
    QTest::newRow("bare string") << QByteArray("\"on\"") << QStringLiteral("\"on\"");
    QTest::newRow("utf-8 string") << QByteArray("{\"t\":\"23 °C\"}") << QStringLiteral("{\n  \"t\": \"23 °C\"\n}");
    QTest::newRow("empty array") << QByteArray("[ ]") << QStringLiteral("[]");
}

void TestPayloadFormatter::prettyJsonKeepsTheSendersOrderAndSpelling()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, pretty);
    const PayloadFormatter::JsonResult result = PayloadFormatter::prettyJson(json);
    QVERIFY2(result.ok, qPrintable(result.text));
    QCOMPARE(result.text, pretty);
    QCOMPARE(result.errorOffset, -1);
}

void TestPayloadFormatter::invalidJsonSaysWhyAndWhere_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qsizetype>("offset");

    QTest::newRow("plain text") << QByteArray("hello") << qsizetype(0);
    QTest::newRow("unterminated string") << QByteArray("{\"a\":\"b") << qsizetype(7);
    QTest::newRow("missing value") << QByteArray("{\"a\":}") << qsizetype(5);
    QTest::newRow("two values") << QByteArray("1,2") << qsizetype(1);
    QTest::newRow("empty") << QByteArray() << qsizetype(0);
    QTest::newRow("blank") << QByteArray(" \r\n") << qsizetype(0);
}

void TestPayloadFormatter::invalidJsonSaysWhyAndWhere()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qsizetype, offset);
    const PayloadFormatter::JsonResult result = PayloadFormatter::prettyJson(bytes);
    QVERIFY(!result.ok);
    QVERIFY2(result.text.startsWith(QStringLiteral("not JSON: ")), qPrintable(result.text));
    // Qt's parser reports the offset where it stopped, which may be a byte or two past the culprit.
    QVERIFY2(result.errorOffset >= offset && result.errorOffset <= offset + 2,
             qPrintable(QStringLiteral("%1: %2").arg(result.errorOffset).arg(result.text)));
    QVERIFY(result.errorOffset <= bytes.size());
    if (!bytes.trimmed().isEmpty() && bytes != "1,2")
        QVERIFY(result.text.contains(QStringLiteral("offset %1").arg(result.errorOffset)));
}

void TestPayloadFormatter::truncatedPayloadsSayHowLongTheyWere_data()
{
    QTest::addColumn<int>("view");
    QTest::newRow("text") << int(PayloadFormatter::View::Text);
    QTest::newRow("hex") << int(PayloadFormatter::View::Hex);
    QTest::newRow("json") << int(PayloadFormatter::View::Json);
}

void TestPayloadFormatter::truncatedPayloadsSayHowLongTheyWere()
{
    QFETCH(int, view);
    const QByteArray kept = "{\"reading\":[1,2,3";
    const QString out = PayloadFormatter::render(PayloadFormatter::View(view), kept, 70'000);
    QVERIFY2(out.endsWith(PayloadFormatter::truncationNote(kept.size(), 70'000)), qPrintable(out));
    QVERIFY(out.contains(QStringLiteral("70000")));
    QVERIFY(out.contains(QString::number(kept.size())));
    const QString whole = PayloadFormatter::render(PayloadFormatter::View(view), kept, kept.size());
    QVERIFY(!whole.contains(QStringLiteral("Truncated")));
}

QTEST_MAIN(TestPayloadFormatter)
#include "tst_payloadformatter.moc"
