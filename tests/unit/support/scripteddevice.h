#pragma once

#include "exchangescript.h"

#include <QIODevice>

namespace qmt::test {

/// A stand-in for the module's end of a serial line, for unit tests of the host side.
///
/// Collects what the host writes; answers with bytes the test gives (respond()), or plays a chapter-6
/// exchange: each host line it receives must be the next one of the script, byte for byte, and is
/// answered with the module lines that follow it. Output can be cut into chunks of a chosen size, each
/// delivered from the event loop, to exercise framing across reads.
class ScriptedDevice : public QIODevice
{
    Q_OBJECT

public:
    explicit ScriptedDevice(QObject *parent = nullptr);

    void setScript(QList<ExchangeItem> items);
    void setChunkSize(int size) { m_chunkSize = size; }
    /// Echo each command line back, terminated by CR only (ATE1).
    void setEcho(bool echo) { m_echo = echo; }

    /// Queue module output; delivered in chunks from the event loop.
    void respond(const QByteArray &bytes);

    [[nodiscard]] const QByteArray &written() const { return m_written; }
    [[nodiscard]] bool scriptDone() const;
    [[nodiscard]] const QString &mismatch() const { return m_mismatch; }

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_readBuffer.size() + QIODevice::bytesAvailable(); }

Q_SIGNALS:
    void hostWrote(const QByteArray &bytes);

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    void playScript();
    void deliverNextChunk();

    QList<ExchangeItem> m_script;
    qsizetype m_next = 0;
    QByteArray m_hostPending;
    QByteArray m_written;
    QByteArray m_readBuffer;
    QByteArray m_outgoing;
    QString m_mismatch;
    int m_chunkSize = 4096;
    bool m_echo = false;
    bool m_deliveryScheduled = false;
};

} // namespace qmt::test
