#pragma once

#include "sim/commandgroup.h"
#include "sim/sslcontext.h"

namespace qmt::sim {

/// AT+QSSLCFG for each SSL context and connect ID in the note's ranges (BC660K SSL note 2.3.1, protocol-notes
/// §5.3), each with its own material and settings: the integer settings ("seclevel", "sslversion", "dataformat",
/// "timeout", "debug", "dtls", "dtlsversion"), the inline upload of "cacert", "clientcert" and "clientkey", and the
/// query of every setting at once (AT+QSSLCFG=<contextID>,<connectID>).
class SslCommands : public CommandGroup
{
public:
    SslCommands() = default;

    [[nodiscard]] bool handles(const QByteArray &name) const override;
    CommandOutcome execute(const CommandRequest &request) override;

    [[nodiscard]] const SslContextTable &contexts() const { return m_contexts; }
    /// A reboot keeps the certificates and restores the rest.
    void restoreVolatileDefaults() { m_contexts.restoreVolatileDefaults(); }

private:
    CommandOutcome upload(SslContext &context, QByteArray SslContext::*item, const QByteArray &head);

    SslContextTable m_contexts;
};

} // namespace qmt::sim
