#pragma once

#include <QByteArray>
#include <QHostInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <memory>

#include "sim/delayline.h"
#include <optional>

namespace qmt::sim {

/// The network connection of one MQTT client slot: what AT+QMTOPEN opens and AT+QMTCLOSE closes.
///
/// It resolves the host, connects over TCP — or TLS 1.2 with the material of AT+QSSLCFG — and then relays
/// the bytes of the MQTT client (libmosquitto, connected to a private local socket) to the broker and back.
/// So the module's two steps stay apart as on the real module: AT+QMTOPEN makes the connection,
/// AT+QMTCONN sends CONNECT over it. The relay is also where link faults happen: a stall (nothing moves
/// either way, as on a dead radio link) and a drop (the connection is reset), and where the network's
/// delay is: what the broker sends reaches the client a network delay later, so the client acknowledges a
/// message only once it has arrived, and what is still on its way when the link ends was never received.
class BrokerLink : public QObject
{
    Q_OBJECT

public:
    enum class Failure {
        HostNotFound,
        ConnectFailed
    };

    struct Target
    {
        QString host;
        quint16 port = 0;
        std::optional<QSslConfiguration> tls;
        QString verifyName; ///< the name the server certificate must carry
    };

    explicit BrokerLink(QObject *parent = nullptr);
    ~BrokerLink() override;

    void open(const Target &target, int timeoutMs);
    /// How long the broker's bytes take to reach the client (ModuleTimings::networkDelayMs).
    void setDownstreamDelayMs(int ms) { m_downDelayMs = ms; }
    /// Where the MQTT client connects once opened() was emitted.
    [[nodiscard]] QString clientSocketPath() const { return m_socketPath; }

    /// Closes both sides after what is pending was written.
    void finish();
    /// Closes both sides at once, as a reset connection would.
    void abort();
    void setStalled(bool stalled);
    [[nodiscard]] bool isStalled() const { return m_stalled; }
    /// Bytes of the MQTT client that reached the broker's connection.
    [[nodiscard]] quint64 bytesToServer() const { return m_bytesToServer; }

Q_SIGNALS:
    void opened();
    void openFailed(qmt::sim::BrokerLink::Failure failure, const QString &detail);
    /// The broker closed the connection; whatever it sent before was passed on to the client first.
    void closedByServer();
    /// The MQTT client closed its side; everything it wrote was passed on to the broker.
    void clientClosed();

private:
    void onLookup(const QHostInfo &info);
    void onUpstreamConnected();
    void onUpstreamGone();
    void onNewClient();
    void onClientGone();
    void fail(Failure failure, const QString &detail);
    void pumpUp();
    void pumpDown();
    void deliverDown(const QByteArray &bytes);
    void closeServerSide();

    Target m_target;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_socketPath;
    QLocalServer m_server;
    QPointer<QLocalSocket> m_client;
    std::unique_ptr<QTcpSocket> m_upstream;
    QTimer m_openTimer;
    QByteArray m_pendingDown;
    DelayLine m_down; // the broker's bytes (and its close) on their way to the client
    int m_downDelayMs = 0;
    quint64 m_bytesToServer = 0;
    int m_lookupId = -1;
    bool m_open = false;
    bool m_stalled = false;
    bool m_serverGoneWhileStalled = false;
    bool m_clientGoneWhileStalled = false;
};

} // namespace qmt::sim

Q_DECLARE_METATYPE(qmt::sim::BrokerLink::Failure)
