#pragma once

#include "tlsmaterialcheck.h"

#include "at/atcommand.h"
#include "qmt/qmtcommands.h"

#include <QCoreApplication>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace qmt {

class ModuleController;

/// Puts checked TLS material on the module and enables TLS on one slot, through the controller's AT
/// channel (never a second path to the port):
///
///     AT+QSSLCFG=0,0,"seclevel",<level>
///     AT+QSSLCFG=0,0,"cacert"      > PEM Ctrl+Z   +QSSLCFG: 0,0,"cacert",<length>
///     AT+QSSLCFG=0,0,"clientcert"  …              (those the report holds, in this order)
///     AT+QSSLCFG=0,0,"clientkey"   …              (the payload is secret: logs show its length only)
///     AT+QMTCFG="ssl",<slot>,1,0,0
///
/// One command after the other; each <length> the module reports must equal the bytes sent, or the upload
/// stops there with both numbers. Afterwards the slot's configuration in the controller says SSL is on, so
/// starting the slot keeps it so.
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

    explicit CertificateUploader(ModuleController &controller, QObject *parent = nullptr);
    ~CertificateUploader() override;

    /// Starts the upload. Refused, and nothing is sent, when the report holds an error, the port is not
    /// open, the slot is not closed (AT+QMTCFG="ssl" counts only before AT+QMTOPEN) or an upload runs.
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
    bool m_running = false;
    bool m_submitting = false;
    QList<QPair<SslItem, int>> m_reported;
};

} // namespace qmt
