#include "gui/panels/publishpanel.h"

#include "gui/panels/asyncdialogs.h"
#include "gui/panels/specwidgets.h"
#include "ui_publishpanel.h"

#include "core/module/modulecontroller.h"
#include "gui/models/payloadformatter.h"
#include "gui/models/topictreemodel.h"

#include <QCompleter>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSettings>
#include <QStringListModel>

namespace qmt {

namespace {

constexpr int MaxHistory = 50;
const QString HistoryKey = QStringLiteral("publish/topicHistory");
const QString SnippetGroup = QStringLiteral("snippets");

Validated<QByteArray> parseHex(const QString &text)
{
    QByteArray digits;
    for (QChar c : text) {
        if (c.isSpace())
            continue;
        if (c.unicode() > 0x7f || !isxdigit(c.toLatin1())) {
            return ValidationError{QStringLiteral("msg"), PublishPanel::tr("hex digits (spaces allowed)"),
                                   QStringLiteral("'%1'").arg(c), PublishPanel::tr("not a hex digit")};
        }
        digits += c.toLatin1();
    }
    if (digits.size() % 2 != 0) {
        return ValidationError{QStringLiteral("msg"), PublishPanel::tr("an even number of hex digits"),
                               QString::number(digits.size()), PublishPanel::tr("digits")};
    }
    return QByteArray::fromHex(digits);
}

} // namespace

PublishPanel::PublishPanel(ModuleController &controller, TopicTreeModel &tree, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::PublishPanel>())
    , m_controller(controller)
    , m_tree(tree)
    , m_completion(new QStringListModel(this))
{
    m_ui->setupUi(this);
    specwidgets::fillSlots(m_ui->pubSlotCombo);
    specwidgets::fillQos(m_ui->pubQosCombo);
    m_ui->topicCombo->lineEdit()->setMaxLength(spec(Param::Topic).maximum);
    m_ui->topicCombo->lineEdit()->setPlaceholderText(tr("Topic to publish to (no + or #)"));
    m_ui->topicCombo->addItems(QSettings().value(HistoryKey).toStringList());
    m_ui->topicCombo->setCurrentText(QString());
    auto *completer = new QCompleter(m_completion, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_ui->topicCombo->setCompleter(completer);
    m_ui->publishErrorLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_ui->publishErrorLabel->hide();

    connect(m_ui->topicCombo->lineEdit(), &QLineEdit::textEdited, this, &PublishPanel::refreshCompletion);
    connect(m_ui->topicCombo->lineEdit(), &QLineEdit::textEdited, this, &PublishPanel::updateCounter);
    connect(m_ui->payloadEdit, &QPlainTextEdit::textChanged, this, &PublishPanel::updateCounter);
    for (QRadioButton *r : {m_ui->pubTextRadio, m_ui->pubHexRadio, m_ui->pubJsonRadio})
        connect(r, &QRadioButton::toggled, this, &PublishPanel::updateCounter);
    connect(m_ui->pubSlotCombo, &QComboBox::currentIndexChanged, this, &PublishPanel::updateCounter);
    // The result line is about the message that was sent: composing another one takes it away.
    const auto composing = [this] { m_ui->resultLabel->clear(); };
    connect(m_ui->topicCombo->lineEdit(), &QLineEdit::textEdited, this, composing);
    connect(m_ui->payloadEdit, &QPlainTextEdit::textChanged, this, composing);
    for (QRadioButton *r : {m_ui->pubTextRadio, m_ui->pubHexRadio, m_ui->pubJsonRadio})
        connect(r, &QRadioButton::toggled, this, composing);
    connect(m_ui->pubSlotCombo, &QComboBox::currentIndexChanged, this, composing);
    connect(m_ui->pubQosCombo, &QComboBox::currentIndexChanged, this, composing);
    connect(m_ui->retainCheck, &QCheckBox::toggled, this, composing);
    connect(m_ui->sendButton, &QPushButton::clicked, this, &PublishPanel::send);
    // Ctrl+Enter sends from the editor and the topic field. A key filter, not a QShortcut: the payload
    // editor would otherwise take the Enter as a line break first.
    m_ui->payloadEdit->installEventFilter(this);
    // The editor gives up height before the counter, the errors, the result and Send leave the dock's view.
    m_ui->payloadEdit->setMinimumHeight(m_ui->payloadEdit->fontMetrics().lineSpacing() * 3 + 12);
    m_ui->payloadEdit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    m_ui->topicCombo->lineEdit()->installEventFilter(this);
    connect(&controller, &ModuleController::publishFinished, this, &PublishPanel::showOutcome);
    connect(m_ui->saveSnippetButton, &QPushButton::clicked, this, &PublishPanel::saveSnippet);
    connect(m_ui->deleteSnippetButton, &QPushButton::clicked, this, &PublishPanel::deleteSnippet);
    connect(m_ui->snippetCombo, &QComboBox::textActivated, this, &PublishPanel::loadSnippet);
    reloadSnippets();
    updateCounter();
}

PublishPanel::~PublishPanel() = default;

bool PublishPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            key->modifiers().testFlag(Qt::ControlModifier)) {
            send();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

PublishPanel::Mode PublishPanel::mode() const
{
    return m_ui->pubHexRadio->isChecked() ? Mode::Hex : m_ui->pubJsonRadio->isChecked() ? Mode::Json : Mode::Text;
}

int PublishPanel::slot() const
{
    return m_ui->pubSlotCombo->currentData().toInt();
}

Validated<QByteArray> PublishPanel::payload() const
{
    const QString text = m_ui->payloadEdit->toPlainText();
    switch (mode()) {
    case Mode::Hex:
        return parseHex(text);
    case Mode::Json: {
        const QByteArray bytes = text.toUtf8();
        const auto json = PayloadFormatter::prettyJson(bytes);
        if (!json.ok) {
            return ValidationError{QStringLiteral("msg"), tr("valid JSON"),
                                   tr("%n byte(s)", nullptr, int(bytes.size())), json.text};
        }
        return bytes;
    }
    case Mode::Text:
        break;
    }
    return text.toUtf8();
}

void PublishPanel::updateCounter()
{
    const DataFormat format = m_controller.commands().settings(slot()).sendFormat;
    const int limit = format == DataFormat::Hex ? MaxPayloadHex : MaxPayloadText;
    const auto bytes = payload();
    // The error line follows the payload as it is edited: a payload that is wrong says so once, and a fixed
    // one leaves no stale error behind (from this check or from the last Send).
    if (!bytes) {
        m_ui->byteCounterLabel->setText(tr("— / %1 bytes").arg(limit));
        m_ui->formLabel->setText(tr("Not sendable as it is:"));
        m_ui->formLabel->setStyleSheet(QString());
        showError(bytes.error().message());
        return;
    }
    showError({});
    const qsizetype size = bytes->size();
    m_ui->byteCounterLabel->setText(tr("%1 / %2 bytes%3")
                                        .arg(size)
                                        .arg(limit)
                                        .arg(format == DataFormat::Hex ? tr(" (the slot sends in hex)") : QString()));
    m_ui->byteCounterLabel->setStyleSheet(size > limit ? QStringLiteral("color: #b00020") : QString());
    m_ui->formLabel->setStyleSheet(QString());
    switch (QmtCommands::chooseForm(*bytes, format)) {
    case PublishForm::Inline:
        m_ui->formLabel->setText(tr("Goes inline: AT+QMTPUB=…,<len>,\"<msg>\""));
        break;
    case PublishForm::FixedLength:
        m_ui->formLabel->setText(tr("Goes by length in data mode (quotes, line breaks or binary bytes)"));
        break;
    default:
        break;
    }
}

void PublishPanel::refreshCompletion()
{
    // The tree holds at most its node cap; reading its topics on an edit is cheap enough.
    QStringList topics = m_tree.topics();
    for (int i = 0; i < m_ui->topicCombo->count(); ++i)
        topics.append(m_ui->topicCombo->itemText(i));
    topics.removeDuplicates();
    m_completion->setStringList(topics);
}

void PublishPanel::showError(const QString &text)
{
    m_ui->publishErrorLabel->setVisible(!text.isEmpty());
    m_ui->publishErrorLabel->setText(text);
}

bool PublishPanel::send()
{
    const auto bytes = payload();
    if (!bytes) {
        showError(bytes.error().message());
        return false;
    }
    const QString topic = m_ui->topicCombo->currentText();
    const auto id = m_controller.publish(slot(), topic.toUtf8(), *bytes, m_ui->pubQosCombo->currentData().toInt(),
                                         m_ui->retainCheck->isChecked());
    if (!id) {
        showError(id.error().message());
        return false;
    }
    showError({});
    m_lastCommand = *id;
    m_ui->resultLabel->setText(tr("Sending…"));
    rememberTopic(topic);
    return true;
}

void PublishPanel::rememberTopic(const QString &topic)
{
    QStringList history = QSettings().value(HistoryKey).toStringList();
    history.removeAll(topic);
    history.prepend(topic);
    while (history.size() > MaxHistory)
        history.removeLast();
    QSettings().setValue(HistoryKey, history);
    const QSignalBlocker block(m_ui->topicCombo);
    m_ui->topicCombo->clear();
    m_ui->topicCombo->addItems(history);
    m_ui->topicCombo->setCurrentText(topic);
}

void PublishPanel::showOutcome(const PublishOutcome &outcome)
{
    if (outcome.commandId != m_lastCommand)
        return;
    m_ui->resultLabel->setText(outcome.msgId ? tr("%1 (msgID %2)").arg(outcome.text).arg(outcome.msgId) : outcome.text);
    m_ui->resultLabel->setStyleSheet(outcome.delivered ? QString() : QStringLiteral("color: #b00020"));
}

void PublishPanel::reloadSnippets()
{
    QSettings settings;
    settings.beginGroup(SnippetGroup);
    const QStringList names = settings.childKeys();
    settings.endGroup();
    m_ui->snippetCombo->clear();
    for (const QString &n : names)
        m_ui->snippetCombo->addItem(QString::fromUtf8(QByteArray::fromPercentEncoding(n.toUtf8())));
}

void PublishPanel::saveSnippet()
{
    asyncdialogs::askText(this, tr("Save snippet"), tr("Snippet name:"), {},
                          [this](const QString &name) { saveSnippetAs(name); });
}

void PublishPanel::saveSnippetAs(const QString &name)
{
    const QJsonObject snippet{{QStringLiteral("topic"), m_ui->topicCombo->currentText()},
                              {QStringLiteral("payload"), m_ui->payloadEdit->toPlainText()},
                              {QStringLiteral("mode"), int(mode())},
                              {QStringLiteral("qos"), m_ui->pubQosCombo->currentData().toInt()},
                              {QStringLiteral("retain"), m_ui->retainCheck->isChecked()}};
    QSettings().setValue(SnippetGroup + QLatin1Char('/') + QString::fromLatin1(name.toUtf8().toPercentEncoding()),
                         QJsonDocument(snippet).toJson(QJsonDocument::Compact));
    reloadSnippets();
    m_ui->snippetCombo->setCurrentText(name);
}

void PublishPanel::loadSnippet(const QString &name)
{
    const QByteArray json =
        QSettings()
            .value(SnippetGroup + QLatin1Char('/') + QString::fromLatin1(name.toUtf8().toPercentEncoding()))
            .toByteArray();
    const QJsonObject s = QJsonDocument::fromJson(json).object();
    if (s.isEmpty())
        return;
    m_ui->topicCombo->setCurrentText(s.value(QStringLiteral("topic")).toString());
    const Mode m = Mode(s.value(QStringLiteral("mode")).toInt());
    (m == Mode::Hex ? m_ui->pubHexRadio : m == Mode::Json ? m_ui->pubJsonRadio : m_ui->pubTextRadio)->setChecked(true);
    m_ui->payloadEdit->setPlainText(s.value(QStringLiteral("payload")).toString());
    m_ui->pubQosCombo->setCurrentIndex(m_ui->pubQosCombo->findData(s.value(QStringLiteral("qos")).toInt()));
    m_ui->retainCheck->setChecked(s.value(QStringLiteral("retain")).toBool());
}

void PublishPanel::deleteSnippet()
{
    const QString name = m_ui->snippetCombo->currentText();
    if (name.isEmpty())
        return;
    QSettings().remove(SnippetGroup + QLatin1Char('/') + QString::fromLatin1(name.toUtf8().toPercentEncoding()));
    reloadSnippets();
}

} // namespace qmt
