#pragma once

#include "core/module/profile.h"
#include "core/tls/sslindex.h"
#include "core/tls/tlsmaterial.h"

#include "core/qmt/qmtcommands.h"

#include <QDialog>
#include <QMap>

#include <memory>

namespace Ui {
class CertificatesDialog;
}

namespace qmt {

class ModuleController;

/// The Configuration panel's view of the profile's TLS material, per SSL index: which slots use each
/// index, how its last live test went (material that failed is marked), what each item is (subject,
/// expiry, SHA-256 fingerprint), what the module reported when it was uploaded, where the material is kept,
/// and — on request — what the module says now. From here the wizard replaces an item or uploads again.
class CertificatesDialog : public QDialog
{
    Q_OBJECT

public:
    /// The material at one SSL index as the view shows it.
    struct IndexMaterial
    {
        SslIndex index;
        TlsMaterial material;
        Profile::TlsReference::Test lastTest = Profile::TlsReference::Test::Untested;
        QMap<SslItem, int> reported; ///< the lengths the module gave at this session's last upload there
        QList<int> slots;            ///< the slots whose configuration names the index with TLS on
    };

    CertificatesDialog(ModuleController &controller, QWidget *parent = nullptr);
    ~CertificatesDialog() override;

    /// Shows `entries`, one branch per index; `slot` is the slot the Configuration panel shows, whose own
    /// index is `slotIndex`.
    void showMaterial(const QString &profile, const QList<IndexMaterial> &entries, int slot, SslIndex slotIndex,
                      const QString &storage);
    /// Reads the slot's index's "seclevel" and the slot's "ssl" setting from the module; the answer
    /// appears below the table.
    void queryModule();

Q_SIGNALS:
    void wizardRequested();

private:
    void addIndex(const IndexMaterial &entry, const QDateTime &now);

    std::unique_ptr<Ui::CertificatesDialog> m_ui;
    ModuleController &m_controller;
    int m_slot = 0;
    SslIndex m_slotIndex;
    QStringList m_answers;
};

} // namespace qmt
