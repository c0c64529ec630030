#include "gui/wizards/tlstestpage.h"

#include "gui/wizards/tlswizardstate.h"
#include "ui_tlstestpage.h"

#include "core/module/modulecontroller.h"
#include "core/tls/tlsconnectiontest.h"

namespace qmt {

TlsTestPage::TlsTestPage(TlsWizardState &state, ModuleController &controller, QWidget *parent)
    : QWizardPage(parent)
    , m_ui(std::make_unique<Ui::TlsTestPage>())
    , m_state(state)
    , m_controller(controller)
    , m_test(new TlsConnectionTest(controller, this))
{
    m_ui->setupUi(this);
    setFinalPage(true);
    m_ui->saveCheck->hide();
    connect(m_test, &TlsConnectionTest::progress, m_ui->testProgressLabel, &QLabel::setText);
    connect(m_test, &TlsConnectionTest::finished, this, [this](bool ok, const QString &message) {
        // The step it was at is over: only the outcome stays ("MQTT connecting…" above "connected" misleads).
        m_ui->testProgressLabel->clear();
        m_ui->testResultLabel->setStyleSheet(ok ? QStringLiteral("color: #1b5e20") : QStringLiteral("color: #b00020"));
        m_ui->testResultLabel->setText(message);
        m_ui->retryTestButton->setVisible(!ok);
        // Material that failed its test is not saved as if it worked: saving becomes a choice, and says so.
        m_ui->saveCheck->setChecked(ok);
        m_ui->saveCheck->setText(
            ok ? m_saveText : tr("%1 anyway (the TLS material is marked as failing its live test)").arg(m_saveText));
        Q_EMIT completeChanged();
        Q_EMIT tested(ok, message);
    });
    connect(m_ui->retryTestButton, &QPushButton::clicked, this, &TlsTestPage::startTest);
}

TlsTestPage::~TlsTestPage() = default;

void TlsTestPage::initializePage()
{
    startTest();
}

void TlsTestPage::startTest()
{
    m_ui->retryTestButton->hide();
    m_ui->testResultLabel->clear();
    m_ui->testProgressLabel->clear();
    QString error;
    if (!m_test->start(m_state.slot, &error)) {
        m_ui->testResultLabel->setStyleSheet(QStringLiteral("color: #b00020"));
        m_ui->testResultLabel->setText(error);
        m_ui->retryTestButton->show();
    }
    Q_EMIT completeChanged();
}

bool TlsTestPage::isComplete() const
{
    return !m_test->isRunning();
}

void TlsTestPage::setSaveOffer(const QString &text)
{
    m_saveOffered = !text.isEmpty();
    m_saveText = text;
    m_ui->saveCheck->setText(text);
    m_ui->saveCheck->setVisible(m_saveOffered);
}

bool TlsTestPage::saveRequested() const
{
    // Asked after Finish, when the page is no longer visible: the offer itself is remembered.
    return m_saveOffered && m_ui->saveCheck->isChecked();
}

} // namespace qmt
