#include "gui/secrets/keychainnotice.h"

#include "ui_keychainnotice.h"

#include "core/secrets/switchablesecretstore.h"

namespace qmt {

KeychainNotice::KeychainNotice(SwitchableSecretStore &store, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::KeychainNotice>())
    , m_store(store)
{
    m_ui->setupUi(this);
    setAutoFillBackground(true);
    QPalette warning = palette();
    warning.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xce));
    warning.setColor(QPalette::WindowText, QColor(0x40, 0x30, 0x00));
    setPalette(warning);
    connect(m_ui->sessionOnlyButton, &QPushButton::clicked, this, [this] {
        m_store.useSessionOnly();
        setState(State::SessionOnly);
    });
}

KeychainNotice::~KeychainNotice() = default;

void KeychainNotice::check()
{
    setState(State::Checking);
    m_store.keychain().probe(this, [this](const SecretReply &reply) {
        if (m_store.isSessionOnly())
            return;
        m_reason = reply.error;
        setState(reply.storeAnswered() ? State::Keychain : State::Unavailable);
    });
}

QString KeychainNotice::summary() const
{
    switch (m_state) {
    case State::Checking:
        return tr("Secrets: looking for the OS keychain…");
    case State::Keychain:
        return tr("Secrets: %1").arg(m_store.keychain().description());
    case State::Unavailable:
        return tr("Secrets: not kept (no OS keychain)");
    case State::SessionOnly:
        return tr("Secrets: this session only");
    }
    return {};
}

void KeychainNotice::setState(State state)
{
    m_state = state;
    switch (state) {
    case State::Checking:
    case State::Keychain:
        break;
    case State::Unavailable:
        m_ui->messageLabel->setText(
            tr("<b>No OS keychain answered</b> (%1). QMT Studio keeps passwords, device secrets, private keys and "
               "certificates only in the OS keychain, never in a plain file, so it cannot keep them on this "
               "computer. You may use them for this session only: they are then held in memory and forgotten when "
               "QMT Studio quits.")
                .arg(m_reason.toHtmlEscaped()));
        m_ui->sessionOnlyButton->show();
        break;
    case State::SessionOnly:
        m_ui->messageLabel->setText(
            tr("<b>Secrets for this session only.</b> No OS keychain answered, so passwords, "
               "device secrets, keys and certificates are held in memory and forgotten when QMT "
               "Studio quits. Nothing is written to a file."));
        m_ui->sessionOnlyButton->hide();
        break;
    }
    Q_EMIT stateChanged(state);
}

} // namespace qmt
