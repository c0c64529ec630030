#pragma once

class QCoreApplication;

namespace qmt {

/// Installs the application's translation for the user's language, falling back to English, whose
/// translation gives the "%n row(s)" strings their singular and plural ("1 row", "2 rows"). Call once,
/// after the application object exists and before the first window is built.
/// Returns whether a translation was installed.
bool installApplicationTranslations(QCoreApplication &app);

} // namespace qmt
