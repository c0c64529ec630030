#pragma once

#include "core/qmt/qmtspec.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QTimer>

#include <array>
#include <functional>
#include <optional>

namespace qmt {

/// What the slot table shows of one MQTT client slot; the module controller fills it in.
struct SlotSnapshot
{
    /// The TCP socket of the slot (AT+QMTOPEN / AT+QMTCLOSE, +QMTOPEN: …).
    enum class Socket {
        Closed,
        Opening,
        Open,
        Closing
    };
    /// The MQTT session on it (AT+QMTCONN / AT+QMTDISC; AT+QMTCONN? states 1–4).
    enum class Mqtt {
        Disconnected,
        Initializing,
        Connecting,
        Connected,
        Disconnecting
    };

    Socket socket = Socket::Closed;
    Mqtt mqtt = Mqtt::Disconnected;
    std::optional<int> lastStatCode; ///< the last +QMTSTAT <err_code>
    QDateTime lastStatTime;
    quint64 sent = 0;            ///< PUBLISH packets the module accepted
    quint64 received = 0;        ///< +QMTRECV messages
    quint64 retransmissions = 0; ///< results 1 (retransmitted) of PUB/SUB/UNS/CONN
    quint64 failures = 0;        ///< results 2 (failed) and timeouts
    QDateTime connectedSince;    ///< when the MQTT session came up; invalid when not connected
    int recoveryAttempt = 0;     ///< auto-recovery's attempt; 0 when not recovering
    QDateTime nextAttempt;       ///< when auto-recovery tries again; invalid when no attempt waits
    QString notRetrying;         ///< why the slot stays down ("gave up: …"); empty when it is not given up

    friend bool operator==(const SlotSnapshot &, const SlotSnapshot &) = default;
};

/// One row per MQTT client slot (TCP_connectID 0–4): socket and MQTT state, the last +QMTSTAT with its
/// meaning (advice as tooltip), auto-recovery's countdown or why it gave up, counters and uptime.
///
/// setSlot() replaces a row and signals that row only, and only when something changed, so the
/// controller may call it on every event. The uptime and countdown columns tick once a second while a
/// slot is connected or waiting to recover.
class SlotStateModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        SlotColumn,
        SocketColumn,
        MqttColumn,
        StatColumn,
        RecoveryColumn,
        SentColumn,
        ReceivedColumn,
        RetransmissionsColumn,
        FailuresColumn,
        UptimeColumn,
        ColumnCount
    };
    enum Role {
        SocketStateRole = Qt::UserRole + 1, ///< int(SlotSnapshot::Socket)
        MqttStateRole,                      ///< int(SlotSnapshot::Mqtt)
        StatCodeRole,                       ///< int, or invalid when none
        UptimeSecondsRole                   ///< qint64, or invalid when not connected
    };

    explicit SlotStateModel(QObject *parent = nullptr);

    /// Replaces the row of `slot` (0–4); false for a slot out of range.
    bool setSlot(int slot, const SlotSnapshot &snapshot);
    [[nodiscard]] const SlotSnapshot &slot(int slot) const { return m_slots.at(size_t(slot)); }
    /// Where "now" comes from for the uptime (tests pin it).
    void setClock(std::function<QDateTime()> clock);

    [[nodiscard]] static QString socketName(SlotSnapshot::Socket state);
    [[nodiscard]] static QString mqttName(SlotSnapshot::Mqtt state);
    /// "1 h 02 min 05 s"
    [[nodiscard]] static QString durationText(qint64 seconds);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    void tick();
    [[nodiscard]] std::optional<qint64> uptimeSeconds(const SlotSnapshot &s) const;
    [[nodiscard]] QString recoveryText(const SlotSnapshot &s) const;
    [[nodiscard]] static bool ticks(const SlotSnapshot &s);
    [[nodiscard]] static bool statIsHistory(const SlotSnapshot &s);

    std::array<SlotSnapshot, SlotCount> m_slots;
    std::function<QDateTime()> m_clock;
    QTimer m_tickTimer;
};

} // namespace qmt
