#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace qmt {

class ModuleController;

/// The wizard's last step: starts a slot (configure, AT+QMTOPEN, AT+QMTCONN) with its configuration and
/// reports success, or the exact failure with the note's meaning and what to do about it.
///
/// With TLS, "+QMTOPEN: <id>,-1" is the usual sign of certificate trouble (protocol-notes §5.2), so that
/// failure gets advice about the CA, the client certificate, the port and the module's clock.
class TlsConnectionTest : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 120'000; // above the note's AT+QMTOPEN and AT+QMTCONN limits

    explicit TlsConnectionTest(ModuleController &controller, QObject *parent = nullptr);

    /// Starts the test; false, with `error` set and nothing sent, when the slot cannot start.
    bool start(int slot, QString *error);
    [[nodiscard]] bool isRunning() const { return m_running; }
    void setTimeoutMs(int ms) { m_timeout.setInterval(ms); }

    /// What to do about a failure of the slot: from its last error, +QMTSTAT and how far it got.
    [[nodiscard]] static QString advice(const QString &lastError, bool reachedOpen, int lastStat = -1);

Q_SIGNALS:
    void progress(const QString &text);
    void finished(bool ok, const QString &message);

private:
    void onSlotChanged(int slot);
    void finish(bool ok, const QString &message);

    ModuleController &m_controller;
    QTimer m_timeout;
    int m_slot = 0;
    bool m_running = false;
    bool m_reachedOpen = false;
    quint64 m_failuresAtStart = 0;
};

} // namespace qmt
