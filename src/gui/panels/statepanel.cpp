#include "statepanel.h"

#include "ui_statepanel.h"

#include "models/slotstatemodel.h"
#include "module/modulecontroller.h"
#include "qmt/qmtcodes.h"

#include <QHeaderView>
#include <QScrollBar>

namespace qmt {

StatePanel::StatePanel(ModuleController &controller, SlotStateModel &slots, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::StatePanel>())
    , m_controller(controller)
{
    m_ui->setupUi(this);
    m_ui->slotTable->setModel(&slots);
    m_ui->slotTable->verticalHeader()->hide();
    m_ui->slotTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->slotTable->horizontalHeader()->setStretchLastSection(true);
    // All five slots at a glance: the table does not shrink below its rows.
    const QTableView *table = m_ui->slotTable;
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    m_ui->slotTable->setMinimumHeight(table->horizontalHeader()->sizeHint().height() +
                                      SlotCount * table->verticalHeader()->defaultSectionSize() +
                                      table->horizontalScrollBar()->sizeHint().height() + 2 * table->frameWidth());
    m_ui->autoRecoveryCheck->setChecked(controller.autoRecovery());
    connect(m_ui->autoRecoveryCheck, &QCheckBox::toggled, &controller, &ModuleController::setAutoRecovery);
    connect(&controller, &ModuleController::autoRecoveryChanged, m_ui->autoRecoveryCheck, &QCheckBox::setChecked);
    connect(&controller, &ModuleController::infoChanged, this, &StatePanel::showNetwork);
    connect(&controller, &ModuleController::slotChanged, this, &StatePanel::showLastStat);
    connect(m_ui->slotTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &StatePanel::showLastStat);
    showNetwork();
    showLastStat();
}

StatePanel::~StatePanel() = default;

void StatePanel::showNetwork()
{
    const ModuleInfo &info = m_controller.info();
    m_ui->registrationValue->setText(info.registration ? ModuleInfo::registrationText(*info.registration) : tr("—"));
    QStringList signal;
    if (info.rsrpDbm)
        signal << tr("RSRP %1 dBm").arg(*info.rsrpDbm);
    if (info.rsrqDb)
        signal << tr("RSRQ %1 dB").arg(*info.rsrqDb);
    if (info.sinrDb)
        signal << tr("SINR %1 dB").arg(*info.sinrDb);
    m_ui->signalValue->setText(signal.isEmpty() ? tr("—") : signal.join(QStringLiteral(", ")));
    m_ui->ipValue->setText(info.ipAddress.isEmpty() ? tr("—") : QString::fromUtf8(info.ipAddress));
    m_ui->simValue->setText(info.simState.isEmpty() ? tr("—") : QString::fromUtf8(info.simState));
}

void StatePanel::showLastStat()
{
    // The selected slot, or the one with the most recent +QMTSTAT.
    int slot = m_ui->slotTable->currentIndex().isValid() ? m_ui->slotTable->currentIndex().row() : -1;
    if (slot < 0) {
        QDateTime latest;
        for (int s = 0; s < SlotCount; ++s) {
            const SlotStatus &st = m_controller.status(s);
            if (st.lastStat && (!latest.isValid() || st.lastStatTime > latest)) {
                latest = st.lastStatTime;
                slot = s;
            }
        }
    }
    m_ui->lastStatLabel->setToolTip(QString());
    if (slot < 0 || !m_controller.status(slot).lastStat) {
        m_ui->lastStatLabel->setText(slot < 0 || m_controller.status(slot).lastError.isEmpty()
                                         ? QString()
                                         : tr("Slot %1: %2").arg(slot).arg(m_controller.status(slot).lastError));
        return;
    }
    const SlotStatus &st = m_controller.status(slot);
    const int code = *st.lastStat;
    QString text = tr("Slot %1, +QMTSTAT %2 at %3: %4")
                       .arg(slot)
                       .arg(code)
                       .arg(st.lastStatTime.toString(QStringLiteral("HH:mm:ss")), codes::statMeaning(code));
    // The advice is for a slot that is down; once it is connected again one line says what happened, and
    // the advice moves to the tooltip, leaving the room below to the network values.
    if (st.state == SlotState::Connected) {
        m_ui->lastStatLabel->setText(text + QLatin1Char(' ') + tr("Connected again."));
        m_ui->lastStatLabel->setToolTip(codes::statAdvice(code));
        return;
    }
    if (!codes::statAdvice(code).isEmpty())
        text += QLatin1Char(' ') + tr("What to do: %1").arg(codes::statAdvice(code));
    if (st.recoveryAttempt > 0)
        text += QLatin1Char(' ') + tr("Recovering (attempt %1).").arg(st.recoveryAttempt);
    m_ui->lastStatLabel->setText(text);
}

} // namespace qmt
