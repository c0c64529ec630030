// Fuzz target: the live AT channel, as the module controller sets it up, talking to a module whose output
// the fuzzer writes.
//
// The input is a script: the host submits commands (secret-bearing ones among them: AT+QMTCONN with a
// password, AT+QMTCFG="aliauth" with a device secret and its query, a private key uploaded after an
// AT+QSSLCFG "clientkey" prompt), and the "module" answers with fuzzed bytes, with the echo of what the host
// wrote (in any place, damaged surroundings included), with OK, or lets the event loop run. Property: no
// secret the host sent comes out of the channel — in a line, a URC, a reply, a progress report or what it
// says it sent — as the application shows it (an unrecognised line passes the log's last redaction, and a
// line flagged secret shows only its length).

#include "fuzzsupport.h"

#include "core/at/atchannel.h"
#include "core/qmt/qmtcommands.h"
#include "core/qmt/recvlinecontinuation.h"
#include "core/qmt/redaction.h"

#include <QCoreApplication>
#include <QIODevice>

using namespace qmt;
using namespace qmt::fuzz;

namespace {

/// The module's end of the line: what the host writes is kept, what the module says is read.
class ScriptedPort : public QIODevice
{
public:
    ScriptedPort() { open(QIODevice::ReadWrite); }
    [[nodiscard]] bool isSequential() const override { return true; }
    [[nodiscard]] qint64 bytesAvailable() const override { return m_toHost.size() + QIODevice::bytesAvailable(); }

    void say(QByteArrayView bytes)
    {
        m_toHost.append(bytes);
        Q_EMIT readyRead();
    }
    /// The last command line the host wrote (without its CR), and the data it wrote after a prompt.
    [[nodiscard]] QByteArray lastLine() const
    {
        const qsizetype end = m_written.lastIndexOf('\r');
        if (end < 0)
            return m_written;
        const qsizetype start = m_written.lastIndexOf('\r', end - 1) + 1;
        return m_written.mid(start, end - start);
    }
    [[nodiscard]] const QByteArray &written() const { return m_written; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>(maxSize, m_toHost.size());
        std::memcpy(data, m_toHost.constData(), size_t(n));
        m_toHost.remove(0, n);
        return n;
    }
    qint64 writeData(const char *data, qint64 size) override
    {
        m_written.append(data, size);
        return size;
    }

private:
    QByteArray m_toHost;
    QByteArray m_written;
};

QCoreApplication &application()
{
    static int argc = 1;
    static char name[] = "fuzz_channel";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv);
    return app;
}

AtCommand secretCommand(uint8_t which, const QmtCommands &commands)
{
    switch (which % 6) {
    case 0:
        return *commands.conn(0, "dev-1", QByteArray("user-1"), Secrets::Password.toByteArray());
    case 1:
        return *commands.cfgAliAuth(1, AliAuth{"pk-1", "dn-1", Secrets::DeviceSecret.toByteArray()});
    case 2:
        return *commands.cfgQuery(CfgOption::AliAuth, 1);
    case 3:
        return *commands.sslUpload(SslItem::ClientKey, keyArmour("BEGIN") + "\n" + Secrets::KeyBody.toByteArray() +
                                                           "\n" + keyArmour("END") + "\n");
    case 4:
        return *commands.publish(Publish{0, 7, 1, false, "t/1", "hello\r\nworld", PublishForm::FixedLength});
    default:
        return AtCommand::simple("AT+QMTCONN?", 300);
    }
}

void look(const char *what, const QByteArray &text, const char *kind = "")
{
    if (Secrets::anyIn(text))
        propertyFailed("no secret out of the AT channel", QByteArray(what) + ' ' + kind + ": " + printable(text));
}

void lookAtLine(const char *what, const AtLine &l)
{
    if (l.secret)
        return; // shown as its length only
    // The log passes a line nobody recognised through the embedded-command redaction (AtLogEntry).
    const QByteArray shown = l.kind == LineKind::Unknown ? redactEmbedded(l.text) : l.text;
    look(what, shown, lineKindName(l.kind));
}

/// Looks for secrets in everything the channel tells its listeners.
void watch(AtChannel &channel)
{
    QObject::connect(&channel, &AtChannel::lineReceived, [](const AtLine &l) { lookAtLine("line", l); });
    QObject::connect(&channel, &AtChannel::urcReceived, [](const AtLine &l) { lookAtLine("URC", l); });
    QObject::connect(&channel, &AtChannel::resultProgress, [](quint64, const QByteArray &l) { look("progress", l); });
    QObject::connect(&channel, &AtChannel::commandSent, [](quint64, const QByteArray &s) { look("sent", s); });
    QObject::connect(&channel, &AtChannel::dataSent, [](quint64, const QByteArray &s) { look("data sent", s); });
    QObject::connect(&channel, &AtChannel::commandFinished, [](const AtReply &r) {
        look("reply command", r.command);
        look("reply final", r.finalLine);
        look("reply detail", r.detail.toUtf8());
        for (const QByteArray &l : r.lines)
            look("reply line", l);
        for (const QByteArray &l : r.resultLines)
            look("reply result", l);
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    application();
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    ByteReader in(data, size);
    QmtCommands commands;
    RecvLineContinuation policy;
    ScriptedPort port;
    {
        AtChannel channel;
        channel.setContinuationPolicy(&policy);
        // As ModuleController sets it up: echoes and responses lose their secrets before anyone sees them.
        channel.setRedactor([](QByteArrayView command, QByteArrayView line, LineKind kind) {
            return kind == LineKind::Echo ? redactCommand(line) : redactResponse(command, line);
        });
        channel.setDataModeSettleMs(0);
        channel.setDevice(&port);
        // A fuzzer can learn a planted string from the comparisons and write it itself. The property is
        // listed as known while a fix is under way (docs/fuzzing.md): then the target looks for crashes only.
        if (!Secrets::anyIn(input) && !knownFinding("no-secret"))
            watch(channel);

        for (int step = 0; step < 64 && !in.atEnd(); ++step) {
            switch (in.byte() % 8) {
            case 0:
            case 1:
                channel.submit(secretCommand(in.byte(), commands));
                break;
            case 2:
            case 3:
                port.say(in.bytes());
                break;
            case 4: // the module echoes the host's last line, as ATE1 does
                port.say(port.lastLine() + (in.flag() ? "\r\r\n" : "\r"));
                break;
            case 5:
                port.say(in.flag() ? QByteArrayView("\r\nOK\r\n") : QByteArrayView("\r\n> "));
                break;
            case 6: // the module echoes the data it took
                port.say(port.written().right(in.byte()));
                break;
            default:
                QCoreApplication::processEvents();
                break;
            }
        }
        channel.setDevice(nullptr);
    }
    // Whatever the channel posted for later (rejections) is delivered before its objects are gone.
    QCoreApplication::processEvents();
    return 0;
}
