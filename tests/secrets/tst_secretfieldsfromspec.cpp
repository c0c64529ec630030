// The spec table is the only place that says a parameter is secret. Redaction of commands, answers and
// captures, the builders' display text, validation messages, the widgets' echo, the data after a console
// prompt and the virtual module's serial trace all follow it: a parameter made secret in a copy of the
// table is redacted everywhere, and the APN password the note's table marks is redacted like any other.

#include "core/qmt/qmtcommands.h"
#include "core/qmt/redaction.h"
#include "core/qmt/validation.h"
#include "gui/panels/specwidgets.h"
#include "sim/serialtrace.h"

#include <QLineEdit>
#include <QTest>

#include <vector>

using namespace qmt;

namespace {

/// A copy of the note's table in which `secrets` are secret too.
struct TableCopy
{
    explicit TableCopy(std::initializer_list<Param> secrets)
        : params(noteSpecTable().params.begin(), noteSpecTable().params.end())
        , forms(noteSpecTable().forms.begin(), noteSpecTable().forms.end())
    {
        for (const Param p : secrets)
            params[size_t(p)].secret = true;
    }
    [[nodiscard]] SpecTable table() const { return SpecTable{params, forms}; }

    std::vector<ParamSpec> params;
    std::vector<CommandForm> forms;
};

const QByteArray UserName = "alice-in-clear";

/// What the virtual module's trace shows of one exchange: the host's bytes, then the module's.
QByteArray traced(const QList<QByteArray> &fromHost, const QList<QByteArray> &fromModule)
{
    sim::SerialTrace trace;
    QByteArray out;
    for (qsizetype i = 0; i < std::max(fromHost.size(), fromModule.size()); ++i) {
        if (i < fromHost.size())
            out += trace.fromHost(fromHost[i]);
        if (i < fromModule.size())
            out += trace.fromModule(fromModule[i]);
    }
    return out;
}

} // namespace

class TestSecretFieldsFromSpec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_secretfieldsfromspec"));
    }

    void everySecretOfTheTableHasAPlaceToBeRedacted()
    {
        // A secret no command form carries would be marked and never redacted anywhere.
        for (const ParamSpec &p : allParams()) {
            if (!p.secret)
                continue;
            bool carried = false;
            for (const CommandForm &f : commandForms()) {
                for (int i = 0; i < f.arguments.size(); ++i)
                    carried = carried || f.arguments.at(i) == p.id;
                carried = carried || f.promptData == p.id;
            }
            QVERIFY2(carried, p.name);
        }
    }

    void theApnPasswordIsRedacted_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("AT+QCGDEFCONT") << QByteArray() << QByteArray(R"(AT+QCGDEFCONT="IP","apn","user","apn-pw",1)")
                                       << QByteArray(R"(AT+QCGDEFCONT="IP","apn","user","<redacted, 6 bytes>",1)");
        QTest::newRow("AT+CGAUTH unquoted") << QByteArray() << QByteArray("at+cgauth=1,1,user,apn-pw")
                                            << QByteArray("at+cgauth=1,1,user,<redacted, 6 bytes>");
        QTest::newRow("chained") << QByteArray() << QByteArray(R"(AT+CSQ;+CGAUTH=1,1,"user","apn-pw")")
                                 << QByteArray(R"(AT+CSQ;+CGAUTH=1,1,"user","<redacted, 6 bytes>")");
        QTest::newRow("the query's answer")
            << QByteArray("AT+QCGDEFCONT?") << QByteArray(R"(+QCGDEFCONT: "IPV4V6","apn2","user","apn-pw",1)")
            << QByteArray(R"(+QCGDEFCONT: "IPV4V6","apn2","user","<redacted, 6 bytes>",1)");
        QTest::newRow("the answer, command not known") << QByteArray() << QByteArray(R"(+CGAUTH: 1,1,"user","apn-pw")")
                                                       << QByteArray(R"(+CGAUTH: 1,1,"user","<redacted, 6 bytes>")");
        QTest::newRow("a test form's ranges are not values")
            << QByteArray("AT+CGAUTH=?") << QByteArray("+CGAUTH: (1-10),(0-2),(0-19),(0-19)")
            << QByteArray("+CGAUTH: (1-10),(0-2),(0-19),(0-19)");
        QTest::newRow("no password") << QByteArray() << QByteArray(R"(+QCGDEFCONT: "IP","apn")")
                                     << QByteArray(R"(+QCGDEFCONT: "IP","apn")");
    }

    void theApnPasswordIsRedacted()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, expected);
        const bool isCommand = line.toUpper().startsWith("AT");
        QCOMPARE(isCommand ? redactCommand(line) : redactResponse(command, line), expected);
        // Anywhere in a line nobody recognised, too.
        QCOMPARE(redactEmbedded("12:00:01 " + line), "12:00:01 " + expected);
    }

    void theApnPasswordIsNotInTheVirtualModulesTrace()
    {
        const QByteArray shown = traced({"AT+QCGDEFCONT=\"IP\",\"apn\",\"user\",\"apn-pw\"\r", "AT+QCGDEFCONT?\r"},
                                        {"AT+QCGDEFCONT=\"IP\",\"apn\",\"user\",\"apn-pw\"\r\r\nOK\r\n",
                                         "\r\n+QCGDEFCONT: \"IP\",\"apn\",\"user\",\"apn-pw\",1\r\n\r\nOK\r\n"});
        QVERIFY2(!shown.contains("apn-pw"), shown.constData());
        QVERIFY2(shown.contains("+QCGDEFCONT: \"IP\",\"apn\",\"user\",\"<redacted, 6 bytes>\",1"), shown.constData());
    }

    void aParameterMadeSecretInACopyOfTheTableIsRedactedEverywhere()
    {
        const QByteArray conn = "AT+QMTCONN=0,\"c\",\"" + UserName + "\",\"pw\"";
        // Under the note's table the user name shows: the checks below can tell.
        QVERIFY(redactCommand(conn).contains(UserName));

        const TableCopy copy{Param::UserName, Param::ProductKey, Param::ClientCert};
        const SpecTable table = copy.table(); // the override points to it: it must outlive the override
        const SpecTableOverride use(table);

        // Commands, however they are met.
        QCOMPARE(redactCommand(conn), QByteArray(R"(AT+QMTCONN=0,"c","<redacted, 14 bytes>","<redacted, 2 bytes>")"));
        QVERIFY(!redactEmbedded("noise T+QMTCONN=0,c," + UserName).contains(UserName));
        // Answers that repeat it.
        QCOMPARE(redactResponse(R"(AT+QMTCFG="aliauth",0)", R"(+QMTCFG: "pk-secret","dn","ds")"),
                 QByteArray(R"(+QMTCFG: "<redacted, 9 bytes>","dn","<redacted, 2 bytes>")"));
        // The builders' display text.
        const auto built = QmtCommands().conn(0, "c", UserName);
        QVERIFY(built.ok());
        QVERIFY(built->text.contains(UserName));
        QVERIFY(!built->shownText().contains(UserName));
        // Validation messages.
        const auto error = check::quoted(Param::UserName, UserName + '"');
        QVERIFY(error);
        QVERIFY2(!error->message().contains(QString::fromUtf8(UserName)), qPrintable(error->message()));
        // The widgets.
        QLineEdit edit;
        specwidgets::bind(&edit, Param::UserName);
        QCOMPARE(edit.echoMode(), QLineEdit::Password);
        // The data typed after a console prompt that takes it.
        QVERIFY(promptDataIsSecret(R"(AT+QSSLCFG=0,0,"clientcert")"));
        // The virtual module's trace: the command, its echo, and what follows the prompt.
        const QByteArray cert = "-----BEGIN CERTIFICATE-----\r\nMIIBcert-body-in-clear\r\n-----END CERTIFICATE-----";
        const QByteArray shown =
            traced({conn + '\r', "AT+QSSLCFG=0,0,\"clientcert\"\r", cert + '\x1a'},
                   {conn + "\r\r\nOK\r\n", "AT+QSSLCFG=0,0,\"clientcert\"\r\r\n> ", cert + "\r\nOK\r\n"});
        QVERIFY2(!shown.contains(UserName), shown.constData());
        QVERIFY2(!shown.contains("cert-body-in-clear"), shown.constData());
    }

    void aCommandWithNoSecretUnderTheNoteGetsOneFromTheTable()
    {
        const QByteArray topic = "plant/topic-in-clear";
        const QByteArray sub = "AT+QMTSUB=0,1,\"" + topic + "\",1";
        // Redaction has read the note's table already: it must read the copy once the copy is in force.
        QVERIFY(redactCommand(sub).contains(topic));
        QVERIFY(redactEmbedded("noise " + sub).contains(topic));
        {
            const TableCopy copy{Param::Topic};
            const SpecTable table = copy.table(); // the override points to it: it must outlive the override
            const SpecTableOverride use(table);
            QCOMPARE(redactCommand(sub), QByteArray(R"(AT+QMTSUB=0,1,"<redacted, 20 bytes>",1)"));
            QVERIFY(!redactEmbedded("noise " + sub).contains(topic));
            QVERIFY(!redactEmbedded("noise T+QMTPUB=0,0,0,0,\"" + topic + '"').contains(topic));
        }
        QVERIFY(redactCommand(sub).contains(topic));
    }

    void theOverrideEnds()
    {
        {
            const TableCopy copy{Param::UserName};
            const SpecTable table = copy.table(); // the override points to it: it must outlive the override
            const SpecTableOverride use(table);
            QVERIFY(spec(Param::UserName).secret);
        }
        QVERIFY(!spec(Param::UserName).secret);
        QLineEdit edit;
        specwidgets::bind(&edit, Param::UserName);
        QCOMPARE(edit.echoMode(), QLineEdit::Normal);
    }
};

QTEST_MAIN(TestSecretFieldsFromSpec)
#include "tst_secretfieldsfromspec.moc"
