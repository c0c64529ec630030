#include "core/module/moduleprobe.h"

namespace qmt {

namespace {
constexpr int Attempts = 2;
}

ModuleProbe::ModuleProbe(QObject *parent)
    : QObject(parent)
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(700);
    connect(&m_timeout, &QTimer::timeout, this, &ModuleProbe::onTimeout);
}

void ModuleProbe::start(const QStringList &ports, qint32 baudRate)
{
    cancel();
    m_ports = ports;
    m_answering.clear();
    m_baudRate = baudRate;
    m_index = 0;
    QMetaObject::invokeMethod(this, &ModuleProbe::probeCurrent, Qt::QueuedConnection);
}

void ModuleProbe::cancel()
{
    m_timeout.stop();
    closeCurrent();
    m_index = -1;
}

void ModuleProbe::closeCurrent()
{
    if (m_port) {
        m_port->disconnect(this);
        m_port->close();
        // This may run inside the port's own readyRead: let it go from the event loop.
        m_port.release()->deleteLater();
    }
}

void ModuleProbe::advance()
{
    closeCurrent();
    ++m_index;
    probeCurrent();
}

void ModuleProbe::probeCurrent()
{
    if (m_index < 0)
        return; // cancelled
    for (; m_index < m_ports.size(); ++m_index) {
        m_port = std::make_unique<QSerialPort>(m_ports[m_index]);
        m_port->setBaudRate(m_baudRate);
        if (!m_port->open(QIODevice::ReadWrite)) {
            m_port.reset(); // busy or gone: not a candidate
            continue;
        }
        Q_EMIT probing(m_ports[m_index]);
        connect(m_port.get(), &QSerialPort::readyRead, this, &ModuleProbe::onReadyRead);
        m_attempt = 0;
        m_reply.clear();
        m_port->write("AT\r");
        m_timeout.start();
        return;
    }
    const QStringList found = m_answering;
    m_index = -1;
    Q_EMIT finished(found);
}

void ModuleProbe::onReadyRead()
{
    m_reply += m_port->readAll();
    if (m_reply.contains("OK")) {
        m_timeout.stop();
        m_answering.append(m_ports[m_index]);
        advance();
    } else if (m_reply.size() > 4096) {
        m_reply = m_reply.right(16); // chatty port: keep looking for OK without growing
    }
}

void ModuleProbe::onTimeout()
{
    if (++m_attempt < Attempts && m_port) {
        m_reply.clear();
        m_port->write("AT\r");
        m_timeout.start();
        return;
    }
    advance();
}

} // namespace qmt
