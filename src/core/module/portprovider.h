#pragma once

#include <QObject>
#include <QString>

class QIODevice;

namespace qmt {

/// Where the module's byte stream comes from: a serial port, or the built-in virtual module.
///
/// The controller asks the provider for an open device and never learns which kind it is. A provider
/// whose device can vanish and come back (a USB adapter re-enumerating) watches for its return after a
/// loss and says so with reappeared(), so the application picks up again without a restart.
class PortProvider : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    [[nodiscard]] virtual QString displayName() const = 0;
    /// Opens the port. The device stays owned by the provider. nullptr, with `error` set, when it cannot.
    virtual QIODevice *open(QString &error) = 0;
    virtual void close() = 0;
    /// After the device was lost: watch for it to come back and emit reappeared() when it does.
    virtual void watchForReturn() {}
    virtual void stopWatching() {}

Q_SIGNALS:
    void reappeared();
};

} // namespace qmt
