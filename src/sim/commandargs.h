#pragma once

#include "core/qmt/atfields.h"
#include "core/qmt/qmtspec.h"
#include "sim/commandoutcome.h"
#include "sim/commandrequest.h"

#include <QByteArray>
#include <QList>
#include <functional>
#include <optional>

namespace qmt::sim {

/// Reads the parameters of a write command and checks each against the spec table.
///
/// The first problem is remembered and turned into the module's answer: malformed syntax (a missing
/// parameter, a number that is no number) is ERROR; a value the note does not allow is
/// +CME ERROR: 8507; a byte a string may not carry is 8505; text that is not UTF-8 is 8506.
class CommandArgs
{
public:
    enum class TextRule {
        Utf8,         ///< any UTF-8 text of the parameter's length
        Bytes,        ///< any bytes of the parameter's length (Alibaba secrets, host names)
        PublishTopic, ///< a topic name: no wildcards
        TopicFilter   ///< a subscription filter: wildcards as whole levels
    };

    explicit CommandArgs(const QByteArray &args);
    CommandArgs(const CommandArgs &) = delete;
    CommandArgs &operator=(const CommandArgs &) = delete;

    [[nodiscard]] qsizetype count() const { return m_fields.size(); }
    [[nodiscard]] const AtField &field(qsizetype i) const { return m_fields[i]; }
    /// Where field `i` ends in the argument text (after a quoted field's closing quote).
    [[nodiscard]] qsizetype endOf(qsizetype i) const;
    [[nodiscard]] const QByteArray &text() const { return m_args; }

    /// The integer at `i`, within the parameter's range from the spec table.
    std::optional<int> integer(qsizetype i, Param p);
    /// The integer at `i`, within [minimum, maximum]: for general commands the spec table does not cover.
    std::optional<int> integerIn(qsizetype i, int minimum, int maximum);
    /// The string at `i` (quoted or not), within the parameter's length and rule. A quoted string with a
    /// quote inside or no closing quote is malformed: ERROR.
    std::optional<QByteArray> string(qsizetype i, Param p, TextRule rule = TextRule::Utf8);
    /// The string at `i` (quoted or not), at most `maxLength` bytes: for general commands the spec table does
    /// not cover.
    std::optional<QByteArray> stringOf(qsizetype i, int maxLength);

    /// Records a failure unless one is recorded already.
    void fail(CommandOutcome outcome);
    [[nodiscard]] bool failed() const { return m_failure.has_value(); }
    [[nodiscard]] CommandOutcome failure() const { return m_failure.value_or(CommandOutcome::error()); }

private:
    std::optional<int> number(qsizetype i);
    /// False (and the failure recorded) unless field `i` exists and, if quoted, is quoted properly.
    bool hasWellFormedString(qsizetype i);
    [[nodiscard]] bool isWellQuoted(qsizetype i) const;

    QByteArray m_args;
    QList<AtField> m_fields;
    std::optional<CommandOutcome> m_failure;
};

/// A setting 0..maximum with read, test and write forms (AT+QSCLK, AT+CMEE, AT+CEREG, AT+CREG): the read form
/// answers `readLine`, the test form "<name>: (0-<maximum>)", the write form hands the value to `set`.
[[nodiscard]] CommandOutcome integerSetting(const CommandRequest &r, const char *name, int maximum,
                                            const QByteArray &readLine, const std::function<void(int)> &set);

/// How a test form shows a range: "(0-4)", or "(0,1)" for two values.
[[nodiscard]] QByteArray shownRange(int minimum, int maximum);

} // namespace qmt::sim
