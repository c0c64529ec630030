#pragma once

#include "core/module/portprovider.h"

#include <memory>

namespace qmt::sim {
class VirtualModule;
class VirtualModuleDevice;
} // namespace qmt::sim

namespace qmt {

/// The built-in virtual BC660K-GL as a port. The module keeps running while the port is closed, as a
/// powered module does when its cable is pulled; reopening finds it as it was.
class VirtualPortProvider : public PortProvider
{
    Q_OBJECT

public:
    /// A port on `module`, which the caller owns and keeps alive as long as the provider; reopening the
    /// virtual port (a new provider) finds the same module, with its certificates and connections.
    explicit VirtualPortProvider(sim::VirtualModule &module, QObject *parent = nullptr);
    ~VirtualPortProvider() override;

    [[nodiscard]] QString displayName() const override;
    QIODevice *open(QString &error) override;
    void close() override;

    [[nodiscard]] sim::VirtualModule *module() const;

private:
    std::unique_ptr<sim::VirtualModuleDevice> m_device;
};

} // namespace qmt
