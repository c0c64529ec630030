#include "gui/models/topictreemodel.h"

#include "gui/models/payloadformatter.h"

#include <QElapsedTimer>
#include <QFont>
#include <QHash>
#include <QVarLengthArray>

namespace qmt {

namespace {

constexpr qsizetype PreviewBytes = 100;

using Levels = QVarLengthArray<QByteArrayView, 16>;

void splitLevels(QByteArrayView topic, Levels &out)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i <= topic.size(); ++i) {
        if (i == topic.size() || topic[i] == '/') {
            out.append(topic.sliced(start, i - start));
            start = i + 1;
        }
    }
}

/// A hash key over bytes that outlive the lookup, without copying them.
QByteArray lookupKey(QByteArrayView level)
{
    return QByteArray::fromRawData(level.data(), level.size());
}

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace

struct TopicTreeModel::Node
{
    Node *parent = nullptr;
    QByteArray level;
    /// The rows under this node. A node created in the current flush holds its new children here at
    /// once (it is not in the model yet); a node already in the model gets them at the flush's end.
    std::vector<std::unique_ptr<Node>> children;
    QHash<QByteArray, Node *> byLevel; ///< every child, shown or waiting to be inserted
    QByteArray payload;
    qint64 fullLength = 0;
    qint64 receivedMs = 0;
    quint64 ownCount = 0;
    quint64 subtreeCount = 0;
    quint64 createdIn = 0; ///< the flush that created it
    int row = 0;
    int pendingInsert = -1; ///< index into m_pendingInserts while new children wait
    int dirtyFirst = -1;    ///< rows of children changed in this flush
    int dirtyLast = -1;
    qint8 qos = -1;
    qint8 slot = -1;
    bool truncated = false;
};

struct TopicTreeModel::Queued
{
    QByteArray topic;
    QByteArray payload; ///< cut to maxPayloadBytes() already
    qint64 fullLength = 0;
    qint64 receivedMs = 0;
    qint8 slot = -1;
    qint8 qos = -1;
    bool truncated = false;
    quint64 count = 1;  ///< messages merged into this entry; the others' payloads were superseded
    bool isNew = false; ///< the topic had no node when it was queued
};

struct TopicTreeModel::PendingInsert
{
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> nodes;
};

TopicTreeModel::TopicTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    m_tick.setSingleShot(true);
    m_tick.setObjectName(QStringLiteral("TopicTreeModel tick")); // named for profilers and benchmarks
    connect(&m_tick, &QTimer::timeout, this, &TopicTreeModel::onTick);
}

TopicTreeModel::~TopicTreeModel() = default;

void TopicTreeModel::add(const RecvMessage &message, const QDateTime &received, std::optional<int> qos)
{
    Queued q;
    q.topic = message.topic;
    const qsizetype size = message.payload.size();
    q.payload = size > m_maxPayloadBytes ? message.payload.first(m_maxPayloadBytes) : message.payload;
    // The module may announce more than it printed (a payload cut short): the announced length is the
    // message's length.
    q.fullLength = qMax<qint64>(size, message.declaredLength.value_or(0));
    q.truncated = q.payload.size() < q.fullLength || message.unterminated;
    q.receivedMs = received.isValid() ? received.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    q.slot = qint8(message.connectId);
    q.qos = qint8(qos.value_or(-1));
    scheduleTick();

    // Messages on a topic already waiting merge into its entry: the tick does one update per topic, and the
    // queue can never hold more entries than there are topics.
    if (const auto it = m_queueIndex.constFind(q.topic); it != m_queueIndex.cend() && it.value() >= m_queueHead) {
        Queued &waiting = m_queue[size_t(it.value())];
        q.count = waiting.count + 1;
        q.isNew = waiting.isNew;
        waiting = std::move(q);
        return;
    }
    q.isNew = !m_byTopic.contains(q.topic);
    if (q.isNew) {
        // New topics beyond the node cap cannot all be kept anyway; refusing them here bounds the queue.
        if (m_queuedNewTopics >= m_maxNodes) {
            ++m_dropped;
            return;
        }
        ++m_queuedNewTopics;
    }
    m_queueIndex.insert(q.topic, qsizetype(m_queue.size())); // replaces the position of an applied entry
    m_queue.push_back(std::move(q));
}

void TopicTreeModel::scheduleTick()
{
    if (!m_tick.isActive())
        m_tick.start(m_tickIntervalMs);
}

void TopicTreeModel::setTickInterval(int ms)
{
    m_tickIntervalMs = qMax(0, ms);
    if (m_tick.isActive())
        m_tick.start(m_tickIntervalMs);
}

quint64 TopicTreeModel::messageCount() const
{
    return m_root->subtreeCount;
}

qsizetype TopicTreeModel::queuedTopics() const
{
    return qsizetype(m_queue.size()) - m_queueHead;
}

void TopicTreeModel::setTickBudget(int ms)
{
    m_tickBudgetMs = qMax(1, ms);
}

void TopicTreeModel::flush()
{
    m_tick.stop();
    process(-1);
}

void TopicTreeModel::onTick()
{
    process(qint64(m_tickBudgetMs) * 1'000'000);
    if (queuedTopics() > 0)
        m_tick.start(0); // a backlog: go on as soon as the event loop has had its turn
}

void TopicTreeModel::process(qint64 budgetNs)
{
    if (queuedTopics() > 0) {
        QElapsedTimer timer;
        timer.start();
        const qsizetype start = m_queueHead;
        while (m_queueHead < qsizetype(m_queue.size())) {
            Queued &q = m_queue[size_t(m_queueHead++)];
            apply(q);
            m_queuedNewTopics -= q.isNew;
            q = Queued(); // the payload now lives in its node
            if (budgetNs < 0 || (m_queueHead - start) % 32 != 0)
                continue;
            // Stop while the signals still to come fit in the budget too: with a proxy attached, thousands
            // of dataChanged cost as much as the updates themselves.
            const qint64 signalsNs = qint64(m_dirtyParents.size() + m_pendingInserts.size()) * m_signalCostNs;
            if (timer.nsecsElapsed() + signalsNs > budgetNs)
                break;
        }
        // Working through a backlog, the tick goes on at every turn of the event loop; the views hear of
        // the changes at most once per tick interval all the same, so they repaint at a bounded rate however
        // far behind the tree is. New rows wait outside the model (and changed ranges add up) meanwhile.
        if (budgetNs < 0 || queuedTopics() == 0 || !m_sinceSignalled.isValid() ||
            m_sinceSignalled.elapsed() >= m_tickIntervalMs) {
            const qint64 appliedNs = timer.nsecsElapsed();
            const qint64 signalCount = qint64(m_dirtyParents.size() + m_pendingInserts.size());
            insertPending();
            emitDirty();
            ++m_flushNumber;
            m_sinceSignalled.start();
            if (signalCount > 0)
                m_signalCostNs = (3 * m_signalCostNs + (timer.nsecsElapsed() - appliedNs) / signalCount) / 4;
        }
        compactQueue();
    }
    if (m_dropped != m_reportedDropped) {
        m_reportedDropped = m_dropped;
        Q_EMIT droppedMessagesChanged(m_dropped);
    }
}

void TopicTreeModel::compactQueue()
{
    if (m_queueHead == qsizetype(m_queue.size())) {
        const qsizetype size = m_queueIndex.size();
        m_queue.clear();
        m_queueIndex.clear();
        m_queueIndex.reserve(size);
        m_queueHead = 0;
        return;
    }
    if (m_queueHead < qsizetype(m_queue.size()) / 2)
        return; // applied entries are dropped in bulk, when they are half the queue: amortised O(1)
    m_queue.erase(m_queue.begin(), m_queue.begin() + m_queueHead);
    m_queueHead = 0;
    m_queueIndex.clear();
    for (size_t i = 0; i < m_queue.size(); ++i)
        m_queueIndex.insert(m_queue[i].topic, qsizetype(i));
}

void TopicTreeModel::apply(const Queued &message)
{
    m_path.clear();
    Node *node = m_byTopic.value(message.topic);
    if (node) {
        // A known topic (nearly every message): one lookup instead of one per level, which matters
        // because the levels' hash tables are spread over memory the cache has long forgotten.
        for (Node *n = node; n != m_root.get(); n = n->parent)
            m_path.push_back(n);
    } else {
        node = findOrCreatePath(message.topic);
        if (!node) {
            m_dropped += message.count; // whole messages: no count anywhere, no partial path
            return;
        }
        m_byTopic.insert(message.topic, node);
    }
    m_root->subtreeCount += message.count;
    for (Node *n : m_path) {
        n->subtreeCount += message.count;
        markDirty(n);
    }
    node->ownCount += message.count;
    node->payload = message.payload;
    node->fullLength = message.fullLength;
    node->truncated = message.truncated;
    node->receivedMs = message.receivedMs;
    node->slot = message.slot;
    node->qos = message.qos;
}

TopicTreeModel::Node *TopicTreeModel::findOrCreatePath(QByteArrayView topic)
{
    Levels levels;
    splitLevels(topic, levels);
    Node *node = m_root.get();
    qsizetype depth = 0;
    for (; depth < levels.size(); ++depth) {
        Node *child = node->byLevel.value(lookupKey(levels[depth]));
        if (!child)
            break;
        node = child;
        m_path.push_back(node);
    }
    if (depth < levels.size()) {
        if (m_nodeCount + (levels.size() - depth) > m_maxNodes)
            return nullptr;
        for (; depth < levels.size(); ++depth) {
            node = createChild(node, levels[depth]);
            m_path.push_back(node);
        }
    }
    return node;
}

TopicTreeModel::Node *TopicTreeModel::createChild(Node *parent, QByteArrayView level)
{
    auto child = std::make_unique<Node>();
    Node *raw = child.get();
    raw->parent = parent;
    raw->level = level.toByteArray();
    raw->createdIn = m_flushNumber;
    parent->byLevel.insert(raw->level, raw);
    ++m_nodeCount;
    if (parent->createdIn == m_flushNumber) {
        // The parent enters the model later in this flush, its whole subtree with it.
        raw->row = int(parent->children.size());
        parent->children.push_back(std::move(child));
        return raw;
    }
    if (parent->pendingInsert < 0) {
        parent->pendingInsert = int(m_pendingInserts.size());
        m_pendingInserts.push_back(PendingInsert{parent, {}});
    }
    std::vector<std::unique_ptr<Node>> &batch = m_pendingInserts[size_t(parent->pendingInsert)].nodes;
    raw->row = int(parent->children.size() + batch.size());
    batch.push_back(std::move(child));
    return raw;
}

void TopicTreeModel::markDirty(Node *node)
{
    if (node->createdIn == m_flushNumber)
        return; // inserted with its data at the end of this flush
    Node *p = node->parent;
    if (p->dirtyFirst < 0) {
        p->dirtyFirst = p->dirtyLast = node->row;
        m_dirtyParents.push_back(p);
    } else {
        p->dirtyFirst = qMin(p->dirtyFirst, node->row);
        p->dirtyLast = qMax(p->dirtyLast, node->row);
    }
}

void TopicTreeModel::insertPending()
{
    for (PendingInsert &pending : m_pendingInserts) {
        Node *parent = pending.parent;
        const int first = int(parent->children.size());
        beginInsertRows(indexOf(parent), first, first + int(pending.nodes.size()) - 1);
        for (std::unique_ptr<Node> &node : pending.nodes)
            parent->children.push_back(std::move(node));
        endInsertRows();
        parent->pendingInsert = -1;
    }
    m_pendingInserts.clear();
}

void TopicTreeModel::emitDirty()
{
    for (Node *p : m_dirtyParents) {
        const QModelIndex parentIndex = indexOf(p);
        Q_EMIT dataChanged(index(p->dirtyFirst, 0, parentIndex), index(p->dirtyLast, ColumnCount - 1, parentIndex));
        p->dirtyFirst = p->dirtyLast = -1;
    }
    m_dirtyParents.clear();
}

void TopicTreeModel::clear()
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_byTopic.clear();
    m_queue.clear();
    m_queueIndex.clear();
    m_queueHead = 0;
    m_queuedNewTopics = 0;
    m_pendingInserts.clear();
    m_dirtyParents.clear();
    m_nodeCount = 1;
    endResetModel();
    m_dropped = 0;
    if (m_reportedDropped != 0) {
        m_reportedDropped = 0;
        Q_EMIT droppedMessagesChanged(0);
    }
}

void TopicTreeModel::setMaxNodes(int nodes)
{
    m_maxNodes = qMax(1, nodes);
}

void TopicTreeModel::setMaxPayloadBytes(qsizetype bytes)
{
    m_maxPayloadBytes = qMax<qsizetype>(1, bytes);
}

TopicTreeModel::Node *TopicTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex TopicTreeModel::indexOf(const Node *node, int column) const
{
    if (node == m_root.get())
        return {};
    return createIndex(node->row, column, node);
}

QModelIndex TopicTreeModel::indexOfTopic(QByteArrayView topic, int column) const
{
    Levels levels;
    splitLevels(topic, levels);
    const Node *node = m_root.get();
    for (QByteArrayView level : levels) {
        node = node->byLevel.value(lookupKey(level));
        if (!node)
            return {};
    }
    if (node->createdIn == m_flushNumber)
        return {}; // waiting to be inserted: not in the model yet
    return indexOf(node, column);
}

QStringList TopicTreeModel::topics() const
{
    QStringList out;
    // Iterative depth-first walk: topics may have up to 256 levels.
    std::vector<std::pair<const Node *, QByteArray>> stack;
    for (auto it = m_root->children.rbegin(); it != m_root->children.rend(); ++it)
        stack.emplace_back(it->get(), (*it)->level);
    while (!stack.empty()) {
        auto [node, topic] = std::move(stack.back());
        stack.pop_back();
        if (node->ownCount > 0)
            out.append(QString::fromUtf8(topic));
        for (auto it = node->children.rbegin(); it != node->children.rend(); ++it)
            stack.emplace_back(it->get(), topic + '/' + (*it)->level);
    }
    return out;
}

QByteArray TopicTreeModel::topicOf(const QModelIndex &index) const
{
    QList<const Node *> chain;
    for (const Node *n = nodeOf(index); n != m_root.get(); n = n->parent)
        chain.prepend(n);
    QByteArray topic;
    for (const Node *n : chain)
        topic += n->level + '/';
    topic.chop(1);
    return topic;
}

bool TopicTreeModel::hasMessage(const QModelIndex &index) const
{
    return index.isValid() && nodeOf(index)->ownCount > 0;
}

QModelIndex TopicTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, nodeOf(parent)->children[size_t(row)].get());
}

QModelIndex TopicTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int TopicTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != TopicColumn)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int TopicTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool TopicTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant TopicTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node &n = *nodeOf(index);
    const bool has = n.ownCount > 0;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TopicColumn: {
            if (n.level.isEmpty())
                return tr("(empty)");
            const QString text = PayloadFormatter::visibleText(n.level);
            if (text.front().isSpace() || text.back().isSpace())
                return QString(u'"' + text + u'"'); // a level " " must be seen
            return text;
        }
        case MessagesColumn:
            return n.ownCount;
        case TotalColumn:
            return n.subtreeCount;
        case PayloadColumn: {
            if (!has)
                return {};
            const QByteArrayView shown = PayloadFormatter::utf8Prefix(n.payload, PreviewBytes);
            QString preview = PayloadFormatter::visibleText(shown);
            if (shown.size() < n.fullLength)
                preview += u'…';
            return preview;
        }
        case SizeColumn:
            if (!has)
                return {};
            return n.truncated ? tr("%1 (kept %2)").arg(n.fullLength).arg(n.payload.size())
                               : QString::number(n.fullLength);
        case QosColumn:
            return has && n.qos >= 0 ? QVariant(int(n.qos)) : QVariant();
        case SlotColumn:
            return has ? QVariant(int(n.slot)) : QVariant();
        case TimeColumn:
            return has ? QVariant(timeText(n.receivedMs)) : QVariant();
        }
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TopicColumn:
            return tr("%1\n%n message(s) on this topic", nullptr, int(n.ownCount))
                       .arg(PayloadFormatter::visibleText(topicOf(index))) +
                   u'\n' + tr("%n message(s) including subtopics", nullptr, int(n.subtreeCount));
        case PayloadColumn:
        case SizeColumn:
            if (has && n.truncated)
                return PayloadFormatter::truncationNote(n.payload.size(), n.fullLength);
            return {};
        case TimeColumn:
            return has ? QVariant(QDateTime::fromMSecsSinceEpoch(n.receivedMs).toString(Qt::ISODateWithMs))
                       : QVariant();
        }
        return {};
    case Qt::FontRole:
        if (index.column() == TopicColumn && n.level.isEmpty()) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case MessagesColumn:
        case TotalColumn:
        case SizeColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case PayloadRole:
        return n.payload;
    case FullTopicRole:
        return QString::fromUtf8(topicOf(index));
    case TopicBytesRole:
        return topicOf(index);
    case TruncatedRole:
        return n.truncated;
    case FullLengthRole:
        return n.fullLength;
    case OwnCountRole:
        return n.ownCount;
    case SubtreeCountRole:
        return n.subtreeCount;
    case QosRole:
        return int(n.qos);
    case SlotRole:
        return has ? int(n.slot) : -1;
    case ReceivedRole:
        return has ? QDateTime::fromMSecsSinceEpoch(n.receivedMs) : QDateTime();
    case HasMessageRole:
        return has;
    }
    return {};
}

QVariant TopicTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TopicColumn:
        return tr("Topic");
    case MessagesColumn:
        return tr("Messages");
    case TotalColumn:
        return tr("Total");
    case PayloadColumn:
        return tr("Last payload");
    case SizeColumn:
        return tr("Size");
    case QosColumn:
        return tr("QoS");
    case SlotColumn:
        return tr("Slot");
    case TimeColumn:
        return tr("Received");
    }
    return {};
}

} // namespace qmt
