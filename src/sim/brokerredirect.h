#pragma once

#include <QString>

namespace qmt::sim {

/// Sends every AT+QMTOPEN to one broker, whatever host and port the host named, so the note's examples can
/// be typed verbatim (Alibaba and Azure host names included) against a local mosquitto. The module still
/// reports the host and port it was given; TLS checks the broker's certificate against the redirect host.
struct BrokerRedirect
{
    QString host;
    quint16 port = 0; ///< 0 keeps the port AT+QMTOPEN named

    [[nodiscard]] bool isSet() const { return !host.isEmpty(); }
};

/// Where plain and TLS connections go; either may be unset.
struct BrokerRedirects
{
    BrokerRedirect plain;
    BrokerRedirect tls;
};

} // namespace qmt::sim
