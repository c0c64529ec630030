#pragma once

#include <QWizardPage>

#include <memory>

namespace Ui {
class TlsCheckPage;
}

namespace qmt {

struct TlsWizardState;

/// The certificate wizard's third page: the check's findings (errors, warnings, what each item holds), and
/// the way on to the upload only when nothing is wrong.
class TlsCheckPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit TlsCheckPage(TlsWizardState &state, QWidget *parent = nullptr);
    ~TlsCheckPage() override;

    void initializePage() override;
    [[nodiscard]] bool isComplete() const override;

private:
    std::unique_ptr<Ui::TlsCheckPage> m_ui;
    TlsWizardState &m_state;
};

} // namespace qmt
