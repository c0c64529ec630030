#include "gui/models/slotadvice.h"

#include "core/qmt/qmtcodes.h"

namespace qmt {

namespace {

QString reconnectLater(bool autoRecovery)
{
    return autoRecovery ? SlotAdvice::tr("Auto-recovery tries again; Reconnect now does it at once.")
                        : SlotAdvice::tr("Press Reconnect now (turn Auto-recovery on to have it done for you).");
}

} // namespace

SlotAdvice SlotAdvice::forStat(int code, bool autoRecovery)
{
    const QString detail =
        QStringLiteral("+QMTSTAT %1: %2 %3").arg(code).arg(codes::statMeaning(code), codes::statAdvice(code));
    switch (code) {
    case 1:
    case 6:
        return {reconnectLater(autoRecovery), detail};
    case 2:
        return {autoRecovery ? tr("Auto-recovery restarts the module's data connection and reopens the slot.")
                             : tr("Press Reconnect now: the module's data connection is restarted and the slot "
                                  "reopened."),
                detail};
    case 3:
    case 4:
        return {tr("Check the user name, the password and the client ID in Configuration (one client ID per "
                   "connection), then press Start."),
                detail};
    case 5:
        return {QString(), detail}; // the normal end of our own DISCONNECT
    case 7:
        return {tr("Check that the broker is reachable: its host and port in Configuration, the registration in "
                   "Network. %1")
                    .arg(reconnectLater(autoRecovery)),
                detail};
    default:
        return {QString(), detail};
    }
}

SlotAdvice SlotAdvice::forFailure(const SlotFailure &failure, bool tls, bool autoRecovery)
{
    const int code = failure.code;
    switch (failure.kind) {
    case SlotFailure::Kind::None:
    case SlotFailure::Kind::Command:
        return {};
    case SlotFailure::Kind::Stat:
        return forStat(code, autoRecovery);
    case SlotFailure::Kind::Packet:
        return {tr("Check the signal and registration in Network. %1").arg(reconnectLater(autoRecovery)),
                QStringLiteral("%1 (result %2)").arg(codes::packetResult(code)).arg(code)};
    case SlotFailure::Kind::Open: {
        const QString detail = QStringLiteral("+QMTOPEN result %1: %2").arg(code).arg(codes::openResult(code));
        switch (code) {
        case -1:
            return {tls ? tr("Check the CA in the certificate wizard, then the client certificate, the broker's TLS "
                             "port and the module's clock; then press Start.")
                        : tr("Check the host and port in Configuration and that the broker is up, then press Start."),
                    detail};
        case 1:
            return {tr("The module refused a setting: check this slot's configuration, then press Start."), detail};
        case 3:
            return {tr("The module has no data connection: wait until Network shows it registered, then press "
                       "Start."),
                    detail};
        case 4:
            return {tr("Check the host name in Configuration: the module could not resolve it."), detail};
        default:
            return {tr("Press Stop, then Start."), detail};
        }
    }
    case SlotFailure::Kind::Refused: {
        const QString detail = QStringLiteral("+QMTCONN ret_code %1: %2").arg(code).arg(codes::connReturnCode(code));
        switch (code) {
        case 1:
            return {tr("Choose the other MQTT version in Configuration, then press Start."), detail};
        case 2:
            return {tr("Choose another client ID in Configuration, then press Start."), detail};
        case 3:
            return {reconnectLater(autoRecovery), detail};
        case 4:
            return {tr("Correct the user name and the password in Configuration, then press Start."), detail};
        case 5:
            return {tr("The broker does not let this client in: check its user name, password and client ID in "
                       "Configuration and the broker's access rules, then press Start."),
                    detail};
        default:
            return {QString(), detail};
        }
    }
    }
    return {};
}

} // namespace qmt
