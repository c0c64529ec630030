#include "gui/wizards/tlsuploadpage.h"

#include "gui/wizards/tlswizardstate.h"
#include "ui_tlsuploadpage.h"

#include "core/module/modulecontroller.h"

#include <QStyle>

namespace qmt {

TlsUploadPage::TlsUploadPage(TlsWizardState &state, ModuleController &controller, QWidget *parent)
    : QWizardPage(parent)
    , m_ui(std::make_unique<Ui::TlsUploadPage>())
    , m_state(state)
    , m_controller(controller)
    , m_uploader(new CertificateUploader(controller, this))
{
    m_ui->setupUi(this);
    m_rows = {{SslItem::CaCert, m_ui->caUploadLabel, m_ui->caProgress, m_ui->caStageLabel},
              {SslItem::ClientCert, m_ui->certUploadLabel, m_ui->certProgress, m_ui->certStageLabel},
              {SslItem::ClientKey, m_ui->keyUploadLabel, m_ui->keyProgress, m_ui->keyStageLabel}};
    connect(m_uploader, &CertificateUploader::itemStage, this, &TlsUploadPage::showStage);
    connect(m_uploader, &CertificateUploader::stepFinished, this, [this](bool ok, const QString &text) {
        const QStyle::StandardPixmap icon = ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxCritical;
        new QListWidgetItem(style()->standardIcon(icon), text, m_ui->stepsList);
    });
    connect(m_uploader, &CertificateUploader::finished, this, [this](bool ok, const QString &message) {
        m_done = ok;
        m_state.uploaded = ok;
        m_ui->uploadStatusLabel->setStyleSheet(ok ? QString() : QStringLiteral("color: #b00020"));
        m_ui->uploadStatusLabel->setText(ok ? message + QLatin1Char(' ') + tr("Next: the live test.")
                                            : message + QLatin1Char(' ') + tr("Nothing further was sent."));
        m_ui->retryUploadButton->setVisible(!ok);
        setRunning(false);
        if (ok)
            Q_EMIT uploaded();
    });
    connect(m_ui->retryUploadButton, &QPushButton::clicked, this, &TlsUploadPage::startUpload);
    connect(m_ui->replaceButton, &QPushButton::clicked, this, [this] {
        m_replaceAgreed = true;
        startUpload();
    });
    setButtonText(QWizard::NextButton, tr("&Test the connection"));
}

TlsUploadPage::~TlsUploadPage() = default;

void TlsUploadPage::initializePage()
{
    m_replaceAgreed = false; // asked again for each visit: the slots may have changed meanwhile
    startUpload();
}

bool TlsUploadPage::askBeforeReplacing()
{
    const QList<int> sharing = m_state.index.activeSlotsUsing(m_controller, m_state.slot);
    if (sharing.isEmpty() || m_replaceAgreed)
        return false;
    QStringList states;
    for (int s : sharing) {
        const SlotStatus &status = m_controller.status(s);
        states.append(status.state == SlotState::Closed
                          ? tr("slot %1 is waiting to reconnect").arg(s)
                          : tr("slot %1 is %2").arg(s).arg(SlotStateText::name(status.state).toLower()));
    }
    m_ui->uploadStatusLabel->setStyleSheet(QStringLiteral("color: #8a4b00"));
    m_ui->uploadStatusLabel->setText(
        tr("The material at %1 is in use: %2. After a drop or a restart it connects with what is uploaded here, and "
           "fails if that is not for its broker. Replace it, or go Back and choose another SSL index for slot %3. "
           "Nothing was sent.")
            .arg(m_state.index.text(), states.join(QStringLiteral(", ")))
            .arg(m_state.slot));
    m_ui->replaceButton->show();
    setRunning(false);
    return true;
}

void TlsUploadPage::startUpload()
{
    m_done = false;
    m_ui->stepsList->clear();
    m_ui->retryUploadButton->hide();
    m_ui->replaceButton->hide();
    for (const Row &r : std::as_const(m_rows)) {
        const bool sent = std::any_of(m_state.report.uploads.cbegin(), m_state.report.uploads.cend(),
                                      [&r](const TlsUpload &u) { return u.item == r.item; });
        for (QWidget *w :
             {static_cast<QWidget *>(r.name), static_cast<QWidget *>(r.bar), static_cast<QWidget *>(r.stage)})
            w->setVisible(sent);
        r.bar->setValue(0);
        r.stage->clear();
    }
    // The live test connects where the first page said, with TLS the uploader switches on.
    SlotConfig config = m_controller.config(m_state.slot);
    config.host = m_state.host;
    config.port = m_state.port;
    config.clientId = m_state.clientId;
    m_controller.setConfig(m_state.slot, config);

    if (askBeforeReplacing())
        return;
    QString error;
    if (!m_uploader->start(m_state.report, {m_state.slot, m_state.index, m_replaceAgreed}, &error)) {
        m_ui->uploadStatusLabel->setStyleSheet(QStringLiteral("color: #b00020"));
        m_ui->uploadStatusLabel->setText(error);
        m_ui->retryUploadButton->show();
        setRunning(false);
        return;
    }
    m_ui->uploadStatusLabel->setStyleSheet(QString());
    m_ui->uploadStatusLabel->setText(tr("Uploading to %1 for slot %2…").arg(m_state.index.text()).arg(m_state.slot));
    setRunning(true);
}

void TlsUploadPage::showStage(SslItem item, CertificateUploader::Stage stage)
{
    using S = CertificateUploader::Stage;
    for (const Row &r : std::as_const(m_rows)) {
        if (r.item != item)
            continue;
        r.bar->setValue(CertificateUploader::percent(stage));
        switch (stage) {
        case S::Waiting:
            r.stage->setText(tr("waiting"));
            break;
        case S::CommandSent:
            r.stage->setText(tr("command sent"));
            break;
        case S::Prompted:
            r.stage->setText(tr("module ready (>)"));
            break;
        case S::DataSent:
            r.stage->setText(tr("sent, awaiting the length"));
            break;
        case S::Confirmed:
            r.stage->setText(tr("%n byte(s) stored", nullptr, m_uploader->reportedLength(item).value_or(0)));
            break;
        case S::Failed:
            r.stage->setText(tr("failed"));
            break;
        }
    }
}

void TlsUploadPage::setRunning(bool running)
{
    Q_EMIT completeChanged();
    // QWizard re-evaluates its buttons on completeChanged(); Back stays off while commands are on the line.
    if (QWizard *w = wizard())
        w->button(QWizard::BackButton)->setEnabled(!running);
}

bool TlsUploadPage::isComplete() const
{
    return m_done;
}

} // namespace qmt
