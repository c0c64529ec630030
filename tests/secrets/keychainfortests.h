#pragma once

#include "gui/secrets/keychainsecretstore.h"

#include <QTest>
#include <QUuid>

namespace qmt::test {

/// The OS keychain under a service name of the test's own, so tests never see the user's entries and
/// entries they leave behind are easy to tell.
///
/// available() probes it once. Without a keychain, tests skip — unless QMT_REQUIRE_KEYCHAIN is set (CI
/// sets it, and runs a Secret Service), in which case they fail.
class KeychainForTests
{
public:
    explicit KeychainForTests(const QString &test)
        : m_service(
              QStringLiteral("QMT Studio tests %1 %2").arg(test, QUuid::createUuid().toString(QUuid::WithoutBraces)))
    {}

    [[nodiscard]] const QString &service() const { return m_service; }

    /// Empty when the keychain answers; otherwise why not.
    QString probe()
    {
        KeychainSecretStore store(m_service);
        std::optional<SecretReply> reply;
        store.probe(nullptr, [&reply](const SecretReply &r) { reply = r; });
        if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, 10'000))
            return QStringLiteral("the keychain did not answer within 10 s");
        return reply->storeAnswered() ? QString() : reply->message();
    }

    [[nodiscard]] static bool required() { return qEnvironmentVariableIsSet("QMT_REQUIRE_KEYCHAIN"); }

private:
    QString m_service;
};

} // namespace qmt::test

/// In a test function: skips (or, in CI, fails) when the keychain does not answer.
#define QMT_REQUIRE_KEYCHAIN(keychainForTests)                                                                         \
    do {                                                                                                               \
        const QString why_ = (keychainForTests).probe();                                                               \
        if (!why_.isEmpty()) {                                                                                         \
            if (qmt::test::KeychainForTests::required())                                                               \
                QFAIL(qPrintable(QStringLiteral("QMT_REQUIRE_KEYCHAIN is set but no keychain answers: ") + why_));     \
            QSKIP(qPrintable(QStringLiteral("No OS keychain answers (%1). Run inside dbus-run-session with "           \
                                            "gnome-keyring-daemon unlocked, as scripts/test.sh does.")                 \
                                 .arg(why_)));                                                                         \
        }                                                                                                              \
    } while (false)
