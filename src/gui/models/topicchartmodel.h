#pragma once

#include "gui/models/numericfields.h"
#include "gui/models/ringbuffer.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QDateTime>
#include <QPointF>
#include <QSet>
#include <QTimer>

#include <vector>

namespace qmt {

/// The numbers of the topics the user charts, as series over time: one row per (topic, field), with the
/// last, lowest and highest value and the number of samples kept.
///
/// Only watched topics cost anything: a message on any other topic is one hash lookup. Everything is
/// bounded and says so: at most MaxTopics watched topics and MaxSeries series (further fields are counted
/// in droppedFields()), and each series keeps its newest samplesPerSeries() points (older ones are counted
/// in droppedSamples()). Views hear of new samples once per tick through samplesChanged(), so a fast topic
/// redraws a chart a few times a second, not per message.
class TopicChartModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TopicColumn,
        FieldColumn,
        LastColumn,
        MinColumn,
        MaxColumn,
        SamplesColumn,
        ColumnCount
    };
    enum Role {
        TopicRole = Qt::UserRole + 1, ///< QByteArray: the series' topic
        FieldRole,                    ///< QString: the field's path in the payload, "" for a bare number
        SeriesNameRole                ///< QString: "topic" or "topic · field", as a chart legend shows it
    };

    static constexpr int MaxTopics = 8;
    static constexpr int MaxSeries = 16;
    static constexpr int DefaultSamplesPerSeries = 2000;
    static constexpr int TickIntervalMs = 250;

    explicit TopicChartModel(QObject *parent = nullptr);

    /// Starts charting `topic`'s numbers from its next message. False when MaxTopics topics are charted.
    bool watch(const QByteArray &topic);
    void unwatch(const QByteArray &topic);
    /// Stops charting everything and forgets every sample.
    void clear();
    [[nodiscard]] bool isWatched(const QByteArray &topic) const { return m_watched.contains(topic); }
    [[nodiscard]] qsizetype watchedCount() const { return m_watched.size(); }

    /// A message: its numbers become samples at `time` when its topic is charted.
    void add(const QByteArray &topic, const QByteArray &payload, const QDateTime &time);

    /// Points kept per series (at least 10); lowering it drops the oldest at once.
    void setSamplesPerSeries(int samples);
    [[nodiscard]] int samplesPerSeries() const { return m_samplesPerSeries; }

    /// The row's points: x in milliseconds since the epoch, y the value; oldest first.
    [[nodiscard]] const RingBuffer<QPointF> &samples(int row) const { return m_series[size_t(row)].points; }
    /// Grows whenever the row's points change, so a view redraws only the lines that did.
    [[nodiscard]] quint64 generation(int row) const { return m_series[size_t(row)].generation; }
    [[nodiscard]] quint64 droppedSamples() const { return m_droppedSamples; }
    [[nodiscard]] quint64 droppedFields() const { return m_droppedFields; }
    /// Tells the views about new samples now instead of at the next tick.
    void flush();

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /// Qt::CheckStateRole in the topic column shows or hides the row's line (the scale follows what is shown).
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] bool isShown(int row) const { return m_series[size_t(row)].shown; }
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// New samples arrived since the last tick (or samples were dropped by a lower cap).
    void samplesChanged();
    /// droppedSamples() or droppedFields() grew, or clear() reset them.
    void droppedChanged();

private:
    struct Series
    {
        QByteArray topic;
        QString field;
        RingBuffer<QPointF> points;
        bool shown = true;
        quint64 generation = 0;
        double last = 0;
        double min = 0;
        double max = 0;
    };

    int seriesRow(const QByteArray &topic, const QString &field);
    void addSample(int row, double x, double value);

    std::vector<Series> m_series;
    QSet<QByteArray> m_watched;
    int m_samplesPerSeries = DefaultSamplesPerSeries;
    quint64 m_droppedSamples = 0;
    quint64 m_droppedFields = 0;
    bool m_droppedGrew = false;
    QTimer m_tick;
};

} // namespace qmt
