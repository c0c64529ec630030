#include "sim/faultplan.h"

namespace qmt::sim {

const QList<int> &FaultPlan::supportedBaudRates()
{
    static const QList<int> rates{9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600};
    return rates;
}

bool FaultPlan::isSupportedBaudRate(int baud)
{
    return baud == 0 || supportedBaudRates().contains(baud);
}

} // namespace qmt::sim
