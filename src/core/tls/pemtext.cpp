#include "core/tls/pemtext.h"

#include <QCoreApplication>

namespace qmt {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(qmt::PemText)
};

const QByteArray Dashes = QByteArrayLiteral("-----");
const QByteArray Begin = QByteArrayLiteral("-----BEGIN ");
const QByteArray End = QByteArrayLiteral("-----END ");

/// Printable ASCII: PEM is base64 with ASCII headers. Anything else (Ctrl+Z, Esc, UTF-8) cannot go to the
/// module in text mode and would end or cancel the upload early.
bool isPemByte(char c)
{
    return c >= 0x20 && c <= 0x7e;
}

QByteArray trimRight(QByteArrayView line)
{
    qsizetype n = line.size();
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        --n;
    return line.first(n).toByteArray();
}

} // namespace

PemText::Parsed PemText::parse(QByteArrayView input)
{
    QByteArray text = input.toByteArray();
    text.replace("\r\n", "\n");
    text.replace('\r', '\n');
    const QList<QByteArray> lines = text.split('\n');

    Parsed out;
    std::optional<PemBlock> open;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray line = trimRight(lines[i]);
        const qsizetype lineNumber = i + 1;
        if (!open) {
            if (line.startsWith(Begin) && line.endsWith(Dashes) && line.size() > Begin.size() + Dashes.size()) {
                open = PemBlock{line.mid(Begin.size(), line.size() - Begin.size() - Dashes.size()), line + '\n'};
            }
            continue;
        }
        for (qsizetype c = 0; c < line.size(); ++c) {
            if (!isPemByte(line[c])) {
                out.error = Tr::tr("line %1 holds byte 0x%2, which is not PEM text (printable ASCII)")
                                .arg(lineNumber)
                                .arg(uint(uchar(line[c])), 2, 16, QLatin1Char('0'));
                out.blocks.clear();
                return out;
            }
        }
        open->text += line + '\n';
        if (line.startsWith(End)) {
            if (line != End + open->label + Dashes) {
                out.error =
                    Tr::tr("line %1 ends a \"%2\" block that began as \"%3\"")
                        .arg(lineNumber)
                        .arg(QString::fromLatin1(line.mid(End.size(), line.size() - End.size() - Dashes.size())),
                             QString::fromLatin1(open->label));
                out.blocks.clear();
                return out;
            }
            out.blocks.append(*open);
            open.reset();
        }
    }
    if (open) {
        out.error = Tr::tr("the \"%1\" block has no END line").arg(QString::fromLatin1(open->label));
        out.blocks.clear();
    } else if (out.blocks.isEmpty()) {
        out.error = Tr::tr("no \"-----BEGIN …-----\" line: this is not PEM text");
    }
    return out;
}

QByteArray PemText::join(const QList<PemBlock> &blocks)
{
    QByteArray out;
    for (const PemBlock &b : blocks)
        out += b.text;
    return out;
}

} // namespace qmt
