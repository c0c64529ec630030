#pragma once

#include "core/tls/sslindex.h"

#include <QString>
#include <QStringList>

namespace qmt {

/// The secrets of one client slot.
enum class SlotSecret {
    Password,
    DeviceSecret
};
/// The TLS material of a profile at one SSL index (context, connect ID): the slots that name the index
/// share it.
enum class TlsSecret {
    CaCert,
    ClientCert,
    ClientKey,
    KeyPassphrase
};

/// Names of secrets in the store: one scheme, so settings and exported profiles can refer to them
/// without holding them.
///
///     profile/<name>/slot<N>/password        profile/<name>/tls/<C>-<I>/cacert
///     profile/<name>/slot<N>/deviceSecret    profile/<name>/tls/<C>-<I>/clientcert
///                                            profile/<name>/tls/<C>-<I>/clientkey
///                                            profile/<name>/tls/<C>-<I>/keyPassphrase
///
/// <C>-<I> is the SSL context and connect ID of the material. <name> is the profile name percent-encoded
/// (UTF-8), so a '/' in a name cannot reach another profile's secrets.
///
/// Versions before SSL indices kept one set, profile/<name>/tls/<item>: it was the material at context 0,
/// connect ID 0 (legacyTls()), read when the 0-0 entry is absent and removed when the profile is saved.
class SecretKey
{
public:
    [[nodiscard]] static QString slot(const QString &profile, int slot, SlotSecret secret);
    [[nodiscard]] static QString tls(const QString &profile, SslIndex index, TlsSecret secret);
    [[nodiscard]] static QString legacyTls(const QString &profile, TlsSecret secret);
    /// Every key a profile with material at `tlsIndices` can have (the legacy ones too), for deleting it.
    [[nodiscard]] static QStringList allOf(const QString &profile, const QList<SslIndex> &tlsIndices);
    /// "password", "clientkey", …: the last part of a key.
    [[nodiscard]] static QString itemName(SlotSecret secret);
    [[nodiscard]] static QString itemName(TlsSecret secret);
};

} // namespace qmt
