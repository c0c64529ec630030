#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace qmt {

/// Holds back filter text typed by the user until typing pauses (150 ms by default), as Tiled's filter
/// edits do: re-filtering a 100,000-row log on every keystroke would stall the view while the user types.
class FilterTextDebouncer : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultDelayMs = 150;

    explicit FilterTextDebouncer(QObject *parent = nullptr);

    /// Takes the text; textApplied() follows once no further text arrived for delay() ms.
    void setText(const QString &text);
    /// Applies the pending text now (e.g. on Return).
    void applyNow();
    [[nodiscard]] QString text() const { return m_applied; }
    [[nodiscard]] bool isPending() const { return m_timer.isActive(); }

    void setDelay(int ms) { m_timer.setInterval(qMax(0, ms)); }
    [[nodiscard]] int delay() const { return m_timer.interval(); }

Q_SIGNALS:
    void textApplied(const QString &text);

private:
    QTimer m_timer;
    QString m_pending;
    QString m_applied;
};

} // namespace qmt
