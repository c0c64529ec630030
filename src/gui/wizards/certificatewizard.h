#pragma once

#include "gui/wizards/tlswizardstate.h"

#include <QWizard>

namespace qmt {

class ModuleController;
class TlsTestPage;
class TlsUploadPage;
struct SlotConfig;

/// Gets TLS material onto the module, checked, and proves it works:
///
///  1. security level, slot, the SSL index the material goes to (the slot's own by default; shared with
///     any other slot naming it) and broker (port 8883 by default);
///  2. the CA certificate, the client certificate and the private key, from files or pasted, and the
///     key's passphrase;
///  3. the check (TlsMaterialCheck): nothing is sent while it finds an error;
///  4. the upload (CertificateUploader), a progress bar per item, each reported length compared — after
///     asking, when other connected slots use the index;
///  5. the live test (TlsConnectionTest): the slot opens and connects, or the failure is explained.
///
/// Everything goes through the controller's AT channel. The wizard is not modal: the log and the other
/// panels stay usable while it runs.
class CertificateWizard : public QWizard
{
    Q_OBJECT

public:
    /// The broker port the wizard suggests for a slot configured as `config`.
    [[nodiscard]] static int tlsPortFor(const SlotConfig &config);

    enum PageId {
        LevelPage,
        MaterialPage,
        CheckPage,
        UploadPage,
        TestPage
    };

    explicit CertificateWizard(ModuleController &controller, QWidget *parent = nullptr);
    ~CertificateWizard() override;

    /// Starts from what is known: the profile's material per SSL index (to replace one item, the others
    /// stay), the slot, its own index (SslIndex::proposedFor()) and its broker settings. The port is 8883
    /// unless the slot already uses TLS on another port.
    void setStart(const QMap<SslIndex, TlsMaterial> &known, int slot, const SlotConfig &config);
    /// The time certificates are judged by (tests).
    void setClock(std::function<QDateTime()> clock) { m_state.clock = std::move(clock); }
    /// Offers, on the last page, to save the profile: the checkbox's text; empty offers nothing.
    void setSaveOffer(const QString &text);
    [[nodiscard]] bool saveRequested() const;

    [[nodiscard]] const TlsWizardState &state() const { return m_state; }
    [[nodiscard]] const TlsUploadPage &uploadPage() const { return *m_uploadPage; }

Q_SIGNALS:
    /// The module has the material at state().index and the slot uses TLS with it.
    void uploaded(const qmt::TlsMaterial &material, const qmt::TlsCheckReport &report, int slot);
    void tested(bool ok, const QString &message);

private:
    TlsWizardState m_state;
    TlsUploadPage *m_uploadPage;
    TlsTestPage *m_testPage;
};

} // namespace qmt
