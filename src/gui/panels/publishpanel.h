#pragma once

#include "core/qmt/validation.h"

#include <QWidget>

#include <memory>

class QStringListModel;

namespace Ui {
class PublishPanel;
}

namespace qmt {

class ModuleController;
class TopicTreeModel;
struct PublishOutcome;

/// The publish composer: topic with history and completion from the tree, QoS, retain, the payload as
/// text, hex or JSON with validation, a byte counter against the module's limits, the AT+QMTPUB form it
/// will take, saved snippets, Ctrl+Enter to send, and the +QMTPUB result.
class PublishPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Mode {
        Text,
        Hex,
        Json
    };

    PublishPanel(ModuleController &controller, TopicTreeModel &tree, QWidget *parent = nullptr);
    ~PublishPanel() override;

    /// The payload bytes the editor holds in the current mode, or why they are not valid.
    [[nodiscard]] Validated<QByteArray> payload() const;
    /// Publishes what the composer holds; false (and nothing sent) when something is invalid.
    bool send();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    [[nodiscard]] Mode mode() const;
    [[nodiscard]] int slot() const;
    void updateCounter();
    void refreshCompletion();
    void rememberTopic(const QString &topic);
    void showOutcome(const PublishOutcome &outcome);
    void reloadSnippets();
    void saveSnippet();
    void saveSnippetAs(const QString &name);
    void loadSnippet(const QString &name);
    void deleteSnippet();
    void showError(const QString &text);

    std::unique_ptr<Ui::PublishPanel> m_ui;
    ModuleController &m_controller;
    TopicTreeModel &m_tree;
    QStringListModel *m_completion;
    quint64 m_lastCommand = 0;
};

} // namespace qmt
