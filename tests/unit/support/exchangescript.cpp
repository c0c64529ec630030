#include "exchangescript.h"

#include <QFile>

namespace qmt::test {

QByteArray fakePem(int size)
{
    const QByteArray head = "-----BEGIN CERTIFICATE-----\n";
    const QByteArray tail = "-----END CERTIFICATE-----\n";
    QByteArray body;
    const int bodySize = size - int(head.size() + tail.size());
    for (int i = 0; body.size() < bodySize; ++i)
        body += (i % 65 == 64) ? '\n' : char('A' + i % 26);
    return head + body.left(bodySize) + tail;
}

QList<ExchangeItem> loadExchange(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    QList<ExchangeItem> items;
    for (QByteArray line : file.readAll().split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QByteArray text = line.size() > 2 ? line.mid(2) : QByteArray();
        switch (line[0]) {
        case 'H':
            items.append({ExchangeItem::Kind::Host, text});
            break;
        case 'M':
            items.append({ExchangeItem::Kind::Module, text});
            break;
        case 'P':
            items.append({ExchangeItem::Kind::Prompt, {}});
            break;
        case 'Z':
            items.append({ExchangeItem::Kind::CtrlZ, {}});
            break;
        case 'D':
            if (text.startsWith("<pem:"))
                items.append({ExchangeItem::Kind::Data, fakePem(text.mid(5, text.size() - 6).toInt())});
            else
                items.append({ExchangeItem::Kind::Data, text});
            break;
        default:
            qFatal("bad exchange line: %s", line.constData());
        }
    }
    return items;
}

QByteArray wireBytes(const ExchangeItem &item)
{
    switch (item.kind) {
    case ExchangeItem::Kind::Host:
        return item.text + '\r';
    case ExchangeItem::Kind::Module:
        return "\r\n" + item.text + "\r\n";
    case ExchangeItem::Kind::Prompt:
        return "\r\n> ";
    case ExchangeItem::Kind::Data:
        return item.text;
    case ExchangeItem::Kind::CtrlZ:
        return QByteArray(1, 0x1A);
    }
    return {};
}

QByteArray moduleStream(const QList<ExchangeItem> &items)
{
    QByteArray out;
    for (const ExchangeItem &item : items) {
        if (item.kind == ExchangeItem::Kind::Module || item.kind == ExchangeItem::Kind::Prompt)
            out += wireBytes(item);
    }
    return out;
}

QByteArray hostStream(const QList<ExchangeItem> &items)
{
    QByteArray out;
    for (const ExchangeItem &item : items) {
        if (item.kind == ExchangeItem::Kind::Host || item.kind == ExchangeItem::Kind::Data ||
            item.kind == ExchangeItem::Kind::CtrlZ)
            out += wireBytes(item);
    }
    return out;
}

QByteArray interleavedStream(const QList<ExchangeItem> &items)
{
    QByteArray out;
    for (const ExchangeItem &item : items)
        out += wireBytes(item);
    return out;
}

} // namespace qmt::test
