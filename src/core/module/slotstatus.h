#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace qmt {

/// Where a client slot stands, from the module's point of view.
enum class SlotState {
    Closed,        ///< no network connection
    Opening,       ///< AT+QMTOPEN sent, +QMTOPEN awaited
    Open,          ///< network connection up, no MQTT session
    Connecting,    ///< AT+QMTCONN sent, +QMTCONN awaited
    Connected,     ///< MQTT session up
    Disconnecting, ///< AT+QMTDISC sent
    Closing        ///< AT+QMTCLOSE sent
};

struct SlotStateText
{
    Q_DECLARE_TR_FUNCTIONS(qmt::SlotState)
public:
    static QString name(SlotState state);
};

/// One subscription the slot holds (or asked for): its filter, the QoS asked for and the QoS granted.
struct Subscription
{
    QByteArray filter;
    int requestedQos = 0;
    std::optional<int> grantedQos; ///< nullopt while pending; 128 when the server refused it
    friend bool operator==(const Subscription &, const Subscription &) = default;
};

/// How many topic filters one slot holds at most. The module documents no limit; this one keeps a profile's
/// list, the subscription list on screen and the resubscribing after every reconnect bounded (a longer list
/// is refused with an error naming the cap).
inline constexpr int MaxSubscriptionsPerSlot = 1000;

struct SlotCounters
{
    quint64 published = 0;       ///< +QMTPUB result 0
    quint64 received = 0;        ///< +QMTRECV
    quint64 retransmissions = 0; ///< retransmission counts reported by +QMTPUB/+QMTSUB/+QMTCONN result 1
    quint64 failures = 0;        ///< result 2, refused or failed opens/connects, +QMTSTAT
};

/// What the slot's last failure was, so that the window can say what to do about it (the words are in
/// SlotStatus::lastError).
struct SlotFailure
{
    enum class Kind {
        None,
        Command, ///< an AT command the slot needed was answered with ERROR, or not at all
        Open,    ///< +QMTOPEN: <id>,<result> with a result other than 0 and 2 (code: the result)
        Refused, ///< +QMTCONN: <id>,0,<ret_code>: the server refused the CONNECT (code: the ret_code)
        Packet,  ///< a packet's result 2: timed out or failed (code: the result)
        Stat     ///< +QMTSTAT: <id>,<err_code> (code: the err_code)
    };
    Kind kind = Kind::None;
    int code = 0;
    friend bool operator==(const SlotFailure &, const SlotFailure &) = default;
};

/// What the controller knows about a slot.
struct SlotStatus
{
    SlotState state = SlotState::Closed;
    std::optional<int> lastStat; ///< last +QMTSTAT <err_code>
    QDateTime lastStatTime;
    QString lastError;        ///< the last failure, in words (the note's meaning)
    SlotFailure lastFailure;  ///< the same failure, as the module reported it
    QDateTime connectedSince; ///< valid while Connected
    SlotCounters counters;
    QList<Subscription> subscriptions;
    int inFlightPublishes = 0;
    bool wanted = false;     ///< the user asked for this slot to be connected (recovery restores it)
    int recoveryAttempt = 0; ///< 0 when not recovering
    QDateTime nextAttempt;   ///< when auto-recovery tries again; invalid when no attempt waits
    QString notRetrying;     ///< why the slot stays down after it dropped ("gave up: …"); empty otherwise
};

} // namespace qmt
