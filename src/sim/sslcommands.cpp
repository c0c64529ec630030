#include "sslcommands.h"

#include "commandargs.h"

namespace qmt::sim {

namespace {

constexpr const char *Prefix = "+QSSLCFG: 0,0,";

} // namespace

bool SslCommands::handles(const QByteArray &name) const
{
    return name == "+QSSLCFG";
}

CommandOutcome SslCommands::execute(const CommandRequest &request)
{
    using Form = CommandRequest::Form;
    if (request.form == Form::Test) {
        return CommandOutcome::ok({"+QSSLCFG: (0),(0),\"seclevel\",(0-2)", "+QSSLCFG: (0),(0),\"sslversion\",(0-4)",
                                   "+QSSLCFG: (0),(0),\"dataformat\",(0,1),(0,1)",
                                   "+QSSLCFG: (0),(0),\"timeout\",(10-300)", "+QSSLCFG: (0),(0),\"cacert\"",
                                   "+QSSLCFG: (0),(0),\"clientcert\"", "+QSSLCFG: (0),(0),\"clientkey\""});
    }
    if (request.form != Form::Write)
        return CommandOutcome::error();

    CommandArgs args(request.args);
    const std::optional<int> contextId = args.integerIn(0, 0, 0);
    const std::optional<int> connectId = args.integerIn(1, 0, 0);
    if (!contextId || !connectId)
        return args.failure();
    if (args.count() < 3 || !args.field(2).quoted)
        return CommandOutcome::error();
    const QByteArray key = args.field(2).text.toByteArray().toLower();
    const QByteArray head = Prefix + ('"' + key + '"');

    if (key == "seclevel" || key == "sslversion") {
        int &value = key == "seclevel" ? m_context.secLevel : m_context.sslVersion;
        if (args.count() == 3)
            return CommandOutcome::ok({head + ',' + QByteArray::number(value)});
        const std::optional<int> v = key == "seclevel" ? args.integer(3, Param::SecLevel) : args.integerIn(3, 0, 4);
        if (!v || args.count() != 4)
            return args.failure();
        value = *v;
        return CommandOutcome::ok();
    }
    if (key == "timeout") {
        if (args.count() == 3)
            return CommandOutcome::ok({head + ',' + QByteArray::number(m_context.timeoutS)});
        const std::optional<int> v = args.integerIn(3, SslContext::MinTimeoutS, SslContext::MaxTimeoutS);
        if (!v || args.count() != 4)
            return args.failure();
        m_context.timeoutS = *v;
        return CommandOutcome::ok();
    }
    if (key == "dataformat") {
        if (args.count() == 3) {
            return CommandOutcome::ok({head + ',' + QByteArray::number(m_context.sendFormat) + ',' +
                                       QByteArray::number(m_context.recvFormat)});
        }
        const std::optional<int> send = args.integerIn(3, 0, 1);
        const std::optional<int> recv = args.integerIn(4, 0, 1);
        if (!send || !recv || args.count() != 5)
            return args.failure();
        m_context.sendFormat = *send;
        m_context.recvFormat = *recv;
        return CommandOutcome::ok();
    }
    if (args.count() != 3)
        return CommandOutcome::error();
    if (key == "cacert")
        return upload(&SslContext::caCert, key);
    if (key == "clientcert")
        return upload(&SslContext::clientCert, key);
    if (key == "clientkey")
        return upload(&SslContext::clientKey, key);
    return CommandOutcome::error();
}

CommandOutcome SslCommands::upload(QByteArray SslContext::*item, const QByteArray &name)
{
    // The note's example shows the uploaded content "displayed": the module echoes it as it arrives.
    DataModeRequest request;
    request.maxLength = SslContext::MaxItemBytes + 1; // one more, to tell "too long" from "just fits"
    request.echo = true;
    return CommandOutcome::prompt(request, [this, item, name](const QByteArray &pem) {
        if (pem.isEmpty() || pem.size() > SslContext::MaxItemBytes)
            return CommandOutcome::error();
        m_context.*item = pem;
        // The reported "checksum" is the length in bytes (FACTS §5, fact 18).
        return CommandOutcome::ok({Prefix + ('"' + name + "\"," + QByteArray::number(pem.size()))});
    });
}

} // namespace qmt::sim
