#pragma once

#include "commandgroup.h"
#include "sslcontext.h"

namespace qmt::sim {

/// AT+QSSLCFG for SSL context 0 / connect 0, the only ones the module supports (BC660K SSL note 2.3.1,
/// FACTS §5, fact 18): the integer settings ("seclevel", "sslversion", "dataformat", "timeout", "debug",
/// "dtls", "dtlsversion"), the inline upload of "cacert", "clientcert" and "clientkey", and the query of
/// every setting at once (AT+QSSLCFG=<contextID>,<connectID>).
class SslCommands : public CommandGroup
{
public:
    SslCommands() = default;

    [[nodiscard]] bool handles(const QByteArray &name) const override;
    CommandOutcome execute(const CommandRequest &request) override;

    [[nodiscard]] const SslContext &context() const { return m_context; }
    /// A reboot keeps the certificates and restores the rest.
    void restoreVolatileDefaults() { m_context.restoreVolatileDefaults(); }

private:
    CommandOutcome upload(QByteArray SslContext::*item, const QByteArray &head);

    SslContext m_context;
};

} // namespace qmt::sim
