#pragma once

#include "sim/pdpcontexts.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTimer>

namespace qmt::sim {

/// The virtual module's radio and packet-data state: AT+CFUN, AT+CGATT, operator selection, bands,
/// registration with its +CEREG and +CREG URCs, and the PDP contexts.
///
/// Registration takes ModuleTimings::registrationMs after the radio comes on (or the module re-attaches);
/// +CEREG and +CREG URCs follow the reporting modes AT+CEREG=<n> and AT+CREG=<n> set, which survive a
/// reboot as the real module keeps them in NVRAM (protocol-notes §1.4), as do the operator selection mode
/// (except "deregistered"), the band lock and the default PDP context. Losing the packet-data link (radio
/// off, detach, deregistration, a band change) is reported through linkLost() so the MQTT slots can report
/// +QMTSTAT: <id>,7.
class NetworkModel : public QObject
{
    Q_OBJECT

public:
    /// <stat> of +CEREG (3GPP TS 27.007).
    enum class Stat {
        NotRegistered = 0,
        Home = 1,
        Searching = 2,
        Denied = 3,
        Unknown = 4,
        Roaming = 5
    };
    /// <mode> of AT+COPS.
    enum OperatorMode {
        AutomaticOperator = 0,
        ManualOperator = 1,
        Deregistered = 2,
        SetFormatOnly = 3,
        ManualThenAutomatic = 4
    };

    explicit NetworkModel(QObject *parent = nullptr);

    void setRegistrationMs(int ms) { m_registrationMs = ms; }

    /// A module that has been on for a while: radio on, registered, attached, no URC.
    void startRegistered();
    /// Power lost (reboot): radio off, nothing reported.
    void powerOff();
    /// Power up after a reboot: radio on, searching, registered after the registration time.
    void powerOn();

    [[nodiscard]] int functionality() const { return m_cfun; }
    void setFunctionality(int cfun);
    [[nodiscard]] bool attached() const { return m_attached; }
    /// False when the module cannot attach now (radio off, deregistered with AT+COPS=2).
    bool setAttached(bool attached);
    [[nodiscard]] int reportMode() const { return m_ceregMode; }
    void setReportMode(int mode) { m_ceregMode = mode; }
    [[nodiscard]] int cregMode() const { return m_cregMode; }
    void setCregMode(int mode) { m_cregMode = mode; }
    [[nodiscard]] Stat stat() const { return m_stat; }
    /// A PDP context is active: MQTT can open a connection.
    [[nodiscard]] bool packetDataReady() const;

    /// AT+COPS=<mode>: 0, 1 and 4 register (if AT+COPS=2 had deregistered), 2 deregisters.
    void selectOperator(int mode);
    [[nodiscard]] int operatorMode() const { return m_copsMode; }
    /// <format> of the operator name in AT+COPS? (0 long, 1 short, 2 numeric).
    void setOperatorFormat(int format) { m_copsFormat = format; }
    /// The one network there is, in <format> 0, 1 or 2.
    [[nodiscard]] static QByteArray operatorName(int format);

    /// The NB-IoT bands of the module (AT manual 7.5).
    [[nodiscard]] static const QList<int> &supportedBands();
    /// The bands searched: all, or those AT+QBAND locked.
    [[nodiscard]] QList<int> bands() const;
    /// Locks the search to these bands (none: all); the module detaches and attaches again.
    void setBands(const QList<int> &bands);

    [[nodiscard]] PdpContexts &contexts() { return m_contexts; }
    [[nodiscard]] const PdpContexts &contexts() const { return m_contexts; }

    /// The read forms: "+CEREG: <n>,<stat>[,…]", "+CREG: <n>,<stat>[,…]", "+COPS: <mode>[,…]".
    [[nodiscard]] QByteArray ceregRead() const;
    [[nodiscard]] QByteArray cregRead() const;
    [[nodiscard]] QByteArray copsRead() const;
    /// "+CESQ: …" and "+CSQ: …" as a registered or unregistered NB-IoT module prints them (protocol-notes §9.3).
    [[nodiscard]] QByteArray cesq() const;
    [[nodiscard]] QByteArray csq() const;
    /// AT+QENG=0: the serving cell line.
    [[nodiscard]] QByteArray qeng() const;
    /// The address of PDP context `cid`, or empty while it is down.
    [[nodiscard]] QByteArray address(int cid) const;

Q_SIGNALS:
    void urc(const QByteArray &line);
    void linkLost();

private:
    /// +CEREG reports the EPS registration; +CREG the circuit-switched one, which on NB-IoT is "SMS only".
    enum class Domain {
        Eps,
        CircuitSwitched
    };

    void setStat(Stat stat);
    void startSearching();
    /// Leaves the network: the contexts go down, the MQTT links with them.
    void dropRegistration(Stat stat);
    [[nodiscard]] bool located() const;
    [[nodiscard]] QByteArray registrationFields(Domain domain, bool withMode) const;

    QTimer m_registration;
    PdpContexts m_contexts;
    QList<int> m_bands;
    Stat m_stat = Stat::NotRegistered;
    int m_cfun = 1;
    int m_ceregMode = 0;
    int m_cregMode = 0;
    int m_copsMode = AutomaticOperator;
    int m_savedCopsMode = AutomaticOperator; // "deregistered" is not kept in NVRAM
    int m_copsFormat = 2;
    int m_registrationMs = 1500;
    bool m_attached = false;
};

} // namespace qmt::sim
