#pragma once

#include "core/at/atcommand.h"

#include <QByteArrayList>

namespace qmt {

/// Tells echo, information response, final result, prompt, data echo and URC apart.
///
/// Shared by the live AT channel and the capture decoder so both read a stream the same way. It looks at
/// one line and at what is known of the command in flight; matching two-phase results to commands is the
/// caller's business.
class AtLineClassifier
{
public:
    /// What is known about the command whose final result has not arrived yet.
    struct InFlight
    {
        QByteArrayView text;       ///< the command as sent, without CR
        bool responseSeen = false; ///< an information response arrived already (no more echo)
        QByteArrayView dataSent;   ///< data-mode bytes sent so far (for recognising their echo)
    };

    AtLineClassifier();

    /// Lines that are URCs though they carry no `+NAME:` prefix ("RDY", "APP RDY", …).
    void addUrcWord(QByteArray word) { m_urcWords.append(std::move(word)); }

    [[nodiscard]] LineKind classify(QByteArrayView line, const InFlight *inFlight) const;

    /// "+QMTOPEN" for "+QMTOPEN: 0,0" (also without the space); empty when the line has no such prefix.
    [[nodiscard]] static QByteArrayView prefixOf(QByteArrayView line);
    /// "+QMTOPEN" for "AT+QMTOPEN=0,...", "AT+QMTOPEN?" or "at+qmtopen=?" (upper-cased compare is the
    /// caller's: the module answers in upper case); empty for basic commands like "ATI" or "ATE0".
    [[nodiscard]] static QByteArrayView commandNameOf(QByteArrayView command);
    /// Whether `prefix` names one of the commands of a command line, chained ones included
    /// ("AT+CSQ;+CGATT?" answers with +CSQ: and +CGATT:).
    [[nodiscard]] static bool commandLineAnswersWith(QByteArrayView command, QByteArrayView prefix);
    /// The command line is an echo of `command`, allowing for the first byte or two lost to a module
    /// waking from sleep (protocol-notes §3.4, §1.8).
    [[nodiscard]] static bool isEchoOf(QByteArrayView line, QByteArrayView command);
    /// A data prompt on a line of its own: `>` (the prompt is usually framed without its line, see AtFramer)
    /// or `CONNECT`, as sibling modules answer file-upload commands.
    [[nodiscard]] static bool isPromptLine(QByteArrayView line);
    /// A power-up or power-down notice of the BC660K-GL or a sibling ("RDY", "APP RDY", "POWERED DOWN", …).
    [[nodiscard]] static bool isPowerNotice(QByteArrayView line);
    /// "+QATSLEEP": a notice with a `+NAME` and no parameters, which only modules send on their own.
    [[nodiscard]] static bool isBareNotice(QByteArrayView line);
    /// Where "AT" (any case) first appears in a command line, or -1: a module ignores what precedes it
    /// (line noise, a byte lost to sleep), so "xAT+CSQ" is the command "AT+CSQ".
    [[nodiscard]] static qsizetype commandStart(QByteArrayView line);
    /// Looks like a host command ("AT…"/"at…"), as found in captures that record both directions.
    [[nodiscard]] static bool looksLikeCommand(QByteArrayView line);

private:
    [[nodiscard]] bool isUrcWord(QByteArrayView line) const;

    QByteArrayList m_urcWords;
};

} // namespace qmt
