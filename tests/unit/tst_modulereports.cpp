#include "core/module/moduleinfo.h"
#include "core/qmt/modulereports.h"

#include <QTest>

using namespace qmt;

/// The module's answers about itself and its network, read once into typed reports (what the information
/// panel shows, and what the port session reads a reboot from).
class TestModuleReports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void identityComesFromTheThreeLinesOfAti()
    {
        ModuleInfo info;
        QVERIFY(info.absorb("ATI", {"Quectel_Ltd", "Quectel_BC660K-GL", "Revision: BC660KGLAAR01A05"}));
        QCOMPARE(info.manufacturer, QByteArray("Quectel_Ltd"));
        QCOMPARE(info.model, QByteArray("Quectel_BC660K-GL"));
        QCOMPARE(info.revision, QByteArray("BC660KGLAAR01A05"));
        QVERIFY(info.absorb("at+cgmr", {"Revision: BC660KGLAAR01A06"}));
        QCOMPARE(info.revision, QByteArray("BC660KGLAAR01A06"));
    }

    void bareAndPrefixedAnswersFillTheirFields()
    {
        ModuleInfo info;
        QVERIFY(info.absorb("AT+CGSN=1", {"+CGSN: 867997030000000"}));
        QVERIFY(info.absorb("AT+QCCID", {"+QCCID: 89860000000000000000"}));
        QVERIFY(info.absorb("AT+CIMI", {"460001234567890"}));
        QVERIFY(info.absorb("AT+CPIN?", {"+CPIN: READY"}));
        QVERIFY(info.absorb("AT+CGPADDR", {"+CGPADDR: 0,\"10.0.0.7\""}));
        QVERIFY(info.absorb("AT+CGATT?", {"+CGATT: 1"}));
        QVERIFY(info.absorb("AT+CSQ", {"+CSQ: 21,99"}));
        QVERIFY(info.absorb("AT+QSCLK?", {"+QSCLK: 1"}));
        QCOMPARE(info.imei, QByteArray("867997030000000"));
        QCOMPARE(info.iccid, QByteArray("89860000000000000000"));
        QCOMPARE(info.imsi, QByteArray("460001234567890"));
        QCOMPARE(info.simState, QByteArray("READY"));
        QCOMPARE(info.ipAddress, QByteArray("10.0.0.7"));
        QCOMPARE(info.attached, std::optional<bool>(true));
        QCOMPARE(info.csqRssi, std::optional<int>(21));
        QCOMPARE(info.sleepMode, std::optional<int>(1));
        // An empty answer takes nothing away.
        QVERIFY(!info.absorb("AT+CIMI", {""}));
        QCOMPARE(info.imsi, QByteArray("460001234567890"));
    }

    void theSleepModeSetIsTheModulesFromThen()
    {
        ModuleInfo info;
        QVERIFY(info.absorb("AT+QSCLK=2", {}));
        QCOMPARE(info.sleepMode, std::optional<int>(2));
    }

    void registrationReadFormHasNFirstAndTheUrcDoesNot()
    {
        ModuleInfo info;
        QVERIFY(info.absorb("AT+CEREG?", {"+CEREG: 2,1,\"1A2B\",\"0B2C4A01\",9"}));
        QCOMPARE(info.registration, std::optional<int>(1));
        QCOMPARE(info.trackingArea, QByteArray("1A2B"));
        QCOMPARE(info.cellId, QByteArray("0B2C4A01"));
        const auto urc = parseModuleUrc("+CEREG: 5,\"1A2B\",\"0B2C4A01\",9");
        QVERIFY(urc && std::holds_alternative<RegistrationReport>(*urc));
        QVERIFY(info.absorb(*urc));
        QCOMPARE(info.registration, std::optional<int>(5));
    }

    void bootAndFunctionalityAreReportsButNotInformation()
    {
        const auto rdy = parseModuleUrc("RDY");
        QVERIFY(rdy && std::holds_alternative<BootReport>(*rdy));
        const auto cfun = parseModuleUrc("+CFUN: 1");
        QVERIFY(cfun && std::holds_alternative<FunctionalityReport>(*cfun));
        QCOMPARE(std::get<FunctionalityReport>(*cfun).fun, 1);
        ModuleInfo info;
        QVERIFY(!info.absorb(*rdy));
        QVERIFY(!info.absorb(*cfun));
    }

    void mqttLinesAreNoModuleReports()
    {
        QCOMPARE(parseModuleUrc("+QMTRECV: 0,1,\"t\",\"RDY\"").has_value(), false);
        QCOMPARE(parseModuleUrc("+QMTSTAT: 0,1").has_value(), false);
        QVERIFY(parseModuleReply("AT+QMTOPEN?", {"+QMTOPEN: 0,\"broker\",1883"}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestModuleReports)
#include "tst_modulereports.moc"
