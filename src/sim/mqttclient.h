#pragma once

#include "core/qmt/qmtcommands.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

struct mosquitto;

namespace qmt::sim {

/// What AT+QMTCFG and AT+QMTCONN put into the MQTT CONNECT.
struct MqttClientOptions
{
    QByteArray clientId;
    bool cleanSession = true;
    int keepAliveS = 120;
    bool mqtt311 = true; ///< false: MQTT 3.1
    std::optional<QByteArray> userName;
    std::optional<QByteArray> password;
    WillConfig will;
};

/// An MQTT 3.1/3.1.1 client: libmosquitto, run on a worker thread, reporting on the owner's thread.
///
/// libmosquitto does every packet of the protocol — CONNECT with will, clean session, keep-alive and
/// credentials, PUBLISH with the QoS 1 and 2 acknowledgement flows, SUBSCRIBE, UNSUBSCRIBE, PINGREQ — and
/// this class only marshals its callbacks to the QObject's thread as queued calls. It connects to the
/// local socket of a BrokerLink, never to the network itself, and never reconnects on its own: losing the
/// connection ends the client, as the module reports +QMTSTAT and forgets the session.
class MqttClient : public QObject
{
    Q_OBJECT

public:
    explicit MqttClient(QObject *parent = nullptr);
    ~MqttClient() override;

    /// Starts the worker, which connects to `socketPath` and sends CONNECT. False, with `error` set, when
    /// libmosquitto refuses the options.
    bool start(const QString &socketPath, const MqttClientOptions &options, QString *error);
    /// Sends DISCONNECT; disconnected(0) follows once it is written.
    void disconnectFromBroker();
    /// Ends the worker without sending anything more, and without waiting for it: it finishes on its own
    /// within a loop timeout. Call after the transport was closed; the client is of no further use.
    void stop();

    /// The libmosquitto message id of the packet, or nullopt when it could not be queued.
    std::optional<int> publish(const QByteArray &topic, const QByteArray &payload, int qos, bool retain);
    /// One SUBSCRIBE for topics of the same QoS (libmosquitto sends one QoS per packet).
    std::optional<int> subscribe(const QList<QByteArray> &filters, int qos);
    std::optional<int> unsubscribe(const QList<QByteArray> &filters);

Q_SIGNALS:
    /// CONNACK: 0 accepted, 1–5 refused (MQTT 3.1.1 §3.2.2.3).
    void connackReceived(int returnCode);
    /// QoS 0: written; QoS 1: PUBACK; QoS 2: PUBCOMP.
    void published(int mid);
    void subscribed(int mid, const QList<int> &grantedQos);
    void unsubscribed(int mid);
    void messageReceived(int mid, const QByteArray &topic, const QByteArray &payload, int qos, bool retain);
    /// The connection ended: 0 after DISCONNECT, otherwise libmosquitto's reason (MOSQ_ERR_KEEPALIVE …).
    void disconnected(int reason);

private:
    struct Bridge;
    struct Session;

    static void run(std::shared_ptr<Session> session, std::shared_ptr<Bridge> bridge, std::string socketPath,
                    int keepAlive);

    std::shared_ptr<Bridge> m_bridge;
    std::shared_ptr<Session> m_session;
    mosquitto *m_mosq = nullptr; ///< m_session's client while it is the owner's to use
};

} // namespace qmt::sim
