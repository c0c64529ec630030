#include "sim/mqttclient.h"

#include <QMetaObject>
#include <chrono>
#include <condition_variable>
#include <mosquitto.h>
#include <mutex>

namespace qmt::sim {

namespace {

/// libmosquitto refuses keep-alive times of 1–4 s (its MOSQ_ERR_INVAL); the shortest it accepts stands in.
constexpr int MinKeepAliveS = 5;
constexpr int LoopTimeoutMs = 100;

/// Workers still running after their client stopped. They are not joined by the client — that would block its
/// (GUI) thread for up to a loop timeout — but the process waits for them at exit, before libmosquitto is
/// cleaned up under them.
struct LiveWorkers
{
    std::mutex mutex;
    std::condition_variable finished;
    int count = 0;

    void add()
    {
        std::lock_guard lock(mutex);
        ++count;
    }
    void remove()
    {
        std::lock_guard lock(mutex);
        --count;
        finished.notify_all();
    }
    void awaitAll()
    {
        std::unique_lock lock(mutex);
        finished.wait_for(lock, std::chrono::seconds(2), [this] { return count == 0; });
    }
};

LiveWorkers &liveWorkers()
{
    static LiveWorkers *workers = new LiveWorkers; // never destroyed: detached workers may outlive statics
    return *workers;
}

void initialiseLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] {
        mosquitto_lib_init();
        // atexit runs handlers in reverse: the workers are awaited first, then the library is cleaned up.
        std::atexit([] { mosquitto_lib_cleanup(); });
        std::atexit([] { liveWorkers().awaitAll(); });
    });
}

std::vector<char *> cStrings(const QList<QByteArray> &list, std::vector<QByteArray> &storage)
{
    storage.assign(list.begin(), list.end());
    std::vector<char *> pointers;
    for (QByteArray &s : storage)
        pointers.push_back(s.data());
    return pointers;
}

} // namespace

/// Shared between the client and its worker: callbacks post to the client only while it is attached, so a
/// client that is being destroyed never receives a call.
struct MqttClient::Bridge
{
    std::mutex mutex;
    MqttClient *target = nullptr;

    template<typename Function> void post(Function function)
    {
        std::lock_guard lock(mutex);
        if (target)
            QMetaObject::invokeMethod(target, std::move(function), Qt::QueuedConnection);
    }
    void detach()
    {
        std::lock_guard lock(mutex);
        target = nullptr;
    }
    MqttClient *client()
    {
        std::lock_guard lock(mutex);
        return target;
    }
};

/// The libmosquitto client and its stop flag, shared by the owner and the worker: whichever lets go last
/// destroys the client, so a stopped owner can go away while its worker is still finishing its last loop.
struct MqttClient::Session
{
    mosquitto *mosq = nullptr;
    std::atomic<bool> stopRequested{false};

    ~Session()
    {
        if (mosq)
            mosquitto_destroy(mosq);
    }
};

MqttClient::MqttClient(QObject *parent)
    : QObject(parent)
    , m_bridge(std::make_shared<Bridge>())
{
    initialiseLibrary();
    m_bridge->target = this;
}

MqttClient::~MqttClient()
{
    stop();
}

bool MqttClient::start(const QString &socketPath, const MqttClientOptions &options, QString *error)
{
    m_session = std::make_shared<Session>();
    m_session->mosq = mosquitto_new(options.clientId.constData(), options.cleanSession, m_bridge.get());
    m_mosq = m_session->mosq;
    if (!m_mosq) {
        *error = tr("libmosquitto could not create a client");
        return false;
    }
    // Publishing from this thread while the worker loops: libmosquitto then wakes the worker to write.
    mosquitto_threaded_set(m_mosq, true);
    mosquitto_int_option(m_mosq, MOSQ_OPT_PROTOCOL_VERSION, options.mqtt311 ? MQTT_PROTOCOL_V311 : MQTT_PROTOCOL_V31);
    int rc = MOSQ_ERR_SUCCESS;
    if (options.will.enabled) {
        rc = mosquitto_will_set(m_mosq, options.will.topic.constData(), int(options.will.message.size()),
                                options.will.message.constData(), options.will.qos, options.will.retain);
    }
    if (rc == MOSQ_ERR_SUCCESS && options.userName) {
        rc = mosquitto_username_pw_set(m_mosq, options.userName->constData(),
                                       options.password ? options.password->constData() : nullptr);
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        *error = QString::fromUtf8(mosquitto_strerror(rc));
        return false;
    }

    mosquitto_connect_callback_set(m_mosq, [](mosquitto *, void *bridge, int returnCode) {
        static_cast<Bridge *>(bridge)->post([b = static_cast<Bridge *>(bridge), returnCode] {
            if (MqttClient *c = b->client())
                Q_EMIT c->connackReceived(returnCode);
        });
    });
    mosquitto_publish_callback_set(m_mosq, [](mosquitto *, void *bridge, int mid) {
        static_cast<Bridge *>(bridge)->post([b = static_cast<Bridge *>(bridge), mid] {
            if (MqttClient *c = b->client())
                Q_EMIT c->published(mid);
        });
    });
    mosquitto_subscribe_callback_set(m_mosq, [](mosquitto *, void *bridge, int mid, int count, const int *granted) {
        QList<int> qos(granted, granted + count);
        static_cast<Bridge *>(bridge)->post([b = static_cast<Bridge *>(bridge), mid, qos] {
            if (MqttClient *c = b->client())
                Q_EMIT c->subscribed(mid, qos);
        });
    });
    mosquitto_unsubscribe_callback_set(m_mosq, [](mosquitto *, void *bridge, int mid) {
        static_cast<Bridge *>(bridge)->post([b = static_cast<Bridge *>(bridge), mid] {
            if (MqttClient *c = b->client())
                Q_EMIT c->unsubscribed(mid);
        });
    });
    mosquitto_message_callback_set(m_mosq, [](mosquitto *, void *bridge, const mosquitto_message *m) {
        const QByteArray topic(m->topic);
        const QByteArray payload(static_cast<const char *>(m->payload), m->payloadlen);
        const int mid = m->mid;
        const int qos = m->qos;
        const bool retain = m->retain;
        static_cast<Bridge *>(bridge)->post([b = static_cast<Bridge *>(bridge), mid, topic, payload, qos, retain] {
            if (MqttClient *c = b->client())
                Q_EMIT c->messageReceived(mid, topic, payload, qos, retain);
        });
    });
    mosquitto_disconnect_callback_set(m_mosq, [](mosquitto *, void *bridge, int reason) {
        static_cast<Bridge *>(bridge)->post([b = static_cast<Bridge *>(bridge), reason] {
            if (MqttClient *c = b->client())
                Q_EMIT c->disconnected(reason);
        });
    });

    const int keepAlive = options.keepAliveS == 0 ? 0 : std::max(MinKeepAliveS, options.keepAliveS);
    liveWorkers().add();
    std::thread(&MqttClient::run, m_session, m_bridge, socketPath.toStdString(), keepAlive).detach();
    return true;
}

void MqttClient::run(std::shared_ptr<Session> session, std::shared_ptr<Bridge> bridge, std::string socketPath,
                     int keepAlive)
{
    // Port 0 makes libmosquitto connect to a Unix socket: the BrokerLink's relay.
    int rc = mosquitto_connect(session->mosq, socketPath.c_str(), 0, keepAlive);
    if (rc != MOSQ_ERR_SUCCESS) {
        bridge->post([b = bridge, rc] {
            if (MqttClient *c = b->client())
                Q_EMIT c->disconnected(rc);
        });
    }
    while (rc == MOSQ_ERR_SUCCESS && !session->stopRequested.load()) {
        // libmosquitto reports the reason of a failed loop through the disconnect callback.
        rc = mosquitto_loop(session->mosq, LoopTimeoutMs, 1);
    }
    session.reset(); // destroys the client here when the owner has already stopped
    bridge.reset();  // before the exit handler may go on: nothing of the worker outlives its count
    liveWorkers().remove();
}

void MqttClient::disconnectFromBroker()
{
    if (m_mosq)
        mosquitto_disconnect(m_mosq);
}

void MqttClient::stop()
{
    m_bridge->detach();
    if (m_session)
        m_session->stopRequested = true;
    // Not joined: the worker notices the flag within one loop timeout and finishes on its own.
    m_session.reset();
    m_mosq = nullptr;
}

std::optional<int> MqttClient::publish(const QByteArray &topic, const QByteArray &payload, int qos, bool retain)
{
    if (!m_mosq)
        return std::nullopt;
    int mid = 0;
    const int rc =
        mosquitto_publish(m_mosq, &mid, topic.constData(), int(payload.size()), payload.constData(), qos, retain);
    return rc == MOSQ_ERR_SUCCESS ? std::optional<int>(mid) : std::nullopt;
}

std::optional<int> MqttClient::subscribe(const QList<QByteArray> &filters, int qos)
{
    if (!m_mosq)
        return std::nullopt;
    std::vector<QByteArray> storage;
    std::vector<char *> list = cStrings(filters, storage);
    int mid = 0;
    const int rc = mosquitto_subscribe_multiple(m_mosq, &mid, int(list.size()), list.data(), qos, 0, nullptr);
    return rc == MOSQ_ERR_SUCCESS ? std::optional<int>(mid) : std::nullopt;
}

std::optional<int> MqttClient::unsubscribe(const QList<QByteArray> &filters)
{
    if (!m_mosq)
        return std::nullopt;
    std::vector<QByteArray> storage;
    std::vector<char *> list = cStrings(filters, storage);
    int mid = 0;
    const int rc = mosquitto_unsubscribe_multiple(m_mosq, &mid, int(list.size()), list.data(), nullptr);
    return rc == MOSQ_ERR_SUCCESS ? std::optional<int>(mid) : std::nullopt;
}

} // namespace qmt::sim
