#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QSslConfiguration>
#include <QString>
#include <array>
#include <optional>

namespace qmt::sim {

/// One SSL context/connect ID of the module as AT+QSSLCFG configures it (BC660K SSL application note, protocol-notes
/// §5.3).
///
/// The certificates and the key are kept as the host uploaded them, byte for byte, and survive a reboot as
/// the module keeps its certificate configuration; the other settings go back to their defaults. Nothing is
/// written to disk: a private key never lies in a plain file (DESIGN.md).
struct SslContext
{
    Q_DECLARE_TR_FUNCTIONS(qmt::sim::SslContext)

public:
    /// Largest PEM item accepted. The real limit is not documented (protocol-notes §10.4); this holds a certificate
    /// with a short chain.
    static constexpr int MaxItemBytes = 8192;
    static constexpr int DefaultSslVersion = 4; // "all"
    /// "timeout": how long a TLS connection may take to come up, 10–300 s (protocol-notes §5.3).
    static constexpr int MinTimeoutS = 10;
    static constexpr int MaxTimeoutS = 300;
    static constexpr int DefaultTimeoutS = 90;
    /// "debug": 0 no log … 4 detail. The log goes to the module's debug port, so nothing more is modelled.
    static constexpr int MaxDebugLevel = 4;
    /// "dtlsversion": 0 DTLS 1.0, 1 DTLS 1.2, 2 all (negotiated), as "sslversion" 4 is for TLS.
    static constexpr int DefaultDtlsVersion = 2;

    int secLevel = 0;
    int sslVersion = DefaultSslVersion;
    int sendFormat = 0; ///< "dataformat" <send>: 0 text, 1 hex (for the SSL socket commands, not MQTT)
    int recvFormat = 0; ///< "dataformat" <recv>
    int timeoutS = DefaultTimeoutS;
    int debugLevel = 0;
    /// "dtls" and "dtlsversion" are for the SSL socket commands over UDP; MQTT runs over TCP, so they are kept
    /// and reported but change nothing the virtual module does.
    int dtls = 0;
    int dtlsVersion = DefaultDtlsVersion;
    QByteArray caCert;
    QByteArray clientCert;
    QByteArray clientKey;

    SslContext();
    /// A reboot restores the settings the module does not save.
    void restoreVolatileDefaults();

    /// The TLS 1.2 configuration for a connection: no verification at seclevel 0; the uploaded CA (and only
    /// it) at 1; the CA plus the client certificate and key at 2. nullopt, with `error` set, when the
    /// material the level needs is missing or cannot be read.
    [[nodiscard]] std::optional<QSslConfiguration> tlsConfiguration(QString *error) const;
};

/// Every SSL context and connect ID in the note's ranges (contextID 0–10, connectID 0–4), each with its own
/// material and settings: the index a slot names in AT+QMTCFG="ssl" is the material it connects with, so an
/// upload for one slot leaves another slot's index alone.
class SslContextTable
{
public:
    static constexpr int MaxContextId = 10;
    static constexpr int MaxConnectId = 4;

    [[nodiscard]] SslContext &at(int contextId, int connectId) { return m_contexts[slotOf(contextId, connectId)]; }
    [[nodiscard]] const SslContext &at(int contextId, int connectId) const
    {
        return m_contexts[slotOf(contextId, connectId)];
    }
    void restoreVolatileDefaults()
    {
        for (SslContext &c : m_contexts)
            c.restoreVolatileDefaults();
    }

private:
    static size_t slotOf(int contextId, int connectId)
    {
        Q_ASSERT(contextId >= 0 && contextId <= MaxContextId && connectId >= 0 && connectId <= MaxConnectId);
        return size_t(contextId * (MaxConnectId + 1) + connectId);
    }

    std::array<SslContext, (MaxContextId + 1) * (MaxConnectId + 1)> m_contexts;
};

} // namespace qmt::sim
