#include "gui/models/topicchartmodel.h"

#include <QLocale>

#include <algorithm>

namespace qmt {

TopicChartModel::TopicChartModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_tick.setSingleShot(true);
    m_tick.setInterval(TickIntervalMs);
    connect(&m_tick, &QTimer::timeout, this, &TopicChartModel::flush);
}

bool TopicChartModel::watch(const QByteArray &topic)
{
    if (m_watched.contains(topic))
        return true;
    if (m_watched.size() >= MaxTopics)
        return false;
    m_watched.insert(topic);
    return true;
}

void TopicChartModel::unwatch(const QByteArray &topic)
{
    if (!m_watched.remove(topic))
        return;
    // A topic's series are rows wherever its fields first appeared: remove them from the back, one by one.
    for (int row = int(m_series.size()) - 1; row >= 0; --row) {
        if (m_series[size_t(row)].topic != topic)
            continue;
        beginRemoveRows({}, row, row);
        m_series.erase(m_series.begin() + row);
        endRemoveRows();
    }
    Q_EMIT samplesChanged();
}

void TopicChartModel::clear()
{
    beginResetModel();
    m_series.clear();
    m_watched.clear();
    m_droppedSamples = 0;
    m_droppedFields = 0;
    endResetModel();
    m_tick.stop();
    m_droppedGrew = false;
    Q_EMIT samplesChanged();
    Q_EMIT droppedChanged();
}

void TopicChartModel::add(const QByteArray &topic, const QByteArray &payload, const QDateTime &time)
{
    if (!m_watched.contains(topic))
        return;
    qsizetype found = 0;
    const QList<NumericField> fields = numericFields(payload, MaxSeries, &found);
    if (found > fields.size()) {
        m_droppedFields += quint64(found - fields.size());
        m_droppedGrew = true;
    }
    const double x = double(time.toMSecsSinceEpoch());
    for (const NumericField &field : fields) {
        const int row = seriesRow(topic, field.path);
        if (row < 0) {
            ++m_droppedFields;
            m_droppedGrew = true;
            continue;
        }
        addSample(row, x, field.value);
    }
    if ((!fields.isEmpty() || m_droppedGrew) && !m_tick.isActive())
        m_tick.start();
}

int TopicChartModel::seriesRow(const QByteArray &topic, const QString &field)
{
    const auto found = std::find_if(m_series.begin(), m_series.end(),
                                    [&](const Series &s) { return s.topic == topic && s.field == field; });
    if (found != m_series.end())
        return int(found - m_series.begin());
    if (int(m_series.size()) >= MaxSeries)
        return -1;
    const int row = int(m_series.size());
    beginInsertRows({}, row, row);
    m_series.push_back({topic, field, RingBuffer<QPointF>(m_samplesPerSeries), true, 0, 0, 0, 0});
    endInsertRows();
    return row;
}

void TopicChartModel::addSample(int row, double x, double value)
{
    Series &s = m_series[size_t(row)];
    if (s.points.isFull()) {
        s.points.popFront(1);
        ++m_droppedSamples;
        m_droppedGrew = true;
    }
    s.min = s.points.isEmpty() ? value : std::min(s.min, value);
    s.max = s.points.isEmpty() ? value : std::max(s.max, value);
    s.last = value;
    s.points.pushBack(QPointF(x, value));
    ++s.generation;
}

void TopicChartModel::setSamplesPerSeries(int samples)
{
    m_samplesPerSeries = std::max(10, samples);
    for (Series &s : m_series) {
        const qsizetype before = s.points.size();
        s.points.setCapacity(m_samplesPerSeries);
        if (s.points.size() < before) {
            m_droppedSamples += quint64(before - s.points.size());
            m_droppedGrew = true;
            ++s.generation;
        }
    }
    flush();
}

void TopicChartModel::flush()
{
    if (!m_series.empty())
        Q_EMIT dataChanged(index(0, LastColumn), index(rowCount() - 1, SamplesColumn));
    Q_EMIT samplesChanged();
    if (std::exchange(m_droppedGrew, false))
        Q_EMIT droppedChanged();
}

int TopicChartModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_series.size());
}

int TopicChartModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopicChartModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Series &s = m_series[size_t(index.row())];
    switch (role) {
    case TopicRole:
        return s.topic;
    case FieldRole:
        return s.field;
    case SeriesNameRole: {
        const QString topic = QString::fromUtf8(s.topic);
        return s.field.isEmpty() ? topic : tr("%1 · %2").arg(topic, s.field);
    }
    case Qt::DisplayRole:
        break;
    case Qt::CheckStateRole:
        return index.column() == TopicColumn ? QVariant(s.shown ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() >= LastColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    default:
        return {};
    }
    const QLocale locale;
    switch (Column(index.column())) {
    case TopicColumn:
        return QString::fromUtf8(s.topic);
    case FieldColumn:
        return s.field.isEmpty() ? tr("(the payload)") : s.field;
    case LastColumn:
        return s.points.isEmpty() ? QString() : locale.toString(s.last, 'g', 10);
    case MinColumn:
        return s.points.isEmpty() ? QString() : locale.toString(s.min, 'g', 10);
    case MaxColumn:
        return s.points.isEmpty() ? QString() : locale.toString(s.max, 'g', 10);
    case SamplesColumn:
        return locale.toString(s.points.size());
    case ColumnCount:
        break;
    }
    return {};
}

bool TopicChartModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        index.column() != TopicColumn || role != Qt::CheckStateRole)
        return false;
    m_series[size_t(index.row())].shown = value.value<Qt::CheckState>() == Qt::Checked;
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT samplesChanged();
    return true;
}

Qt::ItemFlags TopicChartModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == TopicColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant TopicChartModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && (section == MinColumn || section == MaxColumn))
        return tr("Since the topic was charted");
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TopicColumn:
        return tr("Topic");
    case FieldColumn:
        return tr("Field");
    case LastColumn:
        return tr("Last");
    case MinColumn:
        return tr("Min");
    case MaxColumn:
        return tr("Max");
    case SamplesColumn:
        return tr("Points");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace qmt
