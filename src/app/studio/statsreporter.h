#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QTimer>

#include <vector>

class QTreeView;

namespace qmt {

class MainWindow;

/// What `qmt-studio --stats FILE` writes for the end-to-end benchmark (tests/benchmarks/bench_endtoend):
/// four times a second, one JSON line with the application's own receive counters (the controller's, and
/// what has reached the topic tree), the event loop's latency, how often the tree and the log have been
/// painted, and where the tree's first rows are on the screen (so that a benchmark can click them).
///
/// The latency is measured by a probe: a precise 10 ms single-shot timer re-armed each time it fires; how
/// late it fires is how long any event (a click, a repaint) would have waited. Times are CLOCK_MONOTONIC
/// milliseconds, comparable with other processes on the machine.
class StatsReporter : public QObject
{
    Q_OBJECT

public:
    StatsReporter(MainWindow &window, const QString &path, QObject *parent = nullptr);

    /// False when the file cannot be written (errorString() says why).
    [[nodiscard]] bool isOpen() const { return m_file.isOpen(); }
    [[nodiscard]] QString errorString() const { return m_file.errorString(); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onProbe();
    void writeLine();

    MainWindow &m_window;
    QTreeView *m_topicTree;
    QWidget *m_treeViewport = nullptr;
    QWidget *m_logViewport = nullptr;
    quint64 m_treePaints = 0;
    quint64 m_logPaints = 0;
    QFile m_file;
    QTimer m_probe;
    QTimer m_report;
    QElapsedTimer m_sinceArmed;
    std::vector<double> m_latenciesMs; ///< since the last line
};

} // namespace qmt
