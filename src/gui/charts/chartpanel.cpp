#include "gui/charts/chartpanel.h"

#include "ui_chartpanel.h"

#include "gui/models/linethinning.h"
#include "gui/models/topicchartmodel.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QHeaderView>
#include <QLineSeries>
#include <QValueAxis>

#include <limits>

namespace qmt {

ChartPanel::ChartPanel(TopicChartModel &model, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ChartPanel>())
    , m_model(model)
    , m_chart(new QChart)
    , m_timeAxis(new QDateTimeAxis)
    , m_valueAxis(new QValueAxis)
{
    m_ui->setupUi(this);
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    // Few ticks: a dock beside the log is short, and crowded labels are elided to "…".
    m_timeAxis->setTickCount(4);
    m_valueAxis->setTickCount(3);
    m_valueAxis->setLabelFormat(QStringLiteral("%.4g"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    auto *view = new QChartView(m_chart, m_ui->chartHost); // the view owns the chart
    view->setRenderHint(QPainter::Antialiasing);
    // Short enough for the bottom of a 768-pixel screen, tall enough for a line between its axis labels.
    view->setMinimumHeight(view->fontMetrics().height() * 6);
    m_ui->chartHostLayout->addWidget(view);

    m_ui->seriesTable->setModel(&model);
    m_ui->seriesTable->verticalHeader()->hide();
    m_ui->seriesTable->setWordWrap(false);
    m_ui->seriesTable->setMinimumHeight(view->fontMetrics().height() * 2);
    m_ui->seriesTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->seriesTable->horizontalHeader()->setSectionResizeMode(TopicChartModel::TopicColumn, QHeaderView::Stretch);
    // The plot gets the dock's whole height; the table of lines sits beside it, with its buttons below it.
    m_ui->chartSplitter->setStretchFactor(0, 3);
    m_ui->chartSplitter->setStretchFactor(1, 2);
    m_ui->chartSplitter->setSizes({3000, 2000}); // shares, before the dock has a size
    m_ui->samplesSpin->setRange(10, 20'000);
    m_ui->samplesSpin->setSingleStep(1000);
    m_ui->samplesSpin->setValue(model.samplesPerSeries());
    m_ui->samplesSpin->setToolTip(tr("Each line keeps its newest points; older ones are dropped and counted."));
    connect(m_ui->samplesSpin, &QSpinBox::editingFinished, this,
            [this] { m_model.setSamplesPerSeries(m_ui->samplesSpin->value()); });

    // Rows come and go with topics and fields: the chart's lines are rebuilt at the next redraw.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(&model, signal, this, [this] { m_seriesStale = true; });
    connect(&model, &QAbstractItemModel::modelReset, this, [this] { m_seriesStale = true; });
    connect(&model, &TopicChartModel::samplesChanged, this, &ChartPanel::redraw);
    connect(&model, &TopicChartModel::droppedChanged, this, &ChartPanel::showDropped);
    connect(m_ui->removeButton, &QPushButton::clicked, this, &ChartPanel::removeSelectedTopic);
    connect(m_ui->clearChartsButton, &QPushButton::clicked, &model, &TopicChartModel::clear);
    redraw();
    showDropped();
}

ChartPanel::~ChartPanel() = default;

void ChartPanel::rebuildSeries()
{
    m_chart->removeAllSeries();
    // Nothing charted: the hint says how to chart, where the plot will be (no more height than the plot).
    m_ui->hintLabel->setVisible(m_model.rowCount() == 0);
    m_ui->chartHost->findChild<QChartView *>()->setVisible(m_model.rowCount() != 0);
    // With one topic charted, the legend names fields only: the topic is in the table, and long names would
    // squeeze the plot.
    bool oneTopic = true;
    for (int row = 1; row < m_model.rowCount(); ++row) {
        oneTopic = oneTopic && m_model.index(row, 0).data(TopicChartModel::TopicRole) ==
                                   m_model.index(0, 0).data(TopicChartModel::TopicRole);
    }
    for (int row = 0; row < m_model.rowCount(); ++row) {
        const QModelIndex index = m_model.index(row, 0);
        const QString field = index.data(TopicChartModel::FieldRole).toString();
        auto *series = new QLineSeries;
        series->setName(oneTopic && !field.isEmpty() ? field : index.data(TopicChartModel::SeriesNameRole).toString());
        m_chart->addSeries(series);
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_valueAxis);
    }
    m_drawn.assign(size_t(m_model.rowCount()), DrawnLine{});
    m_seriesStale = false;
}

void ChartPanel::redraw()
{
    // A hidden panel (the Charts tab behind the log) draws nothing; it catches up when shown.
    if (!isVisible()) {
        m_redrawPending = true;
        return;
    }
    m_redrawPending = false;
    if (m_seriesStale)
        rebuildSeries();
    const QList<QAbstractSeries *> lines = m_chart->series();
    const int width = std::max(200, int(m_chart->plotArea().width()));
    Bounds all;
    for (int row = 0; row < lines.size() && row < m_model.rowCount(); ++row) {
        DrawnLine &drawn = m_drawn[size_t(row)];
        const bool shown = m_model.isShown(row);
        lines.at(row)->setVisible(shown);
        // Only lines with new points are handed to the chart again, thinned to what the plot can show.
        if (drawn.generation != m_model.generation(row) || drawn.width != width) {
            drawn.generation = m_model.generation(row);
            drawn.width = width;
            drawn.bounds = Bounds{};
            const QList<QPointF> points = thinnedLine(m_model.samples(row), width);
            for (const QPointF &p : points)
                drawn.bounds.include(p);
            static_cast<QLineSeries *>(lines.at(row))->replace(points);
        }
        if (shown) // hidden lines keep their points, and leave the scale to the others
            all.include(drawn.bounds);
    }
    if (all.isEmpty()) { // nothing to show yet: the last minute, 0 to 1
        const QDateTime now = QDateTime::currentDateTime();
        m_timeAxis->setRange(now.addSecs(-60), now);
        m_valueAxis->setRange(0, 1);
        return;
    }
    // A single point or a flat line still gets an axis with some height and width.
    const double padY = all.maxY > all.minY ? (all.maxY - all.minY) * 0.05 : std::max(1.0, std::abs(all.maxY) * 0.05);
    const double padX = all.maxX > all.minX ? 0 : 1000;
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(qint64(all.minX - padX)),
                         QDateTime::fromMSecsSinceEpoch(qint64(all.maxX + padX)));
    m_valueAxis->setRange(all.minY - padY, all.maxY + padY);
}

void ChartPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_redrawPending)
        redraw();
}

void ChartPanel::showDropped()
{
    QStringList parts;
    if (m_model.droppedSamples())
        parts << tr("%n older point(s) dropped: each line keeps its newest %1", nullptr, int(m_model.droppedSamples()))
                     .arg(m_model.samplesPerSeries());
    if (m_model.droppedFields())
        parts << tr("%n number(s) not charted: at most %1 lines", nullptr, int(m_model.droppedFields()))
                     .arg(TopicChartModel::MaxSeries);
    m_ui->droppedLabel->setText(parts.join(QStringLiteral("; ")));
}

void ChartPanel::removeSelectedTopic()
{
    const QModelIndex current = m_ui->seriesTable->currentIndex();
    if (current.isValid())
        m_model.unwatch(current.data(TopicChartModel::TopicRole).toByteArray());
}

} // namespace qmt
