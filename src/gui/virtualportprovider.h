#pragma once

#include "module/portprovider.h"

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
    explicit VirtualPortProvider(QObject *parent = nullptr);
    ~VirtualPortProvider() override;

    [[nodiscard]] QString displayName() const override;
    QIODevice *open(QString &error) override;
    void close() override;

    [[nodiscard]] sim::VirtualModule *module() const;

private:
    std::unique_ptr<sim::VirtualModuleDevice> m_device;
};

} // namespace qmt
