#include "gui/panels/consolepanel.h"

#include "ui_consolepanel.h"

#include "core/module/modulecontroller.h"
#include "core/qmt/qmtcodes.h"
#include "core/qmt/redaction.h"

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
    // Three lines at least, and no more: the console shares the bottom of a 768-pixel screen with the log.
    m_ui->transcriptView->setMinimumHeight(m_ui->transcriptView->fontMetrics().lineSpacing() * 3 +
                                           2 * m_ui->transcriptView->frameWidth());
    m_history = QSettings().value(HistoryKey).toStringList();
    m_historyPos = int(m_history.size());
    m_ui->commandEdit->installEventFilter(this);
    connect(m_ui->sendCommandButton, &QPushButton::clicked, this, &ConsolePanel::sendLine);
    connect(m_ui->commandEdit, &QLineEdit::returnPressed, this, &ConsolePanel::sendLine);
    const std::pair<QPushButton *, QmtCommand> tests[] = {
        {m_ui->cfgTestButton, QmtCommand::Cfg},     {m_ui->openTestButton, QmtCommand::Open},
        {m_ui->closeTestButton, QmtCommand::Close}, {m_ui->connTestButton, QmtCommand::Conn},
        {m_ui->discTestButton, QmtCommand::Disc},   {m_ui->subTestButton, QmtCommand::Sub},
        {m_ui->unsTestButton, QmtCommand::Uns},     {m_ui->pubTestButton, QmtCommand::Pub}};
    for (const auto &[button, command] : tests)
        connect(button, &QPushButton::clicked, this, [this, command = command] { submitTestForm(command); });
    connect(m_ui->ctrlZButton, &QPushButton::clicked, this, &ConsolePanel::sendTypedData);
    connect(m_ui->escButton, &QPushButton::clicked, this, &ConsolePanel::cancelTypedData);
    ConsoleSession &console = controller.console();
    connect(&console, &ConsoleSession::finished, this, &ConsolePanel::showReply);
    connect(&console, &ConsoleSession::prompted, this, [this](quint64 id) {
        if (m_mine.contains(id)) {
            m_ui->transcriptView->appendPlainText(tr("> (data mode: type lines and press Enter to add them; Ctrl+Z "
                                                     "sends, Esc cancels; the module gives up after 60 s)"));
            setDataMode(true);
        }
    });
    connect(&console, &ConsoleSession::dataModeExpired, this, [this] { setDataMode(false); });
    setDataMode(false);
}

ConsolePanel::~ConsolePanel() = default;

void ConsolePanel::sendTypedData()
{
    // What is still in the line goes too, without a line break: as typed in a terminal before Ctrl+Z.
    if (const QString pending = m_ui->commandEdit->text(); m_dataMode && !pending.isEmpty()) {
        showTypedLine(pending);
        m_typedData += pending.toUtf8();
    }
    if (!m_controller.console().sendData(m_typedData)) {
        m_ui->transcriptView->appendPlainText(tr("  [no prompt is waiting: the data was not sent]"));
    } else {
        m_ui->transcriptView->appendPlainText(
            tr("  [data sent, %n byte(s), Ctrl+Z]", nullptr, int(m_typedData.size())));
    }
    setDataMode(false);
}

void ConsolePanel::cancelTypedData()
{
    m_controller.console().cancelData();
    m_ui->transcriptView->appendPlainText(tr("  [Esc: data mode cancelled]"));
    setDataMode(false);
}

void ConsolePanel::showTypedLine(const QString &text)
{
    // A private key typed after a "clientkey" prompt — or pasted after any other — is not shown back,
    // only counted.
    const bool keyLine = m_keyGuard.withholds(text.toUtf8());
    m_ui->transcriptView->appendPlainText(QStringLiteral("  ") +
                                          (m_controller.console().promptIsSecret() || keyLine
                                               ? QString::fromLatin1(redactedPlaceholder(text.toUtf8().size()))
                                               : text));
}

void ConsolePanel::setDataMode(bool on)
{
    if (m_dataMode && !on)
        m_ui->commandEdit->setText(QString()); // not clear(): undo must not bring data back as a command
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
    remember(m_controller.console().send(line));
}

void ConsolePanel::submitTestForm(QmtCommand command)
{
    m_ui->transcriptView->appendPlainText(QString::fromUtf8(QmtCommands::testForm(command).text));
    remember(m_controller.console().sendTestForm(command));
}

void ConsolePanel::remember(quint64 id)
{
    m_mine.append(id);
    if (m_mine.size() > 100)
        m_mine.removeFirst();
}

void ConsolePanel::sendLine()
{
    const QString text = m_ui->commandEdit->text();
    m_ui->commandEdit->setText(QString()); // no undo history: a typed data line must not come back
    if (m_dataMode) {
        m_typedData += text.toUtf8() + "\r\n";
        showTypedLine(text);
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
    // In data mode the keys do what they do on the module's line: Ctrl+Z sends, Esc cancels (rather than
    // the line edit's undo).
    if (watched == m_ui->commandEdit && m_dataMode &&
        (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool ctrlZ = key->key() == Qt::Key_Z && key->modifiers() == Qt::ControlModifier;
        const bool esc = key->key() == Qt::Key_Escape;
        if (ctrlZ || esc) {
            if (event->type() == QEvent::KeyPress) {
                if (ctrlZ)
                    sendTypedData();
                else
                    cancelTypedData();
            }
            event->accept();
            return true;
        }
    }
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
