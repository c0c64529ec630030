#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QObject>
#include <QString>

#include <functional>

namespace qmt {

/// How a secret store answered one request.
enum class SecretStatus {
    Ok,
    NotFound,     ///< the store works; nothing is stored under the key
    NoBackend,    ///< no keychain answered (no Secret Service, no D-Bus, …)
    AccessDenied, ///< the keychain is locked, or the user refused
    Failed        ///< anything else; SecretReply::error says what
};

/// The answer to one read, write or remove.
struct SecretReply
{
    Q_DECLARE_TR_FUNCTIONS(qmt::SecretReply)

public:
    SecretStatus status = SecretStatus::Ok;
    QByteArray value; ///< for reads: the secret (never logged, never shown)
    QString error;    ///< the backend's own words, for the user

    [[nodiscard]] bool ok() const { return status == SecretStatus::Ok; }
    /// The store itself works (Ok or NotFound): what a probe wants to know.
    [[nodiscard]] bool storeAnswered() const { return status == SecretStatus::Ok || status == SecretStatus::NotFound; }
    /// One sentence for the user: what went wrong, in plain words, with the backend's detail.
    [[nodiscard]] QString message() const;
};

/// Where passwords, the Alibaba device secret, certificates, private keys and key passphrases are kept
/// (DESIGN.md: "Secrets live only in the OS keychain … behind a SecretStore interface").
///
/// Every request is asynchronous: its callback runs later from the event loop — never inside the call —
/// so a keychain that prompts or is slow never blocks the GUI thread, and callers see one behaviour
/// whatever the backend. A callback whose `context` object is gone by then is not called. Keys are
/// plain strings (see SecretKey for the scheme); values are bytes.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const SecretReply &)>;

    explicit SecretStore(QObject *parent = nullptr)
        : QObject(parent)
    {}

    virtual void read(const QString &key, const QObject *context, Callback done) = 0;
    virtual void write(const QString &key, const QByteArray &value, const QObject *context, Callback done) = 0;
    /// Removing a key that is not there succeeds (NotFound is reported as Ok).
    virtual void remove(const QString &key, const QObject *context, Callback done) = 0;

    /// Asks the store whether it works at all, by reading a key nobody writes: NotFound means it answers.
    /// Reading, unlike writing, never makes a desktop keychain prompt.
    void probe(const QObject *context, Callback done);

    /// For the user: "the OS keychain (Secret Service)", "memory, for this session only".
    [[nodiscard]] virtual QString description() const = 0;
    /// Whether what is written survives the application.
    [[nodiscard]] virtual bool persistent() const = 0;

    static const QString ProbeKey;

protected:
    /// Calls `done` with `reply` from the event loop, if `context` (or this store, when null) still exists.
    void deliverLater(const QObject *context, Callback done, SecretReply reply) const;
};

} // namespace qmt
