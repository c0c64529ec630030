#include "gui/panels/specwidgets.h"

#include "core/qmt/validation.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLineEdit>
#include <QSpinBox>

namespace qmt::specwidgets {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(qmt::SpecWidgets)
};

QString tooltip(Param param)
{
    return Tr::tr("<p>%1</p><p><code>&lt;%2&gt;</code>: %3</p>")
        .arg(describe(param).toHtmlEscaped(), QString::fromLatin1(spec(param).name),
             allowedRange(param).toHtmlEscaped());
}

} // namespace

void bind(QSpinBox *spin, Param param)
{
    const ParamSpec &s = spec(param);
    spin->setRange(s.minimum, s.maximum);
    if (s.defaultValue)
        spin->setValue(*s.defaultValue);
    const QString unit = unitText(param);
    spin->setSuffix(unit.isEmpty() ? QString() : QLatin1Char(' ') + unit);
    spin->setToolTip(tooltip(param));
}

void bind(QLineEdit *edit, Param param)
{
    const ParamSpec &s = spec(param);
    edit->setMaxLength(s.maximum);
    edit->setToolTip(tooltip(param));
    edit->setEchoMode(s.secret ? QLineEdit::Password : QLineEdit::Normal);
}

void fillQos(QComboBox *combo)
{
    combo->clear();
    combo->addItem(Tr::tr("0 — at most once"), 0);
    combo->addItem(Tr::tr("1 — at least once"), 1);
    combo->addItem(Tr::tr("2 — exactly once"), 2);
    combo->setToolTip(tooltip(Param::Qos));
}

void fillSlots(QComboBox *combo)
{
    combo->clear();
    for (int i = 0; i < SlotCount; ++i)
        combo->addItem(QString::number(i), i);
    combo->setToolTip(tooltip(Param::ConnectId));
}

} // namespace qmt::specwidgets
