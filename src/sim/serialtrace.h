#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace qmt::sim {

/// The byte trace that `qmt-sim --verbose` prints, with the secrets of the dialogue left out.
///
/// A host types secrets into the port: the password of AT+QMTCONN, the device secret of
/// AT+QMTCFG="aliauth", a client key after the prompt of AT+QSSLCFG=…,"clientkey". The module echoes them,
/// and answers the aliauth query with the device secret. The trace shows each of them as
/// `<redacted, N bytes>`, so a terminal log or a pasted bug report never holds one.
///
/// Lines are shown whole, once they are complete (a prompt as soon as it arrives). Data typed after a
/// secret prompt is shown as one placeholder when it ends (Ctrl+Z or Esc, or the module's final result);
/// its echo likewise, up to the module's next line of its own.
///
/// It reads both directions in the order they happen: the host's bytes before the module's answer to them.
class SerialTrace
{
public:
    /// What the trace shows for these host → module bytes; empty while a line is still incomplete.
    [[nodiscard]] QByteArray fromHost(QByteArrayView bytes);
    /// What the trace shows for these module → host bytes; empty while a line is still incomplete.
    [[nodiscard]] QByteArray fromModule(QByteArrayView bytes);

    /// A line longer than this is not kept whole: the host's is shown only as its length, the module's
    /// as it is (the module's only secret-bearing answer is short).
    static constexpr qsizetype MaxLine = 64 * 1024;

private:
    void hostLineEnded(QByteArray &out, char terminator);
    void moduleLineEnded(QByteArray &out);
    void showSecretDataSoFar(QByteArray &out);
    void endSecretData(QByteArray &out);

    QByteArray m_hostLine;
    qsizetype m_hostOverlong = 0;     // bytes of an over-long host line not kept
    QByteArray m_lastCommand;         // the host's last command line, for redacting its answers
    bool m_secretCommandOpen = false; // a secret-data command awaits its final result
    bool m_hostInSecretData = false;
    qsizetype m_hostSecretBytes = 0;

    QByteArray m_moduleLine;
    bool m_moduleInSecretData = false; // after the prompt of a secret-data command: the data's echo
    qsizetype m_moduleSecretBytes = 0;
};

} // namespace qmt::sim
