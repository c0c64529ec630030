#include "gui/panels/statepanel.h"

#include "ui_statepanel.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/qmtcodes.h"
#include "gui/models/slotadvice.h"
#include "gui/models/slotstatemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>

namespace qmt {

namespace {

const QString HiddenColumnsKey = QStringLiteral("state/hiddenColumns");

// What a glance needs is shown at first: the last +QMTSTAT is spelt out with what to do in the line under the
// table, and the counters and uptime are a right-click on the header away.
const QList<int> DefaultHiddenColumns = {SlotStateModel::StatColumn, SlotStateModel::RetransmissionsColumn,
                                         SlotStateModel::FailuresColumn, SlotStateModel::UptimeColumn};

} // namespace

StatePanel::StatePanel(ModuleController &controller, SlotStateModel &slots, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::StatePanel>())
    , m_controller(controller)
{
    m_ui->setupUi(this);
    m_ui->slotTable->setModel(&slots);
    m_ui->slotTable->verticalHeader()->hide();
    showColumns();
    // All five slots at a glance: the table does not shrink below its rows.
    const QTableView *table = m_ui->slotTable;
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    m_ui->slotTable->setMinimumHeight(table->horizontalHeader()->sizeHint().height() +
                                      SlotCount * table->verticalHeader()->defaultSectionSize() +
                                      2 * table->frameWidth());
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

void StatePanel::showColumns()
{
    QTableView *table = m_ui->slotTable;
    QHeaderView *header = table->horizontalHeader();
    // Every shown column whole, none behind a scroll bar: the table is as wide as its columns need, and the
    // recovery column, last, takes what is left; a countdown longer than that is elided, whole in its tooltip.
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(SlotStateModel::RecoveryColumn, QHeaderView::Stretch);
    header->moveSection(header->visualIndex(SlotStateModel::RecoveryColumn), SlotStateModel::ColumnCount - 1);
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const QVariant saved = QSettings().value(HiddenColumnsKey);
    QList<int> hidden = DefaultHiddenColumns;
    if (saved.isValid()) {
        hidden.clear();
        for (const QVariant &c : saved.toList())
            hidden.append(c.toInt());
    }
    for (int c = 0; c < SlotStateModel::ColumnCount; ++c)
        header->setSectionHidden(c, c != SlotStateModel::SlotColumn && hidden.contains(c));
    // Right-click the header: which columns to show.
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this, header](const QPoint &at) {
        QMenu menu(this);
        for (int c = SlotStateModel::SlotColumn + 1; c < SlotStateModel::ColumnCount; ++c) {
            QAction *show = menu.addAction(header->model()->headerData(c, Qt::Horizontal).toString());
            show->setCheckable(true);
            show->setChecked(!header->isSectionHidden(c));
            connect(show, &QAction::toggled, this, [this, header, c](bool on) {
                header->setSectionHidden(c, !on);
                QVariantList stillHidden;
                for (int h = 0; h < SlotStateModel::ColumnCount; ++h) {
                    if (header->isSectionHidden(h))
                        stillHidden.append(h);
                }
                QSettings().setValue(HiddenColumnsKey, stillHidden);
                fitColumns();
            });
        }
        menu.exec(header->viewport()->mapToGlobal(at));
    });
    connect(header, &QHeaderView::sectionResized, this, &StatePanel::fitColumns);
    connect(table->model(), &QAbstractItemModel::dataChanged, this, &StatePanel::fitColumns);
    fitColumns();
}

void StatePanel::fitColumns()
{
    const QTableView *table = m_ui->slotTable;
    const QAbstractItemView *view = table; // where sizeHintForColumn() is public
    const QHeaderView *header = table->horizontalHeader();
    int width = 2 * table->frameWidth();
    for (int c = 0; c < SlotStateModel::ColumnCount; ++c) {
        if (header->isSectionHidden(c))
            continue;
        width += c == SlotStateModel::RecoveryColumn ? header->sectionSizeHint(c)
                                                     : std::max(header->sectionSizeHint(c), view->sizeHintForColumn(c));
    }
    if (table->minimumWidth() != width)
        m_ui->slotTable->setMinimumWidth(width);
}

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
