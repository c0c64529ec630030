#include "statepanel.h"

#include "ui_statepanel.h"

#include "models/slotadvice.h"
#include "models/slotstatemodel.h"
#include "module/modulecontroller.h"
#include "qmt/qmtcodes.h"

#include <QAction>
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
    connect(&controller, &ModuleController::autoRecoveryChanged, this, &StatePanel::showLastStat);
    connect(&controller, &ModuleController::portStateChanged, this, &StatePanel::showLastStat);
    connect(m_ui->slotTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &StatePanel::showLastStat);
    connect(m_ui->reconnectButton, &QPushButton::clicked, this, [this] { reconnect(shownSlot()); });
    // The same on the row itself: right-click a slot, Reconnect now.
    auto *reconnectRow = new QAction(tr("Reconnect now"), m_ui->slotTable);
    connect(reconnectRow, &QAction::triggered, this, [this] { reconnect(m_ui->slotTable->currentIndex().row()); });
    m_ui->slotTable->addAction(reconnectRow);
    m_ui->slotTable->setContextMenuPolicy(Qt::ActionsContextMenu);
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

int StatePanel::shownSlot() const
{
    if (m_ui->slotTable->currentIndex().isValid())
        return m_ui->slotTable->currentIndex().row();
    int slot = -1;
    QDateTime latest;
    for (int s = 0; s < SlotCount; ++s) {
        const SlotStatus &st = m_controller.status(s);
        if (st.lastStat && (!latest.isValid() || st.lastStatTime > latest)) {
            latest = st.lastStatTime;
            slot = s;
        }
    }
    return slot;
}

void StatePanel::reconnect(int slot)
{
    if (slot < 0)
        return;
    const Validated<quint64> done = m_controller.reconnectNow(slot);
    if (!done) {
        m_ui->lastStatLabel->setText(tr("Slot %1: %2").arg(slot).arg(done.error().message()));
        m_ui->lastStatLabel->setToolTip(QString());
    }
}

void StatePanel::updateReconnect()
{
    // Possible for a slot that was started, is down, and is not on its way up right now.
    const int slot = shownSlot();
    const bool possible = slot >= 0 && m_controller.sessionConfig(slot) &&
                          m_controller.status(slot).state == SlotState::Closed &&
                          m_controller.portState() == ModuleController::PortState::Open;
    m_ui->reconnectButton->setEnabled(possible);
    m_ui->reconnectButton->setText(slot >= 0 ? tr("&Reconnect slot %1 now").arg(slot) : tr("&Reconnect now"));
}

void StatePanel::showLastStat()
{
    updateReconnect();
    const int slot = shownSlot();
    m_ui->lastStatLabel->setToolTip(QString());
    if (slot < 0) {
        m_ui->lastStatLabel->clear();
        return;
    }
    const SlotStatus &st = m_controller.status(slot);
    const bool tls = m_controller.sessionConfig(slot).value_or(m_controller.config(slot)).sslEnabled;
    const SlotAdvice advice = SlotAdvice::forFailure(st.lastFailure, tls, m_controller.autoRecovery());
    if (!st.lastStat) {
        // A failure without a +QMTSTAT (a refused open, a failed command): it and what to do about it.
        m_ui->lastStatLabel->setText(
            st.lastError.isEmpty()
                ? QString()
                : QStringList{tr("Slot %1: %2").arg(slot).arg(st.lastError), advice.action}.join(u' ').trimmed());
        m_ui->lastStatLabel->setToolTip(advice.detail);
        return;
    }
    const int code = *st.lastStat;
    QString text = tr("Slot %1, +QMTSTAT %2 at %3: %4")
                       .arg(slot)
                       .arg(code)
                       .arg(st.lastStatTime.toString(QStringLiteral("HH:mm:ss")), codes::statMeaning(code));
    // What to do is for a slot that is down; once it is connected again one line says what happened, and
    // the note's advice stays in the tooltip, leaving the room below to the network values.
    if (st.state == SlotState::Connected) {
        m_ui->lastStatLabel->setText(text + QLatin1Char(' ') + tr("Connected again."));
        m_ui->lastStatLabel->setToolTip(SlotAdvice::forStat(code, m_controller.autoRecovery()).detail);
        return;
    }
    // The +QMTSTAT after a refused CONNECT only repeats it: the refusal says what to do.
    const bool refused = st.lastFailure.kind == SlotFailure::Kind::Refused;
    const SlotAdvice todo = refused ? advice : SlotAdvice::forStat(code, m_controller.autoRecovery());
    if (!todo.action.isEmpty())
        text += QLatin1Char(' ') + tr("What to do: %1").arg(todo.action);
    m_ui->lastStatLabel->setText(text);
    m_ui->lastStatLabel->setToolTip(todo.detail);
}

} // namespace qmt
