#include "core/qmt/qmtcodes.h"

#include <QCoreApplication>

namespace qmt::codes {

namespace {

struct Codes
{
    Q_DECLARE_TR_FUNCTIONS(qmt::Codes)
};

QString unknown(int code)
{
    return Codes::tr("Unknown code %1").arg(code);
}

} // namespace

QString openResult(int result)
{
    switch (result) {
    case -1:
        return Codes::tr("Failed to open network connection");
    case 0:
        return Codes::tr("Network connection opened successfully");
    case 1:
        return Codes::tr("Invalid parameter");
    case 2:
        return Codes::tr("The MQTT socket is occupied");
    case 3:
        return Codes::tr("Failed to activate the PDP");
    case 4:
        return Codes::tr("Failed to parse the domain name");
    default:
        return unknown(result);
    }
}

QString closeResult(int result)
{
    switch (result) {
    case -1:
        return Codes::tr("Failed to close network connection");
    case 0:
        return Codes::tr("Network connection closed successfully");
    default:
        return unknown(result);
    }
}

QString discResult(int result)
{
    switch (result) {
    case -1:
        return Codes::tr("Failed to disconnect the client");
    case 0:
        return Codes::tr("Disconnected the client successfully");
    default:
        return unknown(result);
    }
}

QString packetResult(int result)
{
    switch (result) {
    case 0:
        return Codes::tr("Sent packet successfully and received an ACK from the server");
    case 1:
        return Codes::tr("Retransmit packet");
    case 2:
        return Codes::tr("Failed to send the packet (timeout or stack block)");
    default:
        return unknown(result);
    }
}

QString connReturnCode(int retCode)
{
    switch (retCode) {
    case 0:
        return Codes::tr("Connection Accepted");
    case 1:
        return Codes::tr("Connection Refused: Unacceptable Protocol Version");
    case 2:
        return Codes::tr("Connection Refused: Identifier Rejected");
    case 3:
        return Codes::tr("Connection Refused: Server Unavailable");
    case 4:
        return Codes::tr("Connection Refused: Incorrect User Name or Password");
    case 5:
        return Codes::tr("Connection Refused: Unauthorized");
    default:
        return unknown(retCode);
    }
}

QString connState(int state)
{
    switch (state) {
    case 1:
        return Codes::tr("MQTT connection is initializing");
    case 2:
        return Codes::tr("Connecting");
    case 3:
        return Codes::tr("Connected");
    case 4:
        return Codes::tr("Disconnecting");
    default:
        return unknown(state);
    }
}

QString grantedQos(int value)
{
    if (value >= 0 && value <= 2)
        return Codes::tr("Granted QoS %1").arg(value);
    if (value == 128)
        return Codes::tr("Subscription rejected by the server");
    return unknown(value);
}

QString statMeaning(int code)
{
    switch (code) {
    case 1:
        return Codes::tr("Connection is closed or reset by its remote peer.");
    case 2:
        return Codes::tr("Sending PINGREQ packet timed out or failed.");
    case 3:
        return Codes::tr("Sending CONNECT packet timed out or failed.");
    case 4:
        return Codes::tr("Receiving CONNACK packet timed out or failed.");
    case 5:
        return Codes::tr("The client sent a DISCONNECT packet to the server but the server took the initiative "
                         "in closing the MQTT connection.");
    case 6:
        return Codes::tr("The client took the initiative in closing the MQTT connection due to constant packet "
                         "sending failures.");
    case 7:
        return Codes::tr("The link is not alive or the server is inaccessible.");
    default:
        if (code >= 8 && code <= 255)
            return Codes::tr("Reserved for future use (code %1).").arg(code);
        return unknown(code);
    }
}

QString statAdvice(int code)
{
    switch (code) {
    case 1:
        return Codes::tr("Execute AT+QMTOPEN to reopen the MQTT connection.");
    case 2:
        return Codes::tr("Deactivate and activate the PDP, and then reopen the MQTT connection.");
    case 3:
    case 4:
        return Codes::tr("1. Check whether the inputted user name and password are correct. 2. Make sure the client ID "
                         "is not occupied. 3. Reopen the MQTT connection and try to send the CONNECT packet to the "
                         "server again.");
    case 5:
        return Codes::tr("This is a normal process.");
    case 6:
        return Codes::tr("1. Make sure the data is correct. 2. Given that there may be network congestion or error, "
                         "try to reopen the MQTT connection.");
    case 7:
        return Codes::tr("Make sure the link is alive and the server is accessible.");
    default:
        return {};
    }
}

QString cmeError(int code)
{
    switch (code) {
    case 8503:
        return Codes::tr("MQTT link layer error");
    case 8504:
        return Codes::tr("MQTT illegal packet");
    case 8505:
        return Codes::tr("MQTT illegal character");
    case 8506:
        return Codes::tr("MQTT illegal UTF8");
    case 8507:
        return Codes::tr("MQTT invalid parameter");
    case 8508:
        return Codes::tr("The length of transmitted data exceeds the size of the remaining transmission buffer");
    case 8509:
        return Codes::tr("MQTT buffer overflow");
    case 8510:
        return Codes::tr("MQTT out of memory");
    case 8511:
        return Codes::tr("MQTT memory error");
    case 8600:
        return Codes::tr("MQTT unknown error");
    default:
        return unknown(code);
    }
}

} // namespace qmt::codes
