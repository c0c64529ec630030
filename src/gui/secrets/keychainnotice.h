#pragma once

#include <QWidget>

#include <memory>

namespace Ui {
class KeychainNotice;
}

namespace qmt {

class SwitchableSecretStore;

/// Tells the user plainly when no OS keychain answers, and offers the only alternative there is: keeping
/// secrets in memory for this session. The window shows it only then (wantsAttention()).
class KeychainNotice : public QWidget
{
    Q_OBJECT

public:
    enum class State {
        Checking,
        Keychain,
        Unavailable,
        SessionOnly
    };
    Q_ENUM(State)

    explicit KeychainNotice(SwitchableSecretStore &store, QWidget *parent = nullptr);
    ~KeychainNotice() override;

    /// Probes the keychain; the answer comes later (stateChanged).
    void check();
    [[nodiscard]] State state() const { return m_state; }
    /// Whether there is something to say: no keychain, or secrets for this session only.
    [[nodiscard]] bool wantsAttention() const { return m_state == State::Unavailable || m_state == State::SessionOnly; }
    /// One line for the status bar: where secrets go now.
    [[nodiscard]] QString summary() const;

Q_SIGNALS:
    void stateChanged(qmt::KeychainNotice::State state);

private:
    void setState(State state);

    std::unique_ptr<Ui::KeychainNotice> m_ui;
    SwitchableSecretStore &m_store;
    State m_state = State::Checking;
    QString m_reason;
};

} // namespace qmt
