#include "sim/aliyunsigner.h"

#include <QMessageAuthenticationCode>

namespace qmt::sim {

AliyunSigner::Credentials AliyunSigner::sign(const AliAuth &auth, const QByteArray &clientId, bool tls)
{
    // securemode 2 is TLS, 3 plain TCP.
    const QByteArray mode = tls ? "2" : "3";
    const QByteArray content = "clientId" + clientId + "deviceName" + auth.deviceName + "productKey" + auth.productKey;
    const QByteArray signature = QMessageAuthenticationCode::hash(content, auth.deviceSecret, QCryptographicHash::Sha1);
    return Credentials{clientId + "|securemode=" + mode + ",signmethod=hmacsha1|",
                       auth.deviceName + '&' + auth.productKey, signature.toHex()};
}

} // namespace qmt::sim
