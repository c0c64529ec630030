#include "core/recording/controllerrecording.h"

#include "core/recording/recorder.h"

#include "core/module/modulecontroller.h"
#include "core/module/subscriptionqos.h"

#include <QDateTime>

namespace qmt {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

ControllerRecording::ControllerRecording(ModuleController &controller, Recorder &recorder, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_recorder(recorder)
{
    const AtChannel &channel = controller.channel();
    connect(&channel, &AtChannel::commandSent, this,
            [this](quint64, const QByteArray &text) { m_recorder.recordCommand(text, nowMs()); });
    connect(&channel, &AtChannel::dataSent, this,
            [this](quint64, const QByteArray &shown) { m_recorder.recordDataSent(shown, nowMs()); });
    connect(&channel, &AtChannel::lineReceived, this,
            [this](const AtLine &line) { m_recorder.recordLine(line, nowMs()); });
    connect(&channel, &AtChannel::lineOverflow, this, [this](qsizetype discarded) {
        const AtLine note{
            tr("<a line of %n byte(s) dropped: longer than the line cap>", nullptr, int(discarded)).toUtf8(),
            LineKind::Unknown, 0, false};
        m_recorder.recordLine(note, nowMs());
    });
    connect(&controller, &ModuleController::messageReceived, this,
            [this](int slot, const RecvMessage &message, const QDateTime &time) {
                const std::optional<int> qos = grantedQosFor(m_controller.status(slot).subscriptions, message.topic);
                m_recorder.recordMessage(slot, message, time.toMSecsSinceEpoch(), qos);
            });
    connect(&controller, &ModuleController::infoChanged, this, &ControllerRecording::noteModuleIdentity);
    connect(&recorder, &Recorder::opened, this, [this] {
        m_noted.clear(); // a new file knows nothing yet
        noteModuleIdentity();
    });
}

void ControllerRecording::noteModuleIdentity()
{
    const ModuleInfo &info = m_controller.info();
    const std::pair<QLatin1String, const QByteArray &> identity[] = {
        {SessionKeys::ModuleManufacturer, info.manufacturer},
        {SessionKeys::ModuleModel, info.model},
        {SessionKeys::ModuleRevision, info.revision},
        {SessionKeys::ModuleImei, info.imei},
    };
    for (const auto &[key, value] : identity) {
        if (!value.isEmpty() && m_noted.value(key) != value) {
            m_noted.insert(key, value);
            m_recorder.setSessionValue(key, QString::fromUtf8(value));
        }
    }
}

} // namespace qmt
