#include "consolepanel.h"

#include "ui_consolepanel.h"

#include "module/modulecontroller.h"
#include "qmt/qmtcodes.h"
#include "qmt/redaction.h"

#include <QKeyEvent>
#include <QSettings>

namespace qmt {

namespace {
const QString HistoryKey = QStringLiteral("console/history");
constexpr int MaxHistory = 200;
} // namespace

ConsolePanel::ConsolePanel(ModuleController &controller, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ConsolePanel>())
    , m_controller(controller)
{
    m_ui->setupUi(this);
    m_history = QSettings().value(HistoryKey).toStringList();
    m_historyPos = int(m_history.size());
    m_ui->commandEdit->installEventFilter(this);
    connect(m_ui->sendCommandButton, &QPushButton::clicked, this, &ConsolePanel::sendLine);
    connect(m_ui->commandEdit, &QLineEdit::returnPressed, this, &ConsolePanel::sendLine);
    const std::pair<QPushButton *, const char *> tests[] = {
        {m_ui->cfgTestButton, "AT+QMTCFG=?"},     {m_ui->openTestButton, "AT+QMTOPEN=?"},
        {m_ui->closeTestButton, "AT+QMTCLOSE=?"}, {m_ui->connTestButton, "AT+QMTCONN=?"},
        {m_ui->discTestButton, "AT+QMTDISC=?"},   {m_ui->subTestButton, "AT+QMTSUB=?"},
        {m_ui->unsTestButton, "AT+QMTUNS=?"},     {m_ui->pubTestButton, "AT+QMTPUB=?"}};
    for (const auto &[button, command] : tests)
        connect(button, &QPushButton::clicked, this,
                [this, command = command] { submit(QString::fromLatin1(command)); });
    connect(m_ui->ctrlZButton, &QPushButton::clicked, this, [this] {
        if (!m_controller.sendConsoleData(m_typedData)) {
            m_ui->transcriptView->appendPlainText(tr("  [no prompt is waiting: the data was not sent]"));
        } else {
            m_ui->transcriptView->appendPlainText(
                tr("  [data sent, %n byte(s), Ctrl+Z]", nullptr, int(m_typedData.size())));
        }
        setDataMode(false);
    });
    connect(m_ui->escButton, &QPushButton::clicked, this, [this] {
        m_controller.cancelConsoleData();
        m_ui->transcriptView->appendPlainText(tr("  [Esc: data mode cancelled]"));
        setDataMode(false);
    });
    connect(&controller.channel(), &AtChannel::commandFinished, this, &ConsolePanel::showReply);
    connect(&controller.channel(), &AtChannel::promptReceived, this, [this](quint64 id) {
        if (m_mine.contains(id)) {
            m_ui->transcriptView->appendPlainText(tr("> (data mode: type lines and press Enter to add them; Ctrl+Z "
                                                     "sends, Esc cancels; the module gives up after 60 s)"));
            setDataMode(true);
        }
    });
    connect(&controller.channel(), &AtChannel::dataModeExpired, this, [this] { setDataMode(false); });
    setDataMode(false);
}

ConsolePanel::~ConsolePanel() = default;

void ConsolePanel::setDataMode(bool on)
{
    m_dataMode = on;
    m_typedData.clear();
    m_ui->ctrlZButton->setEnabled(on);
    m_ui->escButton->setEnabled(on);
    m_ui->commandEdit->setPlaceholderText(on ? tr("Data line (Enter adds it with CR LF)")
                                             : tr("AT command; Up and Down walk the history"));
}

void ConsolePanel::submit(const QString &command)
{
    const QByteArray line = command.trimmed().toUtf8();
    if (line.isEmpty())
        return;
    m_ui->transcriptView->appendPlainText(QString::fromUtf8(redactCommand(line)));
    m_mine.append(m_controller.sendRaw(line));
    if (m_mine.size() > 100)
        m_mine.removeFirst();
}

void ConsolePanel::sendLine()
{
    const QString text = m_ui->commandEdit->text();
    m_ui->commandEdit->clear();
    if (m_dataMode) {
        m_typedData += text.toUtf8() + "\r\n";
        // A private key typed after a "clientkey" prompt — or pasted after any other — is not shown back,
        // only counted.
        const bool keyLine = m_keyGuard.withholds(text.toUtf8());
        m_ui->transcriptView->appendPlainText(QStringLiteral("  ") +
                                              (m_controller.consolePromptIsSecret() || keyLine
                                                   ? QString::fromLatin1(redactedPlaceholder(text.toUtf8().size()))
                                                   : text));
        return;
    }
    if (text.trimmed().isEmpty())
        return;
    // The history is kept in the settings, a plain file: a line carrying a password or a device secret
    // is sent but not remembered.
    if (redactCommand(text.toUtf8()) == text.toUtf8()) {
        m_history.removeAll(text);
        m_history.append(text);
        while (m_history.size() > MaxHistory)
            m_history.removeFirst();
        QSettings().setValue(HistoryKey, QStringList(m_history));
    }
    m_historyPos = int(m_history.size());
    submit(text);
}

void ConsolePanel::showReply(const AtReply &reply)
{
    if (!m_mine.contains(reply.id))
        return;
    m_mine.removeAll(reply.id);
    for (const QByteArray &line : reply.lines)
        m_ui->transcriptView->appendPlainText(QString::fromUtf8(line));
    QString final = QString::fromUtf8(reply.finalLine);
    if (reply.status == ReplyStatus::CmeError && reply.errorCode >= 0)
        final += QStringLiteral("   (") + codes::cmeError(reply.errorCode) + QLatin1Char(')');
    if (final.isEmpty())
        final = QStringLiteral("[%1] %2").arg(replyStatusText(reply.status), reply.detail);
    m_ui->transcriptView->appendPlainText(final);
}

bool ConsolePanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_ui->commandEdit && event->type() == QEvent::KeyPress && !m_dataMode) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Up && m_historyPos > 0) {
            m_ui->commandEdit->setText(m_history[--m_historyPos]);
            return true;
        }
        if (key->key() == Qt::Key_Down && m_historyPos < m_history.size()) {
            ++m_historyPos;
            m_ui->commandEdit->setText(m_historyPos < m_history.size() ? m_history[m_historyPos] : QString());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace qmt
