#include "gui/panels/logpanel.h"

#include "gui/panels/asyncdialogs.h"
#include "ui_logpanel.h"

#include "core/qmt/qmtspec.h"
#include "gui/models/atlogexporter.h"
#include "gui/models/atlogfiltermodel.h"
#include "gui/models/atlogmodel.h"

#include <QHeaderView>
#include <QMenu>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace qmt {

LogPanel::LogPanel(AtLogModel &log, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::LogPanel>())
    , m_log(log)
    , m_filter(new AtLogFilterModel(this))
    , m_exporter(new AtLogExporter(this))
{
    m_ui->setupUi(this);
    m_filter->setSourceModel(&log);
    m_ui->logTable->setModel(m_filter);
    m_ui->logTable->verticalHeader()->hide();
    m_ui->logTable->verticalHeader()->setDefaultSectionSize(m_ui->logTable->fontMetrics().height() + 4);
    m_ui->logTable->horizontalHeader()->setStretchLastSection(true);
    // Sized for a time stamp, not to the rows on show (a filter that shows none left "03…").
    m_ui->logTable->horizontalHeader()->resizeSection(
        AtLogModel::TimeColumn, m_ui->logTable->fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + 16);
    m_ui->capacitySpin->setRange(100, 10'000'000);
    m_ui->capacitySpin->setSingleStep(10'000);
    m_ui->capacitySpin->setValue(int(log.capacity()));
    m_ui->capacitySpin->setToolTip(tr("The log keeps at most this many rows; the oldest leave first and are counted"));
    buildKindMenu();
    buildSlotMenu();

    connect(m_ui->logFilterEdit, &QLineEdit::textChanged, m_filter, &AtLogFilterModel::setFilterText);
    connect(m_ui->pauseCheck, &QCheckBox::toggled, &log, &AtLogModel::setPaused);
    connect(m_ui->clearButton, &QPushButton::clicked, &log, &AtLogModel::clear);
    connect(m_ui->exportButton, &QPushButton::clicked, this, &LogPanel::exportDialog);
    connect(m_ui->capacitySpin, &QSpinBox::editingFinished, this,
            [this] { m_log.setCapacity(m_ui->capacitySpin->value()); });
    connect(&log, &AtLogModel::droppedCountChanged, this, &LogPanel::showDropped);
    connect(&log, &AtLogModel::heldCountChanged, this, [this](qsizetype held) {
        m_ui->pauseCheck->setText(held > 0 ? tr("&Pause (%1 waiting)").arg(held) : tr("&Pause"));
    });
    // Follow the newest row like a terminal, unless the user scrolled away to read.
    QScrollBar *bar = m_ui->logTable->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) { m_follow = value >= bar->maximum() - 2; });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow)
            m_ui->logTable->scrollToBottom();
    });
    connect(m_exporter, &AtLogExporter::finished, this, [this](bool ok, const QString &message, qsizetype rows) {
        m_ui->droppedLabel->setText(ok ? tr("Exported %n row(s).", nullptr, int(rows)) : message);
        // A moment later the label says what it always says, so the toolbar does not stay reshuffled (Clear
        // moved under the pointer while it was wider).
        if (ok)
            m_exportNoteTimer.start();
        else
            m_exportNoteTimer.stop(); // a failure stays until it is read
    });
    m_exportNoteTimer.setSingleShot(true);
    m_exportNoteTimer.setInterval(5000);
    connect(&m_exportNoteTimer, &QTimer::timeout, this, [this] { showDropped(m_log.droppedCount()); });
    showDropped(log.droppedCount());
}

LogPanel::~LogPanel() = default;

void LogPanel::buildKindMenu()
{
    auto *menu = new QMenu(this);
    for (int k = 0; k < AtLogEntry::KindCount; ++k) {
        const auto kind = AtLogEntry::Kind(k);
        QAction *a = menu->addAction(AtLogEntry::kindName(kind));
        a->setCheckable(true);
        a->setChecked(m_filter->isKindVisible(kind));
        connect(a, &QAction::toggled, this, [this, kind](bool on) {
            m_filter->setKindVisible(kind, on);
            showFilterCount(m_ui->kindsButton, tr("Kinds"));
        });
    }
    m_ui->kindsButton->setMenu(menu);
    showFilterCount(m_ui->kindsButton, tr("Kinds"));
}

void LogPanel::buildSlotMenu()
{
    auto *menu = new QMenu(this);
    for (int s = AtLogEntry::NoSlot; s < SlotCount; ++s) {
        QAction *a = menu->addAction(s == AtLogEntry::NoSlot ? tr("No slot") : tr("Slot %1").arg(s));
        a->setCheckable(true);
        a->setChecked(m_filter->isSlotVisible(s));
        connect(a, &QAction::toggled, this, [this, s](bool on) {
            m_filter->setSlotVisible(s, on);
            showFilterCount(m_ui->slotsButton, tr("Slots"));
        });
    }
    m_ui->slotsButton->setMenu(menu);
    showFilterCount(m_ui->slotsButton, tr("Slots"));
}

void LogPanel::showFilterCount(QToolButton *button, const QString &name)
{
    // A hidden kind or slot is said on the button, so rows filtered away are not mistaken for rows missing.
    const QList<QAction *> actions = button->menu()->actions();
    const auto shown = std::count_if(actions.cbegin(), actions.cend(), [](const QAction *a) { return a->isChecked(); });
    button->setText(shown == actions.size() ? name : tr("%1 (%2 of %3)").arg(name).arg(shown).arg(actions.size()));
}

void LogPanel::showDropped(quint64 dropped)
{
    m_ui->droppedLabel->setText(dropped ? tr("%n row(s) dropped", nullptr, int(std::min<quint64>(dropped, INT_MAX)))
                                        : QString());
}

bool LogPanel::exportTo(const QString &path)
{
    const auto format = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? AtLogExporter::Format::Csv
                                                                                  : AtLogExporter::Format::PlainText;
    return m_exporter->start(m_filter->visibleEntries(), path, format);
}

void LogPanel::exportDialog()
{
    asyncdialogs::saveFile(this, tr("Export the log"), QStringLiteral("qmt-log.txt"), tr("Text (*.txt);;CSV (*.csv)"),
                           [this](const QString &path) { exportTo(path); });
}

} // namespace qmt
