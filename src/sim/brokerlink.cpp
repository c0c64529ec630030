#include "sim/brokerlink.h"

#include <QCoreApplication>
#include <QDir>
#include <QSslSocket>

namespace qmt::sim {

namespace {

/// Bytes held for a side that cannot take them (stalled link, client not yet connected); beyond this the
/// link is treated as broken rather than growing without bound.
constexpr qsizetype MaxBuffered = 1 << 20;
/// How long a finished connection may take to write its last bytes.
constexpr int LingerMs = 5000;

} // namespace

BrokerLink::BrokerLink(QObject *parent)
    : QObject(parent)
{
    m_openTimer.setSingleShot(true);
    connect(&m_openTimer, &QTimer::timeout, this,
            [this] { fail(Failure::ConnectFailed, tr("no answer from %1:%2").arg(m_target.host).arg(m_target.port)); });
    connect(&m_server, &QLocalServer::newConnection, this, &BrokerLink::onNewClient);
}

BrokerLink::~BrokerLink()
{
    abort();
}

void BrokerLink::open(const Target &target, int timeoutMs)
{
    m_target = target;
    m_openTimer.start(timeoutMs);
    // Asynchronous: the embedding application's thread never waits for DNS.
    m_lookupId = QHostInfo::lookupHost(target.host, this, &BrokerLink::onLookup);
}

void BrokerLink::onLookup(const QHostInfo &info)
{
    m_lookupId = -1;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        fail(Failure::HostNotFound, info.errorString());
        return;
    }
    const QHostAddress address = info.addresses().constFirst();
    if (m_target.tls) {
        auto *socket = new QSslSocket;
        socket->setSslConfiguration(*m_target.tls);
        m_upstream.reset(socket);
        connect(socket, &QSslSocket::encrypted, this, &BrokerLink::onUpstreamConnected);
        connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            fail(Failure::ConnectFailed, errors.isEmpty() ? tr("TLS error") : errors.constFirst().errorString());
        });
        socket->connectToHostEncrypted(address.toString(), m_target.port, m_target.verifyName);
    } else {
        m_upstream = std::make_unique<QTcpSocket>();
        connect(m_upstream.get(), &QTcpSocket::connected, this, &BrokerLink::onUpstreamConnected);
        m_upstream->connectToHost(address, m_target.port);
    }
    // While the link is stalled nothing is read on; a bounded buffer turns that into TCP back-pressure.
    m_upstream->setReadBufferSize(MaxBuffered);
    connect(m_upstream.get(), &QAbstractSocket::errorOccurred, this, [this] {
        if (!m_open)
            fail(Failure::ConnectFailed, m_upstream->errorString());
    });
    connect(m_upstream.get(), &QAbstractSocket::disconnected, this, &BrokerLink::onUpstreamGone);
    connect(m_upstream.get(), &QAbstractSocket::readyRead, this, &BrokerLink::pumpDown);
}

void BrokerLink::onUpstreamConnected()
{
    m_openTimer.stop();
    // A directory only this user can enter holds the relay socket, so no other local user can talk MQTT
    // through this module's connection.
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/qmt-sim-XXXXXX"));
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    m_socketPath = m_dir->filePath(QStringLiteral("mqtt"));
    if (!m_dir->isValid() || !m_server.listen(m_socketPath)) {
        fail(Failure::ConnectFailed, tr("cannot create the local MQTT socket: %1").arg(m_server.errorString()));
        return;
    }
    m_open = true;
    Q_EMIT opened();
}

void BrokerLink::fail(Failure failure, const QString &detail)
{
    if (m_open)
        return;
    abort();
    Q_EMIT openFailed(failure, detail);
}

void BrokerLink::onNewClient()
{
    QLocalSocket *socket = m_server.nextPendingConnection();
    if (!socket)
        return;
    if (m_client) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    m_client = socket;
    socket->setParent(this);
    socket->setReadBufferSize(MaxBuffered);
    m_server.close(); // exactly one client per connection
    connect(socket, &QLocalSocket::readyRead, this, &BrokerLink::pumpUp);
    connect(socket, &QLocalSocket::readChannelFinished, this, &BrokerLink::pumpUp);
    connect(socket, &QLocalSocket::disconnected, this, &BrokerLink::onClientGone);
    if (!m_pendingDown.isEmpty())
        deliverDown({});
}

void BrokerLink::pumpUp()
{
    if (m_stalled || !m_client || !m_upstream)
        return;
    const QByteArray data = m_client->readAll();
    if (data.isEmpty())
        return;
    m_upstream->write(data);
    m_bytesToServer += quint64(data.size());
}

void BrokerLink::pumpDown()
{
    if (m_stalled || !m_upstream)
        return;
    const QByteArray bytes = m_upstream->readAll();
    if (!bytes.isEmpty())
        m_down.post(m_downDelayMs, [this, bytes] { deliverDown(bytes); });
}

void BrokerLink::deliverDown(const QByteArray &bytes)
{
    m_pendingDown += bytes;
    if (!m_client) {
        if (m_pendingDown.size() > MaxBuffered && m_upstream)
            m_upstream->abort();
        return;
    }
    if (!m_pendingDown.isEmpty())
        m_client->write(std::exchange(m_pendingDown, QByteArray()));
}

void BrokerLink::onUpstreamGone()
{
    if (!m_open)
        return; // a failed open is reported by errorOccurred
    if (m_stalled) {
        // A dead radio link does not deliver the server's FIN either; it is seen once the link is back.
        m_serverGoneWhileStalled = true;
        return;
    }
    closeServerSide();
}

void BrokerLink::closeServerSide()
{
    pumpDown();
    // The close reaches the client after the bytes the broker sent before it.
    m_down.post(m_downDelayMs, [this] {
        if (m_client)
            m_client->disconnectFromServer();
    });
    m_server.close();
    m_open = false;
    Q_EMIT closedByServer();
}

void BrokerLink::onClientGone()
{
    if (m_stalled) {
        m_clientGoneWhileStalled = true;
        return;
    }
    pumpUp();
    Q_EMIT clientClosed();
}

void BrokerLink::setStalled(bool stalled)
{
    if (stalled == m_stalled)
        return;
    m_stalled = stalled;
    if (stalled)
        return;
    pumpUp();
    pumpDown();
    if (std::exchange(m_clientGoneWhileStalled, false))
        onClientGone();
    if (std::exchange(m_serverGoneWhileStalled, false))
        closeServerSide();
}

void BrokerLink::finish()
{
    m_openTimer.stop();
    m_open = false;
    m_down.clear(); // the client is done reading
    pumpUp();
    if (m_upstream) {
        // The socket outlives this link until its last bytes (a DISCONNECT) are written: destroying it
        // earlier would reset the connection, and the broker would publish the will.
        QTcpSocket *socket = m_upstream.release();
        disconnect(socket, nullptr, this, nullptr);
        // Owned by the application while it lingers, so that a program ending within the linger (a test, a
        // script's qmt-sim) still destroys it instead of leaking the socket and its TLS state.
        socket->setParent(QCoreApplication::instance());
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(LingerMs, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
    }
    if (m_client) {
        disconnect(m_client, nullptr, this, nullptr);
        m_client->disconnectFromServer();
    }
    m_server.close();
}

void BrokerLink::abort()
{
    m_openTimer.stop();
    m_open = false;
    m_down.clear(); // what was on its way never arrives (and was never acknowledged)
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    if (m_upstream) {
        disconnect(m_upstream.get(), nullptr, this, nullptr);
        m_upstream->abort();
    }
    if (m_client) {
        disconnect(m_client, nullptr, this, nullptr);
        m_client->abort();
    }
    m_server.close();
}

} // namespace qmt::sim
