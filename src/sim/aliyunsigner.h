#pragma once

#include "core/qmt/qmtcommands.h"

#include <QByteArray>

namespace qmt::sim {

/// The MQTT credentials a module derives from AT+QMTCFG="aliauth" when AT+QMTCONN names only a client ID
/// (application note 3.3.1, note 4), by Alibaba Cloud IoT's device signing scheme: client ID with the
/// security mode and sign method appended, user name "<device_name>&<product_key>", password the
/// HMAC-SHA1 of the device's identity under its secret.
class AliyunSigner
{
public:
    struct Credentials
    {
        QByteArray clientId;
        QByteArray userName;
        QByteArray password;
    };

    [[nodiscard]] static Credentials sign(const AliAuth &auth, const QByteArray &clientId, bool tls);
};

} // namespace qmt::sim
