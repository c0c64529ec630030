#pragma once

#include "sim/hostinput.h"

#include <QByteArray>
#include <QList>
#include <functional>

namespace qmt::sim {

/// +CME ERROR codes of the application note, chapter 4.
namespace cme {
inline constexpr int LinkLayer = 8503;
inline constexpr int IllegalPacket = 8504;
inline constexpr int IllegalCharacter = 8505;
inline constexpr int IllegalUtf8 = 8506;
inline constexpr int InvalidParameter = 8507;
inline constexpr int DataTooLong = 8508;
inline constexpr int BufferOverflow = 8509;
inline constexpr int Unknown = 8600;
} // namespace cme

/// What the module answers to one command: information lines and a final result, or a data prompt.
struct CommandOutcome
{
    enum class Result {
        Ok,
        Error,
        CmeError,
        Prompt
    };

    Result result = Result::Ok;
    int cmeCode = 0;
    QList<QByteArray> info;
    /// For Prompt: what data mode collects, and the answer once the data is in.
    DataModeRequest dataMode;
    std::function<CommandOutcome(const QByteArray &data)> onData;
    /// Runs once the final result is on its way (a reboot must follow its own OK).
    std::function<void()> afterFinal;

    [[nodiscard]] static CommandOutcome ok(QList<QByteArray> info = {})
    {
        CommandOutcome o;
        o.info = std::move(info);
        return o;
    }
    [[nodiscard]] static CommandOutcome error()
    {
        CommandOutcome o;
        o.result = Result::Error;
        return o;
    }
    [[nodiscard]] static CommandOutcome cmeError(int code)
    {
        CommandOutcome o;
        o.result = Result::CmeError;
        o.cmeCode = code;
        return o;
    }
    [[nodiscard]] static CommandOutcome prompt(const DataModeRequest &request,
                                               std::function<CommandOutcome(const QByteArray &)> onData)
    {
        CommandOutcome o;
        o.result = Result::Prompt;
        o.dataMode = request;
        o.onData = std::move(onData);
        return o;
    }
};

} // namespace qmt::sim
