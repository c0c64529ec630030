#include "core/tls/tlsconnectiontest.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/qmtcodes.h"

namespace qmt {

TlsConnectionTest::TlsConnectionTest(ModuleController &controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(DefaultTimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(false,
               tr("Slot %1 neither connected nor failed within %2 s.").arg(m_slot).arg(m_timeout.interval() / 1000));
    });
    connect(&controller, &ModuleController::slotChanged, this, &TlsConnectionTest::onSlotChanged);
}

bool TlsConnectionTest::start(int slot, QString *error)
{
    if (m_running) {
        if (error)
            *error = tr("A test is already running.");
        return false;
    }
    m_slot = slot;
    m_reachedOpen = false;
    m_failuresAtStart = m_controller.status(slot).counters.failures;
    const auto started = m_controller.start(slot);
    if (!started) {
        if (error)
            *error = started.error().message();
        return false;
    }
    m_running = true;
    m_timeout.start();
    const SlotConfig &config = m_controller.config(slot);
    Q_EMIT progress(tr("Opening a TLS connection to %1:%2 on slot %3…")
                        .arg(QString::fromUtf8(config.host))
                        .arg(config.port)
                        .arg(slot));
    onSlotChanged(slot);
    return true;
}

void TlsConnectionTest::onSlotChanged(int slot)
{
    if (!m_running || slot != m_slot)
        return;
    const SlotStatus &status = m_controller.status(slot);
    if (status.counters.failures > m_failuresAtStart) {
        const QString why = status.lastError.isEmpty() ? tr("the slot failed") : status.lastError;
        const QString message = tr("Slot %1 failed: %2. %3")
                                    .arg(slot)
                                    .arg(why)
                                    .arg(advice(why, m_reachedOpen, status.lastStat.value_or(-1)));
        // Without auto-recovery the controller gives up by itself; with it, the test's failure ends the tries.
        // Finished first: stopping changes the slot (and its last error) while this runs.
        const bool stopTrying = status.wanted;
        finish(false, message);
        if (stopTrying)
            m_controller.stop(slot);
        return;
    }
    switch (status.state) {
    case SlotState::Open:
    case SlotState::Connecting:
        if (!m_reachedOpen) {
            m_reachedOpen = true;
            Q_EMIT progress(tr("TLS connection open; MQTT connecting…"));
        }
        break;
    case SlotState::Connected: {
        const SlotConfig &config = m_controller.config(slot);
        finish(true, tr("Slot %1 is connected to %2:%3 over TLS.")
                         .arg(slot)
                         .arg(QString::fromUtf8(config.host))
                         .arg(config.port));
        break;
    }
    default:
        break;
    }
}

QString TlsConnectionTest::advice(const QString &lastError, bool reachedOpen, int lastStat)
{
    if (lastStat > 0)
        return codes::statAdvice(lastStat);
    if (!reachedOpen && lastError == codes::openResult(-1)) {
        return tr("With TLS this is the usual sign of certificate trouble: check that the CA certificate is the one "
                  "that signed the broker's certificate, that the broker accepts this client certificate and key, "
                  "that host and port are the broker's TLS listener (usually 8883), and that the module's clock is "
                  "within the certificates' validity.");
    }
    if (!reachedOpen && lastError == codes::openResult(3))
        return tr("The module has no data connection: check the SIM, the network registration and the APN.");
    if (!reachedOpen && lastError == codes::openResult(4))
        return tr("The module could not resolve the host name: check its spelling, or use the broker's address.");
    if (reachedOpen) {
        return tr("The TLS connection was accepted but the broker refused the MQTT session: check the client ID, "
                  "the user name and password, and what the broker allows this client certificate.");
    }
    return tr("Check the host, the port and the slot's settings.");
}

void TlsConnectionTest::finish(bool ok, const QString &message)
{
    m_running = false;
    m_timeout.stop();
    Q_EMIT finished(ok, message);
}

} // namespace qmt
