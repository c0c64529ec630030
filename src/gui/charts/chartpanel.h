#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class ChartPanel;
}

class QChart;
class QDateTimeAxis;
class QValueAxis;

namespace qmt {

class TopicChartModel;

/// The charts: every number of the charted topics plotted over time (one line per topic and field), with
/// the series as a table below (last, lowest and highest value, points kept), the points kept per series,
/// and what the caps dropped. Redraws when the model ticks, never per message.
class ChartPanel : public QWidget
{
    Q_OBJECT

public:
    ChartPanel(TopicChartModel &model, QWidget *parent = nullptr);
    ~ChartPanel() override;

    /// The chart as drawn (tests read its series).
    [[nodiscard]] QChart &chart() const { return *m_chart; }

private:
    void redraw();
    void rebuildSeries();
    void showDropped();
    void removeSelectedTopic();

    std::unique_ptr<Ui::ChartPanel> m_ui;
    TopicChartModel &m_model;
    QChart *m_chart;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    bool m_seriesStale = true;
};

} // namespace qmt
