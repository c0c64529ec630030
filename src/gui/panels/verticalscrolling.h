#pragma once

#include <QObject>

class QScrollArea;

namespace qmt {

/// Makes a scroll area that holds a form scroll up and down only, and never be narrower than the form.
///
/// A form squeezed sideways in a QScrollArea gets a second, horizontal scroll bar and labels and fields cut
/// at its right edge. With this the scroll area asks for the form's minimum width (plus its vertical scroll
/// bar) as its own, so the dock or layout around it gives that width or is itself held at it; only the
/// height is left to scroll. It follows the form as rows are shown or hidden. Owned by the scroll area.
class VerticalScrolling : public QObject
{
    Q_OBJECT

public:
    static void apply(QScrollArea *area);

    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit VerticalScrolling(QScrollArea *area);
    void update();

    QScrollArea *m_area;
};

} // namespace qmt
