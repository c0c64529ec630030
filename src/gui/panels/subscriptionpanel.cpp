#include "gui/panels/subscriptionpanel.h"

#include "gui/panels/specwidgets.h"
#include "ui_subscriptionpanel.h"

#include "core/module/modulecontroller.h"
#include "gui/models/payloadformatter.h"
#include "gui/models/subscriptionlistmodel.h"
#include "gui/models/topicfiltermodel.h"
#include "gui/models/topictreemodel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>

namespace qmt {

namespace {

/// How long after a change of the rows on show the Topic column is fitted to them (at most once per delay).
constexpr int TopicColumnFitDelayMs = 250;

} // namespace

SubscriptionPanel::SubscriptionPanel(ModuleController &controller, TopicTreeModel &tree, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::SubscriptionPanel>())
    , m_controller(controller)
    , m_tree(tree)
    , m_filter(new TopicFilterModel(this))
    , m_subscriptions(new SubscriptionListModel(controller, this))
{
    m_ui->setupUi(this);
    specwidgets::fillSlots(m_ui->subSlotCombo);
    specwidgets::fillQos(m_ui->subQosCombo);
    m_ui->filterEdit->setMaxLength(spec(Param::Topic).maximum);
    m_ui->subscriptionList->setModel(m_subscriptions);
    m_filter->setSourceModel(&tree);
    m_ui->topicTree->setModel(m_filter);
    m_ui->topicTree->setSortingEnabled(true);
    m_ui->topicTree->sortByColumn(-1, Qt::AscendingOrder); // arrival order until the user sorts
    // The Topic column fits the topics on show, measured at most a few times a second after rows come or
    // open up: measuring on every change (ResizeToContents) lays out the text of every open row again for
    // each dataChanged, which took most of the GUI thread under a flood. Once the user sizes the column,
    // it stays as they left it.
    m_topicColumnFit.setSingleShot(true);
    m_topicColumnFit.setInterval(TopicColumnFitDelayMs);
    connect(&m_topicColumnFit, &QTimer::timeout, this, &SubscriptionPanel::fitTopicColumn);
    const auto scheduleFit = [this] {
        if (!m_topicColumnSizedByUser && !m_topicColumnFit.isActive())
            m_topicColumnFit.start();
    };
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, scheduleFit);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, scheduleFit);
    connect(m_filter, &QAbstractItemModel::modelReset, this, scheduleFit);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, scheduleFit);
    connect(m_ui->topicTree, &QTreeView::expanded, this, scheduleFit);
    connect(m_ui->topicTree, &QTreeView::collapsed, this, scheduleFit);
    connect(m_ui->topicTree->header(), &QHeaderView::sectionResized, this, [this](int section) {
        if (section == TopicTreeModel::TopicColumn && !m_fittingTopicColumn)
            m_topicColumnSizedByUser = true;
    });
    // New topics near the root open up as they arrive, as in MQTT Explorer; deeper ones stay folded.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &under, int first, int last) {
        if (under.isValid() && under.parent().isValid())
            return;
        for (int row = first; row <= last; ++row)
            m_ui->topicTree->expandRecursively(m_filter->index(row, 0, under), under.isValid() ? 1 : 2);
    });
    m_ui->subscribeErrorLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_ui->subscribeErrorLabel->hide();
    m_ui->treeSplitter->setStretchFactor(0, 3);
    m_ui->treeSplitter->setStretchFactor(1, 1);

    connect(m_ui->subscribeButton, &QPushButton::clicked, this, &SubscriptionPanel::subscribe);
    connect(m_ui->filterEdit, &QLineEdit::returnPressed, this, &SubscriptionPanel::subscribe);
    connect(m_ui->filterEdit, &QLineEdit::textChanged, this, &SubscriptionPanel::validateFilter);
    connect(m_ui->unsubscribeButton, &QPushButton::clicked, this, &SubscriptionPanel::unsubscribe);
    connect(m_ui->treeFilterEdit, &QLineEdit::textChanged, m_filter, &TopicFilterModel::setFilterText);
    connect(m_ui->topicTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SubscriptionPanel::showPayload);
    connect(m_filter, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &from, const QModelIndex &to) {
        const QModelIndex current = m_ui->topicTree->currentIndex();
        if (current.isValid() && current.parent() == from.parent() && current.row() >= from.row() &&
            current.row() <= to.row())
            showPayload();
    });
    for (QRadioButton *r : {m_ui->textRadio, m_ui->hexRadio, m_ui->jsonRadio})
        connect(r, &QRadioButton::toggled, this, &SubscriptionPanel::showPayload);
    connect(m_ui->copyTopicButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(
            m_ui->topicTree->currentIndex().data(TopicTreeModel::FullTopicRole).toString());
    });
    connect(m_ui->chartButton, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_ui->topicTree->currentIndex();
        if (current.isValid() && current.data(TopicTreeModel::HasMessageRole).toBool())
            Q_EMIT chartRequested(current.data(TopicTreeModel::TopicBytesRole).toByteArray(),
                                  current.data(TopicTreeModel::PayloadRole).toByteArray(),
                                  current.data(TopicTreeModel::ReceivedRole).toDateTime());
    });
    connect(m_ui->copyPayloadButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_ui->payloadView->toPlainText()); });
    // Topics past the cap are refused, not evicted (a tree that reshapes itself under the reader is worse);
    // a lower cap therefore applies to new topics, and Clear starts over.
    m_ui->maxTopicsSpin->setRange(100, 1'000'000);
    m_ui->maxTopicsSpin->setSingleStep(10'000);
    m_ui->maxTopicsSpin->setValue(tree.maxNodes());
    m_ui->maxTopicsSpin->setToolTip(
        tr("The tree holds at most this many topic levels; messages on further new topics are "
           "counted as dropped. Lowering it applies to new topics."));
    connect(m_ui->maxTopicsSpin, &QSpinBox::editingFinished, this,
            [this, &tree] { tree.setMaxNodes(m_ui->maxTopicsSpin->value()); });
    connect(m_ui->clearTopicsButton, &QPushButton::clicked, &tree, &TopicTreeModel::clear);
    // A reset moves no current index (no currentChanged): the payload shown would outlive its topic.
    connect(m_filter, &QAbstractItemModel::modelReset, this, &SubscriptionPanel::showPayload);
    connect(&tree, &TopicTreeModel::droppedMessagesChanged, this, [this](quint64 dropped) {
        m_ui->droppedTopicsLabel->setText(
            dropped ? tr("%n message(s) on new topics dropped: the tree is full", nullptr, int(dropped)) : QString());
    });
    validateFilter();
}

SubscriptionPanel::~SubscriptionPanel() = default;

void SubscriptionPanel::fitTopicColumn()
{
    m_fittingTopicColumn = true;
    m_ui->topicTree->resizeColumnToContents(TopicTreeModel::TopicColumn);
    m_fittingTopicColumn = false;
}

void SubscriptionPanel::validateFilter()
{
    const QByteArray filter = m_ui->filterEdit->text().toUtf8();
    const auto error = filter.isEmpty() ? std::nullopt : check::topicFilter(filter);
    m_ui->subscribeButton->setEnabled(!filter.isEmpty() && !error);
    m_ui->subscribeErrorLabel->setVisible(error.has_value());
    if (error)
        m_ui->subscribeErrorLabel->setText(error->message());
}

void SubscriptionPanel::subscribe()
{
    const QByteArray filter = m_ui->filterEdit->text().toUtf8();
    const auto result = m_controller.subscribe(m_ui->subSlotCombo->currentData().toInt(), filter,
                                               m_ui->subQosCombo->currentData().toInt());
    m_ui->subscribeErrorLabel->setVisible(!result);
    if (!result) {
        m_ui->subscribeErrorLabel->setText(result.error().message());
        return;
    }
    m_ui->filterEdit->clear();
}

void SubscriptionPanel::unsubscribe()
{
    const QModelIndex index = m_ui->subscriptionList->currentIndex();
    if (!index.isValid())
        return;
    const auto result = m_controller.unsubscribe(index.data(SubscriptionListModel::SlotRole).toInt(),
                                                 index.data(SubscriptionListModel::FilterRole).toByteArray());
    m_ui->subscribeErrorLabel->setVisible(!result);
    if (!result)
        m_ui->subscribeErrorLabel->setText(result.error().message());
}

void SubscriptionPanel::showPayload()
{
    const QModelIndex index = m_ui->topicTree->currentIndex();
    if (!index.isValid() || !index.data(TopicTreeModel::HasMessageRole).toBool()) {
        m_ui->payloadView->clear();
        m_ui->payloadInfoLabel->setText(index.isValid() ? tr("No message on exactly this topic.") : QString());
        return;
    }
    const QByteArray payload = index.data(TopicTreeModel::PayloadRole).toByteArray();
    const qint64 full = index.data(TopicTreeModel::FullLengthRole).toLongLong();
    const auto view = m_ui->hexRadio->isChecked()    ? PayloadFormatter::View::Hex
                      : m_ui->jsonRadio->isChecked() ? PayloadFormatter::View::Json
                                                     : PayloadFormatter::View::Text;
    m_ui->payloadView->setPlainText(PayloadFormatter::render(view, payload, full));
    QString info =
        tr("%1 — %n byte(s), slot %2, %3", nullptr, int(full))
            .arg(index.data(TopicTreeModel::FullTopicRole).toString())
            .arg(index.data(TopicTreeModel::SlotRole).toInt())
            .arg(index.data(TopicTreeModel::ReceivedRole).toDateTime().toString(QStringLiteral("HH:mm:ss.zzz")));
    if (index.data(TopicTreeModel::TruncatedRole).toBool())
        info += QLatin1Char(' ') + PayloadFormatter::truncationNote(payload.size(), full);
    m_ui->payloadInfoLabel->setText(info);
}

} // namespace qmt
