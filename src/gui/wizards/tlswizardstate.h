#pragma once

#include "tls/tlsmaterial.h"
#include "tls/tlsmaterialcheck.h"

#include <QByteArray>
#include <QDateTime>

#include <functional>

namespace qmt {

/// What the certificate wizard's pages fill in and read, in page order.
struct TlsWizardState
{
    TlsMaterial material;
    int slot = 0;
    QByteArray host;
    int port = 8883; ///< MQTT over TLS (IANA)
    QByteArray clientId;
    TlsCheckReport report;
    bool uploaded = false;
    /// The time validity is judged by; tests set their own.
    std::function<QDateTime()> clock = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace qmt
