#pragma once

#include "core/module/slotconfig.h"
#include "core/tls/sslindex.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace qmt {

/// A named set-up for a module: the five slots' configurations, which of them to start, what each
/// subscribes to, and whether auto-recovery is on. What provisioning operators save, reuse and pass around
/// as JSON.
///
/// JSON never holds a password or a device secret (SlotConfig::toJson()); the keychain does. The JSON says
/// which slots have one (hasPassword, hasDeviceSecret), so a profile read back knows what to ask the
/// keychain for, and what is missing when the keychain does not have it.
struct Profile
{
    struct SlotSetup
    {
        bool enabled = false; ///< started by "Connect" for the whole profile
        SlotConfig config;
        QList<QPair<QByteArray, int>> subscriptions; ///< filter, QoS
        /// The profile was saved with a password (a device secret) for this slot. Kept while the value
        /// itself is not in memory (read from JSON, the keychain not asked yet or without it).
        bool hasPassword = false;
        bool hasDeviceSecret = false;

        /// A secret this slot was saved with and does not hold now: it cannot connect as the profile says.
        [[nodiscard]] bool passwordMissing() const { return hasPassword && config.password.isEmpty(); }
        [[nodiscard]] bool deviceSecretMissing() const
        {
            return config.aliAuthEnabled && hasDeviceSecret && config.deviceSecret.isEmpty();
        }
        friend bool operator==(const SlotSetup &, const SlotSetup &) = default;
    };

    struct MissingSecret
    {
        enum Kind {
            Password,
            DeviceSecret
        };
        int slot = 0;
        Kind kind = Password;
        friend bool operator==(const MissingSecret &, const MissingSecret &) = default;
    };

    /// TLS material at one SSL index as this profile knows it: references to the keychain entries
    /// (SecretKey::tls) and what may be shown without them. Never the certificates or the key themselves.
    struct TlsReference
    {
        /// How the last live test of this material went.
        enum class Test {
            Untested,
            Passed,
            Failed
        };
        SslIndex index;       ///< where the material is on the module; the slots naming it use it
        int secLevel = -1;    ///< AT+QSSLCFG "seclevel" the material is for
        QString caCertSha256; ///< fingerprints, to tell which certificates the keychain should hold
        QString clientCertSha256;
        bool hasClientKey = false;
        bool hasKeyPassphrase = false;
        Test lastTest = Test::Untested;
        friend bool operator==(const TlsReference &, const TlsReference &) = default;
    };

    QString name;
    std::array<SlotSetup, SlotCount> slots;
    QList<TlsReference> tls;          ///< one per SSL index that has material, in index order
    std::optional<bool> autoRecovery; ///< nullopt: the profile leaves the setting as it is

    /// Every secret a slot was saved with and does not hold now, slot by slot.
    [[nodiscard]] QList<MissingSecret> missingSecrets() const;
    /// The material at `index`, or nullptr.
    [[nodiscard]] const TlsReference *tlsAt(SslIndex index) const;
    [[nodiscard]] TlsReference *tlsAt(SslIndex index);
    /// Puts `reference` at its index, replacing what was there.
    void setTls(const TlsReference &reference);
    [[nodiscard]] QList<SslIndex> tlsIndices() const;

    [[nodiscard]] QJsonObject toJson() const;
    /// Reads what toJson() wrote; a member of the wrong type (a slot that is not an object, "qos": "1") or a
    /// number out of the note's ranges is refused, naming it ("slot 2: keepAlive"), the rule and the value.
    [[nodiscard]] static Validated<Profile> fromJson(const QJsonObject &json);
    /// What would stop the profile from being used as it says, for a profile from outside (an import): a
    /// name too long or with control characters, a text field the spec table refuses ("slot 0: clientId"
    /// with a quote, a host over 100 bytes) — the first one, named with its rule and its value shortened.
    /// Profiles already in the settings are not held to this, so that none of them is lost.
    [[nodiscard]] std::optional<ValidationError> problem() const;

    /// The longest profile name an import takes.
    static constexpr qsizetype MaxNameLength = 100;

    friend bool operator==(const Profile &, const Profile &) = default;
};

} // namespace qmt
