#include "gui/secrets/keychainsecretstore.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QPointer>

namespace qmt {

namespace {

SecretStatus statusOf(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretStatus::Ok;
    case QKeychain::EntryNotFound:
        return SecretStatus::NotFound;
    case QKeychain::NoBackendAvailable:
        return SecretStatus::NoBackend;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return SecretStatus::AccessDenied;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return SecretStatus::Failed;
    }
    return SecretStatus::Failed;
}

} // namespace

const QString KeychainSecretStore::DefaultService = QStringLiteral("QMT Studio");

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{}

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::backendName()
{
#if defined(Q_OS_WIN)
    return tr("Credential Manager");
#elif defined(Q_OS_MACOS)
    return tr("Keychain");
#else
    return tr("Secret Service");
#endif
}

QString KeychainSecretStore::description() const
{
    return tr("the OS keychain (%1)").arg(backendName());
}

void KeychainSecretStore::run(QKeychain::Job *job, const QString &key, const QObject *context, Callback done,
                              bool isRemove)
{
    // The job belongs to the application, not to the store, and deletes itself once it has finished: the
    // Secret Service's answer comes back to the job through libsecret, which cannot be told to drop it, so a
    // job deleted with its store (a window closed while the keychain works) is freed memory that answer would
    // reach. The store's end disconnects the job from it, and the answer is dropped; a job still waiting when
    // the application ends goes with it, when no answer can come any more.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this,
            [this, context = QPointer<const QObject>(context ? context : this), hadContext = context != nullptr,
             done = std::move(done), isRemove](QKeychain::Job *finished) {
                if (hadContext && !context)
                    return;
                SecretReply reply;
                reply.status = statusOf(finished->error());
                if (isRemove && reply.status == SecretStatus::NotFound)
                    reply.status = SecretStatus::Ok;
                if (!reply.ok() && reply.status != SecretStatus::NotFound)
                    reply.error = finished->errorString();
                if (reply.ok()) {
                    if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                        reply.value = read->binaryData();
                }
                deliverLater(context, done, reply);
            });
    job->start();
}

void KeychainSecretStore::read(const QString &key, const QObject *context, Callback done)
{
    run(new QKeychain::ReadPasswordJob(m_service, QCoreApplication::instance()), key, context, std::move(done), false);
}

void KeychainSecretStore::write(const QString &key, const QByteArray &value, const QObject *context, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, QCoreApplication::instance());
    job->setBinaryData(value);
    run(job, key, context, std::move(done), false);
}

void KeychainSecretStore::remove(const QString &key, const QObject *context, Callback done)
{
    run(new QKeychain::DeletePasswordJob(m_service, QCoreApplication::instance()), key, context, std::move(done), true);
}

} // namespace qmt
