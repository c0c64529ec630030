#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>
#include <variant>

namespace qmt {

/// What the module says about itself and its network: the answers to the general AT commands (3GPP and
/// Quectel's own) and the URCs of the same kind, each read once into a typed report.

/// ATI: three lines, manufacturer, model, "Revision: <rev>".
struct IdentityReport
{
    QByteArray manufacturer;
    QByteArray model;
    QByteArray revision; ///< without "Revision:"
};
/// AT+CGMR: the firmware revision.
struct RevisionReport
{
    QByteArray revision;
};
/// +CGSN: <imei>
struct ImeiReport
{
    QByteArray imei;
};
/// +QCCID: <iccid>
struct IccidReport
{
    QByteArray iccid;
};
/// AT+CIMI: the IMSI, a bare line.
struct ImsiReport
{
    QByteArray imsi;
};
/// +CPIN: <code> ("READY", "SIM PIN", …), answered or unsolicited.
struct SimReport
{
    QByteArray state;
};
/// +CEREG: the read form <n>,<stat>[,<tac>,<ci>,…] (protocol-notes §9.2) or the URC <stat>[,<tac>,<ci>,…].
struct RegistrationReport
{
    std::optional<int> stat;
    QByteArray trackingArea; ///< the read form only
    QByteArray cellId;       ///< the read form only
    bool unsolicited = false;
};
/// +CESQ: only <rsrq> and <rsrp> mean anything on NB-IoT (protocol-notes §9.3); nullopt for 255, unknown.
struct SignalReport
{
    std::optional<double> rsrqDb;
    std::optional<double> rsrpDbm;
};
/// +QENG: 0,<earfcn>,<offset>,<pci>,"<cellid>",<rsrp>,<rsrq>,<rssi>,<sinr>,… — while searching the module prints
/// cell 00000000 with sentinels (protocol-notes §9.4): `searching`, and no reading.
struct CellReport
{
    bool searching = false;
    std::optional<int> rsrpDbm;
    std::optional<int> rsrqDb;
    std::optional<int> sinrDb;
};
/// +CSQ: <rssi>,<ber>
struct RssiReport
{
    std::optional<int> rssi;
};
/// +CGPADDR: <cid>,<address>
struct AddressReport
{
    QByteArray address;
};
/// +CGATT: <state>
struct AttachReport
{
    bool attached = false;
};
/// +QSCLK: <mode>
struct SleepReport
{
    std::optional<int> mode;
};
/// RDY: the module has booted.
struct BootReport
{};
/// +CFUN: <fun> — unsolicited after a boot (1), and the answer to AT+CFUN?.
struct FunctionalityReport
{
    int fun = 0;
};

using ModuleReport = std::variant<IdentityReport, RevisionReport, ImeiReport, IccidReport, ImsiReport, SimReport,
                                  RegistrationReport, SignalReport, CellReport, RssiReport, AddressReport, AttachReport,
                                  SleepReport, BootReport, FunctionalityReport>;

/// The reports in a finished command's information responses; `command` as sent (ATI, AT+CGMR and AT+CIMI
/// answer with bare lines that only the command names).
[[nodiscard]] QList<ModuleReport> parseModuleReply(QByteArrayView command, const QList<QByteArray> &lines);
/// An unsolicited line about the module (RDY, +CFUN, +CEREG, +CPIN); nullopt for any other line.
[[nodiscard]] std::optional<ModuleReport> parseModuleUrc(QByteArrayView line);

} // namespace qmt
