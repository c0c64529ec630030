#pragma once

#include <QByteArray>
#include <QList>
#include <optional>

namespace qmt::sim {

/// One command of a command line, as the module's interpreter sees it.
struct CommandRequest
{
    enum class Form {
        Execute, ///< AT+CMD, ATI
        Test,    ///< AT+CMD=?
        Read,    ///< AT+CMD?
        Write    ///< AT+CMD=<args>
    };

    QByteArray name; ///< upper case: "" for a bare AT, "E", "I", "+QMTCFG" …
    Form form = Form::Execute;
    QByteArray args;   ///< the text after '=' (write form), or a basic command's number ("0" of ATE0)
    bool valid = true; ///< false when the text cannot be a command at all (answered with ERROR)

    [[nodiscard]] bool is(const char *commandName) const { return name == commandName; }
};

/// Splits a command line into its commands (several may be chained with ';', only the first carrying
/// "AT", protocol-notes §1.1). Anything before "AT" is ignored, as V.250 has it; nullopt when the line holds no "AT"
/// at all, which the module ignores without an answer.
[[nodiscard]] std::optional<QList<CommandRequest>> parseCommandLine(QByteArrayView line);

} // namespace qmt::sim
