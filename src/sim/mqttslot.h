#pragma once

#include "sim/brokerredirect.h"
#include "sim/delayline.h"
#include "sim/faultplan.h"
#include "sim/moduletimings.h"
#include "sim/slotsettings.h"
#include "sim/sslcontext.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace qmt::sim {

class BrokerLink;
class MqttClient;

/// One of the module's five MQTT client slots (TCP_connectID 0–4): its configuration, its network
/// connection (BrokerLink) and its MQTT session (MqttClient), and every URC the slot reports.
///
/// Results come from what really happened: +QMTOPEN from DNS and the TCP/TLS connect, +QMTCONN from the
/// broker's CONNACK, +QMTSUB/+QMTUNS/+QMTPUB from SUBACK, UNSUBACK, PUBACK or PUBCOMP, +QMTSTAT from the
/// way the connection ended (table 4 of the note):
///  1 the broker closed or reset the connection; 2 no PINGRESP (libmosquitto's keep-alive check);
///  3 CONNECT never reached the broker, 4 no CONNACK or a refused one (protocol-notes §7.1);
///  5 the server closed the connection after the DISCONNECT that AT+QMTCLOSE sends on a connected slot;
///  6 a packet still unacknowledged after <pkt_timeout> × (<retry_times> + 1);
///  7 the packet-data link went away (AT+CFUN=0, AT+CGATT=0).
class MqttSlot : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Closed,
        Opening,
        Opened,
        Connecting,
        Connected,
        Disconnecting,
        Closing
    };

    /// What the slot reads from the module; the pointers outlive the slot.
    struct Environment
    {
        const SslContextTable *ssl = nullptr;
        const ModuleTimings *timings = nullptr;
        const FaultPlan *faults = nullptr;
        const BrokerRedirects *redirects = nullptr;
        std::function<bool()> packetDataReady;
    };

    MqttSlot(int id, Environment environment, QObject *parent = nullptr);
    ~MqttSlot() override;

    [[nodiscard]] int id() const { return m_id; }
    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] SlotSettings &config() { return m_config; }
    [[nodiscard]] const SlotSettings &config() const { return m_config; }
    [[nodiscard]] const QByteArray &host() const { return m_host; }
    [[nodiscard]] int port() const { return m_port; }
    /// The network connection is up (AT+QMTOPEN? lists the slot).
    [[nodiscard]] bool isOpen() const;
    /// <state> of AT+QMTCONN?: 1 initializing, 2 connecting, 3 connected, 4 disconnecting; 0 not open.
    [[nodiscard]] int connectionState() const;

    void open(const QByteArray &host, int port);
    /// False when the slot is busy closing or disconnecting (the command answers ERROR).
    bool close();
    /// False unless the network connection is open and no client is connected (protocol-notes §7.2).
    bool connectClient(const QByteArray &clientId, const std::optional<QByteArray> &userName,
                       const std::optional<QByteArray> &password);
    bool disconnectClient();
    void subscribe(int msgId, const QList<TopicQos> &topics);
    void unsubscribe(int msgId, const QList<QByteArray> &topics);
    void publish(int msgId, int qos, bool retain, const QByteArray &topic, const QByteArray &payload);

    /// Reboot: the connection is gone without a word and the configuration is back to its defaults.
    void reset();
    /// The packet-data link went away.
    void onNetworkLost();
    /// Fault: the connection is reset as if by the broker. False when there is no connection.
    bool dropConnection();
    /// Fault: nothing moves on the link until it is released.
    void setStalled(bool stalled);

Q_SIGNALS:
    void urc(const QByteArray &line);
    /// A diagnostic for the command line program's log (why a connection failed, …).
    void diagnostic(const QString &text);

private:
    enum class PacketKind {
        Subscribe,
        Unsubscribe,
        Publish
    };
    /// A packet's timer may be the one whose timeout ends the connection: delete it from the event loop.
    struct DeleteLater
    {
        void operator()(QTimer *timer) const
        {
            timer->stop();
            timer->deleteLater();
        }
    };
    struct Pending
    {
        PacketKind kind;
        int msgId = 0;
        int outstandingAcks = 0;
        QList<int> granted;                 // SUBSCRIBE: per topic, in the host's order
        QHash<int, QList<int>> topicsOfMid; // SUBSCRIBE: the host's topic indexes each packet carries
        int timeouts = 0;
        std::unique_ptr<QTimer, DeleteLater> timer;
    };

    /// Hands an event of the network (the link up, failed or closed) to the slot after
    /// ModuleTimings::networkDelayMs.
    void arrive(std::function<void()> event);
    /// Hands an event of the MQTT client to the slot, in order behind the network's: the client reads the
    /// broker's bytes a network delay late already (BrokerLink).
    void arriveNow(std::function<void()> event);
    void onLinkOpened();
    void onLinkFailed(int failure, const QString &detail);
    void onServerClosed();
    void onClientClosed();
    void onConnack(int returnCode);
    void onClientDisconnected(int reason);
    void onAcknowledged(int mid, const QList<int> &granted);
    void onMessage(int mid, const QByteArray &topic, const QByteArray &payload);
    void onConnectTimeout();
    void onPacketTimeout(int key);
    void finishDisconnect(int result);
    void finishPoliteClose(bool serverClosed);
    int track(Pending pending, const QList<int> &mids);
    void failPacket(const Pending &pending);
    /// Reports every packet still waiting for the broker as failed and forgets it.
    void failPending();
    void connectionLost(int code);
    /// Ends the connection and the session: no DISCONNECT, and what was in flight is forgotten (failPending()
    /// first, unless the module is rebooting and reports nothing).
    void teardown(bool graceful = false);
    void report(const QByteArray &name, const QList<int> &fields);
    [[nodiscard]] QByteArray packetName(PacketKind kind) const;

    const int m_id;
    Environment m_env;
    SlotSettings m_config;
    State m_state = State::Closed;
    QByteArray m_host;
    int m_port = 0;
    BrokerLink *m_link = nullptr;
    MqttClient *m_client = nullptr;
    QTimer m_connectTimer;
    QTimer m_closeTimer;
    QTimer m_dropTimer;
    DelayLine m_inbound;
    int m_connectTimeouts = 0;
    bool m_serverClosed = false;
    std::map<int, Pending> m_pending;
    QHash<int, int> m_pendingOfMid;
    int m_nextKey = 1;
};

} // namespace qmt::sim
