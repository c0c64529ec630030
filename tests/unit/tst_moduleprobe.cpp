#include "support/ptypair.h"

#include "core/module/moduleprobe.h"

#include <QSignalSpy>
#include <QTest>

using namespace qmt;

class TestModuleProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsThePortsThatAnswerOk()
    {
        test::PtyPair silent;
        test::PtyPair module;
        test::PtyPair sleepy;
        // A module answers OK; a sleeping one loses the first AT (protocol-notes §3.4) and answers the second.
        QObject::connect(&module, &test::PtyPair::hostWrote, [&module](const QByteArray &b) {
            if (b.contains("AT\r"))
                module.write("\r\nOK\r\n");
        });
        int sleepyCount = 0;
        QObject::connect(&sleepy, &test::PtyPair::hostWrote, [&](const QByteArray &b) {
            if (b.contains("AT\r") && ++sleepyCount == 2)
                sleepy.write("\r\nOK\r\n");
        });
        ModuleProbe probe;
        probe.setAnswerTimeoutMs(200);
        QSignalSpy finished(&probe, &ModuleProbe::finished);
        probe.start({silent.slavePath(), QStringLiteral("/dev/does-not-exist"), module.slavePath(), sleepy.slavePath()},
                    115200);
        QVERIFY(probe.isRunning());
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.front().front().toStringList(), (QStringList{module.slavePath(), sleepy.slavePath()}));
        QVERIFY(silent.received().startsWith("AT\r"));
        QVERIFY(!probe.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestModuleProbe)
#include "tst_moduleprobe.moc"
