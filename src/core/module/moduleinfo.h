#pragma once

#include "core/qmt/modulereports.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace qmt {

/// What the module says about itself and its network, from the general AT commands it answers.
struct ModuleInfo
{
    QByteArray manufacturer;         ///< ATI line 1 ("Quectel_Ltd")
    QByteArray model;                ///< ATI line 2 ("Quectel_BC660K-GL")
    QByteArray revision;             ///< "BC660KGLAAR01A05" (ATI / AT+CGMR)
    QByteArray imei;                 ///< AT+CGSN=1
    QByteArray iccid;                ///< AT+QCCID
    QByteArray imsi;                 ///< AT+CIMI
    QByteArray simState;             ///< AT+CPIN? ("READY", "SIM PIN", …)
    std::optional<int> registration; ///< +CEREG <stat>: 1 home, 5 roaming, 2 searching, 3 denied, 0 not
    QByteArray trackingArea;         ///< +CEREG <tac>
    QByteArray cellId;               ///< +CEREG <ci>
    std::optional<double> rsrpDbm;
    std::optional<double> rsrqDb;
    std::optional<double> sinrDb;
    std::optional<int> csqRssi;   ///< AT+CSQ <rssi> (0–31, 99 unknown)
    QByteArray ipAddress;         ///< AT+CGPADDR
    std::optional<bool> attached; ///< AT+CGATT?
    std::optional<int> sleepMode; ///< AT+QSCLK?: 0 off, 1 light+deep, 2 light
    QDateTime updated;

    /// Takes what it can from a finished command's text and response lines; false when nothing applied.
    bool absorb(QByteArrayView command, const QList<QByteArray> &lines);
    /// Takes what the report says (an unsolicited +CEREG, +CPIN …); false when it says nothing new.
    bool absorb(const ModuleReport &report);
    /// "Registered (home)", "Searching", …
    [[nodiscard]] static QString registrationText(int stat);

private:
    bool apply(const ModuleReport &report);
};

} // namespace qmt
