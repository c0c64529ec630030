#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QTimer>
#include <QWidget>

#include <memory>

namespace Ui {
class SubscriptionPanel;
}

namespace qmt {

class ModuleController;
class SubscriptionListModel;
class TopicFilterModel;
class TopicTreeModel;

/// The subscription tree: subscribe and unsubscribe with validated MQTT filters, the topics received as a
/// tree with counts, and the selected topic's last payload as text, hex or pretty JSON.
class SubscriptionPanel : public QWidget
{
    Q_OBJECT

public:
    SubscriptionPanel(ModuleController &controller, TopicTreeModel &tree, QWidget *parent = nullptr);
    ~SubscriptionPanel() override;

Q_SIGNALS:
    /// The user asked for the selected topic's numbers to be charted; its last message comes along.
    void chartRequested(const QByteArray &topic, const QByteArray &lastPayload, const QDateTime &received);

private:
    void subscribe();
    void unsubscribe();
    void showPayload();
    void validateFilter();
    void fitTopicColumn();

    std::unique_ptr<Ui::SubscriptionPanel> m_ui;
    ModuleController &m_controller;
    TopicTreeModel &m_tree;
    TopicFilterModel *m_filter;
    SubscriptionListModel *m_subscriptions;
    QTimer m_topicColumnFit;
    bool m_fittingTopicColumn = false;
    bool m_topicColumnSizedByUser = false;
};

} // namespace qmt
