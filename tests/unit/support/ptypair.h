#pragma once

#include <QByteArray>
#include <QObject>
#include <QSocketNotifier>
#include <QString>

#include <memory>

namespace qmt::test {

/// A pseudo-terminal whose slave side the code under test opens with QSerialPort, like a USB serial
/// adapter; the test plays the module on the master side.
class PtyPair : public QObject
{
    Q_OBJECT

public:
    PtyPair();
    ~PtyPair() override;

    [[nodiscard]] bool isOpen() const { return m_master >= 0; }
    [[nodiscard]] QString slavePath() const { return m_slavePath; }

    /// Module output towards the host.
    void write(const QByteArray &bytes);
    /// Everything the host wrote so far.
    [[nodiscard]] const QByteArray &received() const { return m_received; }
    /// Closes the master: to the host this is the adapter being unplugged.
    void unplug();

Q_SIGNALS:
    void hostWrote(const QByteArray &bytes);

private:
    void drain();

    int m_master = -1;
    QString m_slavePath;
    QByteArray m_received;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace qmt::test
