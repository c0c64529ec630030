#pragma once

#include "core/tls/certificateuploader.h"

#include <QWizardPage>

#include <memory>

class QLabel;
class QProgressBar;

namespace Ui {
class TlsUploadPage;
}

namespace qmt {

class ModuleController;
struct TlsWizardState;

/// The certificate wizard's fourth page: the upload, a progress bar per item, each step's outcome. When
/// other slots that are connected (or on their way) use the SSL index, it says which and asks first.
class TlsUploadPage : public QWizardPage
{
    Q_OBJECT

public:
    TlsUploadPage(TlsWizardState &state, ModuleController &controller, QWidget *parent = nullptr);
    ~TlsUploadPage() override;

    void initializePage() override;
    [[nodiscard]] bool isComplete() const override;
    [[nodiscard]] const CertificateUploader &uploader() const { return *m_uploader; }

Q_SIGNALS:
    void uploaded();

private:
    struct Row
    {
        SslItem item;
        QLabel *name;
        QProgressBar *bar;
        QLabel *stage;
    };
    void startUpload();
    /// Asks before replacing material other active slots use; true when it asked (nothing is sent then).
    bool askBeforeReplacing();
    void showStage(SslItem item, CertificateUploader::Stage stage);
    void setRunning(bool running);

    std::unique_ptr<Ui::TlsUploadPage> m_ui;
    TlsWizardState &m_state;
    ModuleController &m_controller;
    CertificateUploader *m_uploader;
    QList<Row> m_rows;
    bool m_done = false;
    bool m_replaceAgreed = false; ///< the user said yes to replacing material other slots use
};

} // namespace qmt
