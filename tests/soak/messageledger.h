#pragma once

#include <QByteArray>

#include <optional>
#include <vector>

namespace qmt::soak {

/// The numbered messages of one direction: when each was first sent (in which fault's window), how often it
/// was tried, confirmed, reported failed, and how often it arrived. Numbers start at 1 and are dense.
class MessageLedger
{
public:
    struct Entry
    {
        int window = 0;    ///< index of the fault whose window the message was first sent in
        int attempts = 0;  ///< sent (outbound: publish commands; inbound: publishes by the peer)
        int confirmed = 0; ///< outbound: +QMTPUB result 0; inbound: the broker's PUBACK
        int failed = 0;    ///< outbound: publishes reported as not delivered
        int onWire = 0;    ///< inbound: +QMTRECV lines the module printed
        int unread = 0;    ///< inbound: of those, printed while the port was unplugged (no host can read them)
        int arrived = 0;   ///< at the other end
    };

    struct Counts
    {
        int sent = 0; ///< distinct messages
        int attempts = 0;
        int failedReports = 0;
        int lost = 0;             ///< never arrived
        int lostConfirmed = 0;    ///< confirmed as delivered, yet never arrived: a silent loss
        int lostNeverPrinted = 0; ///< inbound: the module never printed it
        int lostUnplugged = 0;    ///< inbound: printed only while the port was unplugged
        int duplicated = 0;       ///< arrived more than once
        int duplicates = 0;       ///< extra arrivals in all
    };

    /// A new message, first sent in `window`; returns its number.
    int next(int window);
    [[nodiscard]] int count() const { return int(m_entries.size()); }
    Entry &operator[](int number) { return m_entries[size_t(number - 1)]; }
    [[nodiscard]] const Entry &operator[](int number) const { return m_entries[size_t(number - 1)]; }
    [[nodiscard]] bool valid(int number) const { return number >= 1 && number <= count(); }

    /// Totals over the messages first sent in `window` (all windows when nullopt).
    [[nodiscard]] Counts counts(std::optional<int> window = std::nullopt) const;
    /// Every message has arrived, or can no longer arrive (the drain can stop).
    [[nodiscard]] bool settled() const;

    /// "out-000042" for 42; the number back from such a payload, or 0.
    static QByteArray payload(const char *stem, int number);
    static int numberOf(QByteArrayView payload, const char *stem);

private:
    std::vector<Entry> m_entries;
};

} // namespace qmt::soak
