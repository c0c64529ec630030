#include "core/serial/serialportbusyprobe.h"
#include "gui/models/recentportpaths.h"
#include "gui/models/serialportlistmodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QMutex>
#include <QSerialPort>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

using namespace qmt;

namespace {

SerialPortEntry port(const QString &name, const QString &description = {})
{
    SerialPortEntry e;
    e.portName = name;
    e.systemLocation = QStringLiteral("/dev/") + name;
    e.description = description;
    return e;
}

/// A port list the test changes at will; read on the model's worker thread, hence the mutex.
class FakePorts
{
public:
    void set(QList<SerialPortEntry> ports, QHash<QString, QString> busy = {})
    {
        QMutexLocker lock(&m_mutex);
        m_ports = std::move(ports);
        m_busy = std::move(busy);
    }
    int reads()
    {
        QMutexLocker lock(&m_mutex);
        return m_reads;
    }
    SerialPortListModel::Lister lister()
    {
        return [this] {
            QMutexLocker lock(&m_mutex);
            ++m_reads;
            return m_ports;
        };
    }
    SerialPortListModel::BusyProbe probe()
    {
        return [this](const QList<SerialPortEntry> &) {
            QMutexLocker lock(&m_mutex);
            return m_busy;
        };
    }

private:
    QMutex m_mutex;
    QList<SerialPortEntry> m_ports;
    QHash<QString, QString> m_busy;
    int m_reads = 0;
};

bool refreshAndWait(SerialPortListModel &model)
{
    QSignalSpy refreshed(&model, &SerialPortListModel::refreshed);
    model.refresh();
    return refreshed.wait(5000);
}

bool waitForFirstRead(SerialPortListModel &model)
{
    QSignalSpy refreshed(&model, &SerialPortListModel::refreshed);
    return refreshed.wait(5000);
}

QStringList names(const SerialPortListModel &model)
{
    QStringList out;
    for (int row = 1; row < model.rowCount(); ++row)
        out.append(model.portName(model.index(row)));
    return out;
}

/// A pseudo-terminal pair: the slave is a real serial port QSerialPort can open.
class PseudoTerminal
{
public:
    PseudoTerminal()
    {
        m_master = ::posix_openpt(O_RDWR | O_NOCTTY);
        if (m_master >= 0 && ::grantpt(m_master) == 0 && ::unlockpt(m_master) == 0)
            m_slavePath = QString::fromLocal8Bit(::ptsname(m_master));
    }
    ~PseudoTerminal()
    {
        if (m_master >= 0)
            ::close(m_master);
    }
    [[nodiscard]] QString slavePath() const { return m_slavePath; }

private:
    int m_master = -1;
    QString m_slavePath;
};

} // namespace

class TestSerialPortListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theVirtualModuleComesFirstAndCanAlwaysBeChosen();
    void portsAreSortedByNameWithNumbersInOrder();
    void refreshKeepsTheRowsOfPortsThatStay();
    void plugAndUnplugAreReportedButNotTheFirstListing();
    void anUnchangedListChangesNothing();
    void busyPortsShowWhyAndCannotBeChosen();
    void theTimerNoticesAPortBeingPlugged();
    void overlappingRefreshesAreFoldedIntoOneMoreRead();
    void tooltipDescribesThePort();
    void pseudoTerminalHeldOpenIsBusyUntilClosed();
    void lockFileOfALiveProcessMarksThePortBusy_data();
    void lockFileOfALiveProcessMarksThePortBusy();
    void theSystemsPortsAreListed();
    void recentPathsTheSystemDoesNotListAreRows();
    void recentPathsAreBoundedKeptAndSayWhatTheyDrop();
};

void TestSerialPortListModel::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("QmtStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_serialportlistmodel"));
}

void TestSerialPortListModel::theVirtualModuleComesFirstAndCanAlwaysBeChosen()
{
    FakePorts fake;
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1); // before the first read, too
    QVERIFY(waitForFirstRead(model));
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data().toString(), QStringLiteral("Virtual BC660K-GL (built-in)"));
    QVERIFY(model.isVirtual(first));
    QCOMPARE(model.portName(first), SerialPortListModel::VirtualPortName);
    QCOMPARE(model.rowOfPort(SerialPortListModel::VirtualPortName), 0);
    QVERIFY(model.flags(first) & Qt::ItemIsEnabled);
    QVERIFY(model.flags(first) & Qt::ItemIsSelectable);
    QVERIFY(!first.data(SerialPortListModel::BusyRole).toBool());
}

void TestSerialPortListModel::portsAreSortedByNameWithNumbersInOrder()
{
    FakePorts fake;
    fake.set({port(QStringLiteral("ttyUSB10")), port(QStringLiteral("ttyUSB2")), port(QStringLiteral("ttyACM0")),
              port(QStringLiteral("ttyUSB2"))});
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitForFirstRead(model));
    QCOMPARE(names(model), (QStringList{u"ttyACM0"_qs, u"ttyUSB2"_qs, u"ttyUSB10"_qs}));
    QCOMPARE(model.rowOfPort(QStringLiteral("ttyUSB10")), 3);
    QCOMPARE(model.rowOfPort(QStringLiteral("ttyS9")), -1);
}

void TestSerialPortListModel::refreshKeepsTheRowsOfPortsThatStay()
{
    FakePorts fake;
    fake.set({port(QStringLiteral("ttyUSB1")), port(QStringLiteral("ttyUSB2"))});
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitForFirstRead(model));
    const QPersistentModelIndex usb1 = model.index(model.rowOfPort(QStringLiteral("ttyUSB1")));
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutAboutToBeChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    fake.set({port(QStringLiteral("ttyUSB0")), port(QStringLiteral("ttyUSB1"))});
    QVERIFY(refreshAndWait(model));
    QCOMPARE(names(model), (QStringList{u"ttyUSB0"_qs, u"ttyUSB1"_qs}));
    QVERIFY(usb1.isValid());
    QCOMPARE(model.portName(usb1), QStringLiteral("ttyUSB1"));
    QCOMPARE(usb1.row(), 2);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(layout.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 1);
}

void TestSerialPortListModel::plugAndUnplugAreReportedButNotTheFirstListing()
{
    FakePorts fake;
    fake.set({port(QStringLiteral("ttyUSB0"))});
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &SerialPortListModel::portsChanged);
    QVERIFY(waitForFirstRead(model));
    QCOMPARE(changed.size(), 0);

    fake.set({port(QStringLiteral("ttyUSB0")), port(QStringLiteral("ttyUSB3"))});
    QVERIFY(refreshAndWait(model));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList{u"ttyUSB3"_qs});
    QCOMPARE(changed.at(0).at(1).toStringList(), QStringList());

    fake.set({port(QStringLiteral("ttyACM1"))});
    QVERIFY(refreshAndWait(model));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(1).at(0).toStringList(), QStringList{u"ttyACM1"_qs});
    QCOMPARE(changed.at(1).at(1).toStringList(), (QStringList{u"ttyUSB0"_qs, u"ttyUSB3"_qs}));
    QCOMPARE(names(model), QStringList{u"ttyACM1"_qs});
}

void TestSerialPortListModel::anUnchangedListChangesNothing()
{
    FakePorts fake;
    fake.set({port(QStringLiteral("ttyUSB0"), QStringLiteral("CP2102")), port(QStringLiteral("ttyUSB1"))},
             {{QStringLiteral("ttyUSB1"), QStringLiteral("in use by picocom (PID 7)")}});
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QVERIFY(waitForFirstRead(model));
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &SerialPortListModel::portsChanged);
    QVERIFY(refreshAndWait(model));
    QCOMPARE(dataChanged.size() + inserted.size() + removed.size() + reset.size() + changed.size(), 0);
}

void TestSerialPortListModel::busyPortsShowWhyAndCannotBeChosen()
{
    FakePorts fake;
    const QString reason = QStringLiteral("in use by minicom (PID 42)");
    fake.set({port(QStringLiteral("ttyUSB0")), port(QStringLiteral("ttyUSB1"), QStringLiteral("Quectel USB UART"))},
             {{QStringLiteral("ttyUSB1"), reason}});
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitForFirstRead(model));
    const QModelIndex busy = model.index(2);
    QVERIFY(model.isBusy(busy));
    QVERIFY(!(model.flags(busy) & Qt::ItemIsEnabled));
    QVERIFY(!(model.flags(busy) & Qt::ItemIsSelectable));
    QCOMPARE(busy.data(SerialPortListModel::BusyReasonRole).toString(), reason);
    QVERIFY(busy.data().toString().contains(QStringLiteral("Quectel USB UART")));
    QVERIFY(busy.data().toString().contains(QStringLiteral("busy")));
    QVERIFY(busy.data(Qt::ToolTipRole).toString().contains(reason));
    QVERIFY(model.flags(model.index(1)) & Qt::ItemIsEnabled);

    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    fake.set({port(QStringLiteral("ttyUSB0")), port(QStringLiteral("ttyUSB1"), QStringLiteral("Quectel USB UART"))});
    QVERIFY(refreshAndWait(model));
    QCOMPARE(dataChanged.size(), 1);
    QCOMPARE(dataChanged.at(0).at(0).toModelIndex().row(), 2);
    QVERIFY(model.flags(busy) & Qt::ItemIsEnabled);
    QVERIFY(!model.isBusy(busy));
}

void TestSerialPortListModel::theTimerNoticesAPortBeingPlugged()
{
    FakePorts fake;
    SerialPortListModel model(fake.lister(), fake.probe(), 20);
    QCOMPARE(model.refreshInterval(), 20);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitForFirstRead(model));
    QSignalSpy changed(&model, &SerialPortListModel::portsChanged);
    fake.set({port(QStringLiteral("ttyUSB0"))});
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList{u"ttyUSB0"_qs});
    model.setRefreshInterval(0);
    QCOMPARE(model.refreshInterval(), 0);
}

void TestSerialPortListModel::overlappingRefreshesAreFoldedIntoOneMoreRead()
{
    FakePorts fake;
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QVERIFY(waitForFirstRead(model));
    QCOMPARE(fake.reads(), 1);
    QSignalSpy refreshed(&model, &SerialPortListModel::refreshed);
    for (int i = 0; i < 5; ++i)
        model.refresh();
    QTRY_COMPARE(refreshed.size(), 2);
    QCOMPARE(fake.reads(), 3);
}

void TestSerialPortListModel::tooltipDescribesThePort()
{
    FakePorts fake;
    SerialPortEntry e = port(QStringLiteral("ttyUSB0"), QStringLiteral("Quectel USB UART"));
    e.manufacturer = QStringLiteral("Quectel");
    e.serialNumber = QStringLiteral("SN1234");
    e.vendorId = 0x2c7c;
    e.productId = 0x0191;
    fake.set({e});
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QVERIFY(waitForFirstRead(model));
    const QString tip = model.index(1).data(Qt::ToolTipRole).toString();
    for (const QString &part : {QStringLiteral("/dev/ttyUSB0"), QStringLiteral("Quectel USB UART"),
                                QStringLiteral("Quectel"), QStringLiteral("SN1234"), QStringLiteral("2c7c:0191")})
        QVERIFY2(tip.contains(part), qPrintable(tip));
    QCOMPARE(model.index(1).data(SerialPortListModel::SerialNumberRole).toString(), QStringLiteral("SN1234"));
}

void TestSerialPortListModel::pseudoTerminalHeldOpenIsBusyUntilClosed()
{
    PseudoTerminal pty;
    QVERIFY(!pty.slavePath().isEmpty());
    SerialPortEntry e;
    e.systemLocation = pty.slavePath();
    e.portName = pty.slavePath().mid(5); // "pts/3", as QSerialPortInfo names it
    QTemporaryDir locks;
    const SerialPortBusyProbe probe({locks.path()}, QStringLiteral("/proc"));
    SerialPortListModel model([e] { return QList<SerialPortEntry>{e}; },
                              [probe](const QList<SerialPortEntry> &ports) { return probe.busyPorts(ports); }, 0);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(waitForFirstRead(model));
    QVERIFY(!model.isBusy(model.index(1)));

    QSerialPort serial(pty.slavePath());
    QVERIFY2(serial.open(QIODevice::ReadWrite), qPrintable(serial.errorString()));
    QVERIFY(refreshAndWait(model));
    QVERIFY(model.isBusy(model.index(1)));
    QVERIFY2(
        model.index(1).data(SerialPortListModel::BusyReasonRole).toString().contains(QStringLiteral("this program")),
        qPrintable(model.index(1).data(SerialPortListModel::BusyReasonRole).toString()));

    serial.close();
    QVERIFY(refreshAndWait(model));
    QVERIFY(!model.isBusy(model.index(1)));
}

void TestSerialPortListModel::lockFileOfALiveProcessMarksThePortBusy_data()
{
    QFile pidMaxFile(QStringLiteral("/proc/sys/kernel/pid_max"));
    QVERIFY(pidMaxFile.open(QIODevice::ReadOnly));
    const QByteArray pidMax = pidMaxFile.readAll().trimmed(); // no process can have this PID
    const QByteArray self = QByteArray::number(QCoreApplication::applicationPid());
    const qint32 selfBinary = qint32(QCoreApplication::applicationPid());

    QTest::addColumn<QString>("portName");
    QTest::addColumn<QString>("lockName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("busy");

    QTest::newRow("HDB UUCP, padded") << u"ttyUSB0"_qs << u"LCK..ttyUSB0"_qs << self.rightJustified(10, ' ') + '\n'
                                      << true;
    QTest::newRow("QLockFile") << u"ttyUSB0"_qs << u"LCK..ttyUSB0"_qs << self + "\nqmt-studio\nhost\n" << true;
    QTest::newRow("binary pid") << u"ttyUSB0"_qs << u"LCK..ttyUSB0"_qs
                                << QByteArray(reinterpret_cast<const char *>(&selfBinary), 4) << true;
    QTest::newRow("slash in the name") << u"pts/3"_qs << u"LCK..pts_3"_qs << self + '\n' << true;
    // A recently used path the system does not list is named by its path; QSerialPort names its lock
    // after the path without /dev/.
    QTest::newRow("device path") << u"/dev/pts/3"_qs << u"LCK..pts_3"_qs << self + '\n' << true;
    QTest::newRow("stale lock") << u"ttyUSB0"_qs << u"LCK..ttyUSB0"_qs << pidMax + '\n' << false;
    QTest::newRow("garbage") << u"ttyUSB0"_qs << u"LCK..ttyUSB0"_qs << QByteArray("not a pid") << false;
    QTest::newRow("another port's lock") << u"ttyUSB1"_qs << u"LCK..ttyUSB0"_qs << self + '\n' << false;
}

void TestSerialPortListModel::lockFileOfALiveProcessMarksThePortBusy()
{
    QFETCH(QString, portName);
    QFETCH(QString, lockName);
    QFETCH(QByteArray, content);
    QFETCH(bool, busy);
    QTemporaryDir empty;
    QTemporaryDir locks;
    QFile lock(locks.filePath(lockName));
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.write(content);
    lock.close();
    // The first directory has no lock; the probe must look on, as UUCP tools may use any of them.
    const SerialPortBusyProbe probe({empty.path(), locks.path()}, empty.path());
    SerialPortEntry e = port(portName);
    e.systemLocation = locks.filePath(QStringLiteral("no-such-device"));
    const QHash<QString, QString> result = probe.busyPorts({e});
    QCOMPARE(result.contains(portName), busy);
    if (busy)
        QVERIFY(result.value(portName).contains(lock.fileName()));
}

void TestSerialPortListModel::theSystemsPortsAreListed()
{
    SerialPortListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.refreshInterval(), SerialPortListModel::DefaultRefreshIntervalMs);
    QVERIFY(waitForFirstRead(model));
    const QList<QSerialPortInfo> system = QSerialPortInfo::availablePorts();
    QCOMPARE(model.rowCount(), system.size() + 1);
    for (const QSerialPortInfo &info : system)
        QVERIFY(model.rowOfPort(info.portName()) > 0);
}

void TestSerialPortListModel::recentPathsTheSystemDoesNotListAreRows()
{
    // A pseudo-terminal (qmt-sim, socat, a serial bridge) is no port the system lists: the user opened it by
    // its path, and the list offers it again while it exists.
    FakePorts fake;
    fake.set({port(QStringLiteral("ttyUSB0"), QStringLiteral("FT232R"))});
    SerialPortListModel model(fake.lister(), fake.probe(), 0);
    QAbstractItemModelTester tester(&model);
    QVERIFY(waitForFirstRead(model));
    PseudoTerminal pty;
    QVERIFY(!pty.slavePath().isEmpty());
    QSignalSpy refreshed(&model, &SerialPortListModel::refreshed);
    model.setRecentPaths({pty.slavePath(), QStringLiteral("/dev/no-such-pty"), QStringLiteral("/dev/ttyUSB0")});
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(names(model), (QStringList{pty.slavePath(), QStringLiteral("ttyUSB0")})); // one row per device
    const QModelIndex recent = model.index(model.rowOfPort(pty.slavePath()));
    QCOMPARE(recent.data(SerialPortListModel::SystemLocationRole).toString(), pty.slavePath());
    QCOMPARE(recent.data(Qt::DisplayRole).toString(), QStringLiteral("%1 — recently used path").arg(pty.slavePath()));
    // What an editable port box shows for a row: the path to type, not the description.
    QCOMPARE(recent.data(Qt::EditRole).toString(), pty.slavePath());
    QCOMPARE(model.index(model.rowOfPort(QStringLiteral("ttyUSB0"))).data(Qt::EditRole).toString(),
             QStringLiteral("/dev/ttyUSB0"));
    QCOMPARE(model.index(0).data(Qt::EditRole), model.index(0).data(Qt::DisplayRole));

    model.setRecentPaths({});
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(names(model), QStringList{QStringLiteral("ttyUSB0")});
}

void TestSerialPortListModel::recentPathsAreBoundedKeptAndSayWhatTheyDrop()
{
    QSettings().remove(RecentPortPaths::SettingsKey);
    {
        RecentPortPaths recent;
        QVERIFY(recent.paths().isEmpty());
        for (int i = 0; i < RecentPortPaths::MaxPaths; ++i)
            QCOMPARE(recent.remember(QStringLiteral("/dev/pts/%1").arg(i)), std::nullopt);
        // Used again, a path moves to the front and nothing is dropped.
        QCOMPARE(recent.remember(QStringLiteral("/dev/pts/0")), std::nullopt);
        QCOMPARE(recent.paths().first(), QStringLiteral("/dev/pts/0"));
        // One more than fits: the least recently used goes, and the caller learns which.
        QCOMPARE(recent.remember(QStringLiteral("/dev/ttyACM7")), std::optional<QString>(QStringLiteral("/dev/pts/1")));
        QCOMPARE(recent.paths().size(), RecentPortPaths::MaxPaths);
        QCOMPARE(recent.remember(QStringLiteral("  ")), std::nullopt);
        QCOMPARE(recent.paths().size(), RecentPortPaths::MaxPaths);
    }
    RecentPortPaths again; // a new start reads them back
    QCOMPARE(again.paths().first(), QStringLiteral("/dev/ttyACM7"));
    QCOMPARE(again.paths().size(), RecentPortPaths::MaxPaths);
    QVERIFY(!again.paths().contains(QStringLiteral("/dev/pts/1")));
}

QTEST_MAIN(TestSerialPortListModel)
#include "tst_serialportlistmodel.moc"
