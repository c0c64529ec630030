#pragma once

namespace qmt {

/// Delays between recovery attempts: doubling from `first` up to `max`, reset after a success, so a broker
/// that is down for an hour is not hammered and one that is back is reached quickly.
class Backoff
{
public:
    explicit Backoff(int firstMs = 1000, int maxMs = 60'000)
        : m_first(firstMs)
        , m_max(maxMs)
    {}

    /// The delay before the next attempt; each call counts as one attempt.
    [[nodiscard]] int next();
    void reset() { m_attempt = 0; }
    [[nodiscard]] int attempts() const { return m_attempt; }

private:
    int m_first;
    int m_max;
    int m_attempt = 0;
};

} // namespace qmt
