#include "gui/wizards/tlscheckpage.h"

#include "gui/wizards/tlswizardstate.h"
#include "ui_tlscheckpage.h"

#include <QStyle>

namespace qmt {

TlsCheckPage::TlsCheckPage(TlsWizardState &state, QWidget *parent)
    : QWizardPage(parent)
    , m_ui(std::make_unique<Ui::TlsCheckPage>())
    , m_state(state)
{
    m_ui->setupUi(this);
    setButtonText(QWizard::NextButton, tr("&Upload"));
}

TlsCheckPage::~TlsCheckPage() = default;

void TlsCheckPage::initializePage()
{
    m_state.report = TlsMaterialCheck::check(m_state.material, m_state.clock());
    const TlsCheckReport &report = m_state.report;
    m_ui->findingsList->clear();
    // Errors first: they are what stands between the user and the upload.
    for (const auto severity :
         {TlsFinding::Severity::Error, TlsFinding::Severity::Warning, TlsFinding::Severity::Info}) {
        const QStyle::StandardPixmap icon = severity == TlsFinding::Severity::Error ? QStyle::SP_MessageBoxCritical
                                            : severity == TlsFinding::Severity::Warning
                                                ? QStyle::SP_MessageBoxWarning
                                                : QStyle::SP_MessageBoxInformation;
        for (const TlsFinding &f : report.findings) {
            if (f.severity == severity) {
                auto *item = new QListWidgetItem(style()->standardIcon(icon), f.text, m_ui->findingsList);
                item->setData(Qt::UserRole, int(severity));
            }
        }
    }
    if (!report.ok()) {
        m_ui->summaryLabel->setText(tr("%n problem(s): nothing will be uploaded. Go back to fix the material.", nullptr,
                                       int(report.errors().size())));
    } else {
        QStringList items;
        for (const TlsUpload &u : report.uploads)
            items.append(tr("%1 (%2 bytes)").arg(TlsMaterialCheck::itemName(u.item)).arg(u.bytes.size()));
        m_ui->summaryLabel->setText(
            items.isEmpty()
                ? tr("Ready: security level %1 needs no certificates.").arg(report.secLevel)
                : tr("Ready to upload: %1. Line ends are LF, so the lengths the module reports can be checked.")
                      .arg(items.join(QStringLiteral(", "))));
    }
    Q_EMIT completeChanged();
}

bool TlsCheckPage::isComplete() const
{
    return m_state.report.ok();
}

} // namespace qmt
