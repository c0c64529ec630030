#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace qmt::sim {

/// The virtual module's radio and packet-data state: AT+CFUN, AT+CGATT, registration and +CEREG.
///
/// Registration takes ModuleTimings::registrationMs after the radio comes on; +CEREG URCs follow the
/// reporting mode AT+CEREG=<n> set, which survives a reboot as the real module keeps it in NVRAM
/// (FACTS §1, fact 4). Losing the packet-data link (radio off, detach) is reported through linkLost() so
/// the MQTT slots can report +QMTSTAT: <id>,7.
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
    void setAttached(bool attached);
    [[nodiscard]] int reportMode() const { return m_mode; }
    void setReportMode(int mode) { m_mode = mode; }
    [[nodiscard]] Stat stat() const { return m_stat; }
    /// A PDP context is active: MQTT can open a connection.
    [[nodiscard]] bool packetDataReady() const;

    /// The read form: "+CEREG: <n>,<stat>[,…]".
    [[nodiscard]] QByteArray ceregRead() const;
    /// "+CESQ: …" and "+CSQ: …" as a registered or unregistered NB-IoT module prints them (FACTS §9).
    [[nodiscard]] QByteArray cesq() const;
    [[nodiscard]] QByteArray csq() const;
    /// AT+QENG=0: the serving cell line.
    [[nodiscard]] QByteArray qeng() const;
    /// The address of PDP context `cid`, or empty (context 0 is the default one on this module).
    [[nodiscard]] QByteArray address(int cid) const;

Q_SIGNALS:
    void urc(const QByteArray &line);
    void linkLost();

private:
    void setStat(Stat stat);
    void startSearching();
    [[nodiscard]] QByteArray statFields(bool withMode) const;

    QTimer m_registration;
    Stat m_stat = Stat::NotRegistered;
    int m_cfun = 1;
    int m_mode = 0;
    int m_registrationMs = 1500;
    bool m_attached = false;
};

} // namespace qmt::sim
