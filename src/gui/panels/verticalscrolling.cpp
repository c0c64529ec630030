#include "gui/panels/verticalscrolling.h"

#include <QEvent>
#include <QScrollArea>
#include <QScrollBar>

namespace qmt {

VerticalScrolling::VerticalScrolling(QScrollArea *area)
    : QObject(area)
    , m_area(area)
{}

void VerticalScrolling::apply(QScrollArea *area)
{
    auto *scrolling = new VerticalScrolling(area);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    if (area->widget())
        area->widget()->installEventFilter(scrolling);
    area->verticalScrollBar()->installEventFilter(scrolling);
    scrolling->update();
}

bool VerticalScrolling::eventFilter(QObject *watched, QEvent *event)
{
    // The form's rows changed (LayoutRequest), or the style's scroll bar width did (a style or font change).
    if (event->type() == QEvent::LayoutRequest || event->type() == QEvent::StyleChange ||
        event->type() == QEvent::FontChange)
        update();
    return QObject::eventFilter(watched, event);
}

void VerticalScrolling::update()
{
    const QWidget *form = m_area->widget();
    if (!form)
        return;
    // Room for the vertical scroll bar is kept whether or not it shows, so that its coming and going does not
    // change the width the form is laid out in.
    const int width = form->minimumSizeHint().expandedTo(form->minimumSize()).width() +
                      m_area->verticalScrollBar()->sizeHint().width() + 2 * m_area->frameWidth();
    if (m_area->minimumWidth() != width)
        m_area->setMinimumWidth(width);
}

} // namespace qmt
