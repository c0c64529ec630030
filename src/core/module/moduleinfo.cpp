#include "core/module/moduleinfo.h"

#include "core/qmt/overloaded.h"

#include <QCoreApplication>

namespace qmt {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(qmt::ModuleInfo)
};

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
    bool applied = false;
    for (const ModuleReport &report : parseModuleReply(command, lines))
        applied = apply(report) || applied;
    if (applied)
        updated = QDateTime::currentDateTime();
    return applied;
}

bool ModuleInfo::absorb(const ModuleReport &report)
{
    if (!apply(report))
        return false;
    updated = QDateTime::currentDateTime();
    return true;
}

bool ModuleInfo::apply(const ModuleReport &report)
{
    const auto take = [](QByteArray &target, const QByteArray &value) {
        if (value.isEmpty())
            return false;
        target = value;
        return true;
    };
    return std::visit(Overloaded{
                          [&](const IdentityReport &r) {
                              const bool a = take(manufacturer, r.manufacturer);
                              const bool b = take(model, r.model);
                              return take(revision, r.revision) || a || b;
                          },
                          [&](const RevisionReport &r) { return take(revision, r.revision); },
                          [&](const ImeiReport &r) { return take(imei, r.imei); },
                          [&](const IccidReport &r) { return take(iccid, r.iccid); },
                          [&](const ImsiReport &r) { return take(imsi, r.imsi); },
                          [&](const SimReport &r) { return take(simState, r.state); },
                          [&](const RegistrationReport &r) {
                              if (r.unsolicited) { // the URC carries the state alone
                                  if (!r.stat)
                                      return false;
                                  registration = r.stat;
                                  return true;
                              }
                              registration = r.stat;
                              trackingArea = r.trackingArea;
                              cellId = r.cellId;
                              return true;
                          },
                          [&](const SignalReport &r) {
                              // "Unknown" replaces an older reading rather than leaving it on show.
                              rsrqDb = r.rsrqDb;
                              rsrpDbm = r.rsrpDbm;
                              return true;
                          },
                          [&](const CellReport &r) {
                              if (r.searching) {
                                  rsrpDbm.reset();
                                  rsrqDb.reset();
                                  sinrDb.reset();
                                  return true;
                              }
                              if (r.rsrpDbm)
                                  rsrpDbm = *r.rsrpDbm;
                              if (r.rsrqDb)
                                  rsrqDb = *r.rsrqDb;
                              if (r.sinrDb)
                                  sinrDb = *r.sinrDb;
                              return true;
                          },
                          [&](const RssiReport &r) {
                              csqRssi = r.rssi;
                              return true;
                          },
                          [&](const AddressReport &r) { return take(ipAddress, r.address); },
                          [&](const AttachReport &r) {
                              attached = r.attached;
                              return true;
                          },
                          [&](const SleepReport &r) {
                              sleepMode = r.mode;
                              return true;
                          },
                          // What the module's session does, not what it is: the port session reads reboots from them.
                          [](const BootReport &) { return false; },
                          [](const FunctionalityReport &) { return false; },
                      },
                      report);
}

} // namespace qmt
