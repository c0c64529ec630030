#pragma once

#include <QWizardPage>

#include <memory>

namespace Ui {
class TlsTestPage;
}

namespace qmt {

class ModuleController;
class TlsConnectionTest;
struct TlsWizardState;

/// The certificate wizard's last page: opens and connects the slot to the broker and reports the outcome;
/// offers to save the profile (with the material going to the keychain) — ticked after a success, left
/// to the user after a failure.
class TlsTestPage : public QWizardPage
{
    Q_OBJECT

public:
    TlsTestPage(TlsWizardState &state, ModuleController &controller, QWidget *parent = nullptr);
    ~TlsTestPage() override;

    void initializePage() override;
    [[nodiscard]] bool isComplete() const override;
    void setSaveOffer(const QString &text);
    [[nodiscard]] bool saveRequested() const;

Q_SIGNALS:
    void tested(bool ok, const QString &message);

private:
    void startTest();

    std::unique_ptr<Ui::TlsTestPage> m_ui;
    TlsWizardState &m_state;
    ModuleController &m_controller;
    TlsConnectionTest *m_test;
    bool m_saveOffered = false;
    QString m_saveText;
};

} // namespace qmt
