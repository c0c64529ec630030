// No secret of a session reaches its recording: a real controller drives the virtual module against a
// mosquitto broker that wants a password — TLS material uploaded with its client key, an Alibaba device
// secret applied and queried, a slot connected with its password, a password typed on the console, a key
// pasted after the wrong prompt — while a Recorder records it all. The file, its WAL and its shared-memory
// index are searched for each secret (raw, base64, hex) and for the key's body, while recording and after.

#include "certificatemaker.h"
#include "mosquittobroker.h"
#include "secretneedles.h"
#include "support/rulemodule.h"

#include "core/module/modulecontroller.h"
#include "core/recording/controllerrecording.h"
#include "core/recording/recorder.h"
#include "core/recording/recordingreader.h"
#include "core/tls/certificateuploader.h"
#include "core/tls/pemtext.h"
#include "core/tls/tlsmaterialcheck.h"
#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace qmt;
using namespace qmt::test;

namespace {

// The channel masks any 8-byte piece of a secret it sent (SecretScrubber), so these share no 8 bytes with
// the names the test expects to find in the recording ("recorded", "recorded-device").
const QByteArray Password = "Pw-Rcd-51c7e0f2";
const QByteArray DeviceSecret = "DevSecret-Rcd-a90d";

/// Lines of the key's PEM body: any one of them in a file means the key leaked.
QList<Needle> keyLines(const QByteArray &pem)
{
    QList<Needle> out;
    const QList<QByteArray> lines = PemText::join(PemText::parse(pem).blocks).split('\n');
    for (const QByteArray &line : lines) {
        if (!line.startsWith("-----") && line.size() >= 16)
            out.append({QStringLiteral("client key line %1").arg(out.size() + 1), line});
    }
    return out;
}

/// The needles found in the files under `dir` ("file: needle"), and the bytes of them all.
QStringList search(const QString &dir, const QList<Needle> &needles, QByteArray *everything = nullptr)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray content = f.readAll();
        if (everything)
            *everything += content;
        for (const Needle &n : needles) {
            if (content.contains(n.bytes))
                found.append(QFileInfo(f).fileName() + QStringLiteral(": ") + n.name);
        }
    }
    return found;
}

bool waitIdle(ModuleController &controller)
{
    return QTest::qWaitFor([&] { return controller.channel().isIdle(); }, 20'000);
}

} // namespace

class TestRecordingSecrets : public QObject
{
    Q_OBJECT

    QTemporaryDir m_certDir;
    std::unique_ptr<CertificateMaker> m_certs;
    std::unique_ptr<MosquittoBroker> m_broker;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("QMT Studio Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_recordingsecrets"));
        QVERIFY(m_certDir.isValid());
        m_certs = std::make_unique<CertificateMaker>(m_certDir.path());
        QString error;
        QVERIFY2(m_certs->make(&error), qPrintable(error));
        MosquittoBroker::Options options;
        options.user = QStringLiteral("rec");
        options.password = QString::fromLatin1(Password);
        m_broker = std::make_unique<MosquittoBroker>(options);
        QVERIFY2(m_broker->start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_broker.reset(); }

    void noSecretOfTheSessionReachesTheRecordingOrItsJournal()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("session.qmtrec"));
        const QByteArray key = m_certs->read(CertificateMaker::ClientKey);
        QList<Needle> needles = forms(QStringLiteral("password"), Password);
        needles += forms(QStringLiteral("device secret"), DeviceSecret);
        needles += keyLines(key);
        QVERIFY(needles.size() > 10);

        sim::VirtualModule module;
        sim::VirtualModuleDevice device(&module);
        ModuleController controller;
        controller.setInfoPollIntervalMs(3'600'000);
        controller.setWakeAfterIdleMs(3'600'000);
        controller.setPortProvider(std::make_unique<TestPortProvider>(&device));
        Recorder recorder;
        ControllerRecording feed(controller, recorder);
        QSignalSpy opened(&recorder, &Recorder::opened);
        QVERIFY(recorder.start(path));
        QVERIFY(opened.wait(10'000));
        // Every row the channel reports, to know when the writer has them all.
        qint64 rows = 0;
        const auto count = [&rows] { ++rows; };
        connect(&controller.channel(), &AtChannel::commandSent, this, count);
        connect(&controller.channel(), &AtChannel::dataSent, this, count);
        connect(&controller.channel(), &AtChannel::lineReceived, this, count);
        QVERIFY(controller.openPort());
        QVERIFY(waitIdle(controller));

        // TLS material for slot 3, the client key after "clientkey".
        CertificateUploader uploader(controller);
        QSignalSpy uploaded(&uploader, &CertificateUploader::finished);
        const TlsCheckReport report = TlsMaterialCheck::check(
            TlsMaterial{
                2, m_certs->read(CertificateMaker::CaCert), m_certs->read(CertificateMaker::ClientCert), key, {}},
            QDateTime::currentDateTimeUtc());
        QString error;
        QVERIFY2(uploader.start(report, 3, &error), qPrintable(error));
        QVERIFY(uploaded.wait(20'000));
        QVERIFY2(uploaded.first().at(0).toBool(), qPrintable(uploaded.first().at(1).toString()));

        // Slot 1: Alibaba credentials applied, then the query that answers with the device secret.
        SlotConfig ali;
        ali.host = "127.0.0.1";
        ali.port = m_broker->port();
        ali.clientId = "ali";
        ali.aliAuthEnabled = true;
        ali.productKey = "a1Product";
        ali.deviceName = "recorded-device";
        ali.deviceSecret = DeviceSecret;
        controller.setConfig(1, ali);
        QVERIFY(controller.applyConfig(1).ok());
        QVERIFY(waitIdle(controller));
        controller.console().send("AT+QMTCFG=\"aliauth\",1");
        QVERIFY(waitIdle(controller));

        // Slot 0 connects with its user and password.
        SlotConfig plain;
        plain.host = "127.0.0.1";
        plain.port = m_broker->port();
        plain.clientId = "recorded";
        plain.userName = "rec";
        plain.password = Password;
        controller.setConfig(0, plain);
        QVERIFY(controller.start(0).ok());
        QTRY_COMPARE_WITH_TIMEOUT(controller.status(0).state, SlotState::Connected, 20'000);

        // Typed on the console: a connect with a password, and a key pasted after the wrong prompt.
        controller.console().send("AT+QMTCONN=2,\"typed\",\"rec\",\"" + Password + '"');
        QVERIFY(waitIdle(controller));
        QSignalSpy prompted(&controller.channel(), &AtChannel::promptReceived);
        controller.console().send("AT+QSSLCFG=0,0,\"clientcert\"");
        QVERIFY(prompted.wait(10'000));
        QVERIFY(controller.console().sendData(key));
        QVERIFY(waitIdle(controller));

        // Written (not yet checkpointed: the WAL holds it) — search the file, its WAL and its -shm.
        QTRY_VERIFY_WITH_TIMEOUT(recorder.stats().logRowsWritten >= rows, 20'000);
        QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
        QByteArray recorded;
        QStringList found = search(dir.path(), needles, &recorded);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QStringLiteral("\n"))));
        // It did record the session: the commands are there, their secrets replaced.
        QVERIFY(recorded.contains("AT+QMTCONN=0,\"recorded\",\"rec\",\"<redacted, " +
                                  QByteArray::number(Password.size()) + " bytes>\""));
        QVERIFY(recorded.contains("AT+QSSLCFG=0,3,\"clientkey\""));
        QVERIFY(recorded.contains("+QMTCFG: \"a1Product\",\"recorded-device\",\"<redacted, "));

        QSignalSpy stopped(&recorder, &Recorder::stopped);
        recorder.stop();
        QVERIFY(stopped.wait(20'000));
        found = search(dir.path(), needles);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QStringLiteral("\n"))));

        // And through the reader, as a view or an export would see it.
        RecordingReader reader;
        QVERIFY(reader.open(path));
        QCOMPARE(reader.logRowCount(), rows);
        for (std::optional<RecordingCursor> after;;) {
            const LogPage page = reader.logRows({}, 500, RecordingOrder::OldestFirst, after);
            for (const RecordedLogRow &r : page.rows) {
                for (const Needle &n : std::as_const(needles))
                    QVERIFY2(!r.text.contains(n.bytes), qPrintable(n.name));
            }
            if (!(after = page.next))
                break;
        }
    }
};

QTEST_GUILESS_MAIN(TestRecordingSecrets)
#include "tst_recordingsecrets.moc"
