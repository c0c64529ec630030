#include "app/studio/statsreporter.h"

#include "core/module/modulecontroller.h"
#include "gui/mainwindow.h"
#include "gui/models/atlogmodel.h"
#include "gui/models/topictreemodel.h"
#include "gui/panels/logpanel.h"
#include "gui/panels/subscriptionpanel.h"

#include <QEvent>
#include <QTableView>
#include <QTreeView>

#include <chrono>

namespace qmt {

namespace {

constexpr int ProbeIntervalMs = 10;
constexpr int ReportIntervalMs = 250;
constexpr int ReportedRows = 4;

double monotonicMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

StatsReporter::StatsReporter(MainWindow &window, const QString &path, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_topicTree(window.subscriptionPanel().findChild<QTreeView *>(QStringLiteral("topicTree")))
    , m_file(path)
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return;
    if (m_topicTree) {
        m_treeViewport = m_topicTree->viewport();
        m_treeViewport->installEventFilter(this);
    }
    if (auto *log = window.logPanel().findChild<QTableView *>(QStringLiteral("logTable"))) {
        m_logViewport = log->viewport();
        m_logViewport->installEventFilter(this);
    }
    m_probe.setTimerType(Qt::PreciseTimer);
    m_probe.setSingleShot(true);
    connect(&m_probe, &QTimer::timeout, this, &StatsReporter::onProbe);
    m_sinceArmed.start();
    m_probe.start(ProbeIntervalMs);
    m_report.setInterval(ReportIntervalMs);
    connect(&m_report, &QTimer::timeout, this, &StatsReporter::writeLine);
    m_report.start();
}

bool StatsReporter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint) {
        m_treePaints += watched == m_treeViewport;
        m_logPaints += watched == m_logViewport;
    }
    return QObject::eventFilter(watched, event);
}

void StatsReporter::onProbe()
{
    const qint64 lateNs = m_sinceArmed.nsecsElapsed() - qint64(ProbeIntervalMs) * 1'000'000;
    m_latenciesMs.push_back(double(std::max<qint64>(0, lateNs)) / 1e6);
    m_sinceArmed.start();
    m_probe.start(ProbeIntervalMs);
}

void StatsReporter::writeLine()
{
    const ModuleController &controller = m_window.controller();
    quint64 received = 0;
    for (int s = 0; s < SlotCount; ++s)
        received += controller.status(s).counters.received;
    const TopicTreeModel &tree = m_window.tree();
    QByteArray line = "{\"t\":" + QByteArray::number(monotonicMs(), 'f', 1);
    line += ",\"received\":" + QByteArray::number(received);
    line += ",\"tree\":" + QByteArray::number(tree.messageCount());
    line += ",\"treeQueued\":" + QByteArray::number(tree.queuedTopics());
    line += ",\"treeDropped\":" + QByteArray::number(tree.droppedMessages());
    line += ",\"logDropped\":" + QByteArray::number(m_window.log().droppedCount());
    line += ",\"treePaints\":" + QByteArray::number(m_treePaints);
    line += ",\"logPaints\":" + QByteArray::number(m_logPaints);
    line += ",\"loop\":[";
    for (size_t i = 0; i < m_latenciesMs.size(); ++i)
        line += (i ? "," : "") + QByteArray::number(m_latenciesMs[i], 'f', 2);
    line += "],\"rows\":[";
    m_latenciesMs.clear();
    if (m_topicTree && m_topicTree->isVisible()) {
        // Whole rows across the view, in screen coordinates, for a benchmark to click and watch.
        QWidget *viewport = m_topicTree->viewport();
        QModelIndex index = m_topicTree->indexAt(QPoint(1, 1));
        for (int n = 0; n < ReportedRows && index.isValid(); ++n) {
            const QRect cell = m_topicTree->visualRect(index);
            const QPoint topLeft = viewport->mapToGlobal(QPoint(0, cell.top()));
            line += (n ? ",[" : "[") + QByteArray::number(topLeft.x()) + ',' + QByteArray::number(topLeft.y()) + ',' +
                    QByteArray::number(viewport->width()) + ',' + QByteArray::number(cell.height()) + ']';
            index = m_topicTree->indexBelow(index);
        }
    }
    line += "]}\n";
    m_file.write(line);
}

} // namespace qmt
