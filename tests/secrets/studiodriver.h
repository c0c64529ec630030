#pragma once

// Drives QMT Studio's widgets the way a user does, for the wizard and audit tests.

#include "core/module/modulecontroller.h"
#include "gui/mainwindow.h"
#include "gui/models/serialportlistmodel.h"
#include "gui/panels/configpanel.h"
#include "gui/panels/portpanel.h"
#include "gui/wizards/certificatewizard.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTest>

namespace qmt::test {

template<typename T> T *child(QWidget &parent, const char *name)
{
    T *w = parent.findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qFatal("no widget %s", name);
    return w;
}

inline void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

inline void click(QAbstractButton *button)
{
    QTest::mouseClick(button, Qt::LeftButton);
}

/// Opens the built-in virtual module through the Port panel; true once the first polls are over.
inline bool openVirtualPort(MainWindow &w)
{
    auto *combo = child<QComboBox>(w.portPanel(), "portCombo");
    for (int row = 0; row < combo->count(); ++row) {
        if (combo->itemData(row, SerialPortListModel::IsVirtualRole).toBool())
            combo->setCurrentIndex(row);
    }
    click(child<QPushButton>(w.portPanel(), "openButton"));
    return QTest::qWaitFor([&w] { return w.controller().portState() == ModuleController::PortState::Open; }, 5000) &&
           QTest::qWaitFor([&w] { return w.controller().channel().isIdle(); }, 10'000);
}

/// The dialog of type T the window shows without blocking (opened with open(), as the panels do), or null.
template<typename T> T *shownDialog(QWidget &window)
{
    for (T *dialog : window.findChildren<T *>()) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

/// Clicks `button` of the message box the window shows; false when none comes.
inline bool answer(QWidget &window, QMessageBox::StandardButton button)
{
    if (!QTest::qWaitFor([&window] { return shownDialog<QMessageBox>(window) != nullptr; }, 5000))
        return false;
    QAbstractButton *b = shownDialog<QMessageBox>(window)->button(button);
    if (!b)
        return false;
    b->click();
    return true;
}

/// Types `name` into the name dialog the window shows (Save on a profile without a name) and accepts it.
inline bool answerName(QWidget &window, const QString &name)
{
    if (!QTest::qWaitFor([&window] { return shownDialog<QInputDialog>(window) != nullptr; }, 5000))
        return false;
    QInputDialog *dialog = shownDialog<QInputDialog>(window);
    dialog->setTextValue(name);
    dialog->accept();
    return true;
}

/// The certificate wizard's pages, filled in and moved through with its buttons.
class WizardDriver
{
public:
    explicit WizardDriver(CertificateWizard &wizard)
        : m_wizard(wizard)
    {}

    [[nodiscard]] QWizardPage &page(CertificateWizard::PageId id) const { return *m_wizard.page(id); }
    [[nodiscard]] int current() const { return m_wizard.currentId(); }

    /// Clicks Next (or Upload, Test the connection: the same button); false when it is disabled.
    bool next()
    {
        QAbstractButton *button = m_wizard.button(QWizard::NextButton);
        if (!button->isVisible() || !button->isEnabled())
            return false;
        const int before = current();
        click(button);
        return current() != before;
    }

    void level(int secLevel, const QString &host, int port, const QString &clientId)
    {
        QWizardPage &p = page(CertificateWizard::LevelPage);
        const char *radio = secLevel == 0 ? "level0Radio" : secLevel == 1 ? "level1Radio" : "level2Radio";
        child<QRadioButton>(p, radio)->setChecked(true);
        type(child<QLineEdit>(p, "hostEdit"), host);
        child<QSpinBox>(p, "portSpin")->setValue(port);
        type(child<QLineEdit>(p, "clientIdEdit"), clientId);
    }

    /// Picks a slot as a user does (its broker settings and its own SSL index follow).
    void slot(int slot)
    {
        auto *combo = child<QComboBox>(page(CertificateWizard::LevelPage), "slotCombo");
        combo->setCurrentIndex(combo->findData(slot));
        Q_EMIT combo->activated(combo->currentIndex());
    }

    /// Chooses the SSL index the material goes to.
    void index(int contextId, int connectId)
    {
        child<QSpinBox>(page(CertificateWizard::LevelPage), "contextSpin")->setValue(contextId);
        child<QSpinBox>(page(CertificateWizard::LevelPage), "connectSpin")->setValue(connectId);
    }

    /// Pastes the PEM texts (as a user pasting from an editor would) and types the passphrase.
    void material(const QByteArray &ca, const QByteArray &cert, const QByteArray &key,
                  const QByteArray &passphrase = {})
    {
        QWizardPage &p = page(CertificateWizard::MaterialPage);
        child<QPlainTextEdit>(p, "caEdit")->setPlainText(QString::fromLatin1(ca));
        child<QPlainTextEdit>(p, "certEdit")->setPlainText(QString::fromLatin1(cert));
        child<QPlainTextEdit>(p, "keyEdit")->setPlainText(QString::fromLatin1(key));
        type(child<QLineEdit>(p, "passphraseEdit"), QString::fromUtf8(passphrase));
    }

private:
    CertificateWizard &m_wizard;
};

} // namespace qmt::test
