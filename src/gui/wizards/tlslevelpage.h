#pragma once

#include "core/tls/sslindex.h"

#include <QWizardPage>

#include <memory>

namespace Ui {
class TlsLevelPage;
}

namespace qmt {

class ModuleController;
struct TlsWizardState;

/// The certificate wizard's first page: security level, slot, the SSL index the material goes to (with
/// which other slots share it), broker host and port, client ID.
class TlsLevelPage : public QWizardPage
{
    Q_OBJECT

public:
    TlsLevelPage(TlsWizardState &state, ModuleController &controller, QWidget *parent = nullptr);
    ~TlsLevelPage() override;

    void initializePage() override;
    [[nodiscard]] bool isComplete() const override;
    bool validatePage() override;

private:
    [[nodiscard]] int level() const;
    void takeSlotSettings();
    [[nodiscard]] SslIndex index() const;
    /// Says which other slots use the chosen index and what the note says about indices other than 0,0.
    void showIndexUse();
    void showError(const QString &text);

    std::unique_ptr<Ui::TlsLevelPage> m_ui;
    TlsWizardState &m_state;
    ModuleController &m_controller;
};

} // namespace qmt
