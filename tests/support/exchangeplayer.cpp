#include "exchangeplayer.h"

#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"

#include <QTest>

namespace qmt::test {

namespace {

constexpr int WaitMs = 10'000;

} // namespace

ExchangePlayer::ExchangePlayer(sim::VirtualModuleDevice &device)
    : m_device(device)
{
    QObject::connect(&m_device, &QIODevice::readyRead, [this] { m_wire += m_device.readAll(); });
}

bool ExchangePlayer::expectSoFar(QString *failure)
{
    const bool arrived = QTest::qWaitFor([this] { return m_wire.size() >= m_expected.size(); }, WaitMs);
    if (arrived && m_wire.startsWith(m_expected))
        return true;
    *failure = QStringLiteral("expected:\n%1\ngot:\n%2")
                   .arg(QString::fromLatin1(m_expected.toPercentEncoding(" \"<>:,=+/?-_.()")),
                        QString::fromLatin1(m_wire.toPercentEncoding(" \"<>:,=+/?-_.()")));
    return false;
}

QByteArray ExchangePlayer::nextField(const QByteArray &prefix)
{
    qsizetype at = -1;
    const bool found = QTest::qWaitFor(
        [&] {
            at = m_wire.indexOf(prefix, m_expected.size());
            return at >= 0 && m_wire.indexOf(',', at + prefix.size()) >= 0;
        },
        WaitMs);
    if (!found)
        return {};
    const qsizetype start = at + prefix.size();
    return m_wire.mid(start, m_wire.indexOf(',', start) - start);
}

bool ExchangePlayer::play(const QList<ExchangeItem> &items, QString *failure)
{
    for (const ExchangeItem &item : items) {
        switch (item.kind) {
        case ExchangeItem::Kind::Host: {
            const QByteArray text = m_hostHook ? m_hostHook(item.text) : item.text;
            m_device.write(text + '\r');
            m_expected += text + '\r'; // the echo: ATE1 is the module's default
            break;
        }
        case ExchangeItem::Kind::Module: {
            QByteArray line = item.text;
            if (m_moduleHook && !m_moduleHook(line)) {
                *failure = QStringLiteral("could not prepare \"%1\"").arg(QString::fromUtf8(item.text));
                return false;
            }
            m_expected += "\r\n" + line + "\r\n";
            if (!expectSoFar(failure))
                return false;
            break;
        }
        case ExchangeItem::Kind::Prompt:
            m_expected += "\r\n> ";
            if (!expectSoFar(failure))
                return false;
            // Data typed before data mode begins is lost (protocol-notes §4.1): wait as a careful host does.
            if (!QTest::qWaitFor([this] { return m_device.module()->acceptingData(); }, WaitMs)) {
                *failure = QStringLiteral("data mode did not begin");
                return false;
            }
            break;
        case ExchangeItem::Kind::Data: {
            bool echoed = false;
            const QByteArray bytes = m_dataHook ? m_dataHook(item, &echoed) : item.text;
            m_device.write(bytes);
            if (echoed)
                m_expected += bytes;
            break;
        }
        case ExchangeItem::Kind::CtrlZ:
            m_device.write(QByteArray(1, 0x1A));
            break;
        }
    }
    if (m_wire != m_expected) {
        *failure = QStringLiteral("the module sent more than the note shows: %1")
                       .arg(QString::fromLatin1(m_wire.mid(m_expected.size()).toPercentEncoding(" \"<>:,=+/?-_.()")));
        return false;
    }
    return true;
}

} // namespace qmt::test
