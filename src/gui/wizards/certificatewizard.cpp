#include "gui/wizards/certificatewizard.h"

#include "gui/wizards/tlscheckpage.h"
#include "gui/wizards/tlslevelpage.h"
#include "gui/wizards/tlsmaterialpage.h"
#include "gui/wizards/tlstestpage.h"
#include "gui/wizards/tlsuploadpage.h"

#include "core/module/slotconfig.h"

namespace qmt {

namespace {
constexpr int PlainMqttPort = 1883;
constexpr int MqttOverTlsPort = 8883;
} // namespace

CertificateWizard::CertificateWizard(ModuleController &controller, QWidget *parent)
    : QWizard(parent)
    , m_uploadPage(new TlsUploadPage(m_state, controller, this))
    , m_testPage(new TlsTestPage(m_state, controller, this))
{
    setObjectName(QStringLiteral("CertificateWizard"));
    setWindowTitle(tr("Certificate wizard"));
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPage(LevelPage, new TlsLevelPage(m_state, controller, this));
    setPage(MaterialPage, new TlsMaterialPage(m_state, this));
    setPage(CheckPage, new TlsCheckPage(m_state, this));
    setPage(UploadPage, m_uploadPage);
    setPage(TestPage, m_testPage);
    connect(m_uploadPage, &TlsUploadPage::uploaded, this,
            [this] { Q_EMIT uploaded(m_state.material, m_state.report, m_state.slot); });
    connect(m_testPage, &TlsTestPage::tested, this, &CertificateWizard::tested);
}

CertificateWizard::~CertificateWizard() = default;

int CertificateWizard::tlsPortFor(const SlotConfig &config)
{
    // A slot already on TLS keeps its port; a plain one (1883 or another) suggests MQTT over TLS's 8883.
    return config.sslEnabled && config.port != PlainMqttPort ? config.port : MqttOverTlsPort;
}

void CertificateWizard::setStart(const QMap<SslIndex, TlsMaterial> &known, int slot, const SlotConfig &config)
{
    m_state.known = known;
    m_state.index = SslIndex::proposedFor(slot, config);
    m_state.material = known.value(m_state.index);
    m_state.slot = slot;
    m_state.host = config.host;
    m_state.port = tlsPortFor(config);
    m_state.clientId = config.clientId;
}

void CertificateWizard::setSaveOffer(const QString &text)
{
    m_testPage->setSaveOffer(text);
}

bool CertificateWizard::saveRequested() const
{
    return m_testPage->saveRequested();
}

} // namespace qmt
