#include "gui/panels/asyncdialogs.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>

namespace qmt::asyncdialogs {

void askText(QWidget *parent, const QString &title, const QString &label, const QString &initial,
             std::function<void(const QString &)> accepted)
{
    auto *dialog = new QInputDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextValue(initial);
    QObject::connect(dialog, &QInputDialog::textValueSelected, dialog,
                     [accepted = std::move(accepted)](const QString &text) {
                         if (!text.trimmed().isEmpty())
                             accepted(text.trimmed());
                     });
    dialog->open();
}

void confirm(QWidget *parent, const QString &title, const QString &question, std::function<void()> yes)
{
    auto *box = new QMessageBox(QMessageBox::Question, title, question, QMessageBox::Yes | QMessageBox::No, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box, [yes = std::move(yes)](int result) {
        if (result == QMessageBox::Yes)
            yes();
    });
    box->open();
}

void askToSave(QWidget *parent, const QString &title, const QString &text, const QString &question,
               std::function<void()> save, std::function<void()> discard)
{
    auto *box = new QMessageBox(QMessageBox::Warning, title, text,
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("unsavedChangesBox"));
    box->setInformativeText(question);
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, save = std::move(save), discard = std::move(discard)](int) {
                         // Asked of the button, not the result code: Escape and the window's close are Cancel.
                         const QMessageBox::StandardButton answer = box->standardButton(box->clickedButton());
                         if (answer == QMessageBox::Save)
                             save();
                         else if (answer == QMessageBox::Discard)
                             discard();
                     });
    box->open();
}

namespace {

void fileDialog(QWidget *parent, const QString &title, const QString &suggested, const QString &filter, bool save,
                std::function<void(const QString &)> chosen)
{
    auto *dialog = new QFileDialog(parent, title, QString(), filter);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(save ? QFileDialog::AcceptSave : QFileDialog::AcceptOpen);
    dialog->setFileMode(save ? QFileDialog::AnyFile : QFileDialog::ExistingFile);
    if (!suggested.isEmpty())
        dialog->selectFile(suggested);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog, std::move(chosen));
    dialog->open();
}

} // namespace

void openFile(QWidget *parent, const QString &title, const QString &filter, std::function<void(const QString &)> chosen)
{
    fileDialog(parent, title, {}, filter, false, std::move(chosen));
}

void saveFile(QWidget *parent, const QString &title, const QString &suggested, const QString &filter,
              std::function<void(const QString &)> chosen)
{
    fileDialog(parent, title, suggested, filter, true, std::move(chosen));
}

} // namespace qmt::asyncdialogs
