#include "gui/wizards/tlsmaterialpage.h"

#include "gui/wizards/tlswizardstate.h"
#include "ui_tlsmaterialpage.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>

namespace qmt {

TlsMaterialPage::TlsMaterialPage(TlsWizardState &state, QWidget *parent)
    : QWizardPage(parent)
    , m_ui(std::make_unique<Ui::TlsMaterialPage>())
    , m_state(state)
{
    m_ui->setupUi(this);
    m_rows = {{TlsField::CaCert, m_ui->caEdit, m_ui->caInfoLabel},
              {TlsField::ClientCert, m_ui->certEdit, m_ui->certInfoLabel},
              {TlsField::ClientKey, m_ui->keyEdit, m_ui->keyInfoLabel}};
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const Row &r : std::as_const(m_rows)) {
        r.edit->setFont(fixed);
        r.edit->setTabChangesFocus(true);
        connect(r.edit, &QPlainTextEdit::textChanged, this, [this, field = r.field] {
            if (!m_loading)
                m_fileNames.remove(field);
            updateInfo(row(field));
        });
    }
    connect(m_ui->caFileButton, &QPushButton::clicked, this, [this] { pickFile(TlsField::CaCert); });
    connect(m_ui->certFileButton, &QPushButton::clicked, this, [this] { pickFile(TlsField::ClientCert); });
    connect(m_ui->keyFileButton, &QPushButton::clicked, this, [this] { pickFile(TlsField::ClientKey); });
}

TlsMaterialPage::~TlsMaterialPage() = default;

const TlsMaterialPage::Row &TlsMaterialPage::row(TlsField field) const
{
    return *std::find_if(m_rows.cbegin(), m_rows.cend(), [field](const Row &r) { return r.field == field; });
}

void TlsMaterialPage::initializePage()
{
    const TlsMaterial &m = m_state.material;
    m_loading = true;
    m_ui->caEdit->setPlainText(QString::fromLatin1(m.caCert));
    m_ui->certEdit->setPlainText(QString::fromLatin1(m.clientCert));
    m_ui->keyEdit->setPlainText(QString::fromLatin1(m.clientKey));
    m_loading = false;
    m_ui->passphraseEdit->setText(QString::fromUtf8(m.keyPassphrase));
    // What the level needs is marked; the rest may stay empty.
    const int level = m.secLevel;
    const auto need = [](bool required) { return required ? tr("required") : tr("optional"); };
    m_ui->caBox->setTitle(tr("CA certificate (%1)").arg(need(level >= 1)));
    m_ui->certBox->setTitle(tr("Client certificate (%1)").arg(need(level >= 2)));
    m_ui->keyBox->setTitle(tr("Private key (%1)").arg(need(level >= 2)));
}

bool TlsMaterialPage::validatePage()
{
    TlsMaterial &m = m_state.material;
    // PEM is ASCII: Latin-1 keeps any stray byte as it is, for the check to name it.
    m.caCert = m_ui->caEdit->toPlainText().toLatin1();
    m.clientCert = m_ui->certEdit->toPlainText().toLatin1();
    m.clientKey = m_ui->keyEdit->toPlainText().toLatin1();
    m.keyPassphrase = m_ui->passphraseEdit->text().toUtf8();
    return true;
}

void TlsMaterialPage::pickFile(TlsField field)
{
    // Asynchronous: open() shows the dialog without a nested event loop.
    auto *dialog = new QFileDialog(this, tr("Open %1").arg(TlsMaterialCheck::fieldName(field).toLower()), QString(),
                                   tr("PEM files (*.pem *.crt *.cer *.key);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, [this, field](const QString &path) { loadFile(field, path); });
    dialog->open();
}

bool TlsMaterialPage::loadFile(TlsField field, const QString &path)
{
    const Row &r = row(field);
    QFile file(path);
    const QString name = QFileInfo(path).fileName();
    QString problem;
    if (file.size() > MaxFileBytes)
        problem = tr("%1 is %2 bytes; a PEM certificate or key is at most a few KiB.").arg(name).arg(file.size());
    else if (!file.open(QIODevice::ReadOnly))
        problem = tr("%1: %2").arg(name, file.errorString());
    if (!problem.isEmpty()) {
        r.info->setText(problem);
        return false;
    }
    m_loading = true;
    r.edit->setPlainText(QString::fromLatin1(file.readAll()));
    m_loading = false;
    m_fileNames.insert(field, name);
    updateInfo(r);
    return true;
}

void TlsMaterialPage::updateInfo(const Row &r)
{
    const int size = int(r.edit->toPlainText().size());
    const QString file = m_fileNames.value(r.field);
    if (!file.isEmpty())
        r.info->setText(tr("%1, %n character(s)", nullptr, size).arg(file));
    else
        r.info->setText(size ? tr("%n character(s) pasted", nullptr, size) : QString());
}

} // namespace qmt
