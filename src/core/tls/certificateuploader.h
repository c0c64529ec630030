#pragma once

#include "core/tls/sslindex.h"
#include "core/tls/tlsmaterialcheck.h"

#include "core/at/atcommand.h"
#include "core/qmt/qmtcommands.h"

#include <QCoreApplication>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace qmt {

class ModuleController;

/// Puts checked TLS material at one SSL index (context c, connect ID n) and enables TLS on one slot with it,
/// through the controller's AT channel (never a second path to the port):
///
///     AT+QSSLCFG=c,n,"seclevel",<level>
///     AT+QSSLCFG=c,n,"cacert"      > PEM Ctrl+Z   +QSSLCFG: c,n,"cacert",<length>
///     AT+QSSLCFG=c,n,"clientcert"  …              (those the report holds, in this order)
///     AT+QSSLCFG=c,n,"clientkey"   …              (the payload is secret: logs show its length only)
///     AT+QMTCFG="ssl",<slot>,1,c,n
///
/// One command after the other; each <length> the module reports must equal the bytes sent, or the upload
/// stops there with both numbers. Afterwards the slot's configuration in the controller names the index
/// with SSL on, so starting the slot keeps it so.
///
/// Other slots on the same index share the material: while one of them is active, an upload there is
/// refused unless the caller says the user agreed (UploadTarget::replaceInUse).
class CertificateUploader : public QObject
{
    Q_OBJECT

public:
    /// How far one item has gone, as a progress bar shows it.
    enum class Stage {
        Waiting,
        CommandSent,
        Prompted,
        DataSent,
        Confirmed,
        Failed
    };
    Q_ENUM(Stage)

    /// Where the material goes and which slot it is for.
    struct Target
    {
        int slot = 0;
        SslIndex index;
        /// Other active slots use the index and the user agreed that they reconnect with this material.
        bool replaceInUse = false;
    };

    explicit CertificateUploader(ModuleController &controller, QObject *parent = nullptr);
    ~CertificateUploader() override;

    /// Starts the upload. Refused, and nothing is sent, when the report holds an error, the port is not
    /// open, the slot is not closed (AT+QMTCFG="ssl" counts only before AT+QMTOPEN), another active slot
    /// uses the index and replacing was not agreed, or an upload runs.
    bool start(const TlsCheckReport &report, const Target &target, QString *error);
    /// The same, to the slot's own index (SslIndex::proposedFor()).
    bool start(const TlsCheckReport &report, int slot, QString *error);
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// The lengths the module reported in the last upload, per item.
    [[nodiscard]] std::optional<int> reportedLength(SslItem item) const;

    [[nodiscard]] static int percent(Stage stage);
    /// The length in a "+QSSLCFG: 0,0,"<item>",<length>" line of `reply`, if there is one for `item`.
    [[nodiscard]] static std::optional<int> lengthReported(const AtReply &reply, SslItem item);

Q_SIGNALS:
    void itemStage(qmt::SslItem item, qmt::CertificateUploader::Stage stage);
    /// One line for the user per step: "Security level 2 set.", "CA certificate: 1216 bytes stored."
    void stepFinished(bool ok, const QString &text);
    void finished(bool ok, const QString &message);

private:
    struct Step
    {
        AtCommand command;
        std::optional<SslItem> item;
        std::function<std::optional<QString>(const AtReply &)> verify; ///< error text, or nothing when fine
        QString doneText;
        bool mayFail = false; ///< the wake-up AT: a sleeping module loses it, which is its purpose
    };

    void runNext();
    void onReply(const AtReply &reply);
    void onLine(const AtLine &line);
    void fail(const QString &message);

    ModuleController &m_controller;
    QList<Step> m_steps;
    qsizetype m_next = 0;
    quint64 m_current = 0;
    int m_slot = 0;
    SslIndex m_index;
    bool m_running = false;
    bool m_submitting = false;
    QList<QPair<SslItem, int>> m_reported;
};

} // namespace qmt
