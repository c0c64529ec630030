#include "app/studio/demoprofile.h"

#include <QCoreApplication>

namespace qmt {

Profile demoProfile(const QByteArray &host, int port)
{
    Profile p;
    p.name = QCoreApplication::translate("qmt::Demo", "Demo (virtual module)");
    Profile::SlotSetup &s = p.slots[0];
    s.enabled = true;
    s.config.host = host;
    s.config.port = port;
    s.config.clientId = "qmt-studio-demo";
    s.config.keepAliveS = 60;
    s.config.will = WillConfig{true, 1, true, "demo/qmt-studio/status", "offline"};
    s.subscriptions = {{"demo/#", 1}};
    return p;
}

} // namespace qmt
