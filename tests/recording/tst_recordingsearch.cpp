// What a search of a recording finds: the literal that lets a cheap substring test skip rows a regular
// expression cannot match must really be in every match, and a bad query says what is wrong.

#include "core/recording/recordingsearch.h"

#include <QRegularExpression>
#include <QTest>

using namespace qmt;

class TestRecordingSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_recordingsearch"));
    }

    void theRequiredLiteralIsInEveryMatch_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("literal");
        QTest::addColumn<QStringList>("matching");

        const auto row = [](const char *name, const char *pattern, const char *literal, QStringList matching) {
            QTest::newRow(name) << QString::fromUtf8(pattern) << QString::fromUtf8(literal) << matching;
        };
        row("plain", "temperature", "temperature", {QStringLiteral("a temperature b")});
        row("digits after", "\"temp\":\\s*\\d+", "\"temp\":", {QStringLiteral("{\"temp\": 21}")});
        row("optional char leaves", "colou?r=red", "r=red",
            {QStringLiteral("color=red"), QStringLiteral("colour=red")});
        row("star leaves", "ab*cdef", "cdef", {QStringLiteral("acdef"), QStringLiteral("abbbcdef")});
        row("plus breaks the run", "xy+zzz", "zzz", {QStringLiteral("xyyyzzz")});
        row("escaped dot is a character", "\\.json$", ".json", {QStringLiteral("a.json")});
        row("class skipped", "[0-9]{3}-abc", "-abc", {QStringLiteral("123-abc")});
        row("optional group skipped", "(pre)?fixed", "fixed", {QStringLiteral("fixed"), QStringLiteral("prefixed")});
        row("counted char leaves", "x{0,2}yyy", "yyy", {QStringLiteral("yyy"), QStringLiteral("xxyyy")});
        row("case flag group", "(?i)Battery", "Battery", {QStringLiteral("BATTERY low")});
        row("alternation: none", "alpha|beta", "", {QStringLiteral("beta")});
        row("too short: none", "ab\\d", "", {QStringLiteral("ab1")});
        row("only classes: none", "\\d+\\.\\d+", "", {QStringLiteral("21.5")});
        row("extended syntax: none", "(?x) a b c d", "", {QStringLiteral("abcd")});
        row("non-ASCII ends a run", "grün-ok", "n-ok", {QStringLiteral("grün-ok")});
    }

    void theRequiredLiteralIsInEveryMatch()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, literal);
        QFETCH(QStringList, matching);
        QCOMPARE(requiredLiteral(pattern), literal);
        const QRegularExpression re(pattern);
        QVERIFY(re.isValid());
        for (const QString &text : matching) {
            QVERIFY2(re.match(text).hasMatch(), qPrintable(text));
            // The prefilter is case-insensitive (LIKE), as the expression may be.
            QVERIFY2(text.contains(literal, Qt::CaseInsensitive), qPrintable(text));
        }
    }

    void aQueryThatCannotRunSaysWhy()
    {
        SearchQuery empty;
        QVERIFY(empty.validate().contains(QStringLiteral("empty")));

        SearchQuery nowhere;
        nowhere.pattern = QStringLiteral("x");
        nowhere.inTopics = nowhere.inPayloads = false;
        QVERIFY(nowhere.validate().contains(QStringLiteral("topics, payloads or both")));

        SearchQuery broken;
        broken.pattern = QStringLiteral("temp(\\d+");
        broken.syntax = SearchQuery::Syntax::RegularExpression;
        const QString error = broken.validate();
        QVERIFY2(error.contains(QStringLiteral("temp(\\d+")) && error.contains(QStringLiteral("offset 8")),
                 qPrintable(error));

        SearchQuery fine;
        fine.pattern = QStringLiteral("temp(\\d+)");
        fine.syntax = SearchQuery::Syntax::RegularExpression;
        QVERIFY(fine.validate().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRecordingSearch)
#include "tst_recordingsearch.moc"
