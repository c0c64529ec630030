#pragma once

#include "tls/tlsmaterial.h"

#include "qmt/qmtcommands.h"

#include <QDialog>
#include <QMap>

#include <memory>

namespace Ui {
class CertificatesDialog;
}

namespace qmt {

class ModuleController;

/// The Configuration panel's view of the TLS material: what each item is (subject, expiry, SHA-256
/// fingerprint), what the module reported when it was uploaded, where the material is kept, and — on
/// request — what the module says now. From here the wizard replaces an item or uploads again.
class CertificatesDialog : public QDialog
{
    Q_OBJECT

public:
    CertificatesDialog(ModuleController &controller, QWidget *parent = nullptr);
    ~CertificatesDialog() override;

    /// `reported`: the lengths the module gave at the last upload in this session.
    void showMaterial(const QString &profile, const TlsMaterial &material, int slot, const QMap<SslItem, int> &reported,
                      const QString &storage);
    /// Reads "seclevel" and the slot's "ssl" setting from the module; the answer appears below the table.
    void queryModule();

Q_SIGNALS:
    void wizardRequested();

private:
    std::unique_ptr<Ui::CertificatesDialog> m_ui;
    ModuleController &m_controller;
    int m_slot = 0;
    QStringList m_answers;
};

} // namespace qmt
