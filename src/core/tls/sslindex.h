#pragma once

#include <QList>
#include <QString>

#include <compare>
#include <optional>

namespace qmt {

class ModuleController;
struct SlotConfig;

/// Where TLS material lives on the module: the SSL context and connect ID that AT+QSSLCFG writes to and
/// AT+QMTCFG="ssl",<slot>,1,<contextID>,<connectID> names. Slots on the same index share their material;
/// an upload there changes what each of them connects with next.
struct SslIndex
{
    int contextId = 0; ///< 0–10 (application note)
    int connectId = 0; ///< 0–4

    /// The index a slot gets unless the user chooses another: context 0 and the slot's own number as
    /// connect ID, so each of the five slots (0–4) has material of its own within the note's ranges.
    [[nodiscard]] static SslIndex defaultFor(int slot) { return {0, slot}; }
    /// The index `config` names (AT+QMTCFG="ssl").
    [[nodiscard]] static SslIndex of(const SlotConfig &config);
    /// The index to put a slot's material at: the one it names when it uses TLS or names one of its own,
    /// else defaultFor(slot) (a slot not yet on TLS still has the untouched 0,0 of the configuration).
    [[nodiscard]] static SslIndex proposedFor(int slot, const SlotConfig &config);

    /// The index slot `slot` connects with, if it uses TLS: for a slot that runs (or recovers), the one it
    /// was started with — an edit not applied yet does not change what it reconnects with.
    [[nodiscard]] static std::optional<SslIndex> usedBy(const ModuleController &controller, int slot);
    /// The slots other than `exceptSlot` that use this index and are open, connecting, connected or
    /// recovering: an upload here changes what they reconnect with.
    [[nodiscard]] QList<int> activeSlotsUsing(const ModuleController &controller, int exceptSlot) const;

    /// Whether the application note promises this index: it says the module "currently" supports only 0,0.
    [[nodiscard]] bool documentedAsSupported() const { return contextId == 0 && connectId == 0; }
    /// "SSL context 0, connect ID 2", for the user.
    [[nodiscard]] QString text() const;
    /// "0-2": the index in keychain entry names and profiles.
    [[nodiscard]] QString key() const;

    friend auto operator<=>(const SslIndex &, const SslIndex &) = default;
};

/// "slot 2", "slots 2 and 3", "slots 1, 2 and 4".
[[nodiscard]] QString slotListText(const QList<int> &slots);

} // namespace qmt
