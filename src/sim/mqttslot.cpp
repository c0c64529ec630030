#include "sim/mqttslot.h"

#include "sim/aliyunsigner.h"
#include "sim/brokerlink.h"
#include "sim/mqttclient.h"

#include <mosquitto.h>

namespace qmt::sim {

namespace {

QByteArray num(int v)
{
    return QByteArray::number(v);
}

/// Deletes a QObject from the event loop: the slot may be inside one of its signals.
template<typename T> void dispose(T *&object, QObject *receiver)
{
    if (!object)
        return;
    QObject::disconnect(object, nullptr, receiver, nullptr);
    object->deleteLater();
    object = nullptr;
}

} // namespace

MqttSlot::MqttSlot(int id, Environment environment, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_env(std::move(environment))
    , m_config(SlotSettings::defaults())
{
    for (QTimer *timer : {&m_connectTimer, &m_closeTimer, &m_dropTimer})
        timer->setSingleShot(true);
    connect(&m_inbound, &DelayLine::overflowed, this, [this](int maxWaiting) {
        Q_EMIT diagnostic(tr("Client %1: more than %2 network events were waiting for the network delay; the oldest "
                             "arrived early.")
                              .arg(m_id)
                              .arg(maxWaiting));
    });
    connect(&m_connectTimer, &QTimer::timeout, this, &MqttSlot::onConnectTimeout);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Closing)
            finishPoliteClose(false);
        else if (m_state == State::Disconnecting)
            finishDisconnect(-1);
    });
    connect(&m_dropTimer, &QTimer::timeout, this, [this] { dropConnection(); });
}

MqttSlot::~MqttSlot()
{
    teardown();
}

bool MqttSlot::isOpen() const
{
    return m_state != State::Closed && m_state != State::Opening;
}

int MqttSlot::connectionState() const
{
    switch (m_state) {
    case State::Closed:
    case State::Opening:
        return 0;
    case State::Opened:
        return 1;
    case State::Connecting:
        return 2;
    case State::Connected:
        return 3;
    case State::Disconnecting:
    case State::Closing:
        return 4;
    }
    return 0;
}

void MqttSlot::arrive(std::function<void()> event)
{
    m_inbound.post(m_env.timings->networkDelayMs, std::move(event));
}

void MqttSlot::arriveNow(std::function<void()> event)
{
    m_inbound.post(0, std::move(event));
}

void MqttSlot::report(const QByteArray &name, const QList<int> &fields)
{
    QByteArray line = '+' + name + ": " + num(m_id);
    for (int f : fields)
        line += ',' + num(f);
    Q_EMIT urc(line);
}

// ---- AT+QMTOPEN / AT+QMTCLOSE ---------------------------------------------------------------------------

void MqttSlot::open(const QByteArray &host, int port)
{
    if (m_state != State::Closed) {
        report("QMTOPEN", {2});
        return;
    }
    if (!m_env.packetDataReady()) {
        report("QMTOPEN", {3});
        return;
    }
    BrokerLink::Target target;
    target.host = QString::fromUtf8(host);
    target.port = quint16(port);
    target.verifyName = target.host;
    const BrokerRedirect &redirect = m_config.sslEnabled ? m_env.redirects->tls : m_env.redirects->plain;
    if (redirect.isSet()) {
        target.host = redirect.host;
        target.verifyName = redirect.host;
        if (redirect.port != 0)
            target.port = redirect.port;
    }
    if (m_config.sslEnabled) {
        const SslContext &context = m_env.ssl->at(m_config.sslContextId, m_config.sslConnectId);
        QString error;
        target.tls = context.tlsConfiguration(&error);
        if (!target.tls) {
            Q_EMIT diagnostic(tr("Client %1: TLS not possible: %2").arg(m_id).arg(error));
            report("QMTOPEN", {-1});
            return;
        }
    }
    m_host = host;
    m_port = port;
    m_state = State::Opening;
    m_serverClosed = false;
    m_link = new BrokerLink(this);
    m_link->setDownstreamDelayMs(m_env.timings->networkDelayMs);
    // What the network does reaches the slot one network delay later, in the order it happened.
    connect(m_link, &BrokerLink::opened, this, [this] { arrive([this] { onLinkOpened(); }); });
    connect(m_link, &BrokerLink::openFailed, this, [this](BrokerLink::Failure failure, const QString &detail) {
        arrive([this, failure, detail] { onLinkFailed(int(failure), detail); });
    });
    connect(m_link, &BrokerLink::closedByServer, this, [this] { arrive([this] { onServerClosed(); }); });
    connect(m_link, &BrokerLink::clientClosed, this, [this] { arrive([this] { onClientClosed(); }); });
    // A TLS connection has the SSL context's "timeout" to come up, if that is the shorter.
    const int timeoutMs = m_config.sslEnabled
                              ? std::min(m_env.timings->openTimeoutMs,
                                         m_env.ssl->at(m_config.sslContextId, m_config.sslConnectId).timeoutS * 1000)
                              : m_env.timings->openTimeoutMs;
    m_link->open(target, timeoutMs);
}

void MqttSlot::onLinkOpened()
{
    m_state = State::Opened;
    report("QMTOPEN", {0});
}

void MqttSlot::onLinkFailed(int failure, const QString &detail)
{
    Q_EMIT diagnostic(
        tr("Client %1: cannot open %2:%3: %4").arg(m_id).arg(QString::fromUtf8(m_host)).arg(m_port).arg(detail));
    teardown();
    report("QMTOPEN", {failure == int(BrokerLink::Failure::HostNotFound) ? 4 : -1});
}

bool MqttSlot::close()
{
    switch (m_state) {
    case State::Closed:
        report("QMTCLOSE", {-1});
        return true;
    case State::Opening:
    case State::Opened:
    case State::Connecting:
        teardown();
        report("QMTCLOSE", {0});
        return true;
    case State::Connected:
        // A polite close: DISCONNECT first (so the broker drops the will), then wait for the server to
        // close the connection, which MQTT 3.1.1 §3.14.4 has it do.
        m_state = State::Closing;
        m_client->disconnectFromBroker();
        m_closeTimer.start(m_env.timings->serverCloseWaitMs);
        return true;
    case State::Disconnecting:
    case State::Closing:
        return false;
    }
    return false;
}

void MqttSlot::finishPoliteClose(bool serverClosed)
{
    m_closeTimer.stop();
    failPending();
    teardown(true);
    if (serverClosed)
        report("QMTSTAT", {5});
    report("QMTCLOSE", {0});
}

void MqttSlot::onServerClosed()
{
    m_serverClosed = true;
    switch (m_state) {
    case State::Opened:
        // protocol-notes §7.2: a broker drops a connection that never sent CONNECT.
        connectionLost(1);
        break;
    case State::Closing:
        finishPoliteClose(true);
        break;
    case State::Disconnecting:
        finishDisconnect(0);
        break;
    default:
        // The client reads what the server sent last, then reports the end of the connection; the URC waits
        // for that, so no message is lost behind the +QMTSTAT.
        break;
    }
}

void MqttSlot::onClientClosed()
{
    if (m_state == State::Disconnecting)
        finishDisconnect(0);
}

// ---- AT+QMTCONN / AT+QMTDISC ----------------------------------------------------------------------------

bool MqttSlot::connectClient(const QByteArray &clientId, const std::optional<QByteArray> &userName,
                             const std::optional<QByteArray> &password)
{
    if (m_state != State::Opened)
        return false;
    MqttClientOptions options;
    options.clientId = clientId;
    options.userName = userName;
    options.password = password;
    if (!userName && m_config.aliAuth) {
        const AliyunSigner::Credentials signed_ = AliyunSigner::sign(*m_config.aliAuth, clientId, m_config.sslEnabled);
        options.clientId = signed_.clientId;
        options.userName = signed_.userName;
        options.password = signed_.password;
    }
    options.cleanSession = m_config.cleanSession;
    options.keepAliveS = m_config.keepAliveS;
    options.mqtt311 = m_config.version == 1;
    options.will = m_config.will;

    m_client = new MqttClient(this);
    // The client hears the broker a network delay late already (the link delays its bytes): what it reports
    // is no further delayed, only kept in order behind the network's own events. So it acknowledges a
    // message when it has arrived, as a real module does, and prints it then.
    connect(m_client, &MqttClient::connackReceived, this,
            [this](int returnCode) { arriveNow([this, returnCode] { onConnack(returnCode); }); });
    connect(m_client, &MqttClient::disconnected, this,
            [this](int reason) { arriveNow([this, reason] { onClientDisconnected(reason); }); });
    connect(m_client, &MqttClient::published, this,
            [this](int mid) { arriveNow([this, mid] { onAcknowledged(mid, {}); }); });
    connect(m_client, &MqttClient::subscribed, this, [this](int mid, const QList<int> &granted) {
        arriveNow([this, mid, granted] { onAcknowledged(mid, granted); });
    });
    connect(m_client, &MqttClient::unsubscribed, this,
            [this](int mid) { arriveNow([this, mid] { onAcknowledged(mid, {}); }); });
    connect(m_client, &MqttClient::messageReceived, this,
            [this](int mid, const QByteArray &topic, const QByteArray &payload) {
                arriveNow([this, mid, topic, payload] { onMessage(mid, topic, payload); });
            });
    QString error;
    m_state = State::Connecting;
    m_connectTimeouts = 0;
    if (!m_client->start(m_link->clientSocketPath(), options, &error)) {
        Q_EMIT diagnostic(tr("Client %1: %2").arg(m_id).arg(error));
        connectionLost(3);
        return true;
    }
    m_connectTimer.start(m_config.timeout.pktTimeoutS * 1000);
    return true;
}

void MqttSlot::onConnack(int returnCode)
{
    if (m_state != State::Connecting)
        return;
    m_connectTimer.stop();
    report("QMTCONN", {0, returnCode});
    if (returnCode != 0) {
        // protocol-notes §7.1: a refused CONNECT is followed by +QMTSTAT: <id>,4.
        connectionLost(4);
        return;
    }
    m_state = State::Connected;
    if (m_env.faults->dropBrokerAfterMs >= 0)
        m_dropTimer.start(m_env.faults->dropBrokerAfterMs);
}

void MqttSlot::onConnectTimeout()
{
    if (m_state != State::Connecting)
        return;
    ++m_connectTimeouts;
    if (m_connectTimeouts <= m_config.timeout.retryTimes) {
        if (m_config.timeout.timeoutNotice)
            report("QMTCONN", {1, m_connectTimeouts});
        m_connectTimer.start(m_config.timeout.pktTimeoutS * 1000);
        return;
    }
    connectionLost(m_link && m_link->bytesToServer() > 0 ? 4 : 3);
}

bool MqttSlot::disconnectClient()
{
    switch (m_state) {
    case State::Connected:
        m_state = State::Disconnecting;
        m_client->disconnectFromBroker();
        m_closeTimer.start(m_env.timings->serverCloseWaitMs);
        return true;
    case State::Disconnecting:
    case State::Closing:
        return false;
    default:
        report("QMTDISC", {-1});
        return true;
    }
}

void MqttSlot::finishDisconnect(int result)
{
    m_closeTimer.stop();
    failPending();
    teardown(result == 0);
    report("QMTDISC", {result});
}

void MqttSlot::onClientDisconnected(int reason)
{
    switch (m_state) {
    case State::Connecting:
        connectionLost(m_link && m_link->bytesToServer() > 0 ? 4 : 3);
        break;
    case State::Connected:
        connectionLost(reason == MOSQ_ERR_KEEPALIVE && !m_serverClosed ? 2 : 1);
        break;
    default:
        break; // DISCONNECT written: the link's close completes AT+QMTDISC / AT+QMTCLOSE
    }
}

void MqttSlot::connectionLost(int code)
{
    failPending();
    teardown();
    report("QMTSTAT", {code});
}

// ---- SUBSCRIBE / UNSUBSCRIBE / PUBLISH ------------------------------------------------------------------

QByteArray MqttSlot::packetName(PacketKind kind) const
{
    switch (kind) {
    case PacketKind::Subscribe:
        return "QMTSUB";
    case PacketKind::Unsubscribe:
        return "QMTUNS";
    case PacketKind::Publish:
        return "QMTPUB";
    }
    return {};
}

int MqttSlot::track(Pending pending, const QList<int> &mids)
{
    const int key = m_nextKey++;
    pending.outstandingAcks = int(mids.size());
    pending.timer.reset(new QTimer);
    pending.timer->setSingleShot(true);
    connect(pending.timer.get(), &QTimer::timeout, this, [this, key] { onPacketTimeout(key); });
    pending.timer->start(m_config.timeout.pktTimeoutS * 1000);
    for (int mid : mids)
        m_pendingOfMid.insert(mid, key);
    m_pending.emplace(key, std::move(pending));
    return key;
}

void MqttSlot::failPacket(const Pending &pending)
{
    report(packetName(pending.kind), {pending.msgId, 2});
}

void MqttSlot::failPending()
{
    // Every OK of AT+QMTSUB, AT+QMTUNS and AT+QMTPUB is followed by a result (note 3.3.6–3.3.8): what the
    // broker had not answered when the connection ended failed, and says so before the end is reported.
    std::map<int, Pending> pending;
    pending.swap(m_pending);
    m_pendingOfMid.clear();
    for (const auto &entry : pending)
        failPacket(entry.second);
}

void MqttSlot::subscribe(int msgId, const QList<TopicQos> &topics)
{
    // libmosquitto puts one QoS in a SUBSCRIBE, so topics of different QoS go in one packet per QoS and
    // the granted values are put back in the host's order.
    Pending pending{PacketKind::Subscribe, msgId, 0, QList<int>(topics.size(), 0x80), {}, 0, nullptr};
    QList<int> mids;
    for (int qos = 0; qos <= 2; ++qos) {
        QList<QByteArray> filters;
        QList<int> indexes;
        for (qsizetype i = 0; i < topics.size(); ++i) {
            if (topics[i].qos == qos) {
                filters.append(topics[i].topic);
                indexes.append(int(i));
            }
        }
        if (filters.isEmpty())
            continue;
        const std::optional<int> mid = m_client->subscribe(filters, qos);
        if (!mid) {
            failPacket(pending);
            return;
        }
        mids.append(*mid);
        pending.topicsOfMid.insert(*mid, indexes);
    }
    track(std::move(pending), mids);
}

void MqttSlot::unsubscribe(int msgId, const QList<QByteArray> &topics)
{
    Pending pending{PacketKind::Unsubscribe, msgId, 0, {}, {}, 0, nullptr};
    const std::optional<int> mid = m_client->unsubscribe(topics);
    if (!mid) {
        failPacket(pending);
        return;
    }
    track(std::move(pending), {*mid});
}

void MqttSlot::publish(int msgId, int qos, bool retain, const QByteArray &topic, const QByteArray &payload)
{
    Pending pending{PacketKind::Publish, msgId, 0, {}, {}, 0, nullptr};
    const std::optional<int> mid = m_client->publish(topic, payload, qos, retain);
    if (!mid) {
        failPacket(pending);
        return;
    }
    track(std::move(pending), {*mid});
}

void MqttSlot::onAcknowledged(int mid, const QList<int> &granted)
{
    const auto keyIt = m_pendingOfMid.constFind(mid);
    if (keyIt == m_pendingOfMid.constEnd())
        return;
    const int key = *keyIt;
    m_pendingOfMid.erase(keyIt);
    auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    Pending &p = it->second;
    if (p.kind == PacketKind::Subscribe) {
        const QList<int> indexes = p.topicsOfMid.value(mid);
        for (qsizetype i = 0; i < indexes.size() && i < granted.size(); ++i)
            p.granted[indexes[i]] = granted[i];
    }
    if (--p.outstandingAcks > 0)
        return;
    QList<int> fields{p.msgId, 0};
    if (p.kind == PacketKind::Subscribe)
        fields += p.granted;
    const PacketKind kind = p.kind;
    m_pending.erase(it);
    report(packetName(kind), fields);
}

void MqttSlot::onPacketTimeout(int key)
{
    auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    Pending &p = it->second;
    ++p.timeouts;
    if (p.timeouts <= m_config.timeout.retryTimes) {
        if (m_config.timeout.timeoutNotice)
            report(packetName(p.kind), {p.msgId, 1, p.timeouts});
        p.timer->start(m_config.timeout.pktTimeoutS * 1000);
        return;
    }
    // Given up: the client closes the connection after such failures (table 4, code 6), and the packets
    // still waiting fail with it.
    const Pending failed = std::move(p);
    m_pending.erase(it);
    failPacket(failed);
    connectionLost(6);
}

void MqttSlot::onMessage(int mid, const QByteArray &topic, const QByteArray &payload)
{
    if (m_state != State::Connected && m_state != State::Disconnecting && m_state != State::Closing)
        return;
    // The payload goes out as it came, not escaped (protocol-notes §6.1), or as hex digits in hex receive format.
    QByteArray line = "+QMTRECV: " + num(m_id) + ',' + num(mid) + ",\"" + topic + '"';
    if (m_config.showRecvLen)
        line += ',' + num(int(payload.size()));
    line += ",\"" + (m_config.recvFormat == DataFormat::Hex ? payload.toHex().toUpper() : payload) + '"';
    Q_EMIT urc(line);
}

// ---- reboot, network and faults -------------------------------------------------------------------------

void MqttSlot::teardown(bool graceful)
{
    m_connectTimer.stop();
    m_closeTimer.stop();
    m_dropTimer.stop();
    m_pending.clear();
    m_pendingOfMid.clear();
    m_inbound.clear(); // what the old connection still had on its way never arrives
    // The transport first: the client's worker then sees the end of its socket and stops at once.
    if (m_link) {
        if (graceful)
            m_link->finish();
        else
            m_link->abort();
    }
    if (m_client) {
        disconnect(m_client, nullptr, this, nullptr);
        m_client->stop();
    }
    dispose(m_link, this);
    dispose(m_client, this);
    m_state = State::Closed;
}

void MqttSlot::reset()
{
    teardown();
    m_config = SlotSettings::defaults();
    m_host.clear();
    m_port = 0;
}

void MqttSlot::onNetworkLost()
{
    switch (m_state) {
    case State::Closed:
        return;
    case State::Opening:
        teardown();
        report("QMTOPEN", {3});
        return;
    default:
        connectionLost(7);
        return;
    }
}

bool MqttSlot::dropConnection()
{
    if (!m_link || m_state == State::Opening || m_state == State::Closed)
        return false;
    m_serverClosed = true;
    if (m_state == State::Connected || m_state == State::Connecting) {
        // Reset the broker's side (it publishes the will) and let the client notice the loss as it would.
        m_link->abort();
        return true;
    }
    connectionLost(1);
    return true;
}

void MqttSlot::setStalled(bool stalled)
{
    if (m_link)
        m_link->setStalled(stalled);
}

} // namespace qmt::sim
