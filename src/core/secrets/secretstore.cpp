#include "core/secrets/secretstore.h"

#include <QMetaObject>

namespace qmt {

const QString SecretStore::ProbeKey = QStringLiteral("probe/never-written");

QString SecretReply::message() const
{
    switch (status) {
    case SecretStatus::Ok:
        return tr("Done.");
    case SecretStatus::NotFound:
        return tr("Nothing is stored under this name.");
    case SecretStatus::NoBackend:
        return tr("No OS keychain answered (%1). Secrets cannot be saved on this computer.").arg(error);
    case SecretStatus::AccessDenied:
        return tr("The OS keychain refused access (%1); is it locked?").arg(error);
    case SecretStatus::Failed:
        return tr("The OS keychain failed: %1").arg(error);
    }
    return error;
}

void SecretStore::probe(const QObject *context, Callback done)
{
    read(ProbeKey, context, std::move(done));
}

void SecretStore::deliverLater(const QObject *context, Callback done, SecretReply reply) const
{
    if (!done)
        return;
    // The receiver of a queued functor call: if it is destroyed first, the call is dropped.
    const QObject *receiver = context ? context : this;
    QMetaObject::invokeMethod(
        const_cast<QObject *>(receiver), [done = std::move(done), reply = std::move(reply)] { done(reply); },
        Qt::QueuedConnection);
}

} // namespace qmt
