#pragma once

#include "core/tls/sslindex.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace qmt {

class CertificatesDialog;
class CertificateWizard;
class ModuleController;
class ProfileManager;
struct TlsCheckReport;
struct TlsMaterial;

/// The windows about the current profile's TLS material: the certificate wizard (one at a time) and the
/// certificates view. What the wizard uploads and how its live test went go to the ProfileManager.
class TlsMaterialWindows : public QObject
{
    Q_OBJECT

public:
    /// The windows open over `parent`.
    TlsMaterialWindows(ModuleController &controller, ProfileManager &profiles, QWidget *parent);

    /// The certificate wizard, starting from the profile's material and `slot`; raised when open already.
    void openWizard(int slot);
    /// What the profile's TLS material is and what the module reported, `slot` being the one on show.
    void openCertificates(int slot);
    [[nodiscard]] CertificateWizard *wizard() const;
    [[nodiscard]] CertificatesDialog *certificatesDialog() const { return m_certificates; }

Q_SIGNALS:
    /// The wizard uploaded material for `slot` and set its broker and SSL in the controller.
    void uploaded(int slot);
    /// The wizard was finished with "save the profile" ticked.
    void saveRequested();
    /// The certificates view asks for the wizard (for the slot on show).
    void wizardRequested();

private:
    void takeUploaded(const TlsMaterial &material, const TlsCheckReport &report, int slot, SslIndex index);

    ModuleController &m_controller;
    ProfileManager &m_profiles;
    QWidget *m_parent;
    QPointer<CertificateWizard> m_wizard;
    CertificatesDialog *m_certificates = nullptr;
};

} // namespace qmt
