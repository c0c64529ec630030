#include "sim/networkcommands.h"

#include "sim/commandargs.h"
#include "sim/networkmodel.h"

namespace qmt::sim {

namespace {

using Form = CommandRequest::Form;

QByteArray num(int v)
{
    return QByteArray::number(v);
}

QByteArray quoted(const QByteArray &text)
{
    return '"' + text + '"';
}

QByteArray joined(const QList<int> &values)
{
    QByteArrayList parts;
    for (int v : values)
        parts.append(num(v));
    return parts.join(',');
}

QByteArray pdpTypeList()
{
    QByteArrayList types;
    for (const QByteArray &type : PdpContexts::pdpTypes())
        types.append(quoted(type));
    return '(' + types.join(',') + ')';
}

/// A PDP type argument in the module's spelling; ERROR for a type it does not know.
std::optional<QByteArray> pdpTypeAt(CommandArgs &args, qsizetype i)
{
    const std::optional<QByteArray> text = args.stringOf(i, 8);
    if (!text)
        return std::nullopt;
    const std::optional<QByteArray> type = PdpContexts::pdpType(*text);
    if (!type)
        args.fail(CommandOutcome::error());
    return type;
}

} // namespace

NetworkCommands::NetworkCommands(NetworkModel *network)
    : m_network(network)
{
    m_handlers = {
        {"+CEREG", &NetworkCommands::cereg},     {"+CREG", &NetworkCommands::creg},
        {"+COPS", &NetworkCommands::cops},       {"+QBAND", &NetworkCommands::qband},
        {"+CGATT", &NetworkCommands::cgatt},     {"+CGDCONT", &NetworkCommands::cgdcont},
        {"+CGACT", &NetworkCommands::cgact},     {"+QCGDEFCONT", &NetworkCommands::qcgdefcont},
        {"+CGPADDR", &NetworkCommands::cgpaddr},
    };
}

bool NetworkCommands::handles(const QByteArray &name) const
{
    return m_handlers.contains(name);
}

CommandOutcome NetworkCommands::execute(const CommandRequest &request)
{
    return (this->*m_handlers.value(request.name))(request);
}

CommandOutcome NetworkCommands::cereg(const CommandRequest &r)
{
    return integerSetting(r, "+CEREG", 5, m_network->ceregRead(), [this](int n) { m_network->setReportMode(n); });
}

CommandOutcome NetworkCommands::creg(const CommandRequest &r)
{
    return integerSetting(r, "+CREG", 3, m_network->cregRead(), [this](int n) { m_network->setCregMode(n); });
}

CommandOutcome NetworkCommands::cops(const CommandRequest &r)
{
    switch (r.form) {
    case Form::Read:
        return CommandOutcome::ok({m_network->copsRead()});
    case Form::Test: {
        // The one network there is, "currently selected" (2) once registered, else "available" (1).
        if (m_network->functionality() == 0)
            return CommandOutcome::error();
        const bool registered = m_network->packetDataReady();
        return CommandOutcome::ok({"+COPS: (" + num(registered ? 2 : 1) + ',' + quoted(NetworkModel::operatorName(0)) +
                                   ',' + quoted(NetworkModel::operatorName(1)) + ',' +
                                   quoted(NetworkModel::operatorName(2)) + ",9),,(0-4),(0-2)"});
    }
    case Form::Execute:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> mode = args.integerIn(0, 0, 4);
    if (!mode || args.count() > 4)
        return args.failure();
    if (*mode == NetworkModel::AutomaticOperator || *mode == NetworkModel::Deregistered) {
        m_network->selectOperator(*mode); // <oper> is ignored
        return CommandOutcome::ok();
    }
    const std::optional<int> format = args.integerIn(1, 0, 2);
    if (*mode == NetworkModel::SetFormatOnly) {
        if (!format || args.count() != 2)
            return args.failure();
        m_network->setOperatorFormat(*format);
        return CommandOutcome::ok();
    }
    const std::optional<QByteArray> oper = args.stringOf(2, 32);
    if (args.count() == 4)
        args.integerIn(3, 9, 9); // <AcT>: NB-S1 mode only
    if (args.failed())
        return args.failure();
    const bool available = *oper == NetworkModel::operatorName(*format);
    // Manual selection of a network that is not there fails; mode 4 then falls back to automatic.
    if (!available && *mode == NetworkModel::ManualOperator)
        return CommandOutcome::error();
    m_network->setOperatorFormat(*format);
    m_network->selectOperator(available ? *mode : int(NetworkModel::AutomaticOperator));
    return CommandOutcome::ok();
}

CommandOutcome NetworkCommands::qband(const CommandRequest &r)
{
    switch (r.form) {
    case Form::Read:
        return CommandOutcome::ok({"+QBAND: " + joined(m_network->bands())});
    case Form::Test:
        return CommandOutcome::ok({"+QBAND: (0-" + num(int(NetworkModel::supportedBands().size())) + "),(" +
                                   joined(NetworkModel::supportedBands()) + ')'});
    case Form::Execute:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> count = args.integerIn(0, 0, int(NetworkModel::supportedBands().size()));
    if (!count)
        return args.failure();
    if (args.count() != 1 + *count)
        return CommandOutcome::error();
    QList<int> bands;
    for (qsizetype i = 1; i < args.count(); ++i) {
        const std::optional<int> band = args.integerIn(i, 1, NetworkModel::supportedBands().constLast());
        if (!band)
            return args.failure();
        if (!NetworkModel::supportedBands().contains(*band))
            return CommandOutcome::cmeError(cme::InvalidParameter);
        bands.append(*band);
    }
    m_network->setBands(bands);
    return CommandOutcome::ok();
}

CommandOutcome NetworkCommands::cgatt(const CommandRequest &r)
{
    switch (r.form) {
    case Form::Read:
        return CommandOutcome::ok({"+CGATT: " + num(m_network->attached() ? 1 : 0)});
    case Form::Test:
        return CommandOutcome::ok({"+CGATT: (0,1)"});
    case Form::Execute:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> state = args.integerIn(0, 0, 1);
    if (!state || args.count() != 1)
        return args.failure();
    return m_network->setAttached(*state == 1) ? CommandOutcome::ok() : CommandOutcome::error();
}

CommandOutcome NetworkCommands::cgdcont(const CommandRequest &r)
{
    PdpContexts &contexts = m_network->contexts();
    switch (r.form) {
    case Form::Read:
        return CommandOutcome::ok(contexts.definitionLines(m_network->packetDataReady()));
    case Form::Test:
        // The AT manual's example (5.4).
        return CommandOutcome::ok({"+CGDCONT: (0-" + num(PdpContexts::MaxCid) + ")," + pdpTypeList() +
                                   ",,,,,(0,1),(0-3),(0-2),(0,1),(0,1),(0,1),(0,1),(0,1),(0,1),(0,1)"});
    case Form::Execute:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> cid = args.integerIn(0, 0, PdpContexts::MaxCid);
    if (!cid || args.count() > 16)
        return args.failure();
    // Context 0 "cannot be defined with the AT+CGDCONT command" (AT manual 5.4): AT+QCGDEFCONT sets it.
    if (*cid == 0)
        return CommandOutcome::error();
    if (args.count() == 1) {
        contexts.undefine(*cid);
        return CommandOutcome::ok();
    }
    const std::optional<QByteArray> type = pdpTypeAt(args, 1);
    const std::optional<QByteArray> apn =
        args.count() > 2 ? args.stringOf(2, PdpContexts::MaxApnLength) : std::optional<QByteArray>(QByteArray());
    if (args.failed())
        return args.failure();
    contexts.define(*cid, *type, *apn); // the address, compression and further options are not modelled
    return CommandOutcome::ok();
}

CommandOutcome NetworkCommands::qcgdefcont(const CommandRequest &r)
{
    PdpContexts &contexts = m_network->contexts();
    switch (r.form) {
    case Form::Read: {
        const PdpContexts::DefaultContext &c = contexts.defaultContext();
        QByteArray line = "+QCGDEFCONT: " + quoted(c.type);
        if (!c.apn.isEmpty() || !c.userName.isEmpty())
            line += ',' + quoted(c.apn);
        if (!c.userName.isEmpty())
            line += ',' + quoted(c.userName) + ',' + quoted(c.password) + ',' + num(c.authType);
        return CommandOutcome::ok({line});
    }
    case Form::Test:
        return CommandOutcome::ok({"+QCGDEFCONT: " + pdpTypeList()});
    case Form::Execute:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    // <PDP_type>[,<APN>[,<user_name>,<password>[,<auth_type>]]]: the credentials come as a pair.
    if (args.count() < 1 || args.count() == 3 || args.count() > 5)
        return CommandOutcome::error();
    PdpContexts::DefaultContext settings;
    const std::optional<QByteArray> type = pdpTypeAt(args, 0);
    if (args.count() >= 2)
        settings.apn = args.stringOf(1, PdpContexts::MaxApnLength).value_or(QByteArray());
    if (args.count() >= 4) {
        settings.userName = args.stringOf(2, PdpContexts::MaxCredentialLength).value_or(QByteArray());
        settings.password = args.stringOf(3, PdpContexts::MaxCredentialLength).value_or(QByteArray());
        // PAP when credentials come without a type; CHAP (2) is not supported (AT manual 5.6).
        settings.authType = args.count() == 5 ? args.integerIn(4, 0, 1).value_or(0) : 1;
    }
    if (args.failed())
        return args.failure();
    settings.type = *type;
    // Kept in NVRAM; "the command takes effect after the module is rebooted".
    contexts.setDefaultContext(settings);
    return CommandOutcome::ok();
}

CommandOutcome NetworkCommands::cgact(const CommandRequest &r)
{
    PdpContexts &contexts = m_network->contexts();
    const bool ready = m_network->packetDataReady();
    switch (r.form) {
    case Form::Read:
        return CommandOutcome::ok(contexts.activationLines(ready));
    case Form::Test:
        return CommandOutcome::ok({"+CGACT: (0,1)"});
    case Form::Execute:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    // "This Write Command must and only specify one <cid>" (AT manual 5.1).
    if (args.count() != 2)
        return CommandOutcome::error();
    const std::optional<int> state = args.integerIn(0, 0, 1);
    const std::optional<int> cid = args.integerIn(1, 0, PdpContexts::MaxCid);
    if (args.failed())
        return args.failure();
    if (!contexts.isDefined(*cid))
        return CommandOutcome::error();
    // A context comes up only on an attached module (the real one would attach first, for up to 70 s). The
    // initial context is the network's: up while attached, and as the last PDN connection it cannot go down.
    if (*state == 1 && !ready)
        return CommandOutcome::error();
    if (*cid == 0)
        return *state == 1 ? CommandOutcome::ok() : CommandOutcome::error();
    contexts.setActive(*cid, *state == 1);
    return CommandOutcome::ok();
}

CommandOutcome NetworkCommands::cgpaddr(const CommandRequest &r)
{
    auto line = [this](int cid) {
        const QByteArray address = m_network->address(cid);
        QByteArray text = "+CGPADDR: " + num(cid);
        if (!address.isEmpty())
            text += ',' + quoted(address);
        return text;
    };
    const QList<int> cids = m_network->contexts().cids();
    switch (r.form) {
    case Form::Execute: {
        QList<QByteArray> lines;
        for (int cid : cids)
            lines.append(line(cid));
        return CommandOutcome::ok(lines);
    }
    case Form::Test:
        return CommandOutcome::ok({"+CGPADDR: (" + joined(cids) + ')'});
    case Form::Read:
        return CommandOutcome::error();
    case Form::Write:
        break;
    }
    CommandArgs args(r.args);
    const std::optional<int> cid = args.integerIn(0, 0, PdpContexts::MaxCid);
    if (!cid || args.count() != 1)
        return args.failure();
    return CommandOutcome::ok({line(*cid)});
}

} // namespace qmt::sim
