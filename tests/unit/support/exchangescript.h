#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace qmt::test {

/// One item of a chapter-6 exchange file (tests/fixtures/chapter6/README.md).
struct ExchangeItem
{
    enum class Kind {
        Host,
        Module,
        Prompt,
        Data,
        CtrlZ
    };
    Kind kind;
    QByteArray text;
};

/// Reads an exchange file; `<pem:N>` data becomes N bytes of PEM-looking text.
QList<ExchangeItem> loadExchange(const QString &path);

/// The bytes the module sends (echo off), in order.
QByteArray moduleStream(const QList<ExchangeItem> &items);
/// The bytes the host sends, in order.
QByteArray hostStream(const QList<ExchangeItem> &items);
/// Both directions interleaved as a tap on the line would record them.
QByteArray interleavedStream(const QList<ExchangeItem> &items);
/// Module output as the module prints it (CR LF framing), for one item.
QByteArray wireBytes(const ExchangeItem &item);

/// A PEM-shaped block of exactly `size` bytes.
QByteArray fakePem(int size);

} // namespace qmt::test
