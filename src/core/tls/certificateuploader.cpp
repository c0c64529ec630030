#include "core/tls/certificateuploader.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/atfields.h"

#include <QPointer>

namespace qmt {

namespace {

QString replyProblem(const AtReply &reply)
{
    if (reply.status == ReplyStatus::CmeError)
        return CertificateUploader::tr("the module answered %1").arg(QString::fromUtf8(reply.finalLine));
    if (!reply.detail.isEmpty())
        return reply.detail;
    return CertificateUploader::tr("the module answered %1 (%2)")
        .arg(QString::fromUtf8(reply.finalLine.isEmpty() ? QByteArray("nothing") : reply.finalLine),
             QString::fromLatin1(replyStatusName(reply.status)));
}

} // namespace

CertificateUploader::CertificateUploader(ModuleController &controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
{
    const AtChannel &channel = controller.channel();
    connect(&channel, &AtChannel::commandSent, this, [this](quint64 id) {
        // On an idle line the channel sends inside submit(), before its id is known here.
        if (m_running && (id == m_current || m_submitting) && m_steps[m_next - 1].item)
            Q_EMIT itemStage(*m_steps[m_next - 1].item, Stage::CommandSent);
    });
    connect(&channel, &AtChannel::lineReceived, this, &CertificateUploader::onLine);
    connect(&channel, &AtChannel::dataSent, this, [this](quint64 id) {
        if (m_running && id == m_current && m_steps[m_next - 1].item)
            Q_EMIT itemStage(*m_steps[m_next - 1].item, Stage::DataSent);
    });
}

CertificateUploader::~CertificateUploader() = default;

int CertificateUploader::percent(Stage stage)
{
    switch (stage) {
    case Stage::Waiting:
        return 0;
    case Stage::CommandSent:
        return 25;
    case Stage::Prompted:
        return 50;
    case Stage::DataSent:
        return 75;
    case Stage::Confirmed:
        return 100;
    case Stage::Failed:
        return 0;
    }
    return 0;
}

std::optional<int> CertificateUploader::lengthReported(const AtReply &reply, SslItem item)
{
    for (const QByteArray &line : reply.lines) {
        if (!line.startsWith("+QSSLCFG:"))
            continue;
        const QList<AtField> f = splitAtFields(paramsOf(line));
        if (f.size() == 4 && f[2].text.compare(sslItemName(item), Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const int length = f[3].text.toInt(&ok);
            if (ok)
                return length;
        }
    }
    return std::nullopt;
}

std::optional<int> CertificateUploader::reportedLength(SslItem item) const
{
    for (const auto &[i, length] : m_reported) {
        if (i == item)
            return length;
    }
    return std::nullopt;
}

bool CertificateUploader::start(const TlsCheckReport &report, int slot, QString *error)
{
    return start(report, Target{slot, SslIndex::proposedFor(slot, m_controller.config(slot)), false}, error);
}

bool CertificateUploader::start(const TlsCheckReport &report, const Target &target, QString *error)
{
    const int slot = target.slot;
    const SslIndex index = target.index;
    auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_running)
        return refuse(tr("An upload is already running."));
    if (!report.ok())
        return refuse(tr("The material has errors; nothing was uploaded. %1").arg(report.errors().first().text));
    if (m_controller.portState() != ModuleController::PortState::Open)
        return refuse(tr("No port is open: open the module's port first."));
    const SlotState state = m_controller.status(slot).state;
    if (state != SlotState::Closed) {
        return refuse(tr("Slot %1 is %2: AT+QMTCFG=\"ssl\" counts only before AT+QMTOPEN. Stop the slot first.")
                          .arg(slot)
                          .arg(SlotStateText::name(state)));
    }
    if (const QList<int> sharing = index.activeSlotsUsing(m_controller, slot);
        !sharing.isEmpty() && !target.replaceInUse) {
        return refuse(tr("The material at %1 is in use by %2, which would reconnect with the new material. Choose "
                         "another SSL index for slot %3, or confirm replacing it.")
                          .arg(index.text(), slotListText(sharing))
                          .arg(slot));
    }

    const QmtCommands &commands = m_controller.commands();
    QList<Step> steps;
    // A sleeping module loses the first command it hears (protocol-notes §3.4): wake it with a plain AT first.
    AtCommand wake;
    wake.text = "AT";
    steps.append(Step{wake, std::nullopt, {}, {}, true});

    const auto level = commands.sslSecLevel(report.secLevel, index.contextId, index.connectId);
    if (!level)
        return refuse(level.error().message());
    steps.append(Step{*level, std::nullopt, {}, tr("Security level %1 set.").arg(report.secLevel), false});
    for (const TlsUpload &upload : report.uploads) {
        const auto command = commands.sslUpload(upload.item, upload.bytes, index.contextId, index.connectId);
        if (!command)
            return refuse(command.error().message());
        const SslItem item = upload.item;
        const qsizetype sent = upload.bytes.size();
        auto verify = [this, item, sent](const AtReply &reply) -> std::optional<QString> {
            const std::optional<int> stored = lengthReported(reply, item);
            if (!stored) {
                return tr("%1: the module did not report how many bytes it stored (%2 were sent).")
                    .arg(TlsMaterialCheck::itemName(item))
                    .arg(sent);
            }
            m_reported.append({item, *stored});
            if (*stored != sent) {
                return tr("%1: the module stored %2 bytes, but %3 were sent. The upload stopped here.")
                    .arg(TlsMaterialCheck::itemName(item))
                    .arg(*stored)
                    .arg(sent);
            }
            return std::nullopt;
        };
        steps.append(Step{*command, item, verify,
                          tr("%1: %2 bytes sent, %2 bytes stored.").arg(TlsMaterialCheck::itemName(item)).arg(sent),
                          false});
    }
    const auto enable = commands.cfgSsl(slot, 1, index.contextId, index.connectId);
    if (!enable)
        return refuse(enable.error().message());
    steps.append(
        Step{*enable, std::nullopt, {}, tr("TLS enabled on slot %1 (%2).").arg(slot).arg(index.text()), false});

    m_steps = std::move(steps);
    m_next = 0;
    m_slot = slot;
    m_index = index;
    m_reported.clear();
    m_running = true;
    for (const TlsUpload &upload : report.uploads)
        Q_EMIT itemStage(upload.item, Stage::Waiting);
    runNext();
    return true;
}

void CertificateUploader::runNext()
{
    if (m_next >= m_steps.size()) {
        m_running = false;
        // Starting the slot re-sends its configuration: it must now say SSL is on, at this index.
        SlotConfig config = m_controller.config(m_slot);
        config.sslEnabled = true;
        config.sslContextId = m_index.contextId;
        config.sslConnectId = m_index.connectId;
        m_controller.setConfig(m_slot, config);
        Q_EMIT finished(
            true,
            tr("The module has the material at %1, and slot %2 uses TLS with it.").arg(m_index.text()).arg(m_slot));
        return;
    }
    AtCommand command = m_steps[m_next++].command;
    // The channel may finish the command after this uploader is gone (the wizard was closed mid-upload).
    command.onFinished = [self = QPointer<CertificateUploader>(this)](const AtReply &reply) {
        if (self)
            self->onReply(reply);
    };
    m_submitting = true;
    m_current = m_controller.port().channel().submit(std::move(command));
    m_submitting = false;
}

void CertificateUploader::onLine(const AtLine &line)
{
    if (m_running && line.kind == LineKind::Prompt && line.commandId == m_current && m_steps[m_next - 1].item)
        Q_EMIT itemStage(*m_steps[m_next - 1].item, Stage::Prompted);
}

void CertificateUploader::onReply(const AtReply &reply)
{
    if (!m_running || reply.id != m_current)
        return;
    const Step &step = m_steps[m_next - 1];
    std::optional<QString> problem;
    if (!reply.ok() && !step.mayFail) {
        problem = step.item ? tr("%1: %2.").arg(TlsMaterialCheck::itemName(*step.item), replyProblem(reply))
                            : tr("%1: %2.").arg(QString::fromUtf8(reply.command), replyProblem(reply));
        const bool refused = reply.status == ReplyStatus::Error || reply.status == ReplyStatus::CmeError;
        if (refused && !m_index.documentedAsSupported()) {
            *problem += QLatin1Char(' ') +
                        tr("The application note says the module currently supports only SSL context 0, connect ID "
                           "0: if its firmware refuses %1, choose context 0 and connect ID 0 for this slot (slots on "
                           "one index share their material).")
                            .arg(m_index.text());
        }
    } else if (step.verify) {
        problem = step.verify(reply);
    }
    if (problem) {
        if (step.item)
            Q_EMIT itemStage(*step.item, Stage::Failed);
        fail(*problem);
        return;
    }
    if (step.item)
        Q_EMIT itemStage(*step.item, Stage::Confirmed);
    if (!step.doneText.isEmpty())
        Q_EMIT stepFinished(true, step.doneText);
    runNext();
}

void CertificateUploader::fail(const QString &message)
{
    m_running = false;
    Q_EMIT stepFinished(false, message);
    Q_EMIT finished(false, message);
}

} // namespace qmt
