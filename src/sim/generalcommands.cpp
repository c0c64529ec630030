#include "sim/generalcommands.h"

#include "sim/commandargs.h"
#include "sim/networkmodel.h"

namespace qmt::sim {

namespace {

using Form = CommandRequest::Form;

// The firmware revision of the real capture (protocol-notes §9.5), so host code that parses it sees a real shape.
constexpr const char *Revision = "Revision: BC660KGLAAR01A05";
// IMEI and ICCID end in a valid Luhn check digit, so host code that validates them accepts them.
constexpr const char *Imei = "866000000000003";
constexpr const char *SerialNumber = "VIRTUALBC660K001";
constexpr const char *Imsi = "001010000000001";
constexpr const char *Iccid = "89001010000000000018";

QByteArray num(int v)
{
    return QByteArray::number(v);
}

} // namespace

GeneralCommands::GeneralCommands(NetworkModel *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    m_handlers = {
        {"", &GeneralCommands::at},          {"E", &GeneralCommands::ate},        {"I", &GeneralCommands::ati},
        {"+CGMR", &GeneralCommands::cgmr},   {"+CGSN", &GeneralCommands::cgsn},   {"+CPIN", &GeneralCommands::cpin},
        {"+QCCID", &GeneralCommands::qccid}, {"+CIMI", &GeneralCommands::cimi},   {"+CESQ", &GeneralCommands::cesq},
        {"+CSQ", &GeneralCommands::csq},     {"+QENG", &GeneralCommands::qeng},   {"+CBC", &GeneralCommands::cbc},
        {"+CFUN", &GeneralCommands::cfun},   {"+QSCLK", &GeneralCommands::qsclk}, {"+QRST", &GeneralCommands::qrst},
        {"+CMEE", &GeneralCommands::cmee},
    };
}

bool GeneralCommands::handles(const QByteArray &name) const
{
    return m_handlers.contains(name);
}

CommandOutcome GeneralCommands::execute(const CommandRequest &request)
{
    return (this->*m_handlers.value(request.name))(request);
}

void GeneralCommands::setEcho(bool on)
{
    if (on == m_echo)
        return;
    m_echo = on;
    Q_EMIT echoChanged(on);
}

void GeneralCommands::restoreVolatileDefaults()
{
    m_sleepMode = 1;
}

CommandOutcome GeneralCommands::at(const CommandRequest &r)
{
    return r.form == Form::Execute ? CommandOutcome::ok() : CommandOutcome::error();
}

CommandOutcome GeneralCommands::ate(const CommandRequest &r)
{
    if (r.form != Form::Execute || (r.args != "" && r.args != "0" && r.args != "1"))
        return CommandOutcome::error();
    setEcho(r.args == "1");
    return CommandOutcome::ok();
}

CommandOutcome GeneralCommands::ati(const CommandRequest &r)
{
    if (r.form != Form::Execute || (r.args != "" && r.args != "0"))
        return CommandOutcome::error();
    return CommandOutcome::ok({"Quectel_Ltd", "Quectel_BC660K-GL", Revision});
}

CommandOutcome GeneralCommands::cgmr(const CommandRequest &r)
{
    return r.form == Form::Execute ? CommandOutcome::ok({Revision}) : CommandOutcome::error();
}

CommandOutcome GeneralCommands::cgsn(const CommandRequest &r)
{
    switch (r.form) {
    case Form::Execute:
        return CommandOutcome::ok({SerialNumber});
    case Form::Test:
        return CommandOutcome::ok({"+CGSN: (0-3)"});
    case Form::Read:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> type = args.integerIn(0, 0, 3);
    if (!type || args.count() != 1)
        return args.failure();
    static const QByteArray values[] = {SerialNumber, Imei, QByteArray(Imei).left(14) + "01", "01"};
    return CommandOutcome::ok({"+CGSN: " + values[*type]});
}

CommandOutcome GeneralCommands::cpin(const CommandRequest &r)
{
    return r.form == Form::Read ? CommandOutcome::ok({"+CPIN: READY"}) : CommandOutcome::error();
}

CommandOutcome GeneralCommands::qccid(const CommandRequest &r)
{
    return r.form == Form::Execute ? CommandOutcome::ok({QByteArrayLiteral("+QCCID: ") + Iccid})
                                   : CommandOutcome::error();
}

CommandOutcome GeneralCommands::cimi(const CommandRequest &r)
{
    return r.form == Form::Execute ? CommandOutcome::ok({Imsi}) : CommandOutcome::error();
}

CommandOutcome GeneralCommands::cesq(const CommandRequest &r)
{
    if (r.form == Form::Test)
        return CommandOutcome::ok({"+CESQ: (0-63,99),(0-7,99),(0-96,255),(0-49,255),(0-34,255),(0-97,255)"});
    return r.form == Form::Execute ? CommandOutcome::ok({m_network->cesq()}) : CommandOutcome::error();
}

CommandOutcome GeneralCommands::csq(const CommandRequest &r)
{
    if (r.form == Form::Test)
        return CommandOutcome::ok({"+CSQ: (0-31,99),(0-7,99)"});
    return r.form == Form::Execute ? CommandOutcome::ok({m_network->csq()}) : CommandOutcome::error();
}

CommandOutcome GeneralCommands::qeng(const CommandRequest &r)
{
    if (r.form == Form::Test)
        return CommandOutcome::ok({"+QENG: (0)"});
    if (r.form != Form::Write)
        return CommandOutcome::error();
    CommandArgs args(r.args);
    const std::optional<int> mode = args.integerIn(0, 0, 0); // only the serving cell is modelled
    if (!mode || args.count() != 1)
        return args.failure();
    return CommandOutcome::ok({m_network->qeng()});
}

CommandOutcome GeneralCommands::cbc(const CommandRequest &r)
{
    return r.form == Form::Execute ? CommandOutcome::ok({"+CBC: 3470"}) : CommandOutcome::error();
}

CommandOutcome GeneralCommands::cfun(const CommandRequest &r)
{
    switch (r.form) {
    case Form::Read:
        return CommandOutcome::ok({"+CFUN: " + num(m_network->functionality())});
    case Form::Test:
        return CommandOutcome::ok({"+CFUN: (0,1),(0,1)"});
    case Form::Execute:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> fun = args.integerIn(0, 0, 1);
    const std::optional<int> reset = args.count() > 1 ? args.integerIn(1, 0, 1) : std::optional<int>(0);
    if (!fun || !reset || args.count() > 2)
        return args.failure();
    m_network->setFunctionality(*fun);
    CommandOutcome outcome = CommandOutcome::ok();
    if (*reset == 1)
        outcome.afterFinal = [this] { Q_EMIT rebootRequested(); };
    return outcome;
}

CommandOutcome GeneralCommands::qsclk(const CommandRequest &r)
{
    return integerSetting(r, "+QSCLK", 2, "+QSCLK: " + num(m_sleepMode), [this](int v) { m_sleepMode = v; });
}

CommandOutcome GeneralCommands::qrst(const CommandRequest &r)
{
    if (r.form == Form::Test)
        return CommandOutcome::ok({"+QRST: 1"});
    if (r.form != Form::Write || r.args.trimmed() != "1")
        return CommandOutcome::error();
    // protocol-notes §2.1: the module resets right after OK, without detaching from the network.
    CommandOutcome outcome = CommandOutcome::ok();
    outcome.afterFinal = [this] { Q_EMIT rebootRequested(); };
    return outcome;
}

CommandOutcome GeneralCommands::cmee(const CommandRequest &r)
{
    return integerSetting(r, "+CMEE", 2, "+CMEE: " + num(m_cmee), [this](int v) { m_cmee = v; });
}

} // namespace qmt::sim
