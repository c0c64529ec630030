#include "gui/models/slotadvice.h"

#include "core/qmt/qmtcodes.h"

#include <QTest>

using namespace qmt;

/// The note's advice speaks AT ("Execute AT+QMTOPEN…"); the window's speaks of what to press and where to
/// look, and keeps the note's words as the detail.
class TestSlotAdvice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStatCodeSaysWhatToDoHere_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("autoRecovery");
        for (int code : {1, 2, 3, 4, 6, 7}) {
            QTest::addRow("code %d, auto-recovery off", code) << code << false;
            QTest::addRow("code %d, auto-recovery on", code) << code << true;
        }
    }
    void everyStatCodeSaysWhatToDoHere()
    {
        QFETCH(int, code);
        QFETCH(bool, autoRecovery);
        const SlotAdvice advice = SlotAdvice::forStat(code, autoRecovery);
        QVERIFY2(!advice.action.isEmpty(), "something to do");
        QVERIFY2(!advice.action.contains(QStringLiteral("AT+")), qPrintable(advice.action));
        const QStringList windowWords{QStringLiteral("Reconnect now"), QStringLiteral("Start"),
                                      QStringLiteral("Configuration"), QStringLiteral("Auto-recovery")};
        QVERIFY2(std::any_of(windowWords.begin(), windowWords.end(),
                             [&](const QString &word) { return advice.action.contains(word); }),
                 qPrintable(advice.action));
        QVERIFY(advice.detail.contains(codes::statAdvice(code)));
    }

    void aNormalCloseNeedsNothing()
    {
        QVERIFY(SlotAdvice::forStat(5, false).action.isEmpty());
        QVERIFY(SlotAdvice::forFailure({}, false, false).action.isEmpty());
    }

    void aFailedOpenPointsAtTheCertificatesOnlyWithTls()
    {
        const SlotFailure open{SlotFailure::Kind::Open, -1};
        const SlotAdvice tls = SlotAdvice::forFailure(open, true, false);
        QVERIFY2(tls.action.contains(QStringLiteral("check the CA in the certificate wizard"), Qt::CaseInsensitive),
                 qPrintable(tls.action));
        const SlotAdvice plain = SlotAdvice::forFailure(open, false, false);
        QVERIFY(!plain.action.contains(QStringLiteral("certificate")));
        QVERIFY(plain.action.contains(QStringLiteral("host and port in Configuration")));
        QVERIFY(plain.detail.contains(codes::openResult(-1)));
    }

    void aRefusedConnectNamesTheFieldToFix_data()
    {
        QTest::addColumn<int>("retCode");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("protocol version") << 1 << QStringLiteral("MQTT version");
        QTest::newRow("identifier") << 2 << QStringLiteral("client ID");
        QTest::newRow("server unavailable") << 3 << QStringLiteral("Reconnect now");
        QTest::newRow("user name or password") << 4 << QStringLiteral("user name and the password");
        QTest::newRow("not authorised") << 5 << QStringLiteral("access rules");
    }
    void aRefusedConnectNamesTheFieldToFix()
    {
        QFETCH(int, retCode);
        QFETCH(QString, mentions);
        const SlotAdvice advice = SlotAdvice::forFailure({SlotFailure::Kind::Refused, retCode}, false, false);
        QVERIFY2(advice.action.contains(mentions), qPrintable(advice.action));
        QVERIFY(advice.detail.contains(codes::connReturnCode(retCode)));
    }
};

QTEST_GUILESS_MAIN(TestSlotAdvice)
#include "tst_slotadvice.moc"
