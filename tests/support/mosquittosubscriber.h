#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <memory>

namespace qmt::test {

/// mosquitto_sub, the third-party client that checks what the virtual module published.
///
/// Each message is printed as hex (-F), so binary payloads and CR/LF arrive byte for byte. start() returns
/// once the broker acknowledged the subscription, so nothing published afterwards can be missed.
class MosquittoSubscriber
{
public:
    struct Message
    {
        QByteArray topic;
        QByteArray payload;
        int qos = 0;
        bool retained = false;
    };

    /// `extraArguments` adds TLS options and the like.
    MosquittoSubscriber(quint16 port, const QByteArray &topic, int qos = 2, QStringList extraArguments = {});
    ~MosquittoSubscriber();

    bool start(QString *error);
    [[nodiscard]] const QList<Message> &messages() const { return m_messages; }
    /// Waits until `count` messages arrived (processing events meanwhile).
    bool waitForMessages(int count, int timeoutMs = 10'000);

private:
    void onOutput();

    std::unique_ptr<QProcess> m_process;
    QStringList m_arguments;
    QByteArray m_buffer;
    QList<Message> m_messages;
    bool m_subscribed = false;
};

/// Publishes with mosquitto_pub and waits for it to finish; the payload goes through standard input, so any
/// bytes can be sent. False, with `error` set, when mosquitto_pub failed.
bool mosquittoPublish(quint16 port, const QByteArray &topic, const QByteArray &payload, int qos, bool retain,
                      QString *error, const QStringList &extraArguments = {});

} // namespace qmt::test
