#pragma once

#include "slotconfig.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>

namespace qmt {

/// A named set-up for a module: the five slots' configurations, which of them to start, and what each
/// subscribes to. What provisioning operators save, reuse and pass around as JSON.
///
/// JSON never holds a password or a device secret (SlotConfig::toJson()); the keychain does.
struct Profile
{
    struct SlotSetup
    {
        bool enabled = false; ///< started by "Connect" for the whole profile
        SlotConfig config;
        QList<QPair<QByteArray, int>> subscriptions; ///< filter, QoS
        friend bool operator==(const SlotSetup &, const SlotSetup &) = default;
    };

    /// The module's TLS material as this profile knows it: references to the keychain entries
    /// (SecretKey::tls) and what may be shown without them. Never the certificates or the key themselves.
    struct TlsReference
    {
        int secLevel = -1;    ///< AT+QSSLCFG "seclevel" the material is for; -1: the profile has none
        QString caCertSha256; ///< fingerprints, to tell which certificates the keychain should hold
        QString clientCertSha256;
        bool hasClientKey = false;
        bool hasKeyPassphrase = false;
        [[nodiscard]] bool isSet() const { return secLevel >= 0; }
        friend bool operator==(const TlsReference &, const TlsReference &) = default;
    };

    QString name;
    std::array<SlotSetup, SlotCount> slots;
    TlsReference tls;

    [[nodiscard]] QJsonObject toJson() const;
    /// Reads what toJson() wrote; a value out of the note's ranges is refused, naming it ("slot 2: keepAlive").
    [[nodiscard]] static Validated<Profile> fromJson(const QJsonObject &json);

    friend bool operator==(const Profile &, const Profile &) = default;
};

} // namespace qmt
