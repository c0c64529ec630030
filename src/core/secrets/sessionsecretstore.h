#pragma once

#include "core/secrets/secretstore.h"

#include <QHash>

namespace qmt {

/// Secrets kept in this process's memory only: what the user chooses when no OS keychain answers
/// ("use for this session only"), and nothing else. Nothing is ever written anywhere; quitting forgets all.
class SessionSecretStore : public SecretStore
{
    Q_OBJECT

public:
    explicit SessionSecretStore(QObject *parent = nullptr);
    ~SessionSecretStore() override;

    void read(const QString &key, const QObject *context, Callback done) override;
    void write(const QString &key, const QByteArray &value, const QObject *context, Callback done) override;
    void remove(const QString &key, const QObject *context, Callback done) override;
    [[nodiscard]] QString description() const override;
    [[nodiscard]] bool persistent() const override { return false; }

    [[nodiscard]] qsizetype size() const { return m_values.size(); }

private:
    QHash<QString, QByteArray> m_values;
};

} // namespace qmt
