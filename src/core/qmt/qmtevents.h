#pragma once

#include "core/qmt/qmtspec.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <variant>

namespace qmt {

/// +QMTOPEN: <id>,<result> — result −1…4.
struct OpenResult
{
    int connectId;
    int result;
    friend bool operator==(const OpenResult &, const OpenResult &) = default;
};
/// +QMTOPEN: <id>,"<host>",<port> — the read form.
struct OpenInfo
{
    int connectId;
    QByteArray host;
    int port;
    friend bool operator==(const OpenInfo &, const OpenInfo &) = default;
};
/// +QMTCLOSE: <id>,<result>
struct CloseResult
{
    int connectId;
    int result;
    friend bool operator==(const CloseResult &, const CloseResult &) = default;
};
/// +QMTCONN: <id>,<result>[,<ret_code>] — ret_code is absent on some firmware (protocol-notes §7.3).
struct ConnResult
{
    int connectId;
    int result;
    std::optional<int> retCode;
    friend bool operator==(const ConnResult &, const ConnResult &) = default;
};
/// +QMTCONN: <id>,<state> — the read form, state 1–4.
struct ConnState
{
    int connectId;
    int state;
    friend bool operator==(const ConnState &, const ConnState &) = default;
};
/// +QMTDISC: <id>,<result>
struct DiscResult
{
    int connectId;
    int result;
    friend bool operator==(const DiscResult &, const DiscResult &) = default;
};
/// +QMTSUB: <id>,<msgID>,<result>[,<value>…] — granted QoS per topic when result is 0 (128 = refused),
/// the retransmission count when result is 1.
struct SubResult
{
    int connectId;
    int msgId;
    int result;
    QList<int> values;
    friend bool operator==(const SubResult &, const SubResult &) = default;
};
/// +QMTUNS: <id>,<msgID>,<result>
struct UnsResult
{
    int connectId;
    int msgId;
    int result;
    friend bool operator==(const UnsResult &, const UnsResult &) = default;
};
/// +QMTPUB: <id>,<msgID>,<result>[,<value>] — value is the retransmission count when result is 1.
struct PubResult
{
    int connectId;
    int msgId;
    int result;
    std::optional<int> value;
    friend bool operator==(const PubResult &, const PubResult &) = default;
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

using QmtEvent = std::variant<OpenResult, OpenInfo, CloseResult, ConnResult, ConnState, DiscResult, SubResult,
                              UnsResult, PubResult, StatEvent, RecvMessage, CfgReply, CfgTestLine, TestReply, CmeError>;

/// The name of an event type for machine-readable output ("open", "recv", …).
[[nodiscard]] const char *eventName(const QmtEvent &event);
/// The TCP_connectID an event names, as printed (not checked against 0–4); nullopt for the events that name
/// none (+QMTCFG answers, test-form replies, +CME ERROR).
[[nodiscard]] std::optional<int> eventConnectId(const QmtEvent &event);

} // namespace qmt
