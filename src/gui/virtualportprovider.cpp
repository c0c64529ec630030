#include "gui/virtualportprovider.h"

#include "sim/virtualmodule.h"
#include "sim/virtualmoduledevice.h"

namespace qmt {

VirtualPortProvider::VirtualPortProvider(sim::VirtualModule &module, QObject *parent)
    : PortProvider(parent)
    , m_device(std::make_unique<sim::VirtualModuleDevice>(&module))
{}

VirtualPortProvider::~VirtualPortProvider() = default;

QString VirtualPortProvider::displayName() const
{
    return tr("Virtual BC660K-GL (built-in)");
}

QIODevice *VirtualPortProvider::open(QString &error)
{
    if (!m_device->isOpen() && !m_device->open(QIODevice::ReadWrite)) {
        error = tr("The virtual module did not open: %1").arg(m_device->errorString());
        return nullptr;
    }
    return m_device.get();
}

void VirtualPortProvider::close()
{
    if (m_device->isOpen())
        m_device->close();
}

sim::VirtualModule *VirtualPortProvider::module() const
{
    return m_device->module();
}

} // namespace qmt
