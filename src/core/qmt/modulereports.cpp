#include "core/qmt/modulereports.h"

#include "core/qmt/atfields.h"

namespace qmt {

namespace {

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

std::optional<ModuleReport> cereg(const QList<AtField> &f, bool unsolicited)
{
    if (unsolicited) // +CEREG: <stat>[,<tac>,<ci>,…]: no <n>
        return f.isEmpty() ? std::nullopt : std::optional<ModuleReport>(RegistrationReport{f[0].toInt(), {}, {}, true});
    if (f.size() < 2) // the read form has <n> first (protocol-notes §9.2)
        return std::nullopt;
    return RegistrationReport{intField(f, 1), f.size() > 2 ? f[2].text.toByteArray() : QByteArray(),
                              f.size() > 3 ? f[3].text.toByteArray() : QByteArray(), false};
}

std::optional<ModuleReport> cesq(const QList<AtField> &f)
{
    if (f.size() < 6)
        return std::nullopt;
    // NB-IoT: only <rsrq> and <rsrp> are meaningful (protocol-notes §9.3); 255 means unknown.
    const auto q = intField(f, 4);
    const auto p = intField(f, 5);
    return SignalReport{q && *q != 255 ? std::optional<double>(-20.0 + *q * 0.5) : std::nullopt,
                        p && *p != 255 ? std::optional<double>(-141.0 + *p) : std::nullopt};
}

std::optional<ModuleReport> qeng(const QList<AtField> &f)
{
    if (f.size() < 9)
        return std::nullopt;
    // While searching the module prints cell 00000000 with sentinels (-157, -20, -30; protocol-notes
    // §9.4): no reading, not a very bad one.
    if (f[4].text == "00000000")
        return CellReport{true, {}, {}, {}};
    return CellReport{false, intField(f, 5), intField(f, 6), intField(f, 8)};
}

/// A line that names what it is by its prefix; `f` is its fields.
std::optional<ModuleReport> prefixed(const QByteArray &line, const QList<AtField> &f)
{
    if (line.startsWith("+CPIN:"))
        return SimReport{paramsOf(line).toByteArray()};
    if (line.startsWith("+CEREG:"))
        return cereg(f, false);
    if (line.startsWith("+CESQ:"))
        return cesq(f);
    if (line.startsWith("+QENG: 0,"))
        return qeng(f);
    if (line.startsWith("+CSQ:"))
        return f.isEmpty() ? std::nullopt : std::optional<ModuleReport>(RssiReport{intField(f, 0)});
    if (line.startsWith("+CGPADDR:"))
        return f.size() < 2 ? std::nullopt : std::optional<ModuleReport>(AddressReport{f[1].text.toByteArray()});
    if (line.startsWith("+CGATT:")) {
        if (const auto v = intField(f, 0))
            return AttachReport{*v == 1};
        return std::nullopt;
    }
    if (line.startsWith("+QSCLK:"))
        return f.isEmpty() ? std::nullopt : std::optional<ModuleReport>(SleepReport{intField(f, 0)});
    return std::nullopt;
}

} // namespace

QList<ModuleReport> parseModuleReply(QByteArrayView command, const QList<QByteArray> &lines)
{
    const QByteArray cmd = command.toByteArray().toUpper();
    QList<ModuleReport> reports;
    if (cmd == "ATI") {
        reports.append(
            IdentityReport{lines.value(0), lines.value(1), lines.size() >= 3 ? stripRevision(lines[2]) : QByteArray()});
    }
    // AT+QSCLK=<mode> answers OK only: the mode is the one asked for (the caller passes only OK replies).
    if (cmd.startsWith("AT+QSCLK="))
        reports.append(SleepReport{cmd.mid(9).toInt()});
    for (const QByteArray &line : lines) {
        if (cmd == "AT+CGMR")
            reports.append(RevisionReport{stripRevision(line)});
        else if (line.startsWith("+CGSN:"))
            reports.append(ImeiReport{paramsOf(line).toByteArray()});
        else if (line.startsWith("+QCCID:"))
            reports.append(IccidReport{paramsOf(line).toByteArray()});
        else if (cmd == "AT+CIMI")
            reports.append(ImsiReport{line.trimmed()});
        else if (auto report = prefixed(line, splitAtFields(paramsOf(line))))
            reports.append(std::move(*report));
    }
    return reports;
}

std::optional<ModuleReport> parseModuleUrc(QByteArrayView line)
{
    // Every URC passes here, +QMTRECV floods included: four prefix checks before anything is split.
    if (line == "RDY")
        return BootReport{};
    if (line.startsWith("+CFUN:")) {
        if (const auto fun = splitAtFields(paramsOf(line)).value(0).toInt())
            return FunctionalityReport{*fun};
        return std::nullopt;
    }
    if (line.startsWith("+CEREG:"))
        return cereg(splitAtFields(paramsOf(line)), true);
    if (line.startsWith("+CPIN:"))
        return SimReport{paramsOf(line).toByteArray()};
    return std::nullopt;
}

} // namespace qmt
