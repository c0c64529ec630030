#pragma once

#include <QByteArray>
#include <QList>
#include <map>
#include <optional>

namespace qmt::sim {

/// The module's PDP contexts (BC660K AT manual 5.1, 5.4, 5.6; protocol-notes §9.1).
///
/// Context 0 is the initial one: defined at start-up, brought up by the network with every attach, and set
/// up only through AT+QCGDEFCONT, whose settings (kept in NVRAM) take effect at the next power-on. Contexts
/// 1–10 are the host's (AT+CGDCONT), activated with AT+CGACT; a detach deactivates them. Whether context 0
/// is up is the network's business, so the reads take it as an argument.
class PdpContexts
{
public:
    static constexpr int MaxCid = 10;
    static constexpr int MaxApnLength = 99;
    static constexpr int MaxCredentialLength = 19;

    /// AT+QCGDEFCONT's settings.
    struct DefaultContext
    {
        QByteArray type = "IP";
        QByteArray apn; ///< empty: the network's (the subscription's) APN
        QByteArray userName;
        QByteArray password;
        int authType = 0;
    };

    /// "IP", "IPV6", "IPV4V6" and "Non-IP", as the test forms list them.
    [[nodiscard]] static const QList<QByteArray> &pdpTypes();
    /// The type as the module spells it, in whatever case the host wrote it; nullopt for no such type.
    [[nodiscard]] static std::optional<QByteArray> pdpType(const QByteArray &text);

    [[nodiscard]] const DefaultContext &defaultContext() const { return m_configured; }
    void setDefaultContext(const DefaultContext &settings) { m_configured = settings; }
    /// Power-on: context 0 takes the AT+QCGDEFCONT settings; the host's contexts are down.
    void powerOn();
    /// Detach or radio off: the host's contexts go down.
    void deactivateAll();

    [[nodiscard]] bool isDefined(int cid) const;
    /// Context 0 and the host's defined ones, in order.
    [[nodiscard]] QList<int> cids() const;
    /// Defines (or redefines) host context `cid` (1–10).
    void define(int cid, const QByteArray &type, const QByteArray &apn);
    void undefine(int cid);
    /// Activates or deactivates host context `cid`; false when it is not defined.
    bool setActive(int cid, bool active);

    /// AT+CGDCONT? lines, AT+CGACT? lines, and the address of a context (empty while it is down).
    [[nodiscard]] QList<QByteArray> definitionLines(bool initialUp) const;
    [[nodiscard]] QList<QByteArray> activationLines(bool initialUp) const;
    [[nodiscard]] QByteArray address(int cid, bool initialUp) const;

private:
    struct Context
    {
        QByteArray type;
        QByteArray apn;
        bool active = false;
    };

    DefaultContext m_configured;
    Context m_initial{"IP", {}, false};
    std::map<int, Context> m_defined;
};

} // namespace qmt::sim
