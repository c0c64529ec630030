#pragma once

#include "core/qmt/validation.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>

namespace qmt {

/// Reads the members of one JSON object of an imported file by their types and the spec table's rules.
///
/// A missing member leaves the caller's default. A member of the wrong type, or a number out of the spec
/// table's range, becomes the error — the first one met, shared with the readers of nested objects —
/// naming the member by its path ("slot 1: will: qos"), the rule and the value (shortened for display). Nothing is
/// dropped or coerced silently: `"qos": "1"` is refused, not read as 0.
class JsonFields
{
public:
    JsonFields(const QJsonObject &object, QString path);

    [[nodiscard]] bool has(const char *key) const { return m_object.contains(QLatin1String(key)); }
    /// The nested object `key` (empty when missing), read with this reader's error.
    [[nodiscard]] JsonFields object(const char *key) { return object(key, pathOf(key)); }
    /// As above, its members named under `path` instead.
    [[nodiscard]] JsonFields object(const char *key, const QString &path);
    /// The element `index` of an array read with array(), which must be an object.
    [[nodiscard]] JsonFields element(const QJsonArray &array, qsizetype index, const QString &path);
    /// The array `key`; empty when missing.
    [[nodiscard]] QJsonArray array(const char *key);
    void boolean(const char *key, bool &target);
    /// A JSON number, a whole one within the parameter's range. A number written as text is refused like
    /// any other wrong type: exports write numbers, and "1" could as well be a typo for something else.
    void integer(const char *key, Param p, int &target);
    /// A string as UTF-8 bytes. Whether the spec table takes it is for the caller to check
    /// (Profile::problem()): profiles in the settings are read with this too, and must not be lost.
    void text(const char *key, QByteArray &target);
    void string(const char *key, QString &target);

    /// Records `error` (the first one counts) with its parameter replaced by `key`'s path.
    void fail(const char *key, ValidationError error);
    [[nodiscard]] bool failed() const { return m_error->has_value(); }
    [[nodiscard]] const ValidationError &error() const { return **m_error; }
    [[nodiscard]] QString pathOf(const char *key) const;

    /// A JSON value as it was written, shortened for an error message: "yes" with its quotes, 1 without.
    [[nodiscard]] static QString shown(const QJsonValue &value);

private:
    JsonFields(const QJsonObject &object, QString path, std::shared_ptr<std::optional<ValidationError>> error);
    /// The member `key` if it is there and of `type`; records the error when it is of another type.
    [[nodiscard]] std::optional<QJsonValue> member(const char *key, QJsonValue::Type type, const QString &typeName);

    QJsonObject m_object;
    QString m_path;
    std::shared_ptr<std::optional<ValidationError>> m_error;
};

} // namespace qmt
