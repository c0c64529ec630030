#pragma once

#include "gui/models/ringbuffer.h"

#include <QList>
#include <QPointF>
#include <QWidget>

#include <limits>
#include <memory>
#include <vector>

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

protected:
    void showEvent(QShowEvent *event) override;

private:
    /// The extent of some points.
    struct Bounds
    {
        double minX = std::numeric_limits<double>::max();
        double maxX = std::numeric_limits<double>::lowest();
        double minY = std::numeric_limits<double>::max();
        double maxY = std::numeric_limits<double>::lowest();

        [[nodiscard]] bool isEmpty() const { return minX > maxX; }
        void include(const QPointF &p)
        {
            minX = std::min(minX, p.x());
            maxX = std::max(maxX, p.x());
            minY = std::min(minY, p.y());
            maxY = std::max(maxY, p.y());
        }
        void include(const Bounds &b)
        {
            if (b.isEmpty())
                return;
            include(QPointF(b.minX, b.minY));
            include(QPointF(b.maxX, b.maxY));
        }
    };
    /// What the chart was last given for one line.
    struct DrawnLine
    {
        quint64 generation = std::numeric_limits<quint64>::max();
        int width = 0;
        Bounds bounds;
    };

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
    bool m_redrawPending = false;
    std::vector<DrawnLine> m_drawn; // per model row, as the chart's lines
};

} // namespace qmt
