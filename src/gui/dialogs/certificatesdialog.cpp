#include "gui/dialogs/certificatesdialog.h"

#include "ui_certificatesdialog.h"

#include "core/module/modulecontroller.h"
#include "core/tls/tlsmaterialcheck.h"

#include <QHeaderView>
#include <QPointer>
#include <QStyle>

namespace qmt {

namespace {
enum Column {
    ItemColumn,
    SubjectColumn,
    ExpiryColumn,
    ModuleColumn,
    FingerprintColumn
};
} // namespace

CertificatesDialog::CertificatesDialog(ModuleController &controller, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::CertificatesDialog>())
    , m_controller(controller)
{
    m_ui->setupUi(this);
    m_ui->itemsTree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(m_ui->queryButton, &QPushButton::clicked, this, &CertificatesDialog::queryModule);
    connect(m_ui->wizardButton, &QPushButton::clicked, this, &CertificatesDialog::wizardRequested);
}

CertificatesDialog::~CertificatesDialog() = default;

void CertificatesDialog::showMaterial(const QString &profile, const QList<IndexMaterial> &entries, int slot,
                                      SslIndex slotIndex, const QString &storage)
{
    m_slot = slot;
    m_slotIndex = slotIndex;
    m_ui->moduleLabel->clear();
    m_ui->itemsTree->clear();
    const bool slotHasMaterial = std::any_of(entries.cbegin(), entries.cend(), [slotIndex](const IndexMaterial &e) {
        return e.index == slotIndex && !e.material.isEmpty();
    });
    m_ui->profileLabel->setText(
        slotHasMaterial
            ? tr("Profile \"%1\": slot %2 uses the material at %3.").arg(profile).arg(slot).arg(slotIndex.text())
            : tr("Profile \"%1\" has no TLS material for slot %2 yet. The wizard puts it on the module at %3.")
                  .arg(profile)
                  .arg(slot)
                  .arg(slotIndex.text()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const IndexMaterial &entry : entries) {
        if (!entry.material.isEmpty())
            addIndex(entry, now);
    }
    m_ui->storageLabel->setText(tr("Kept in %1. The module keeps certificates across reboots but not its security "
                                   "level; QMT Studio sets the level again after a reboot.")
                                    .arg(storage));
    QDialog::show();
    raise();
}

void CertificatesDialog::addIndex(const IndexMaterial &entry, const QDateTime &now)
{
    using Test = Profile::TlsReference::Test;
    auto *head = new QTreeWidgetItem(m_ui->itemsTree);
    head->setText(ItemColumn, entry.index.text());
    head->setText(
        SubjectColumn,
        entry.slots.isEmpty()
            ? tr("no slot uses it now")
            : tr("used by %1, security level %2").arg(slotListText(entry.slots)).arg(entry.material.secLevel));
    switch (entry.lastTest) {
    case Test::Failed:
        head->setText(ExpiryColumn, tr("last live test failed"));
        head->setForeground(ExpiryColumn, QColor(0xb0, 0x00, 0x20));
        head->setIcon(ItemColumn, style()->standardIcon(QStyle::SP_MessageBoxWarning));
        head->setToolTip(ExpiryColumn, tr("The last live test with this material failed: check it in the wizard "
                                          "before a slot relies on it."));
        break;
    case Test::Passed:
        head->setText(ExpiryColumn, tr("last live test passed"));
        break;
    case Test::Untested:
        head->setText(ExpiryColumn, tr("not tested"));
        break;
    }
    const TlsCheckReport report = TlsMaterialCheck::check(entry.material, now);
    const auto moduleText = [&entry](SslItem item) {
        return entry.reported.contains(item) ? tr("%n byte(s) stored", nullptr, entry.reported.value(item))
                                             : tr("not in this session");
    };
    const auto addCertificates = [&](SslItem item, const QList<CertificateSummary> &summaries) {
        for (const CertificateSummary &s : summaries) {
            const qint64 days = now.daysTo(s.notAfter);
            auto *row = new QTreeWidgetItem(head);
            row->setText(ItemColumn, TlsMaterialCheck::itemName(item));
            row->setText(SubjectColumn, s.subject);
            row->setText(
                ExpiryColumn,
                now > s.notAfter
                    ? tr("%1 (expired)").arg(CertificateSummary::formatTime(s.notAfter))
                    : tr("%1 (in %n day(s))", nullptr, int(days)).arg(CertificateSummary::formatTime(s.notAfter)));
            row->setText(ModuleColumn, moduleText(item));
            row->setText(FingerprintColumn, s.sha256);
            row->setToolTip(SubjectColumn, tr("Issuer: %1; %2").arg(s.issuer, s.validity()));
        }
    };
    addCertificates(SslItem::CaCert, report.caCertificates);
    addCertificates(SslItem::ClientCert, report.clientCertificates);
    if (!entry.material.clientKey.isEmpty()) {
        auto *row = new QTreeWidgetItem(head);
        row->setText(ItemColumn, TlsMaterialCheck::itemName(SslItem::ClientKey));
        row->setText(SubjectColumn, report.keySummary.isEmpty() ? tr("private key") : report.keySummary);
        row->setToolTip(SubjectColumn, report.keyDescription);
        row->setText(ModuleColumn, moduleText(SslItem::ClientKey));
    }
    for (const TlsFinding &f : report.errors()) {
        auto *row = new QTreeWidgetItem(head);
        row->setText(ItemColumn, TlsMaterialCheck::fieldName(f.field));
        row->setText(SubjectColumn, f.text);
        row->setForeground(SubjectColumn, QColor(0xb0, 0x00, 0x20));
    }
    head->setExpanded(true);
}

void CertificatesDialog::queryModule()
{
    m_answers.clear();
    m_ui->moduleLabel->setText(tr("Asking the module…"));
    m_controller.queryTls(
        m_slot, m_slotIndex.contextId, m_slotIndex.connectId,
        [this, guard = QPointer<CertificatesDialog>(this)](const QList<AtReply> &replies) {
            if (!guard)
                return;
            for (const AtReply &r : replies) {
                const QString answer = r.ok() ? QString::fromUtf8(r.lines.join(' ')) : QString::fromUtf8(r.finalLine);
                m_answers.append(
                    tr("%1 → %2").arg(QString::fromUtf8(r.command),
                                      answer.isEmpty() ? QString::fromLatin1(replyStatusName(r.status)) : answer));
            }
            m_ui->moduleLabel->setText(tr("The module reports: %1").arg(m_answers.join(QStringLiteral("; "))));
        });
}

} // namespace qmt
