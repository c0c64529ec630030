#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace qmt::asyncdialogs {

// Dialogs shown with open(), not exec(): the event loop keeps running (no nested loop on the GUI thread),
// and the answer comes to a callback. Each dialog deletes itself when closed.

/// A line of text; `accepted` gets it (trimmed, not empty).
void askText(QWidget *parent, const QString &title, const QString &label, const QString &initial,
             std::function<void(const QString &)> accepted);
/// Yes or no; `yes` runs on yes.
void confirm(QWidget *parent, const QString &title, const QString &question, std::function<void()> yes);
/// Unsaved changes: Save, Discard or Cancel. `save` or `discard` runs on its button; Cancel runs neither.
void askToSave(QWidget *parent, const QString &title, const QString &text, const QString &question,
               std::function<void()> save, std::function<void()> discard);
/// A file to read.
void openFile(QWidget *parent, const QString &title, const QString &filter,
              std::function<void(const QString &)> chosen);
/// A file to write, `suggested` as the proposed name.
void saveFile(QWidget *parent, const QString &title, const QString &suggested, const QString &filter,
              std::function<void(const QString &)> chosen);

} // namespace qmt::asyncdialogs
