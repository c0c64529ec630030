#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace qmt::test {

/// A public transcript (tests/fixtures/transcripts) turned back into the bytes that crossed the line.
///
/// The files are human-pasted logs in several shapes (plain terminal pastes with the author's `-->` marks
/// and `//`/`#` comments, sscom and Arduino timestamps, a logger that printed CR and LF as dots, JSON Lines
/// of command and reply, Python lists of response lines). Each body line is stripped of its decoration
/// and becomes a CR LF terminated line; host commands are terminated by CR only, like an echo.
struct TranscriptStream
{
    QString name;
    QByteArray bytes;
    QList<QByteArray> lines; ///< every non-empty line put into `bytes`, in order
};

TranscriptStream loadTranscript(const QString &path);

} // namespace qmt::test
