#pragma once

#include <QTimer>
#include <QWidget>

#include <memory>

class QToolButton;

namespace Ui {
class LogPanel;
}

namespace qmt {

class AtLogExporter;
class AtLogFilterModel;
class AtLogModel;

/// The AT/URC log: every exchange as a row, coloured by kind; filter by kind, slot and text; pause; clear;
/// export (redacted); a ring buffer whose size the user sets, with the count of dropped rows shown.
class LogPanel : public QWidget
{
    Q_OBJECT

public:
    LogPanel(AtLogModel &log, QWidget *parent = nullptr);
    ~LogPanel() override;

    [[nodiscard]] AtLogFilterModel &filter() const { return *m_filter; }
    /// Writes what the view shows to `path` (CSV when it ends in .csv), from a worker thread.
    bool exportTo(const QString &path);
    /// Asks where to export (without blocking), then exports.
    void exportDialog();

private:
    void buildKindMenu();
    void buildSlotMenu();
    void showFilterCount(QToolButton *button, const QString &name);
    void showDropped(quint64 dropped);

    std::unique_ptr<Ui::LogPanel> m_ui;
    AtLogModel &m_log;
    QTimer m_exportNoteTimer; // gives the toolbar back its usual label after an export
    AtLogFilterModel *m_filter;
    AtLogExporter *m_exporter;
    bool m_follow = true; // keep the newest row in view unless the user scrolled up
};

} // namespace qmt
