// The serial port read on a thread of its own, over a real pseudo-terminal as on a USB adapter.

#include "support/ptypair.h"

#include "core/serial/threadedserialport.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace qmt;

namespace {

/// Bytes that show a reordering, a loss or a duplication: each position holds a different pattern.
QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 7 + i / 251) & 0xff);
    return bytes;
}

} // namespace

class TestThreadedSerialPort : public QObject
{
    Q_OBJECT

    static void openOn(ThreadedSerialPort &port, const test::PtyPair &pty)
    {
        port.setPortName(pty.slavePath());
        port.setBaudRate(115200);
        QVERIFY2(port.open(QIODevice::ReadWrite), qPrintable(port.errorString()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_threadedserialport"));
    }

    void bytesArriveCompleteAndInOrder()
    {
        test::PtyPair pty;
        ThreadedSerialPort port;
        openOn(port, pty);
        QByteArray got;
        connect(&port, &QIODevice::readyRead, this, [&port, &got] { got += port.readAll(); });
        const QByteArray sent = pattern(512 * 1024); // far more than the tty buffers hold at once
        for (qsizetype at = 0; at < sent.size(); at += 3000) {
            pty.write(sent.mid(at, 3000));
            QCoreApplication::processEvents();
        }
        QTRY_COMPARE_WITH_TIMEOUT(got.size(), sent.size(), 20'000);
        QVERIFY(got == sent);
        // The descriptor was read, but not by the thread the device lives in.
        QVERIFY(port.readerThreadId() != nullptr);
        QVERIFY(port.readerThreadId() != QThread::currentThreadId());
    }

    void writesReachThePortAndAreReportedWritten()
    {
        test::PtyPair pty;
        ThreadedSerialPort port;
        openOn(port, pty);
        QSignalSpy written(&port, &QIODevice::bytesWritten);
        QCOMPARE(port.write("AT+QMTOPEN?\r"), qint64(12));
        QCOMPARE(port.write("AT+QMTCONN?\r"), qint64(12));
        QTRY_COMPARE(pty.received(), QByteArray("AT+QMTOPEN?\rAT+QMTCONN?\r"));
        QTRY_COMPARE(port.bytesToWrite(), qint64(0));
        qint64 total = 0;
        for (const QList<QVariant> &args : std::as_const(written))
            total += args.at(0).toLongLong();
        QCOMPARE(total, qint64(24));
    }

    void aReaderThatDoesNotReadHoldsTheLineBackAndLosesNothing()
    {
        test::PtyPair pty;
        ThreadedSerialPort port;
        port.setMaxBytesInFlight(2048);
        openOn(port, pty);
        const QByteArray sent = pattern(8 * 1024); // what a pseudo-terminal holds without a reader (12 KiB)
        pty.write(sent);
        QTRY_VERIFY(port.bytesAvailable() >= 1024);
        // Nobody reads: the device takes no more than its bound, the rest stays in the system's buffers.
        QVERIFY(!QTest::qWaitFor([&port] { return port.bytesAvailable() > 2048; }, 500));
        QByteArray got;
        QVERIFY(QTest::qWaitFor(
            [&] {
                got += port.readAll();
                return got.size() >= sent.size();
            },
            10'000));
        QVERIFY(got == sent);
    }

    void theAdapterUnpluggedIsReportedAsLostWithTheReason()
    {
        test::PtyPair pty;
        ThreadedSerialPort port;
        openOn(port, pty);
        QSignalSpy lost(&port, &PortDevice::lost);
        QByteArray got;
        connect(&port, &QIODevice::readyRead, this, [&port, &got] { got += port.readAll(); });
        pty.write("\r\n+QMTSTAT: 0,1\r\n");
        QTRY_COMPARE(got, QByteArray("\r\n+QMTSTAT: 0,1\r\n"));
        pty.unplug();
        QVERIFY(lost.wait(5000));
        QCOMPARE(lost.size(), 1);
        const QString reason = lost.front().front().toString();
        QVERIFY2(!reason.isEmpty(), "the loss names its reason");
        QVERIFY(!port.isOpen());
        QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (qmt::ThreadedSerialPort): device not open");
        QCOMPARE(port.write("AT\r"), qint64(-1)); // refused, not queued for a port that is gone
    }

    void theDeviceOpensAgainAfterALossAndAfterAClose()
    {
        test::PtyPair first;
        ThreadedSerialPort port;
        openOn(port, first);
        QSignalSpy lost(&port, &PortDevice::lost);
        first.unplug();
        QVERIFY(lost.wait(5000));
        test::PtyPair second;
        openOn(port, second);
        QByteArray got;
        connect(&port, &QIODevice::readyRead, this, [&port, &got] { got += port.readAll(); });
        second.write("OK\r\n");
        QTRY_COMPARE(got, QByteArray("OK\r\n"));
        port.close();
        QVERIFY(!port.isOpen());
        openOn(port, second); // the same port again: the reader let go of it on close
        port.write("AT\r");
        QTRY_COMPARE(second.received(), QByteArray("AT\r"));
        second.write("RDY\r\n");
        QTRY_COMPARE(got, QByteArray("OK\r\nRDY\r\n"));
        QCOMPARE(lost.size(), 1);
    }

    void aPortThatCannotBeOpenedFailsInOpenWithTheReason()
    {
        ThreadedSerialPort missing;
        missing.setPortName(QStringLiteral("/dev/qmt-no-such-port"));
        QVERIFY(!missing.open(QIODevice::ReadWrite));
        QCOMPARE(missing.error(), QSerialPort::DeviceNotFoundError);
        QVERIFY(!missing.errorString().isEmpty());

        test::PtyPair pty;
        ThreadedSerialPort holder;
        openOn(holder, pty);
        ThreadedSerialPort second;
        second.setPortName(pty.slavePath());
        QVERIFY(!second.open(QIODevice::ReadWrite)); // busy: another holder has it
        QCOMPARE(second.error(), QSerialPort::PermissionError);
        QVERIFY(!second.isOpen());
    }
};

QTEST_GUILESS_MAIN(TestThreadedSerialPort)
#include "tst_threadedserialport.moc"
