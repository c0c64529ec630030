#pragma once

#include "core/qmt/qmtevents.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

namespace qmt {

/// The topics received through +QMTRECV as a tree of topic levels, with the last message of each topic.
///
/// A topic splits at every "/": "/a" has an empty first level and "a//b" an empty middle one, shown as
/// "(empty)"; " /a" starts with a level made of one space (shown quoted, so it can be seen). Children keep
/// the order in which their topics first arrived: rows never move under the user's eyes while messages
/// stream in, and new siblings are always appended, so one tick inserts them with one beginInsertRows per
/// parent. Sorting is the proxy's job (TopicFilterModel sorts by any column).
///
/// Bounded: at most maxNodes() nodes; a message whose topic would need more is counted in
/// droppedMessages() instead of growing the tree. Each node keeps at most maxPayloadBytes() of its last
/// payload and says so (TruncatedRole, FullLengthRole). Batched: add() queues, merging messages on the
/// same topic (counts add up, the last payload wins), so the queue never holds more entries than topics;
/// the UI tick inserts the new nodes (one beginInsertRows per parent) and emits dataChanged once per
/// changed range of siblings, within a time budget so that a flood never stalls the event loop.
class TopicTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column {
        TopicColumn,    ///< the level name
        MessagesColumn, ///< messages received on exactly this topic
        TotalColumn,    ///< messages received on this topic and every topic below it
        PayloadColumn,  ///< a one-line preview of the last payload
        SizeColumn,     ///< the last payload's full length (and what was kept, if less)
        QosColumn,
        SlotColumn,
        TimeColumn, ///< when the last message arrived
        ColumnCount
    };
    enum Role {
        PayloadRole = Qt::UserRole + 1, ///< QByteArray: the last payload as kept (maybe truncated)
        FullTopicRole,                  ///< QString: the whole topic name
        TopicBytesRole,                 ///< QByteArray: the whole topic name as received
        TruncatedRole,                  ///< bool: the kept payload is shorter than the message
        FullLengthRole,                 ///< qint64: the message's payload length
        OwnCountRole,                   ///< qulonglong
        SubtreeCountRole,               ///< qulonglong
        QosRole,                        ///< int, -1 when unknown
        SlotRole,                       ///< int, -1 for nodes without a message
        ReceivedRole,                   ///< QDateTime, invalid for nodes without a message
        HasMessageRole                  ///< bool: a message arrived on exactly this topic
    };

    static constexpr int DefaultMaxNodes = 50'000;
    static constexpr qsizetype DefaultMaxPayloadBytes = 64 * 1024;
    static constexpr int DefaultTickIntervalMs = 33;
    /// How long one tick may spend applying queued messages before it lets the event loop run.
    static constexpr int DefaultTickBudgetMs = 10;

    explicit TopicTreeModel(QObject *parent = nullptr);
    ~TopicTreeModel() override;

    /// Queues one received message. `received` invalid means now; `qos` when the caller knows it (the
    /// module does not print it; the granted QoS of the matching subscription is a good guess). The model
    /// keeps the message's byte arrays (implicitly shared), so they must own their bytes, as the parser's do.
    void add(const RecvMessage &message, const QDateTime &received = {}, std::optional<int> qos = {});
    /// Applies every queued message now (tests; the UI tick applies them within its time budget).
    void flush();
    void setTickInterval(int ms);
    [[nodiscard]] int tickInterval() const { return m_tickIntervalMs; }
    /// A tick that runs out of time leaves the rest queued and continues on the next event-loop turn.
    void setTickBudget(int ms);
    [[nodiscard]] int tickBudget() const { return m_tickBudgetMs; }
    /// Topics with messages waiting for the next tick.
    [[nodiscard]] qsizetype queuedTopics() const;

    /// Removes every topic and queued message and resets the dropped count.
    void clear();

    /// The node cap (at least 1, the root counts). Lowering it keeps the nodes there are and refuses new
    /// topics until clear().
    void setMaxNodes(int nodes);
    [[nodiscard]] int maxNodes() const { return m_maxNodes; }
    [[nodiscard]] int nodeCount() const { return m_nodeCount; }
    /// Bytes kept of each payload from now on (at least 1).
    void setMaxPayloadBytes(qsizetype bytes);
    [[nodiscard]] qsizetype maxPayloadBytes() const { return m_maxPayloadBytes; }
    /// Messages refused because their topic would exceed the node cap, since the last clear().
    [[nodiscard]] quint64 droppedMessages() const { return m_dropped; }
    /// Messages applied to the tree (the sum of every topic's count), since the last clear().
    [[nodiscard]] quint64 messageCount() const;

    /// The node of exactly this topic (applied messages only), or an invalid index.
    [[nodiscard]] QModelIndex indexOfTopic(QByteArrayView topic, int column = TopicColumn) const;
    /// Every topic a message arrived on, depth first in row order (e.g. for publish-topic completion).
    [[nodiscard]] QStringList topics() const;
    /// The whole topic name of a node as received.
    [[nodiscard]] QByteArray topicOf(const QModelIndex &index) const;
    [[nodiscard]] bool hasMessage(const QModelIndex &index) const;

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] bool hasChildren(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void droppedMessagesChanged(quint64 dropped);

private:
    struct Node;
    struct Queued;
    struct PendingInsert;

    [[nodiscard]] Node *nodeOf(const QModelIndex &index) const;
    [[nodiscard]] QModelIndex indexOf(const Node *node, int column = TopicColumn) const;
    void onTick();
    /// Applies queued messages until `budgetNs` is spent (all of them when negative), then signals.
    void process(qint64 budgetNs);
    void compactQueue();
    void apply(const Queued &message);
    /// The node of `topic`, creating missing levels; nullptr when that would pass the node cap. Fills m_path.
    Node *findOrCreatePath(QByteArrayView topic);
    Node *createChild(Node *parent, QByteArrayView level);
    void markDirty(Node *node);
    void insertPending();
    void emitDirty();
    void scheduleTick();

    std::unique_ptr<Node> m_root;
    std::vector<Queued> m_queue;               ///< one entry per topic, in order of first arrival
    qsizetype m_queueHead = 0;                 ///< entries before it are applied already
    QHash<QByteArray, qsizetype> m_queueIndex; ///< topic → its entry in m_queue (stale if before the head)
    int m_queuedNewTopics = 0;                 ///< waiting entries for topics not in the tree yet
    qint64 m_signalCostNs = 2000;              ///< what one insert or dataChanged cost lately
    std::vector<PendingInsert> m_pendingInserts;
    std::vector<Node *> m_dirtyParents;
    QHash<QByteArray, Node *> m_byTopic; ///< whole topic → node, for topics that received a message
    std::vector<Node *> m_path;          ///< scratch for apply(), kept to avoid an allocation per message
    QTimer m_tick;
    QElapsedTimer m_sinceSignalled; ///< since the views last heard of changes
    quint64 m_flushNumber = 1;
    quint64 m_dropped = 0;
    quint64 m_reportedDropped = 0;
    qsizetype m_maxPayloadBytes = DefaultMaxPayloadBytes;
    int m_maxNodes = DefaultMaxNodes;
    int m_nodeCount = 1;
    int m_tickIntervalMs = DefaultTickIntervalMs;
    int m_tickBudgetMs = DefaultTickBudgetMs;
};

} // namespace qmt
