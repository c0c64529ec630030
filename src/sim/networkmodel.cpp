#include "sim/networkmodel.h"

namespace qmt::sim {

namespace {

// Serving cell and PSM timers as a BC660K-GL prints them (protocol-notes §9.2), on the test network.
constexpr const char *TrackingArea = "\"0001\"";
constexpr const char *CellId = "\"0000ABCD\"";
constexpr int AccessTechnology = 9; // E-UTRAN (NB-S1 mode)
constexpr const char *ActiveTime = "\"00100011\"";
constexpr const char *PeriodicTau = "\"00101010\"";
// The 3GPP test network (MCC 001, MNC 01) of the virtual SIM's IMSI.
constexpr const char *OperatorLong = "Test PLMN 1-1";
constexpr const char *OperatorShort = "Test";
constexpr const char *OperatorNumeric = "00101";
// +CREG <stat> 6 and 7: "registered for SMS only", what an NB-IoT attach gives the circuit-switched domain
// (the AT manual's example of AT+CREG? shows 6).
constexpr int SmsOnlyHome = 6;
constexpr int SmsOnlyRoaming = 7;
// The serving cell's band (AT+QENG=0 prints it); a band lock without it finds no cell.
constexpr int ServingBand = 8;

QByteArray num(int v)
{
    return QByteArray::number(v);
}

} // namespace

NetworkModel::NetworkModel(QObject *parent)
    : QObject(parent)
{
    m_registration.setSingleShot(true);
    connect(&m_registration, &QTimer::timeout, this, [this] {
        m_attached = true;
        setStat(Stat::Home);
    });
}

void NetworkModel::startRegistered()
{
    m_registration.stop();
    m_contexts.powerOn();
    m_cfun = 1;
    m_attached = true;
    m_stat = Stat::Home;
}

void NetworkModel::powerOff()
{
    m_registration.stop();
    m_cfun = 0;
    m_attached = false;
    m_stat = Stat::NotRegistered;
    m_copsMode = m_savedCopsMode;
}

void NetworkModel::powerOn()
{
    m_cfun = 1;
    m_contexts.powerOn();
    if (m_copsMode != Deregistered)
        startSearching();
}

void NetworkModel::startSearching()
{
    setStat(Stat::Searching);
    if (bands().contains(ServingBand))
        m_registration.start(m_registrationMs);
}

void NetworkModel::dropRegistration(Stat stat)
{
    const bool wasReady = packetDataReady();
    m_registration.stop();
    m_attached = false;
    m_contexts.deactivateAll();
    setStat(stat);
    if (wasReady)
        Q_EMIT linkLost();
}

bool NetworkModel::packetDataReady() const
{
    return m_cfun == 1 && m_attached && located();
}

bool NetworkModel::located() const
{
    return m_stat == Stat::Home || m_stat == Stat::Roaming;
}

void NetworkModel::setFunctionality(int cfun)
{
    if (cfun == m_cfun)
        return;
    if (cfun == 0) {
        dropRegistration(Stat::NotRegistered);
        m_cfun = 0;
        return;
    }
    m_cfun = cfun;
    if (m_copsMode != Deregistered)
        startSearching();
}

bool NetworkModel::setAttached(bool attached)
{
    if (m_cfun == 0 || (attached && m_copsMode == Deregistered))
        return false;
    if (attached == m_attached)
        return true;
    if (attached)
        startSearching();
    else
        dropRegistration(Stat::NotRegistered);
    return true;
}

void NetworkModel::selectOperator(int mode)
{
    if (mode == SetFormatOnly)
        return;
    const bool wasDeregistered = m_copsMode == Deregistered;
    m_copsMode = mode;
    if (mode == Deregistered) {
        dropRegistration(Stat::NotRegistered);
        return;
    }
    m_savedCopsMode = mode;
    if (wasDeregistered && m_cfun == 1)
        startSearching();
}

QByteArray NetworkModel::operatorName(int format)
{
    switch (format) {
    case 0:
        return OperatorLong;
    case 1:
        return OperatorShort;
    default:
        return OperatorNumeric;
    }
}

const QList<int> &NetworkModel::supportedBands()
{
    static const QList<int> bands{1, 2, 3, 4, 5, 8, 12, 13, 17, 18, 19, 20, 25, 28, 66, 70, 85};
    return bands;
}

QList<int> NetworkModel::bands() const
{
    return m_bands.isEmpty() ? supportedBands() : m_bands;
}

void NetworkModel::setBands(const QList<int> &bands)
{
    m_bands = bands;
    // "The Write Command will trigger a detachment and re-attachment procedure" (AT manual 7.5).
    if (m_cfun == 0 || m_copsMode == Deregistered)
        return;
    dropRegistration(Stat::Searching);
    startSearching();
}

void NetworkModel::setStat(Stat stat)
{
    if (stat == m_stat)
        return;
    m_stat = stat;
    if (m_ceregMode > 0)
        Q_EMIT urc("+CEREG: " + registrationFields(Domain::Eps, false));
    if (m_cregMode > 0)
        Q_EMIT urc("+CREG: " + registrationFields(Domain::CircuitSwitched, false));
}

QByteArray NetworkModel::registrationFields(Domain domain, bool withMode) const
{
    const int mode = domain == Domain::Eps ? m_ceregMode : m_cregMode;
    int stat = int(m_stat);
    if (domain == Domain::CircuitSwitched && located())
        stat = m_stat == Stat::Home ? SmsOnlyHome : SmsOnlyRoaming;
    QByteArray s;
    if (withMode)
        s += num(mode) + ',';
    s += num(stat);
    if (mode < 2 || !located())
        return s;
    s += ',' + QByteArray(TrackingArea) + ',' + CellId + ',' + num(AccessTechnology);
    if (domain == Domain::CircuitSwitched)
        return s;
    if (mode == 4)
        s += QByteArrayLiteral(",,,") + ActiveTime + ',' + PeriodicTau;
    else if (mode == 5)
        s += QByteArrayLiteral(",0,0,") + ActiveTime + ',' + PeriodicTau;
    return s;
}

QByteArray NetworkModel::ceregRead() const
{
    return "+CEREG: " + registrationFields(Domain::Eps, true);
}

QByteArray NetworkModel::cregRead() const
{
    return "+CREG: " + registrationFields(Domain::CircuitSwitched, true);
}

QByteArray NetworkModel::copsRead() const
{
    // "If no operator is selected, <format>, <oper> and <AcT> are omitted" (AT manual 7.2).
    QByteArray line = "+COPS: " + num(m_copsMode);
    if (located())
        line += ',' + num(m_copsFormat) + ",\"" + operatorName(m_copsFormat) + "\"," + num(AccessTechnology);
    return line;
}

QByteArray NetworkModel::cesq() const
{
    // NB-IoT reports only RSRQ and RSRP; the GSM and UMTS fields are "unknown" (protocol-notes §9.3).
    return packetDataReady() || m_stat == Stat::Searching ? QByteArrayLiteral("+CESQ: 99,99,255,255,26,81")
                                                          : QByteArrayLiteral("+CESQ: 99,99,255,255,255,255");
}

QByteArray NetworkModel::qeng() const
{
    // The serving cell as the markbac capture shows it (protocol-notes §9.4): RSRP and RSRQ agree with
    // AT+CESQ; while searching or without a cell, the module's "searching" line with its sentinels.
    return packetDataReady()
               ? QByteArrayLiteral("+QENG: 0,3734,0,301,\"0B2C4A01\",-60,-7,-53,12,8,\"6216\",0,10,1")
               : QByteArrayLiteral("+QENG: 0,0,0,0,\"00000000\",-157,-20,-137,-30,0,\"0000\",255,-128,255");
}

QByteArray NetworkModel::csq() const
{
    return m_cfun == 1 && m_stat != Stat::NotRegistered ? QByteArrayLiteral("+CSQ: 10,0")
                                                        : QByteArrayLiteral("+CSQ: 99,99");
}

QByteArray NetworkModel::address(int cid) const
{
    return m_contexts.address(cid, packetDataReady());
}

} // namespace qmt::sim
