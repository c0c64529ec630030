#pragma once

#include "core/module/portprovider.h"
#include "scripteddevice.h"

#include <functional>

namespace qmt::test {

/// A module stand-in that answers each command line by a rule the test gives, for controller tests that
/// need a conversation rather than a fixed script. Bytes the test pushes with respond() (URCs) may arrive
/// at any time. Data after a prompt is collected up to Ctrl+Z / Esc, or for FixedLength up to a count.
class RuleModule : public ScriptedDevice
{
    Q_OBJECT

public:
    using Rule = std::function<QByteArray(const QByteArray &command)>;
    explicit RuleModule(QObject *parent = nullptr);

    void setRule(Rule rule) { m_rule = std::move(rule); }
    /// Answers for data sent after a prompt (the data without its Ctrl+Z).
    void setDataRule(Rule rule) { m_dataRule = std::move(rule); }
    /// Commands received, in order, without CR.
    [[nodiscard]] const QList<QByteArray> &commands() const { return m_commands; }
    [[nodiscard]] qsizetype count(const QByteArray &prefix) const;
    void clearCommands() { m_commands.clear(); }

private:
    void onHostBytes(const QByteArray &bytes);

    Rule m_rule;
    Rule m_dataRule;
    QByteArray m_line;
    QList<QByteArray> m_commands;
    qsizetype m_dataLeft = -1; // in data mode: bytes still expected (fixed length), or -2 until Ctrl+Z
    QByteArray m_data;
};

/// Hands the controller a device the test owns.
class TestPortProvider : public PortProvider
{
    Q_OBJECT

public:
    explicit TestPortProvider(QIODevice *device, QObject *parent = nullptr)
        : PortProvider(parent)
        , m_device(device)
    {}
    QString displayName() const override { return QStringLiteral("test module"); }
    QIODevice *open(QString &) override
    {
        if (!m_device->isOpen())
            m_device->open(QIODevice::ReadWrite | QIODevice::Unbuffered);
        return m_device;
    }
    void close() override {}

private:
    QIODevice *m_device;
};

} // namespace qmt::test
