#include "core/at/atcommand.h"

#include <algorithm>

#include <QCoreApplication>

namespace qmt {

const char *lineKindName(LineKind kind)
{
    switch (kind) {
    case LineKind::Echo:
        return "echo";
    case LineKind::Response:
        return "response";
    case LineKind::Final:
        return "final";
    case LineKind::Prompt:
        return "prompt";
    case LineKind::Urc:
        return "urc";
    case LineKind::Data:
        return "data";
    case LineKind::Unknown:
        return "unknown";
    }
    return "unknown";
}

const char *replyStatusName(ReplyStatus status)
{
    switch (status) {
    case ReplyStatus::Ok:
        return "ok";
    case ReplyStatus::Error:
        return "error";
    case ReplyStatus::CmeError:
        return "cme-error";
    case ReplyStatus::Timeout:
        return "timeout";
    case ReplyStatus::Cancelled:
        return "cancelled";
    case ReplyStatus::PortClosed:
        return "port-closed";
    case ReplyStatus::DataModeExpired:
        return "data-mode-expired";
    case ReplyStatus::Rejected:
        return "rejected";
    }
    return "unknown";
}

QString replyStatusText(ReplyStatus status)
{
    const char *ctx = "qmt::AtReply";
    switch (status) {
    case ReplyStatus::Ok:
        return QCoreApplication::translate(ctx, "OK");
    case ReplyStatus::Error:
        return QCoreApplication::translate(ctx, "ERROR");
    case ReplyStatus::CmeError:
        return QCoreApplication::translate(ctx, "+CME ERROR");
    case ReplyStatus::Timeout:
        return QCoreApplication::translate(ctx, "no answer in time");
    case ReplyStatus::Cancelled:
        return QCoreApplication::translate(ctx, "cancelled");
    case ReplyStatus::PortClosed:
        return QCoreApplication::translate(ctx, "the port closed");
    case ReplyStatus::DataModeExpired:
        return QCoreApplication::translate(ctx, "data mode expired");
    case ReplyStatus::Rejected:
        return QCoreApplication::translate(ctx, "not sent");
    }
    return {};
}

QByteArray redactedPlaceholder(qsizetype size)
{
    return QByteArrayLiteral("<redacted, ") + QByteArray::number(size) + QByteArrayLiteral(" bytes>");
}

bool isRedactedPlaceholder(QByteArrayView text)
{
    // The whole shape, count included: a secret that merely begins with "<redacted, " is still a secret.
    constexpr QByteArrayView Start = "<redacted, ";
    constexpr QByteArrayView End = " bytes>";
    if (text.size() <= Start.size() + End.size() || !text.startsWith(Start) || !text.endsWith(End))
        return false;
    const QByteArrayView count = text.sliced(Start.size(), text.size() - Start.size() - End.size());
    return std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<FinalResult> parseFinalResult(QByteArrayView line)
{
    // Asked of every line, most of them URCs: a line starting "+" but not "+C" is none of these.
    if (line.startsWith('+') && !line.startsWith("+C"))
        return std::nullopt;
    line = line.trimmed();
    if (line == "OK")
        return FinalResult{FinalKind::Ok, -1, {}};
    if (line == "ERROR")
        return FinalResult{FinalKind::Error, -1, {}};
    // The data-mode send commands of the BC660K-GL's siblings (AT+QISEND) end with these instead.
    if (line == "SEND OK")
        return FinalResult{FinalKind::Ok, -1, {}};
    if (line == "SEND FAIL")
        return FinalResult{FinalKind::Error, -1, {}};
    const bool cme = line.startsWith("+CME ERROR:");
    if (cme || line.startsWith("+CMS ERROR:")) {
        const QByteArrayView rest = line.sliced(11).trimmed();
        bool ok = false;
        const int code = rest.toInt(&ok);
        return FinalResult{cme ? FinalKind::CmeError : FinalKind::CmsError, ok ? code : -1,
                           ok ? QByteArray() : rest.toByteArray()};
    }
    return std::nullopt;
}

} // namespace qmt
