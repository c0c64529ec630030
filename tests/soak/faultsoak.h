#pragma once

#include "messageledger.h"
#include "mqttpeer.h"
#include "soakport.h"

#include "core/module/modulecontroller.h"
#include "mosquittobroker.h"
#include "sim/moduletimings.h"
#include "sim/virtualmodule.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <memory>

namespace qmt::soak {

/// Every fault the virtual module (and its port) can suffer.
enum class Fault {
    BrokerDrop, ///< the broker resets the MQTT connection (+QMTSTAT)
    Reboot,     ///< the module resets: RDY, +CFUN: 1, every connection gone
    Stall,      ///< the radio link carries nothing for a while
    Latency,    ///< every response and URC is late for a while
    Garbage,    ///< bytes that are no protocol on the line
    Swallow,    ///< a response never comes
    Sleep,      ///< the module falls asleep on a quiet line and loses the command that wakes it
    PortLoss,   ///< the serial port vanishes and comes back (a USB adapter re-enumerating)
    Count_
};
[[nodiscard]] const char *faultName(Fault fault);

struct SoakOptions
{
    int minutes = 0; ///< 0: each fault once, in order (the short run ctest does)
    quint32 seed = 1;
    int hangMs = 90'000;  ///< a fault not recovered from within this long is a hang
    int intervalMs = 100; ///< one numbered message each way this often
    int drainMs = 30'000; ///< after the last fault: how long the messages still under way may take
    int networkDelayMs = sim::ModuleTimings{}.networkDelayMs; ///< the virtual module's network round trip
    bool checkGoals = false; ///< the recovery time goals fail the run too (by hand; ctest checks counts)
    bool verbose = false;
    bool trace = false; ///< every command and every line but +QMTRECV, with its time
};

/// One fault injected: when, what, how long until messages flowed again.
struct FaultRun
{
    Fault fault = Fault::BrokerDrop;
    QString detail;
    qint64 injectedMs = 0;
    qint64 clearedMs = -1;   ///< the fault is over (at once for one-shot faults)
    qint64 downMs = -1;      ///< the slot left Connected
    qint64 recoveredMs = -1; ///< connected, subscribed, and a publish sent after clearedMs delivered
    bool hung = false;
    [[nodiscard]] qint64 recoveryMs() const { return recoveredMs < 0 ? -1 : recoveredMs - clearedMs; }
};

/// The counted fault soak: the module controller with auto-recovery drives the virtual module against a
/// mosquitto broker on loopback, numbered QoS 1 messages flow both ways (the controller publishing out, a
/// peer client publishing in to the slot's persistent session), and faults are injected one after
/// another. For each fault it measures the recovery time and counts the messages lost or duplicated in
/// each direction (docs/reliability.md).
class FaultSoak : public QObject
{
    Q_OBJECT

public:
    explicit FaultSoak(SoakOptions options, QObject *parent = nullptr);
    ~FaultSoak() override;

    /// Runs the soak and prints the report; the exit code (0: every check held).
    int run();

private:
    bool setUp(QString *error);
    void publishOut();
    void publishIn();
    void onPublishFinished(const PublishOutcome &outcome);
    void onWire(const QByteArray &bytes);
    [[nodiscard]] bool slotHealthy() const;
    [[nodiscard]] qint64 now() const { return m_clock.elapsed(); }
    [[nodiscard]] Fault pickFault(int round);
    void runFault(FaultRun &run);
    void takeOverInFlight(int window);
    void applyFault(FaultRun &run);
    void sleepFault(FaultRun &run);
    bool waitFor(const std::function<bool()> &condition, int timeoutMs);
    void drain();
    int report() const;
    void log(const QString &text) const;

    SoakOptions m_options;
    QRandomGenerator m_random;
    QElapsedTimer m_clock;
    test::MosquittoBroker m_broker;
    std::unique_ptr<sim::VirtualModule> m_module;
    std::unique_ptr<ModuleController> m_controller;
    SoakPort *m_port = nullptr; // owned by the controller
    std::unique_ptr<MqttPeer> m_peer;
    QByteArray m_outTopic;
    QByteArray m_inTopic;

    MessageLedger m_out;
    MessageLedger m_in;
    QHash<quint64, std::pair<int, qint64>> m_outPending; // command id → message number, submitted at
    QList<int> m_outRetries;                             // reported as not published: sent again
    QHash<int, int> m_inPending;                         // peer's mid → message number
    QTimer m_outTimer;
    QTimer m_inTimer;
    bool m_newOutbound = true;
    qint64 m_lastDeliveredSubmitMs = -1; // newest submission time of a delivered publish
    QByteArray m_wireTail;

    QList<FaultRun> m_runs;
    int m_window = -1; // the fault whose window messages now count to; -1 before the first
};

} // namespace qmt::soak
