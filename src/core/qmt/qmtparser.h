#pragma once

#include "core/qmt/qmtevents.h"

#include <QByteArrayView>

#include <optional>

namespace qmt {

/// What the parser knows beyond the line itself.
struct ParseContext
{
    /// The line answers the command in flight (a read, test or query form) rather than arriving unsolicited.
    /// Needed where the two share a prefix and a shape, as "+QMTCONN: 0,1" does (protocol-notes §7.3).
    bool isResponse = false;
    /// The command in flight, when known; types +QMTCFG query replies by the option it named.
    QByteArrayView command;
    /// How the slot prints +QMTRECV payloads ("dataformat" recv_format), when known; nullopt: unknown, so
    /// the payload's shape tells.
    std::optional<DataFormat> recvFormat;
};

/// Parses any +QMT… line and +CME ERROR into a typed event; nullopt for other lines and for shapes the
/// BC660K-GL does not print (those stay raw URCs).
[[nodiscard]] std::optional<QmtEvent> parseQmtLine(QByteArrayView line, const ParseContext &context = {});

/// +QMTRECV alone. The payload is taken by `<payload_len>` when present, otherwise as everything between
/// the quote after the topic and the final quote: the module does not escape quotes, commas or CR/LF.
/// `format` as in ParseContext::recvFormat.
[[nodiscard]] std::optional<RecvMessage> parseRecv(QByteArrayView line,
                                                   std::optional<DataFormat> format = std::nullopt);

/// As parseRecv(), into `msg`, whose byte arrays keep their storage for the next message when nobody else
/// shares them: a capture's +QMTRECV lines are parsed one after another without an allocation each. False
/// (and `msg` unspecified) when the line is no message.
bool parseRecvInto(QByteArrayView line, std::optional<DataFormat> format, RecvMessage &msg);

/// Sets `to` to the bytes of `from`, in the storage `to` has when it is its own and large enough.
void assignReusing(QByteArray &to, QByteArrayView from);

/// The option a query command names: AT+QMTCFG="keepalive",0 → KeepAlive.
[[nodiscard]] std::optional<CfgOption> cfgOptionOfCommand(QByteArrayView command);

/// Hex digits to bytes; nullopt unless the text is an even number of hex digits.
[[nodiscard]] std::optional<QByteArray> decodeHex(QByteArrayView text);

} // namespace qmt
