#include "mqttclient.h"

#include <QMetaObject>
#include <mosquitto.h>
#include <mutex>

namespace qmt::sim {

namespace {

/// libmosquitto refuses keep-alive times of 1–4 s (its MOSQ_ERR_INVAL); the shortest it accepts stands in.
constexpr int MinKeepAliveS = 5;
constexpr int LoopTimeoutMs = 100;

void initialiseLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] {
        mosquitto_lib_init();
        std::atexit([] { mosquitto_lib_cleanup(); });
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
    if (m_mosq)
        mosquitto_destroy(m_mosq);
}

bool MqttClient::start(const QString &socketPath, const MqttClientOptions &options, QString *error)
{
    m_mosq = mosquitto_new(options.clientId.constData(), options.cleanSession, m_bridge.get());
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
    m_worker = std::thread(&MqttClient::run, this, socketPath.toStdString(), keepAlive);
    return true;
}

void MqttClient::run(std::string socketPath, int keepAlive)
{
    // Port 0 makes libmosquitto connect to a Unix socket: the BrokerLink's relay.
    int rc = mosquitto_connect(m_mosq, socketPath.c_str(), 0, keepAlive);
    if (rc != MOSQ_ERR_SUCCESS) {
        m_bridge->post([b = m_bridge, rc] {
            if (MqttClient *c = b->client())
                Q_EMIT c->disconnected(rc);
        });
        return;
    }
    while (!m_stop.load()) {
        rc = mosquitto_loop(m_mosq, LoopTimeoutMs, 1);
        if (rc != MOSQ_ERR_SUCCESS)
            break; // libmosquitto reported the reason through the disconnect callback
    }
}

void MqttClient::disconnectFromBroker()
{
    if (m_mosq)
        mosquitto_disconnect(m_mosq);
}

void MqttClient::stop()
{
    m_bridge->detach();
    m_stop = true;
    // The worker wakes at the latest after one loop timeout; the transport is closed by now, so usually at
    // once.
    if (m_worker.joinable())
        m_worker.join();
}

std::optional<int> MqttClient::publish(const QByteArray &topic, const QByteArray &payload, int qos, bool retain)
{
    int mid = 0;
    const int rc =
        mosquitto_publish(m_mosq, &mid, topic.constData(), int(payload.size()), payload.constData(), qos, retain);
    return rc == MOSQ_ERR_SUCCESS ? std::optional<int>(mid) : std::nullopt;
}

std::optional<int> MqttClient::subscribe(const QList<QByteArray> &filters, int qos)
{
    std::vector<QByteArray> storage;
    std::vector<char *> list = cStrings(filters, storage);
    int mid = 0;
    const int rc = mosquitto_subscribe_multiple(m_mosq, &mid, int(list.size()), list.data(), qos, 0, nullptr);
    return rc == MOSQ_ERR_SUCCESS ? std::optional<int>(mid) : std::nullopt;
}

std::optional<int> MqttClient::unsubscribe(const QList<QByteArray> &filters)
{
    std::vector<QByteArray> storage;
    std::vector<char *> list = cStrings(filters, storage);
    int mid = 0;
    const int rc = mosquitto_unsubscribe_multiple(m_mosq, &mid, int(list.size()), list.data(), nullptr);
    return rc == MOSQ_ERR_SUCCESS ? std::optional<int>(mid) : std::nullopt;
}

} // namespace qmt::sim
