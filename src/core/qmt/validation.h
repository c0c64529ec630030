#pragma once

#include "core/qmt/qmtspec.h"

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace qmt {

/// Why a value was refused: which parameter, what is allowed, what was given.
struct ValidationError
{
    Q_DECLARE_TR_FUNCTIONS(qmt::ValidationError)

public:
    QString parameter; ///< the note's name, e.g. "TCP_connectID"
    QString allowed;   ///< e.g. "0–4" or "1–256 bytes"
    QString given;     ///< the value as given (never a secret's content)
    QString reason;    ///< optional detail ("contains a double quote at byte 3")

    /// One sentence for the user, naming the parameter, the allowed range and the value.
    [[nodiscard]] QString message() const;
};

/// A value or the reason it could not be made. Small stand-in for std::expected (C++23).
template<typename T> class Validated
{
public:
    Validated(T value)
        : m_v(std::move(value))
    {} // NOLINT(google-explicit-constructor)
    Validated(ValidationError error)
        : m_v(std::move(error))
    {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const T &value() const { return std::get<0>(m_v); }
    [[nodiscard]] T &value() { return std::get<0>(m_v); }
    [[nodiscard]] const T &operator*() const { return value(); }
    [[nodiscard]] const T *operator->() const { return &value(); }
    [[nodiscard]] const ValidationError &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, ValidationError> m_v;
};

namespace check {

/// The value is within the parameter's range.
[[nodiscard]] std::optional<ValidationError> integer(Param p, qint64 value);
/// The string fits the parameter's length range and can be a quoted AT parameter: no `"`, CR, LF,
/// Ctrl+Z or Esc (any of them would end the parameter or the command and let the rest run as a command),
/// and no NUL.
[[nodiscard]] std::optional<ValidationError> quoted(Param p, QByteArrayView value);
/// As quoted(), and the bytes are well-formed UTF-8 (MQTT strings are UTF-8).
[[nodiscard]] std::optional<ValidationError> utf8Quoted(Param p, QByteArrayView value);
/// A topic name to publish to (or a will topic): as utf8Quoted(), and no wildcards.
[[nodiscard]] std::optional<ValidationError> publishTopic(QByteArrayView topic, Param p = Param::Topic);
/// A topic filter to subscribe to: `+` and `#` only as whole levels, `#` only last (MQTT 3.1.1 §4.7).
[[nodiscard]] std::optional<ValidationError> topicFilter(QByteArrayView filter, Param p = Param::Topic);
/// The first byte that cannot appear in a quoted AT parameter, or -1.
[[nodiscard]] qsizetype firstUnquotableByte(QByteArrayView value);

} // namespace check

/// A value as an error message shows it: `<redacted, N bytes>` when the spec table says the parameter is
/// secret, otherwise quoted, control bytes spelled out and cut after 40 bytes with the full length.
[[nodiscard]] QString shownValue(Param p, QByteArrayView value);

/// "0–4", "1–256 bytes": the allowed range of a parameter as shown to users.
[[nodiscard]] QString allowedRange(Param p);

} // namespace qmt
