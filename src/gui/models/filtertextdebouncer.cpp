#include "gui/models/filtertextdebouncer.h"

namespace qmt {

FilterTextDebouncer::FilterTextDebouncer(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &FilterTextDebouncer::applyNow);
}

void FilterTextDebouncer::setText(const QString &text)
{
    m_pending = text;
    if (text == m_applied) {
        m_timer.stop(); // typed and deleted again: nothing to redo
        return;
    }
    m_timer.start();
}

void FilterTextDebouncer::applyNow()
{
    m_timer.stop();
    if (m_pending == m_applied)
        return;
    m_applied = m_pending;
    Q_EMIT textApplied(m_applied);
}

} // namespace qmt
