#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace qmt {

/// One number found in a payload: where it sits ("" for a payload that is just a number, a dotted path such
/// as "sensors.0.t" inside JSON) and its value.
struct NumericField
{
    QString path;
    double value = 0;
    friend bool operator==(const NumericField &, const NumericField &) = default;
};

/// The numbers a payload carries, for charting: a payload that is a number by itself ("21.5", " 7\r\n"), or
/// the numeric leaves of a JSON object (in key order) or array (in index order). Booleans, strings and nulls are not
/// numbers; nothing else is guessed at. At most `maxFields` are returned; `found`, when given, is how many
/// numbers the payload holds.
[[nodiscard]] QList<NumericField> numericFields(const QByteArray &payload, qsizetype maxFields,
                                                qsizetype *found = nullptr);

} // namespace qmt
