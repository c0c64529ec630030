#include "gui/wizards/tlslevelpage.h"

#include "gui/wizards/certificatewizard.h"

#include "gui/wizards/tlswizardstate.h"
#include "ui_tlslevelpage.h"

#include "core/module/modulecontroller.h"
#include "gui/panels/specwidgets.h"

#include <QRegularExpression>

namespace qmt {

TlsLevelPage::TlsLevelPage(TlsWizardState &state, ModuleController &controller, QWidget *parent)
    : QWizardPage(parent)
    , m_ui(std::make_unique<Ui::TlsLevelPage>())
    , m_state(state)
    , m_controller(controller)
{
    m_ui->setupUi(this);
    specwidgets::fillSlots(m_ui->slotCombo);
    specwidgets::bind(m_ui->hostEdit, Param::HostName);
    specwidgets::bind(m_ui->portSpin, Param::Port);
    specwidgets::bind(m_ui->clientIdEdit, Param::ClientId);
    specwidgets::bind(m_ui->contextSpin, Param::SslContextId);
    specwidgets::bind(m_ui->connectSpin, Param::SslConnectId);
    m_ui->levelErrorLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    for (QLineEdit *edit : {m_ui->hostEdit, m_ui->clientIdEdit})
        connect(edit, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
    connect(m_ui->slotCombo, &QComboBox::activated, this, &TlsLevelPage::takeSlotSettings);
    for (QSpinBox *spin : {m_ui->contextSpin, m_ui->connectSpin})
        connect(spin, &QSpinBox::valueChanged, this, &TlsLevelPage::showIndexUse);
    // A refusal is about the choices it was given ("Slot 2 is connected"): another choice takes it away.
    const auto changed = [this] { showError({}); };
    connect(m_ui->slotCombo, &QComboBox::currentIndexChanged, this, changed);
    for (QLineEdit *edit : {m_ui->hostEdit, m_ui->clientIdEdit})
        connect(edit, &QLineEdit::textEdited, this, changed);
    for (QSpinBox *spin : {m_ui->portSpin, m_ui->contextSpin, m_ui->connectSpin})
        connect(spin, &QSpinBox::valueChanged, this, changed);
}

TlsLevelPage::~TlsLevelPage() = default;

void TlsLevelPage::initializePage()
{
    m_ui->level0Radio->setChecked(m_state.material.secLevel == 0);
    m_ui->level1Radio->setChecked(m_state.material.secLevel == 1);
    m_ui->level2Radio->setChecked(m_state.material.secLevel == 2);
    m_ui->slotCombo->setCurrentIndex(m_ui->slotCombo->findData(m_state.slot));
    m_ui->contextSpin->setValue(m_state.index.contextId);
    m_ui->connectSpin->setValue(m_state.index.connectId);
    showIndexUse();
    m_ui->hostEdit->setText(QString::fromUtf8(m_state.host));
    m_ui->portSpin->setValue(m_state.port);
    m_ui->clientIdEdit->setText(QString::fromUtf8(m_state.clientId));
    m_ui->levelErrorLabel->clear();
}

void TlsLevelPage::takeSlotSettings()
{
    // Another slot is another client: its own broker settings, or — when it has none yet — the same broker
    // under a client ID of its own (one ID twice on a broker knocks the first session off).
    const int slot = m_ui->slotCombo->currentData().toInt();
    const SlotConfig &config = m_controller.config(slot);
    const SslIndex own = SslIndex::proposedFor(slot, config);
    m_ui->contextSpin->setValue(own.contextId);
    m_ui->connectSpin->setValue(own.connectId);
    if (!config.host.isEmpty()) {
        m_ui->hostEdit->setText(QString::fromUtf8(config.host));
        m_ui->portSpin->setValue(CertificateWizard::tlsPortFor(config));
    }
    if (!config.clientId.isEmpty()) {
        m_ui->clientIdEdit->setText(QString::fromUtf8(config.clientId));
        return;
    }
    QString base = m_ui->clientIdEdit->text();
    base.remove(QRegularExpression(QStringLiteral("-slot\\d$"))); // from an earlier pick
    if (base.isEmpty())
        base = QStringLiteral("qmt-studio");
    m_ui->clientIdEdit->setText(base + QStringLiteral("-slot%1").arg(slot));
}

SslIndex TlsLevelPage::index() const
{
    return {m_ui->contextSpin->value(), m_ui->connectSpin->value()};
}

void TlsLevelPage::showIndexUse()
{
    const SslIndex chosen = index();
    const int slot = m_ui->slotCombo->currentData().toInt();
    QList<int> sharing;
    for (int s = 0; s < SlotCount; ++s) {
        if (s != slot && SslIndex::usedBy(m_controller, s) == chosen)
            sharing.append(s);
    }
    QString text =
        sharing.isEmpty()
            ? tr("No other slot uses this index: slot %1's material is its own.").arg(slot)
            : tr("Also used by %1: the material uploaded here is shared with it.").arg(slotListText(sharing));
    if (!chosen.documentedAsSupported()) {
        text += QLatin1Char(' ') + tr("The application note says the module currently supports only context 0, "
                                      "connect ID 0; if this module refuses another index, the upload says so.");
    }
    m_ui->indexNoteLabel->setText(text);
}

int TlsLevelPage::level() const
{
    return m_ui->level0Radio->isChecked() ? 0 : m_ui->level1Radio->isChecked() ? 1 : 2;
}

bool TlsLevelPage::isComplete() const
{
    return !m_ui->hostEdit->text().trimmed().isEmpty() && !m_ui->clientIdEdit->text().isEmpty();
}

void TlsLevelPage::showError(const QString &text)
{
    m_ui->levelErrorLabel->setText(text);
}

bool TlsLevelPage::validatePage()
{
    const int slot = m_ui->slotCombo->currentData().toInt();
    const QByteArray host = m_ui->hostEdit->text().trimmed().toUtf8();
    const QByteArray clientId = m_ui->clientIdEdit->text().toUtf8();
    // Check what the live test will send now, before any certificate goes out.
    const QmtCommands &commands = m_controller.commands();
    if (const auto open = commands.open(slot, host, m_ui->portSpin->value()); !open) {
        showError(open.error().message());
        return false;
    }
    if (const auto conn = commands.conn(slot, clientId); !conn) {
        showError(conn.error().message());
        return false;
    }
    if (m_controller.portState() != ModuleController::PortState::Open) {
        showError(tr("No port is open: open the module's port first (the Port panel)."));
        return false;
    }
    if (const SlotState state = m_controller.status(slot).state; state != SlotState::Closed) {
        showError(tr("Slot %1 is %2: TLS can be switched on only before AT+QMTOPEN. Stop the slot first, or choose "
                     "another.")
                      .arg(slot)
                      .arg(SlotStateText::name(state)));
        return false;
    }
    if (index() != m_state.index) {
        // Another index: start from the material the profile has there (none: empty), not this one's.
        m_state.material = m_state.known.value(index());
        m_state.index = index();
    }
    m_state.material.secLevel = level();
    m_state.slot = slot;
    m_state.host = host;
    m_state.port = m_ui->portSpin->value();
    m_state.clientId = clientId;
    showError({});
    return true;
}

} // namespace qmt
