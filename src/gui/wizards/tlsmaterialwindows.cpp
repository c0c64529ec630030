#include "gui/wizards/tlsmaterialwindows.h"

#include "gui/wizards/certificatewizard.h"
#include "gui/wizards/tlsuploadpage.h"

#include "core/secrets/secretstore.h"
#include "core/tls/tlsmaterialcheck.h"
#include "gui/dialogs/certificatesdialog.h"
#include "gui/profiles/profilemanager.h"

#include <QWidget>

namespace qmt {

TlsMaterialWindows::TlsMaterialWindows(ModuleController &controller, ProfileManager &profiles, QWidget *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_profiles(profiles)
    , m_parent(parent)
{}

CertificateWizard *TlsMaterialWindows::wizard() const
{
    return m_wizard;
}

void TlsMaterialWindows::openWizard(int slot)
{
    if (m_wizard) {
        m_wizard->raise();
        m_wizard->activateWindow();
        return;
    }
    m_wizard = new CertificateWizard(m_controller, m_parent);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    m_wizard->setStart(m_profiles.tls(), slot, m_controller.config(slot));
    connect(m_wizard, &CertificateWizard::tested, this, [this](bool ok) {
        if (m_wizard)
            m_profiles.takeTested(m_wizard->state().index, ok);
    });
    m_wizard->setSaveOffer(tr("Save the profile \"%1\": its certificates, key and passwords go to %2")
                               .arg(m_profiles.displayName(), m_profiles.secrets().description()));
    connect(m_wizard, &CertificateWizard::uploaded, this,
            [this](const TlsMaterial &material, const TlsCheckReport &report, int uploadedSlot) {
                if (m_wizard)
                    takeUploaded(material, report, uploadedSlot, m_wizard->state().index);
            });
    connect(m_wizard, &QDialog::accepted, this, [this] {
        if (m_wizard && m_wizard->saveRequested())
            Q_EMIT saveRequested();
    });
    m_wizard->show();
}

void TlsMaterialWindows::takeUploaded(const TlsMaterial &material, const TlsCheckReport &report, int slot,
                                      SslIndex index)
{
    QMap<SslItem, int> reported;
    for (const SslItem item : {SslItem::CaCert, SslItem::ClientCert, SslItem::ClientKey}) {
        if (const auto length = m_wizard->uploadPage().uploader().reportedLength(item))
            reported.insert(item, *length);
    }
    m_profiles.takeUploaded(material, report, slot, index, reported);
    Q_EMIT uploaded(slot);
}

void TlsMaterialWindows::openCertificates(int slot)
{
    if (!m_certificates) {
        m_certificates = new CertificatesDialog(m_controller, m_parent);
        connect(m_certificates, &CertificatesDialog::wizardRequested, this, [this] {
            m_certificates->close();
            Q_EMIT wizardRequested();
        });
    }
    const SecretStore &secrets = m_profiles.secrets();
    const QString storage =
        secrets.persistent() ? tr("%1 when the profile is saved").arg(secrets.description()) : secrets.description();
    QList<CertificatesDialog::IndexMaterial> entries;
    const QMap<SslIndex, TlsMaterial> &tls = m_profiles.tls();
    for (auto it = tls.cbegin(); it != tls.cend(); ++it) {
        CertificatesDialog::IndexMaterial e{it.key(), it.value(), {}, m_profiles.reportedLengths(it.key()), {}};
        if (const Profile::TlsReference *t = m_profiles.current().tlsAt(it.key()))
            e.lastTest = t->lastTest;
        for (int s = 0; s < SlotCount; ++s) {
            const SlotConfig &config = m_controller.config(s);
            if (config.sslEnabled && SslIndex::of(config) == it.key())
                e.slots.append(s);
        }
        entries.append(e);
    }
    m_certificates->showMaterial(m_profiles.displayName(), entries, slot,
                                 SslIndex::proposedFor(slot, m_controller.config(slot)), storage);
}

} // namespace qmt
