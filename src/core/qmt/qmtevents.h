#pragma once

#include "core/qmt/qmtspec.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <variant>

namespace qmt {

/// The result URC of a two-phase command, read as the command's row of the spec table (CommandSpec) says:
/// "+QMTOPEN: <id>,<result>", "+QMTCONN: <id>,<result>[,<ret_code>]" (ret_code is absent on some firmware,
/// protocol-notes §7.3), "+QMTSUB: <id>,<msgID>,<result>[,<value>…]" (the granted QoS per topic when result
/// is 0, 128 = refused; the retransmission count when it is 1), "+QMTPUB: <id>,<msgID>,<result>[,<value>]"…
struct CommandResult
{
    QmtCommand command;
    int connectId;
    std::optional<int> msgId; ///< SUB, UNS, PUB
    int result;
    QList<int> values; ///< after <result>, as CommandSpec::values says

    [[nodiscard]] std::optional<int> value(qsizetype i = 0) const
    {
        return i < values.size() ? std::optional<int>(values[i]) : std::nullopt;
    }
    friend bool operator==(const CommandResult &, const CommandResult &) = default;
};

/// +QMTOPEN: <id>,"<host>",<port> — the read form.
struct OpenInfo
{
    int connectId;
    QByteArray host;
    int port;
    friend bool operator==(const OpenInfo &, const OpenInfo &) = default;
};
/// +QMTCONN: <id>,<state> — the read form, state 1–4.
struct ConnState
{
    int connectId;
    int state;
    friend bool operator==(const ConnState &, const ConnState &) = default;
};
/// +QMTSTAT: <id>,<err_code> — 1…7 documented, others reserved and kept as they are.
struct StatEvent
{
    int connectId;
    int code;
    friend bool operator==(const StatEvent &, const StatEvent &) = default;
};

/// +QMTRECV: <id>,<msgID>,"<topic>"[,<payload_len>],"<payload>"
struct RecvMessage
{
    int connectId = 0;
    int msgId = 0;
    QByteArray topic;
    std::optional<int> declaredLength; ///< <payload_len>, when "showrecvlen" is on
    QByteArray payload;                ///< the message bytes (decoded when the receive format is hex)
    QByteArray printed;                ///< the payload as the module printed it
    bool hex = false;                  ///< printed as hex digits
    bool unterminated = false;         ///< the closing quote is missing: the payload may be cut short
    bool unopened = false;             ///< the opening quote is missing: the payload's start may be lost
    bool lengthMismatch = false;       ///< the payload does not have the declared length
    friend bool operator==(const RecvMessage &, const RecvMessage &) = default;
};

/// +QMTCFG: <values…> — the answer to a query, typed by the option the query named.
struct CfgReply
{
    std::optional<CfgOption> option;
    QList<QByteArray> values; ///< unquoted field texts
    friend bool operator==(const CfgReply &, const CfgReply &) = default;
};

/// +QMTCFG: "<option>",<ranges…> — one line of the test form AT+QMTCFG=?.
struct CfgTestLine
{
    std::optional<CfgOption> option; ///< nullopt for options this module does not document
    QByteArray name;                 ///< as printed ("echo_mode", "SSL", "qmtping" …)
    QList<QByteArray> ranges;
    friend bool operator==(const CfgTestLine &, const CfgTestLine &) = default;
};

/// The test form reply of AT+QMTOPEN=?, AT+QMTCONN=? …: the parameter ranges as printed.
struct TestReply
{
    QmtCommand command;
    QList<QByteArray> fields;
    friend bool operator==(const TestReply &, const TestReply &) = default;
};

/// +CME ERROR: <err>
struct CmeError
{
    int code;
    friend bool operator==(const CmeError &, const CmeError &) = default;
};

using QmtEvent = std::variant<CommandResult, OpenInfo, ConnState, StatEvent, RecvMessage, CfgReply, CfgTestLine,
                              TestReply, CmeError>;

/// The name of an event type for machine-readable output ("open", "recv", …).
[[nodiscard]] const char *eventName(const QmtEvent &event);
/// The TCP_connectID an event names, as printed (not checked against 0–4); nullopt for the events that name
/// none (+QMTCFG answers, test-form replies, +CME ERROR).
[[nodiscard]] std::optional<int> eventConnectId(const QmtEvent &event);

} // namespace qmt
