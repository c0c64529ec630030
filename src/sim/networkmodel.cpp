#include "networkmodel.h"

namespace qmt::sim {

namespace {

// Serving cell and PSM timers as a BC660K-GL prints them (FACTS §9, fact 32), on the test network.
constexpr const char *TrackingArea = "\"0001\"";
constexpr const char *CellId = "\"0000ABCD\"";
constexpr int AccessTechnology = 9; // E-UTRAN (NB-S1 mode)
constexpr const char *ActiveTime = "\"00100011\"";
constexpr const char *PeriodicTau = "\"00101010\"";
constexpr const char *DefaultAddress = "10.0.0.7";

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
}

void NetworkModel::powerOn()
{
    m_cfun = 1;
    startSearching();
}

void NetworkModel::startSearching()
{
    setStat(Stat::Searching);
    m_registration.start(m_registrationMs);
}

bool NetworkModel::packetDataReady() const
{
    return m_cfun == 1 && m_attached && (m_stat == Stat::Home || m_stat == Stat::Roaming);
}

void NetworkModel::setFunctionality(int cfun)
{
    if (cfun == m_cfun)
        return;
    const bool wasReady = packetDataReady();
    m_cfun = cfun;
    if (cfun == 0) {
        m_registration.stop();
        m_attached = false;
        setStat(Stat::NotRegistered);
        if (wasReady)
            Q_EMIT linkLost();
    } else {
        startSearching();
    }
}

void NetworkModel::setAttached(bool attached)
{
    if (attached == m_attached || m_cfun == 0)
        return;
    if (!attached) {
        const bool wasReady = packetDataReady();
        m_attached = false;
        m_registration.stop();
        setStat(Stat::NotRegistered);
        if (wasReady)
            Q_EMIT linkLost();
    } else {
        startSearching();
    }
}

void NetworkModel::setStat(Stat stat)
{
    if (stat == m_stat)
        return;
    m_stat = stat;
    if (m_mode > 0)
        Q_EMIT urc(QByteArrayLiteral("+CEREG: ") + statFields(false));
}

QByteArray NetworkModel::statFields(bool withMode) const
{
    QByteArray s;
    if (withMode)
        s += QByteArray::number(m_mode) + ',';
    s += QByteArray::number(int(m_stat));
    const bool located = m_stat == Stat::Home || m_stat == Stat::Roaming;
    if (m_mode < 2 || !located)
        return s;
    s += ',' + QByteArray(TrackingArea) + ',' + CellId + ',' + QByteArray::number(AccessTechnology);
    if (m_mode == 4)
        s += QByteArrayLiteral(",,,") + ActiveTime + ',' + PeriodicTau;
    else if (m_mode == 5)
        s += QByteArrayLiteral(",0,0,") + ActiveTime + ',' + PeriodicTau;
    return s;
}

QByteArray NetworkModel::ceregRead() const
{
    return QByteArrayLiteral("+CEREG: ") + statFields(true);
}

QByteArray NetworkModel::cesq() const
{
    // NB-IoT reports only RSRQ and RSRP; the GSM and UMTS fields are "unknown" (FACTS §9, fact 33).
    return packetDataReady() || m_stat == Stat::Searching ? QByteArrayLiteral("+CESQ: 99,99,255,255,26,81")
                                                          : QByteArrayLiteral("+CESQ: 99,99,255,255,255,255");
}

QByteArray NetworkModel::qeng() const
{
    // The serving cell as the markbac capture shows it (FACTS §9, fact 34): RSRP and RSRQ agree with
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
    if (cid != 0 || !packetDataReady())
        return {};
    return DefaultAddress;
}

} // namespace qmt::sim
