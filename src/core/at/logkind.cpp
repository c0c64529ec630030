#include "core/at/logkind.h"

namespace qmt {

LogKind logKindOf(LineKind kind)
{
    switch (kind) {
    case LineKind::Echo:
        return LogKind::Echo;
    case LineKind::Response:
        return LogKind::Response;
    case LineKind::Final:
        return LogKind::Final;
    case LineKind::Prompt:
        return LogKind::Prompt;
    case LineKind::Urc:
        return LogKind::Urc;
    case LineKind::Data:
        return LogKind::Data;
    case LineKind::Unknown:
        break;
    }
    return LogKind::Unknown;
}

QString LogKindText::name(LogKind kind)
{
    switch (kind) {
    case LogKind::Command:
        return tr("command");
    case LogKind::DataSent:
        return tr("data sent");
    case LogKind::Echo:
        return tr("echo");
    case LogKind::Response:
        return tr("response");
    case LogKind::Final:
        return tr("final");
    case LogKind::Prompt:
        return tr("prompt");
    case LogKind::Urc:
        return tr("URC");
    case LogKind::Data:
        return tr("data");
    case LogKind::Unknown:
        break;
    }
    return tr("unknown");
}

QString LogKindText::name(LogDirection direction)
{
    return direction == LogDirection::ToModule ? tr("to module") : tr("from module");
}

QByteArray LogKindText::key(LogKind kind)
{
    switch (kind) {
    case LogKind::Command:
        return "command";
    case LogKind::DataSent:
        return "data_sent";
    case LogKind::Echo:
        return "echo";
    case LogKind::Response:
        return "response";
    case LogKind::Final:
        return "final";
    case LogKind::Prompt:
        return "prompt";
    case LogKind::Urc:
        return "urc";
    case LogKind::Data:
        return "data";
    case LogKind::Unknown:
        break;
    }
    return "unknown";
}

QByteArray LogKindText::key(LogDirection direction)
{
    return direction == LogDirection::ToModule ? "to_module" : "from_module";
}

} // namespace qmt
