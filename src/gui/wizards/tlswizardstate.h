#pragma once

#include "core/tls/sslindex.h"
#include "core/tls/tlsmaterial.h"
#include "core/tls/tlsmaterialcheck.h"

#include <QByteArray>
#include <QDateTime>
#include <QMap>

#include <functional>

namespace qmt {

/// What the certificate wizard's pages fill in and read, in page order.
struct TlsWizardState
{
    TlsMaterial material;
    int slot = 0;
    SslIndex index; ///< where the material goes: the slot's own index unless the user chose another
    /// The material the profile has at each index, for starting from it when the index changes.
    QMap<SslIndex, TlsMaterial> known;
    QByteArray host;
    int port = 8883; ///< MQTT over TLS (IANA)
    QByteArray clientId;
    TlsCheckReport report;
    bool uploaded = false;
    /// The time validity is judged by; tests set their own.
    std::function<QDateTime()> clock = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace qmt
