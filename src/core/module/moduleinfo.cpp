#include "moduleinfo.h"

#include "qmt/atfields.h"

#include <QCoreApplication>

namespace qmt {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(qmt::ModuleInfo)
};

std::optional<int> intField(const QList<AtField> &f, qsizetype i)
{
    return i < f.size() ? f[i].toInt() : std::nullopt;
}

QByteArray stripRevision(QByteArray line)
{
    if (line.startsWith("Revision:"))
        line = line.mid(9).trimmed();
    return line;
}

} // namespace

QString ModuleInfo::registrationText(int stat)
{
    switch (stat) {
    case 0:
        return Text::tr("Not registered");
    case 1:
        return Text::tr("Registered (home)");
    case 2:
        return Text::tr("Searching");
    case 3:
        return Text::tr("Registration denied");
    case 4:
        return Text::tr("Unknown");
    case 5:
        return Text::tr("Registered (roaming)");
    default:
        return Text::tr("Unknown (%1)").arg(stat);
    }
}

bool ModuleInfo::absorb(QByteArrayView command, const QList<QByteArray> &lines)
{
    const QByteArray cmd = command.toByteArray().toUpper();
    bool applied = false;
    auto take = [&](QByteArray &target, const QByteArray &value) {
        if (!value.isEmpty()) {
            target = value;
            applied = true;
        }
    };
    if (cmd == "ATI") {
        if (lines.size() >= 1)
            take(manufacturer, lines[0]);
        if (lines.size() >= 2)
            take(model, lines[1]);
        if (lines.size() >= 3)
            take(revision, stripRevision(lines[2]));
    }
    for (const QByteArray &line : lines) {
        const QList<AtField> f = splitAtFields(paramsOf(line));
        if (cmd == "AT+CGMR") {
            take(revision, stripRevision(line));
        } else if (line.startsWith("+CGSN:")) {
            take(imei, paramsOf(line).toByteArray());
        } else if (line.startsWith("+QCCID:")) {
            take(iccid, paramsOf(line).toByteArray());
        } else if (cmd == "AT+CIMI") {
            take(imsi, line.trimmed());
        } else if (line.startsWith("+CPIN:")) {
            take(simState, paramsOf(line).toByteArray());
        } else if (line.startsWith("+CEREG:") && f.size() >= 2) {
            // The read form has <n> first (protocol-notes §9.2).
            registration = intField(f, 1);
            trackingArea = f.size() > 2 ? f[2].text.toByteArray() : QByteArray();
            cellId = f.size() > 3 ? f[3].text.toByteArray() : QByteArray();
            applied = true;
        } else if (line.startsWith("+CESQ:") && f.size() >= 6) {
            // NB-IoT: only <rsrq> and <rsrp> are meaningful (protocol-notes §9.3); 255 means unknown.
            // "Unknown" replaces an older reading rather than leaving it on show.
            const auto q = intField(f, 4);
            const auto p = intField(f, 5);
            rsrqDb = q && *q != 255 ? std::optional<double>(-20.0 + *q * 0.5) : std::nullopt;
            rsrpDbm = p && *p != 255 ? std::optional<double>(-141.0 + *p) : std::nullopt;
            applied = true;
        } else if (line.startsWith("+QENG: 0,") && f.size() >= 9) {
            // +QENG: 0,<earfcn>,<offset>,<pci>,"<cellid>",<rsrp>,<rsrq>,<rssi>,<sinr>,…
            // While searching the module prints cell 00000000 with sentinels (-157, -20, -30; protocol-notes
            // §9.4): no reading, not a very bad one.
            if (f[4].text == "00000000") {
                rsrpDbm.reset();
                rsrqDb.reset();
                sinrDb.reset();
            } else {
                if (const auto v = intField(f, 5))
                    rsrpDbm = *v;
                if (const auto v = intField(f, 6))
                    rsrqDb = *v;
                if (const auto v = intField(f, 8))
                    sinrDb = *v;
            }
            applied = true;
        } else if (line.startsWith("+CSQ:") && !f.isEmpty()) {
            csqRssi = intField(f, 0);
            applied = true;
        } else if (line.startsWith("+CGPADDR:") && f.size() >= 2) {
            take(ipAddress, f[1].text.toByteArray());
        } else if (line.startsWith("+CGATT:") && !f.isEmpty()) {
            if (const auto v = intField(f, 0)) {
                attached = *v == 1;
                applied = true;
            }
        } else if (line.startsWith("+QSCLK:") && !f.isEmpty()) {
            sleepMode = intField(f, 0);
            applied = true;
        }
    }
    if (applied)
        updated = QDateTime::currentDateTime();
    return applied;
}

} // namespace qmt
