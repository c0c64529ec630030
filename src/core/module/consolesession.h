#pragma once

#include "core/at/atcommand.h"
#include "core/qmt/qmtspec.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace qmt {

class AtChannel;

/// The AT console's side of the line: commands the user typed, the prompts they get, and the data that
/// answers them. It remembers which of its commands are still running, so that the data answering a
/// prompt is known to be secret (a private key after AT+QSSLCFG "clientkey") before it is sent and logged.
class ConsoleSession : public QObject
{
    Q_OBJECT

public:
    /// How a command goes out: the port session's submit (which wakes a sleeping module first).
    using Submit = std::function<quint64(AtCommand, std::function<void(const AtReply &)>)>;

    ConsoleSession(AtChannel &channel, Submit submit, QObject *parent = nullptr);

    /// A command typed by the user. A prompt waits for sendData().
    quint64 send(const QByteArray &line);
    /// The test form of a QMT command (AT+QMTOPEN=? …), as the spec table names it.
    quint64 sendTestForm(QmtCommand command);
    /// Answers the prompt of a console command with `data` and Ctrl+Z. Data after an AT+QSSLCFG
    /// "clientkey" prompt is a private key: logs show only its length. False when no prompt waits.
    bool sendData(const QByteArray &data);
    /// Leaves the console command's data mode with Esc.
    bool cancelData();
    /// Whether the data the waiting console prompt takes is secret.
    [[nodiscard]] bool promptIsSecret() const;

Q_SIGNALS:
    /// A console command finished; `typed` is the command as typed (secrets included: for the core only).
    void finished(const qmt::AtReply &reply, const QByteArray &typed);
    /// A console command got its prompt: data mode until sendData() or cancelData().
    void prompted(quint64 id);
    /// The module left data mode on its own (it gives up after a while).
    void dataModeExpired();

private:
    AtChannel &m_channel;
    Submit m_submit;
    QHash<quint64, QByteArray> m_running; // console commands not finished yet, by id
};

} // namespace qmt
