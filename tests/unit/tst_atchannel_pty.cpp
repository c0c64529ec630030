// The AT channel over a real pseudo-terminal with QSerialPort on the host side, as on hardware.

#include "support/ptypair.h"

#include "core/at/atchannel.h"
#include "core/qmt/qmtcommands.h"
#include "core/qmt/recvlinecontinuation.h"
#include "core/serial/threadedserialport.h"

#include <QSerialPort>
#include <QSignalSpy>
#include <QTest>

using namespace qmt;

class TestAtChannelPty : public QObject
{
    Q_OBJECT

    struct Rig
    {
        test::PtyPair pty;
        QSerialPort port;
        AtChannel channel;
        RecvLineContinuation policy;
        QList<AtReply> replies;
        QList<AtLine> urcs;

        bool open()
        {
            port.setPortName(pty.slavePath());
            port.setBaudRate(115200);
            if (!port.open(QIODevice::ReadWrite))
                return false;
            channel.setContinuationPolicy(&policy);
            channel.setDevice(&port);
            QObject::connect(&channel, &AtChannel::commandFinished, [this](const AtReply &r) { replies.append(r); });
            QObject::connect(&channel, &AtChannel::urcReceived, [this](const AtLine &l) { urcs.append(l); });
            return true;
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_atchannel_pty"));
    }

    void commandsResponsesAndUrcsCrossAPseudoTerminal()
    {
        Rig rig;
        QVERIFY(rig.open());
        const QmtCommands qmt;
        const quint64 id = rig.channel.submit(QmtCommands::openRead());
        QTRY_COMPARE(rig.pty.received(), QByteArray("AT+QMTOPEN?\r"));
        // Echo on, a URC before the answer, one between the answer and OK, several in one write.
        rig.pty.write(
            "AT+QMTOPEN?\r\r\n+QMTRECV: 1,3,\"a/b\",5,\"x\r\n,\"\"\r\n\r\n+QMTOPEN: 1,\"127.0.0.1\",1883\r\n");
        rig.pty.write("\r\n+QMTSTAT: 2,1\r\n\r\nOK\r\n\r\n+CEREG: 5\r\n+QMTSTAT: 3,7\r\n");
        QTRY_COMPARE(rig.replies.size(), 1);
        QCOMPARE(rig.replies[0].id, id);
        QCOMPARE(rig.replies[0].status, ReplyStatus::Ok);
        QCOMPARE(rig.replies[0].lines, QList<QByteArray>{"+QMTOPEN: 1,\"127.0.0.1\",1883"});
        QTRY_COMPARE(rig.urcs.size(), 4);
        QCOMPARE(rig.urcs[0].text, QByteArray("+QMTRECV: 1,3,\"a/b\",5,\"x\r\n,\"\""));
        QCOMPARE(rig.urcs[1].text, QByteArray("+QMTSTAT: 2,1"));
        QCOMPARE(rig.urcs[3].text, QByteArray("+QMTSTAT: 3,7"));
    }

    void aTimeoutOverTheLineLeavesTheChannelUsable()
    {
        Rig rig;
        QVERIFY(rig.open());
        const QmtCommands qmt;
        rig.channel.submit(*qmt.cfgQuery(CfgOption::KeepAlive, 0));
        AtCommand next = QmtCommands::testForm(QmtCommand::Close);
        next.timeoutMs = 30'000; // time enough for the answer below however loaded the machine
        rig.channel.submit(next);
        QTRY_COMPARE_WITH_TIMEOUT(rig.replies.size(), 1, 10'000);
        QCOMPARE(rig.replies[0].status, ReplyStatus::Timeout);
        QTRY_VERIFY(rig.pty.received().endsWith("AT+QMTCLOSE=?\r"));
        rig.pty.write("\r\n+QMTCLOSE: (0-4)\r\n\r\nOK\r\n");
        QTRY_COMPARE(rig.replies.size(), 2);
        QCOMPARE(rig.replies[1].status, ReplyStatus::Ok);
    }

    void dataModeOverThePseudoTerminal()
    {
        Rig rig;
        QVERIFY(rig.open());
        const QmtCommands qmt;
        rig.channel.submit(*qmt.publish({0, 3, 1, false, "t", "line1\r\nline2"}));
        QTRY_VERIFY(rig.pty.received().endsWith("AT+QMTPUB=0,3,1,0,\"t\",12\r"));
        rig.pty.write("\r\n> ");
        QTRY_VERIFY_WITH_TIMEOUT(rig.pty.received().endsWith("line1\r\nline2"), 10'000);
        rig.pty.write("\r\nOK\r\n\r\n+QMTPUB: 0,3,0\r\n");
        QTRY_COMPARE(rig.replies.size(), 1);
        QCOMPARE(rig.replies[0].resultLine(), QByteArray("+QMTPUB: 0,3,0"));
    }

    void unpluggingTheAdapterIsAStateChangeNotACrash()
    {
        Rig rig;
        QVERIFY(rig.open());
        const QmtCommands qmt;
        QSignalSpy lost(&rig.channel, &AtChannel::deviceLost);
        rig.channel.submit(*qmt.open(0, "h", 1883));
        rig.channel.submit(QmtCommands::connRead());
        QTRY_VERIFY(!rig.pty.received().isEmpty());
        rig.pty.write("\r\nOK\r\n");
        QTRY_COMPARE(rig.channel.awaitingResultCount(), 1);
        rig.pty.unplug();
        QVERIFY(lost.wait(3000));
        QCOMPARE(lost.size(), 1);
        QCOMPARE(rig.replies.size(), 2);
        for (const AtReply &r : rig.replies)
            QCOMPARE(r.status, ReplyStatus::PortClosed);
        QVERIFY(!rig.port.isOpen());
        QCOMPARE(rig.channel.device(), nullptr);
        // Nothing spins or hangs afterwards, and new commands are refused, not lost.
        const quint64 late = rig.channel.submit(QmtCommands::connRead());
        QTRY_COMPARE(rig.replies.size(), 3);
        QCOMPARE(rig.replies.back().id, late);
        QCOMPARE(rig.replies.back().status, ReplyStatus::Rejected);
        QCOMPARE(lost.size(), 1);
    }

    void theThreadedPortsLossFailsTheCommandsWithTheSystemsReason()
    {
        test::PtyPair pty;
        ThreadedSerialPort port;
        port.setPortName(pty.slavePath());
        QVERIFY(port.open(QIODevice::ReadWrite));
        AtChannel channel;
        channel.setDevice(&port);
        QList<AtReply> replies;
        QObject::connect(&channel, &AtChannel::commandFinished, [&replies](const AtReply &r) { replies.append(r); });
        QSignalSpy lost(&channel, &AtChannel::deviceLost);
        channel.submit(QmtCommands::connRead());
        QTRY_COMPARE(pty.received(), QByteArray("AT+QMTCONN?\r"));
        pty.unplug();
        QVERIFY(lost.wait(5000));
        QCOMPARE(lost.size(), 1);
        // The system's words (EIO on Linux), not merely that the device closed after it.
        const QString reason = lost.front().front().toString();
        QVERIFY2(!reason.isEmpty() && reason != QStringLiteral("it was closed"), qPrintable(reason));
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies[0].status, ReplyStatus::PortClosed);
        QVERIFY2(replies[0].detail.contains(reason), qPrintable(replies[0].detail));
        QCOMPARE(channel.device(), nullptr);
        QVERIFY(!port.isOpen());
    }
};

QTEST_GUILESS_MAIN(TestAtChannelPty)
#include "tst_atchannel_pty.moc"
