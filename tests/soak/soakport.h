#pragma once

#include "core/module/portprovider.h"

#include <QTimer>

#include <memory>

namespace qmt::sim {
class VirtualModule;
class VirtualModuleDevice;
} // namespace qmt::sim

namespace qmt::soak {

/// The virtual module as a port that can be lost: pulling the cable closes the device under the
/// controller (the module keeps running and what it sends meanwhile is lost), and the port comes back
/// after a while, as a USB adapter re-enumerating does.
class SoakPort : public PortProvider
{
    Q_OBJECT

public:
    explicit SoakPort(sim::VirtualModule &module, QObject *parent = nullptr);
    ~SoakPort() override;

    [[nodiscard]] QString displayName() const override;
    QIODevice *open(QString &error) override;
    void close() override;
    void watchForReturn() override;
    void stopWatching() override { m_return.stop(); }

    /// Pulls the cable now; the port is back `awayMs` later (once the controller watches for it).
    void lose(int awayMs);
    [[nodiscard]] bool isAway() const { return m_away; }

private:
    std::unique_ptr<sim::VirtualModuleDevice> m_device;
    QTimer m_return;
    bool m_away = false;
};

} // namespace qmt::soak
