#include "scripteddevice.h"

#include <QTimer>

namespace qmt::test {

ScriptedDevice::ScriptedDevice(QObject *parent)
    : QIODevice(parent)
{
    open(QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void ScriptedDevice::setScript(QList<ExchangeItem> items)
{
    m_script = std::move(items);
    m_next = 0;
}

bool ScriptedDevice::scriptDone() const
{
    return m_next >= m_script.size() && m_mismatch.isEmpty();
}

void ScriptedDevice::respond(const QByteArray &bytes)
{
    m_outgoing += bytes;
    if (!m_deliveryScheduled) {
        m_deliveryScheduled = true;
        QTimer::singleShot(0, this, &ScriptedDevice::deliverNextChunk);
    }
}

void ScriptedDevice::deliverNextChunk()
{
    m_deliveryScheduled = false;
    if (m_outgoing.isEmpty())
        return;
    const int n = std::min<int>(m_chunkSize, int(m_outgoing.size()));
    m_readBuffer += m_outgoing.left(n);
    m_outgoing.remove(0, n);
    Q_EMIT readyRead();
    if (!m_outgoing.isEmpty()) {
        m_deliveryScheduled = true;
        QTimer::singleShot(0, this, &ScriptedDevice::deliverNextChunk);
    }
}

qint64 ScriptedDevice::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min<qint64>(maxSize, m_readBuffer.size());
    memcpy(data, m_readBuffer.constData(), size_t(n));
    m_readBuffer.remove(0, n);
    return n;
}

qint64 ScriptedDevice::writeData(const char *data, qint64 size)
{
    const QByteArray bytes(data, size);
    m_written += bytes;
    m_hostPending += bytes;
    if (m_echo) {
        // Echo command lines as the module does: the line, then CR only.
        qsizetype cr;
        while ((cr = m_hostPending.indexOf('\r')) >= 0 && m_script.isEmpty()) {
            respond(m_hostPending.left(cr + 1));
            m_hostPending.remove(0, cr + 1);
        }
    }
    if (!m_script.isEmpty())
        playScript();
    else if (!m_echo)
        m_hostPending.clear();
    Q_EMIT hostWrote(bytes);
    QTimer::singleShot(0, this, [this, size] { Q_EMIT bytesWritten(size); });
    return size;
}

void ScriptedDevice::playScript()
{
    while (m_next < m_script.size() && m_mismatch.isEmpty()) {
        const ExchangeItem &item = m_script[m_next];
        if (item.kind == ExchangeItem::Kind::Module || item.kind == ExchangeItem::Kind::Prompt) {
            respond(wireBytes(item));
            ++m_next;
            continue;
        }
        const QByteArray expected = wireBytes(item);
        if (m_hostPending.size() < expected.size()) {
            if (!expected.startsWith(m_hostPending))
                m_mismatch = QStringLiteral("host sent %1, script expects %2")
                                 .arg(QString::fromLatin1(m_hostPending.toPercentEncoding()),
                                      QString::fromLatin1(expected.toPercentEncoding()));
            return;
        }
        if (!m_hostPending.startsWith(expected)) {
            m_mismatch = QStringLiteral("host sent %1, script expects %2")
                             .arg(QString::fromLatin1(m_hostPending.left(expected.size() + 8).toPercentEncoding()),
                                  QString::fromLatin1(expected.toPercentEncoding()));
            return;
        }
        m_hostPending.remove(0, expected.size());
        if (m_echo && item.kind == ExchangeItem::Kind::Host)
            respond(expected);
        ++m_next;
    }
}

} // namespace qmt::test
