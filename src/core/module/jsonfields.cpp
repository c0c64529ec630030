#include "core/module/jsonfields.h"

#include <QJsonDocument>

#include <limits>

namespace qmt {

namespace {

QString kindOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return ValidationError::tr("null");
    case QJsonValue::Bool:
        return ValidationError::tr("true or false");
    case QJsonValue::Double:
        return ValidationError::tr("a number");
    case QJsonValue::String:
        return ValidationError::tr("text");
    case QJsonValue::Array:
        return ValidationError::tr("an array");
    case QJsonValue::Object:
        return ValidationError::tr("an object");
    case QJsonValue::Undefined:
        break;
    }
    return ValidationError::tr("nothing");
}

} // namespace

JsonFields::JsonFields(const QJsonObject &object, QString path)
    : JsonFields(object, std::move(path), std::make_shared<std::optional<ValidationError>>())
{}

JsonFields::JsonFields(const QJsonObject &object, QString path, std::shared_ptr<std::optional<ValidationError>> error)
    : m_object(object)
    , m_path(std::move(path))
    , m_error(std::move(error))
{}

QString JsonFields::pathOf(const char *key) const
{
    const QString name = QLatin1String(key);
    return m_path.isEmpty() ? name : m_path + QStringLiteral(": ") + name;
}

QString JsonFields::shown(const QJsonValue &value)
{
    // Shortened before it is written out: the value may be megabytes long.
    constexpr qsizetype MaxShown = 40;
    if (value.isArray())
        return ValidationError::tr("an array of %1 elements").arg(value.toArray().size());
    if (value.isObject())
        return ValidationError::tr("an object");
    QJsonValue cut = value;
    const QString text = value.toString();
    if (value.isString() && text.size() > MaxShown)
        cut = text.left(MaxShown);
    const QByteArray json = QJsonDocument(QJsonArray{cut}).toJson(QJsonDocument::Compact);
    QString out = QString::fromUtf8(json.mid(1, json.size() - 2)); // without the array's brackets
    if (cut != value)
        out += ValidationError::tr("… (%n bytes)", nullptr, int(text.toUtf8().size()));
    return out;
}

void JsonFields::fail(const char *key, ValidationError error)
{
    if (failed())
        return;
    error.parameter = pathOf(key);
    *m_error = std::move(error);
}

std::optional<QJsonValue> JsonFields::member(const char *key, QJsonValue::Type type, const QString &typeName)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue value = m_object.value(QLatin1String(key));
    if (value.type() != type) {
        fail(key, ValidationError{{}, typeName, shown(value), ValidationError::tr("%1 given").arg(kindOf(value))});
        return std::nullopt;
    }
    return value;
}

JsonFields JsonFields::object(const char *key, const QString &path)
{
    const auto value = member(key, QJsonValue::Object, ValidationError::tr("an object"));
    return JsonFields(value ? value->toObject() : QJsonObject(), path, m_error);
}

JsonFields JsonFields::element(const QJsonArray &array, qsizetype index, const QString &path)
{
    const QJsonValue value = array.at(index);
    if (!value.isObject() && !failed()) {
        *m_error = ValidationError{path, ValidationError::tr("an object"), shown(value),
                                   ValidationError::tr("%1 given").arg(kindOf(value))};
    }
    return JsonFields(value.toObject(), path, m_error);
}

QJsonArray JsonFields::array(const char *key)
{
    const auto value = member(key, QJsonValue::Array, ValidationError::tr("an array"));
    return value ? value->toArray() : QJsonArray();
}

void JsonFields::boolean(const char *key, bool &target)
{
    if (const auto value = member(key, QJsonValue::Bool, ValidationError::tr("true or false")))
        target = value->toBool();
}

void JsonFields::integer(const char *key, Param p, int &target)
{
    if (!has(key))
        return;
    const QJsonValue value = m_object.value(QLatin1String(key));
    if (!value.isDouble()) {
        bool numeric = false;
        value.toString().toLongLong(&numeric);
        fail(key, ValidationError{{},
                                  ValidationError::tr("a number %1").arg(allowedRange(p)),
                                  shown(value),
                                  numeric ? ValidationError::tr("a number written as text: write it without quotes")
                                          : ValidationError::tr("%1 given").arg(kindOf(value))});
        return;
    }
    constexpr qint64 NotWhole = std::numeric_limits<qint64>::min();
    const qint64 n = value.toInteger(NotWhole);
    if (n == NotWhole) {
        fail(key, ValidationError{{}, allowedRange(p), shown(value), ValidationError::tr("not a whole number")});
        return;
    }
    if (auto e = check::integer(p, n)) {
        fail(key, *e);
        return;
    }
    target = int(n);
}

void JsonFields::text(const char *key, QByteArray &target)
{
    if (const auto value = member(key, QJsonValue::String, ValidationError::tr("text")))
        target = value->toString().toUtf8();
}

void JsonFields::string(const char *key, QString &target)
{
    if (const auto value = member(key, QJsonValue::String, ValidationError::tr("text")))
        target = value->toString();
}

} // namespace qmt
