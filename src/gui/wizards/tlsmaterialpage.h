#pragma once

#include "core/tls/tlsmaterialcheck.h"

#include <QMap>
#include <QWizardPage>

#include <memory>

class QLabel;
class QPlainTextEdit;

namespace Ui {
class TlsMaterialPage;
}

namespace qmt {

struct TlsWizardState;

/// The certificate wizard's second page: the CA certificate, the client certificate and the private key,
/// each from a file or pasted, and the key's passphrase.
class TlsMaterialPage : public QWizardPage
{
    Q_OBJECT

public:
    /// Files larger than this are not PEM material for a module; refused before reading them.
    static constexpr qint64 MaxFileBytes = 64 * 1024;

    explicit TlsMaterialPage(TlsWizardState &state, QWidget *parent = nullptr);
    ~TlsMaterialPage() override;

    void initializePage() override;
    bool validatePage() override;

    /// Puts a file's content into the field (CaCert, ClientCert or ClientKey). False, with the reason shown
    /// beside the field, when it cannot be read.
    bool loadFile(TlsField field, const QString &path);

private:
    struct Row
    {
        TlsField field;
        QPlainTextEdit *edit;
        QLabel *info;
    };
    [[nodiscard]] const Row &row(TlsField field) const;
    void pickFile(TlsField field);
    void updateInfo(const Row &row);

    std::unique_ptr<Ui::TlsMaterialPage> m_ui;
    TlsWizardState &m_state;
    QList<Row> m_rows;
    QMap<TlsField, QString> m_fileNames; // where a field's text came from, until the user edits it
    bool m_loading = false;
};

} // namespace qmt
