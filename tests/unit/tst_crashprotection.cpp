#include "app/common/crashprotection.h"

#include <QTest>

#include <sys/prctl.h>
#include <sys/resource.h>

using namespace qmt;

namespace {

QStringList g_written; // what reached the handler that writes (Qt's, in the application)

void recordingHandler(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_written.append(message);
}

} // namespace

class TestCrashProtection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aCrashLeavesNoCoreDumpAndMessagesCarryNoSecret()
    {
        qunsetenv("QMT_ALLOW_CORE_DUMPS");
        // Stands for the handler that writes to standard error (or a platform's log).
        const QtMessageHandler testlib = qInstallMessageHandler(recordingHandler);
        const CrashProtection protection = protectSecretsFromCrashes();
        QVERIFY(protection.coreDumpsOff);
        QVERIFY(protection.messagesRedacted);

        rlimit core{};
        QCOMPARE(getrlimit(RLIMIT_CORE, &core), 0);
        QCOMPARE(core.rlim_cur, rlim_t(0));
        QCOMPARE(core.rlim_max, rlim_t(0)); // and it cannot be raised again by a library
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);

        // A message that quotes a command line, as a warning or the text of a qFatal would.
        qWarning("command failed: AT+QMTCONN=0,\"client\",\"user\",\"hunter2\"");
        qWarning("module said +QMTCFG: \"pk\",\"dn\",\"devsecret42\"");
        qInstallMessageHandler(testlib);
        QCOMPARE(g_written.size(), 2);
        QVERIFY2(!g_written.join(QLatin1Char('\n')).contains(QStringLiteral("hunter2")), qPrintable(g_written[0]));
        QVERIFY(!g_written.join(QLatin1Char('\n')).contains(QStringLiteral("devsecret42")));
        QVERIFY(g_written[0].contains(QStringLiteral("\"user\",\"<redacted, 7 bytes>\"")));
    }
};

QTEST_GUILESS_MAIN(TestCrashProtection)
#include "tst_crashprotection.moc"
