#pragma once

#include <QString>
#include <QStringList>

namespace qmt {

/// The secrets of one client slot.
enum class SlotSecret {
    Password,
    DeviceSecret
};
/// The TLS material of a profile. The module has one SSL context (contextID 0, connectID 0: FACTS §5),
/// shared by every slot that enables SSL, so the material belongs to the profile, not to a slot.
enum class TlsSecret {
    CaCert,
    ClientCert,
    ClientKey,
    KeyPassphrase
};

/// Names of secrets in the store: one scheme, so settings and exported profiles can refer to them
/// without holding them.
///
///     profile/<name>/slot<N>/password        profile/<name>/tls/cacert
///     profile/<name>/slot<N>/deviceSecret    profile/<name>/tls/clientcert
///                                            profile/<name>/tls/clientkey
///                                            profile/<name>/tls/keyPassphrase
///
/// <name> is the profile name percent-encoded (UTF-8), so a '/' in a name cannot reach another
/// profile's secrets.
class SecretKey
{
public:
    [[nodiscard]] static QString slot(const QString &profile, int slot, SlotSecret secret);
    [[nodiscard]] static QString tls(const QString &profile, TlsSecret secret);
    /// Every key a profile can have, for deleting or renaming it.
    [[nodiscard]] static QStringList allOf(const QString &profile);
    /// "password", "clientkey", …: the last part of a key.
    [[nodiscard]] static QString itemName(SlotSecret secret);
    [[nodiscard]] static QString itemName(TlsSecret secret);
};

} // namespace qmt
