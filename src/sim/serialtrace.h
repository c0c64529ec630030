#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "core/qmt/redaction.h"

#include <deque>

namespace qmt::sim {

/// The byte trace that `qmt-sim --verbose` prints, with the secrets of the dialogue left out.
///
/// A host types secrets into the port: the password of AT+QMTCONN, the device secret of
/// AT+QMTCFG="aliauth", a client key after the prompt of AT+QSSLCFG=…,"clientkey" — whatever the spec
/// table marks secret (qmt/redaction.h). The module echoes them, and answers some queries with them. The
/// trace shows each of them as `<redacted, N bytes>`, so a terminal log or a pasted bug report never
/// holds one.
///
/// It reads a line as the module does: backspace and DEL edit it, anything before "AT" is ignored, ';'
/// chains commands, strings may go unquoted; commands may be sent before the last one is answered. Lines
/// are shown once they end (CR, LF, Ctrl+Z or Esc; a prompt as soon as it arrives). Data typed after a
/// secret prompt is shown as one placeholder when it ends (Ctrl+Z or Esc, or the final result of its
/// command), its echo likewise; a PEM private key block is withheld wherever it appears, in case it is
/// typed after its prompt timed out. The host's bytes must be given before the module's answer to them.
class SerialTrace
{
public:
    /// What the trace shows for these host → module bytes; empty while a line is still incomplete.
    [[nodiscard]] QByteArray fromHost(QByteArrayView bytes);
    /// What the trace shows for these module → host bytes; empty while a line is still incomplete.
    [[nodiscard]] QByteArray fromModule(QByteArrayView bytes);

    /// A host line longer than this is shown only as its length; a module line this long is shown as it
    /// is (the module's only secret-bearing answer is short).
    static constexpr qsizetype MaxLine = 64 * 1024;
    /// Commands sent and not yet answered that the trace keeps (the oldest is forgotten past this).
    static constexpr qsizetype MaxPending = 16;

private:
    struct PendingCommand
    {
        QByteArray text;
        bool secretData = false; // what follows its prompt is secret
    };

    void hostLineEnded(QByteArray &out, char terminator);
    void showHostCommand(QByteArray &out, QByteArrayView line);
    void flushPlainData(QByteArray &out);
    void moduleLineEnded(QByteArray &out);
    [[nodiscard]] QByteArray shownModuleLine(QByteArrayView line) const;
    void commandAnswered();
    void showModuleWithheld(QByteArray &out);
    [[nodiscard]] bool secretDataPending() const;

    // Host → module
    QByteArray m_hostLine;           // as edited by backspace and DEL
    qsizetype m_hostOverlong = 0;    // bytes of an over-long host line not kept
    bool m_hostInSecretData = false; // after a secret-data command, until Ctrl+Z, Esc or its answer
    qsizetype m_hostSecretBytes = 0;
    bool m_hostInPlainData = false;      // after an ordinary prompt (AT+QMTPUB): bytes shown as they come
    PrivateKeyBlockGuard m_hostKeyGuard; // one per side: the lines of a block come in order on each
    std::deque<PendingCommand> m_pending;

    // Module → host
    QByteArray m_moduleLine;
    bool m_moduleInSecretData = false; // after the prompt of a secret-data command: the data's echo
    qsizetype m_moduleWithheld = 0;    // bytes withheld and not yet shown as a placeholder
    PrivateKeyBlockGuard m_moduleKeyGuard;
};

} // namespace qmt::sim
