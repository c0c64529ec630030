#pragma once

#include "core/qmt/qmtspec.h"
#include "core/qmt/redaction.h"

#include <QStringList>
#include <QWidget>

#include <memory>

namespace Ui {
class ConsolePanel;
}

namespace qmt {

class ModuleController;
struct AtReply;

/// The AT console: any command, with history; the test forms (=?) one click away; data mode for commands
/// that prompt (type the data, then Ctrl+Z to send or Esc to cancel). Passwords are redacted in what it
/// shows, as everywhere.
class ConsolePanel : public QWidget
{
    Q_OBJECT

public:
    explicit ConsolePanel(ModuleController &controller, QWidget *parent = nullptr);
    ~ConsolePanel() override;

    /// Sends a command as if typed.
    void submit(const QString &command);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void sendLine();
    void submitTestForm(QmtCommand command);
    void remember(quint64 id); ///< a command sent from here: its reply is shown here
    void showReply(const AtReply &reply);
    void setDataMode(bool on);
    void sendTypedData();
    void cancelTypedData();
    void showTypedLine(const QString &text);

    std::unique_ptr<Ui::ConsolePanel> m_ui;
    ModuleController &m_controller;
    QList<quint64> m_mine; // commands sent from here, whose replies this console shows
    QStringList m_history;
    int m_historyPos = 0;
    bool m_dataMode = false;
    QByteArray m_typedData; // data typed in data mode, sent with Ctrl+Z
    PrivateKeyBlockGuard m_keyGuard;
};

} // namespace qmt
