#include "gui/applicationtranslations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace qmt {

bool installApplicationTranslations(QCoreApplication &app)
{
    auto *translator = new QTranslator(&app);
    const QString directory = QStringLiteral(":/qmt/i18n");
    const QString name = QStringLiteral("qmtstudio");
    if (translator->load(QLocale(), name, QStringLiteral("_"), directory) ||
        translator->load(name + QStringLiteral("_en"), directory)) {
        return QCoreApplication::installTranslator(translator);
    }
    delete translator;
    return false;
}

} // namespace qmt
