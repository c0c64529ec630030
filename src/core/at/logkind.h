#pragma once

#include "core/at/atcommand.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace qmt {

/// Which way a line of the AT log went. Recordings store these numbers: never renumber, only add.
enum class LogDirection : quint8 {
    ToModule = 0,
    FromModule = 1
};

/// What a line of the AT log is: outgoing lines are Command or DataSent, incoming ones follow LineKind.
/// Recordings store these numbers: never renumber, only add.
enum class LogKind : quint8 {
    Command = 0,
    DataSent = 1,
    Echo = 2,
    Response = 3,
    Final = 4,
    Prompt = 5,
    Urc = 6,
    Data = 7,
    Unknown = 8
};
inline constexpr int LogKindCount = 9;

/// The log's kind of a line the AT channel classified.
[[nodiscard]] LogKind logKindOf(LineKind kind);

/// The words for log kinds and directions: name() as a view shows them, key() fixed and untranslated for
/// exports ("command", "urc", "to_module", …).
struct LogKindText
{
    Q_DECLARE_TR_FUNCTIONS(qmt::LogKindText)

public:
    [[nodiscard]] static QString name(LogKind kind);
    [[nodiscard]] static QString name(LogDirection direction);
    [[nodiscard]] static QByteArray key(LogKind kind);
    [[nodiscard]] static QByteArray key(LogDirection direction);
};

} // namespace qmt
