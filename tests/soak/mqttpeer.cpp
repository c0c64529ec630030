#include "mqttpeer.h"

#include <QTest>

#include <mosquitto.h>

#include <mutex>

namespace qmt::soak {

namespace {

constexpr int StartTimeoutMs = 10'000;

} // namespace

/// Callbacks come on libmosquitto's thread; they reach the peer only while it exists.
struct MqttPeer::Bridge
{
    std::mutex mutex;
    MqttPeer *target = nullptr;

    template<typename Function> void post(Function function)
    {
        std::lock_guard lock(mutex);
        if (target)
            QMetaObject::invokeMethod(target, std::move(function), Qt::QueuedConnection);
    }
};

MqttPeer::MqttPeer(QString host, quint16 port, QByteArray clientId, QObject *parent)
    : QObject(parent)
    , m_host(std::move(host))
    , m_port(port)
    , m_clientId(std::move(clientId))
    , m_bridge(std::make_shared<Bridge>())
{
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
    m_bridge->target = this;
}

MqttPeer::~MqttPeer()
{
    {
        std::lock_guard lock(m_bridge->mutex);
        m_bridge->target = nullptr;
    }
    if (m_mosq) {
        mosquitto_disconnect(m_mosq);
        mosquitto_loop_stop(m_mosq, false);
        mosquitto_destroy(m_mosq);
    }
}

bool MqttPeer::start(const QByteArray &filter, QString *error)
{
    m_mosq = mosquitto_new(m_clientId.constData(), true, m_bridge.get());
    if (!m_mosq) {
        *error = QStringLiteral("libmosquitto could not create a client");
        return false;
    }
    mosquitto_connect_callback_set(m_mosq, [](mosquitto *, void *b, int rc) {
        static_cast<Bridge *>(b)->post([b, rc] {
            if (rc == 0)
                static_cast<Bridge *>(b)->target->m_connected = true;
        });
    });
    mosquitto_subscribe_callback_set(m_mosq, [](mosquitto *, void *b, int, int, const int *) {
        static_cast<Bridge *>(b)->post([b] { static_cast<Bridge *>(b)->target->m_subscribed = true; });
    });
    mosquitto_publish_callback_set(m_mosq, [](mosquitto *, void *b, int mid) {
        static_cast<Bridge *>(b)->post([b, mid] { Q_EMIT static_cast<Bridge *>(b)->target->acknowledged(mid); });
    });
    mosquitto_message_callback_set(m_mosq, [](mosquitto *, void *b, const mosquitto_message *m) {
        QByteArray topic(m->topic);
        QByteArray payload(static_cast<const char *>(m->payload), m->payloadlen);
        static_cast<Bridge *>(b)->post(
            [b, topic, payload] { Q_EMIT static_cast<Bridge *>(b)->target->received(topic, payload); });
    });
    // Room for every message of a long outage in flight at once: the broker's view must not be throttled
    // by this client.
    mosquitto_int_option(m_mosq, MOSQ_OPT_SEND_MAXIMUM, 65535);
    mosquitto_max_inflight_messages_set(m_mosq, 0);
    if (const int rc = mosquitto_connect(m_mosq, m_host.toUtf8().constData(), m_port, 60); rc != MOSQ_ERR_SUCCESS) {
        *error = QStringLiteral("connecting to %1:%2: %3")
                     .arg(m_host)
                     .arg(m_port)
                     .arg(QString::fromUtf8(mosquitto_strerror(rc)));
        return false;
    }
    if (const int rc = mosquitto_loop_start(m_mosq); rc != MOSQ_ERR_SUCCESS) {
        *error = QStringLiteral("libmosquitto's thread: %1").arg(QString::fromUtf8(mosquitto_strerror(rc)));
        return false;
    }
    if (!QTest::qWaitFor([this] { return m_connected; }, StartTimeoutMs)) {
        *error = QStringLiteral("no CONNACK from %1:%2").arg(m_host).arg(m_port);
        return false;
    }
    mosquitto_subscribe(m_mosq, nullptr, filter.constData(), 1);
    if (!QTest::qWaitFor([this] { return m_subscribed; }, StartTimeoutMs)) {
        *error = QStringLiteral("no SUBACK for %1").arg(QString::fromUtf8(filter));
        return false;
    }
    return true;
}

int MqttPeer::publish(const QByteArray &topic, const QByteArray &payload)
{
    int mid = -1;
    if (mosquitto_publish(m_mosq, &mid, topic.constData(), int(payload.size()), payload.constData(), 1, false) !=
        MOSQ_ERR_SUCCESS)
        return -1;
    return mid;
}

} // namespace qmt::soak
