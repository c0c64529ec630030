#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>

namespace qmt {

class ModuleController;
class Recorder;

/// The seam between a module and a recording: feeds a Recorder with what a ModuleController sees — every
/// command and data sent and every line received on its AT channel (the recorder redacts them), every
/// message with the QoS its subscription was granted — and writes the module's identity into the session
/// once the module has told it. Only signals are used: the controller knows nothing of recording.
///
/// The recorder decides whether anything is written (Recorder::start() / stop()); this only connects. Both
/// must outlive it, and live on the same thread.
class ControllerRecording : public QObject
{
    Q_OBJECT

public:
    ControllerRecording(ModuleController &controller, Recorder &recorder, QObject *parent = nullptr);

private:
    void noteModuleIdentity();

    ModuleController &m_controller;
    Recorder &m_recorder;
    QHash<QString, QByteArray> m_noted; // identity written to the current file: polls repeat it unchanged
};

} // namespace qmt
