#include "gui/models/numericfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace qmt {

namespace {

constexpr int MaxDepth = 16; // deeper JSON is not what a chart of a sensor reading is for

class Collector
{
public:
    Collector(qsizetype maxFields)
        : m_max(maxFields)
    {}

    void visit(const QJsonValue &value, const QString &path, int depth)
    {
        if (depth > MaxDepth)
            return;
        if (value.isDouble()) {
            add(path, value.toDouble());
        } else if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.constBegin(); it != object.constEnd(); ++it)
                visit(it.value(), join(path, it.key()), depth + 1);
        } else if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                visit(array.at(i), join(path, QString::number(i)), depth + 1);
        }
    }

    void add(const QString &path, double value)
    {
        ++m_found;
        if (m_fields.size() < m_max)
            m_fields.append({path, value});
    }

    QList<NumericField> m_fields;
    qsizetype m_found = 0;

private:
    static QString join(const QString &path, const QString &key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }

    qsizetype m_max;
};

} // namespace

QList<NumericField> numericFields(const QByteArray &payload, qsizetype maxFields, qsizetype *found)
{
    Collector collector(maxFields);
    const QByteArray trimmed = payload.trimmed();
    bool isNumber = false;
    const double number = trimmed.toDouble(&isNumber);
    if (isNumber && std::isfinite(number)) {
        collector.add(QString(), number);
    } else if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(trimmed, &error);
        if (error.error == QJsonParseError::NoError) {
            if (document.isObject())
                collector.visit(document.object(), QString(), 0);
            else
                collector.visit(document.array(), QString(), 0);
        }
    }
    if (found)
        *found = collector.m_found;
    return collector.m_fields;
}

} // namespace qmt
