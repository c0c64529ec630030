#include "sim/sslcommands.h"

#include "sim/commandargs.h"

namespace qmt::sim {

namespace {

/// One integer of a setting: where the context keeps it and the range the note gives.
struct IntegerField
{
    int SslContext::*member;
    int minimum;
    int maximum;
};

/// One key of AT+QSSLCFG: integers, or (with no fields) a PEM item uploaded in data mode.
struct Setting
{
    const char *key;
    QList<IntegerField> fields;
    QByteArray SslContext::*item = nullptr;
};

/// Every key, in the order of the note's test form and query of all (SSL note 2.3.1).
const QList<Setting> &settings()
{
    static const QList<Setting> all{
        {"seclevel", {{&SslContext::secLevel, spec(Param::SecLevel).minimum, spec(Param::SecLevel).maximum}}},
        {"sslversion", {{&SslContext::sslVersion, 0, 4}}},
        {"dataformat", {{&SslContext::sendFormat, 0, 1}, {&SslContext::recvFormat, 0, 1}}},
        {"timeout", {{&SslContext::timeoutS, SslContext::MinTimeoutS, SslContext::MaxTimeoutS}}},
        {"debug", {{&SslContext::debugLevel, 0, SslContext::MaxDebugLevel}}},
        {"cacert", {}, &SslContext::caCert},
        {"clientcert", {}, &SslContext::clientCert},
        {"clientkey", {}, &SslContext::clientKey},
        {"dtls", {{&SslContext::dtls, 0, 1}}},
        {"dtlsversion", {{&SslContext::dtlsVersion, 0, 2}}},
    };
    return all;
}

const Setting *settingNamed(const QByteArray &key)
{
    for (const Setting &s : settings()) {
        if (key == s.key)
            return &s;
    }
    return nullptr;
}

QByteArray headOf(int contextId, int connectId, const Setting &s)
{
    return "+QSSLCFG: " + QByteArray::number(contextId) + ',' + QByteArray::number(connectId) + ",\"" + s.key + '"';
}

/// The setting's current value as its query shows it; an item shows its length, 0 before any upload.
QByteArray queryLine(const QByteArray &head, const Setting &s, const SslContext &context)
{
    if (s.item)
        return head + ',' + QByteArray::number((context.*s.item).size());
    QByteArray line = head;
    for (const IntegerField &f : s.fields)
        line += ',' + QByteArray::number(context.*f.member);
    return line;
}

QList<QByteArray> testLines()
{
    QList<QByteArray> lines;
    for (const Setting &s : settings()) {
        QByteArray line = "+QSSLCFG: " + shownRange(0, SslContextTable::MaxContextId) + ',' +
                          shownRange(0, SslContextTable::MaxConnectId) + ",\"" + QByteArray(s.key) + '"';
        for (const IntegerField &f : s.fields)
            line += ',' + shownRange(f.minimum, f.maximum);
        lines.append(line);
    }
    return lines;
}

} // namespace

bool SslCommands::handles(const QByteArray &name) const
{
    return name == "+QSSLCFG";
}

CommandOutcome SslCommands::execute(const CommandRequest &request)
{
    using Form = CommandRequest::Form;
    if (request.form == Form::Test)
        return CommandOutcome::ok(testLines());
    if (request.form != Form::Write)
        return CommandOutcome::error();

    CommandArgs args(request.args);
    const std::optional<int> contextId = args.integerIn(0, 0, SslContextTable::MaxContextId);
    const std::optional<int> connectId = args.integerIn(1, 0, SslContextTable::MaxConnectId);
    if (!contextId || !connectId)
        return args.failure();
    SslContext &context = m_contexts.at(*contextId, *connectId);
    if (args.count() == 2) {
        QList<QByteArray> lines;
        for (const Setting &s : settings())
            lines.append(queryLine(headOf(*contextId, *connectId, s), s, context));
        return CommandOutcome::ok(lines);
    }
    if (!args.field(2).quoted)
        return CommandOutcome::error();
    const Setting *setting = settingNamed(args.field(2).text.toByteArray().toLower());
    if (!setting)
        return CommandOutcome::error();
    const QByteArray head = headOf(*contextId, *connectId, *setting);
    if (setting->item)
        return args.count() == 3 ? upload(context, setting->item, head) : CommandOutcome::error();
    if (args.count() == 3)
        return CommandOutcome::ok({queryLine(head, *setting, context)});
    if (args.count() != 3 + setting->fields.size())
        return CommandOutcome::error();
    QList<int> values;
    for (qsizetype i = 0; i < setting->fields.size(); ++i) {
        const IntegerField &f = setting->fields[i];
        const std::optional<int> v = args.integerIn(3 + i, f.minimum, f.maximum);
        if (!v)
            return args.failure();
        values.append(*v);
    }
    for (qsizetype i = 0; i < values.size(); ++i)
        context.*setting->fields[i].member = values[i];
    return CommandOutcome::ok();
}

CommandOutcome SslCommands::upload(SslContext &context, QByteArray SslContext::*item, const QByteArray &head)
{
    // The note's example shows the uploaded content "displayed": the module echoes it as it arrives.
    DataModeRequest request;
    request.maxLength = SslContext::MaxItemBytes + 1; // one more, to tell "too long" from "just fits"
    request.echo = true;
    // The table outlives every prompt: the context stays where it is.
    return CommandOutcome::prompt(request, [&context, item, head](const QByteArray &pem) {
        if (pem.isEmpty() || pem.size() > SslContext::MaxItemBytes)
            return CommandOutcome::error();
        context.*item = pem;
        // The reported "checksum" is the length in bytes (protocol-notes §5.1).
        return CommandOutcome::ok({head + ',' + QByteArray::number(pem.size())});
    });
}

} // namespace qmt::sim
