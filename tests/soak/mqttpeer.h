#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

struct mosquitto;

namespace qmt::soak {

/// The far end of the soak: an MQTT client of the broker (libmosquitto, its own network thread) that
/// publishes the numbered messages going in to the module and counts those the module publishes.
///
/// It stays connected for the whole soak (the faults are the module's and its link's, not this client's),
/// so what it saw is the broker's view. Callbacks arrive on the owner's thread as queued signals.
class MqttPeer : public QObject
{
    Q_OBJECT

public:
    MqttPeer(QString host, quint16 port, QByteArray clientId, QObject *parent = nullptr);
    ~MqttPeer() override;

    /// Connects and subscribes to `filter` at QoS 1; false, with `error` set, when either fails in time.
    bool start(const QByteArray &filter, QString *error);
    /// Publishes at QoS 1; the libmosquitto message id, or -1 when it could not be queued.
    int publish(const QByteArray &topic, const QByteArray &payload);

Q_SIGNALS:
    /// PUBACK from the broker: the broker has the message.
    void acknowledged(int mid);
    void received(const QByteArray &topic, const QByteArray &payload);

private:
    struct Bridge;

    QString m_host;
    quint16 m_port;
    QByteArray m_clientId;
    std::shared_ptr<Bridge> m_bridge;
    mosquitto *m_mosq = nullptr;
    bool m_connected = false;
    bool m_subscribed = false;
};

} // namespace qmt::soak
