#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace qmt::test {

class CertificateMaker;

/// A mosquitto broker of the test's own, listening on a free 127.0.0.1 port, stopped on destruction.
///
/// For tests that stop a broker, need credentials, a TLS listener or subscription rules; the others share
/// the one the ctest fixture starts (see sharedBrokerPort()).
class MosquittoBroker
{
public:
    struct Options
    {
        /// A user that must log in with this password; anonymous clients are then refused.
        QString user;
        QString password;
        /// Subscriptions matching this filter are refused with SUBACK 0x80 (dynamic security plugin).
        QString refusedSubscriptions;
        /// A TLS listener with these PEM files; a client certificate signed by `caFile` is required.
        QString caFile;
        QString certFile;
        QString keyFile;
    };

    /// A TLS listener with the server certificate of `certs`, requiring a client certificate from its CA.
    [[nodiscard]] static Options mutualTls(const CertificateMaker &certs);

    explicit MosquittoBroker(Options options = {});
    ~MosquittoBroker();
    MosquittoBroker(const MosquittoBroker &) = delete;
    MosquittoBroker &operator=(const MosquittoBroker &) = delete;

    /// Starts mosquitto and waits until it accepts connections. False, with `error` set, on failure.
    bool start(QString *error);
    /// Stops and starts again on the same port, as a broker that went down and came back.
    bool restart(QString *error);
    void stop();
    [[nodiscard]] bool isRunning() const;
    [[nodiscard]] quint16 port() const { return m_port; }
    /// The broker's process id (benchmarks read its CPU time), 0 when it is not running.
    [[nodiscard]] qint64 processId() const { return m_process ? m_process->processId() : 0; }
    [[nodiscard]] QString log() const;

    /// Writes a configuration for `port` into `dir` and returns its path (also used by the ctest fixture).
    static QString writeConfig(const QString &dir, quint16 port, const Options &options, QString *error);
    /// A port nothing listens on right now.
    static quint16 freePort();
    /// The port of the broker the ctest fixture started (QMT_TEST_BROKER_DIR/port), or 0.
    static quint16 sharedBrokerPort();

private:
    bool launch(quint16 port, QString *error); // 0: a free port

    Options m_options;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    quint16 m_port = 0;
};

} // namespace qmt::test
