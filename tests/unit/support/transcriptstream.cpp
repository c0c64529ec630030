#include "transcriptstream.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace qmt::test {

namespace {

bool isCommand(const QByteArray &line)
{
    return line.size() >= 2 && (line[0] == 'A' || line[0] == 'a') && (line[1] == 'T' || line[1] == 't');
}

void addLine(TranscriptStream &out, QByteArray line)
{
    line = line.trimmed();
    if (line.isEmpty())
        return;
    out.lines.append(line);
    out.bytes += isCommand(line) ? line + '\r' : "\r\n" + line + "\r\n";
}

/// Removes the decoration people add when pasting a terminal session.
QByteArray undecorate(QByteArray line)
{
    static const QRegularExpression timestampSscom(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d+\\]\\S*"));
    static const QRegularExpression timestampArrow(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ \\S+ ?"));
    static const QRegularExpression arrow(QStringLiteral("^\\s*-{2,3}>\\s*"));
    static const QRegularExpression slashComment(QStringLiteral("\\s+//.*$"));
    static const QRegularExpression hashComment(QStringLiteral("\\s{2,}#.*$"));
    QString text = QString::fromUtf8(line);
    text.remove(timestampSscom);
    text.remove(timestampArrow);
    text.remove(arrow);
    text.remove(slashComment);
    text.remove(hashComment);
    if (text.trimmed().startsWith(QLatin1String("//")) || text.trimmed().startsWith(QLatin1String("```")))
        return {};
    return text.trimmed().toUtf8();
}

QByteArray cEscapes(const QByteArray &s)
{
    QByteArray out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            const char c = s[++i];
            if (c == 'r')
                out += '\r';
            else if (c == 'n')
                out += '\n';
            else if (c == 'x' && i + 2 < s.size()) {
                out += char(s.mid(i + 1, 2).toInt(nullptr, 16));
                i += 2;
            } else
                out += c;
        } else {
            out += s[i];
        }
    }
    return out;
}

} // namespace

TranscriptStream loadTranscript(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    const QByteArray all = file.readAll();
    const qsizetype sep = all.indexOf("\n# ---\n");
    const QByteArray body = sep >= 0 ? all.mid(sep + 7) : all;
    TranscriptStream out;
    out.name = QFileInfo(path).fileName();

    const QList<QByteArray> rawLines = body.split('\n');
    const bool jsonLines = body.trimmed().startsWith("{\"cmd\"");
    const bool dotLogger = body.contains("\n#[") || body.startsWith("#[");
    const bool pythonLists = body.contains("\"response\": [");

    if (jsonLines) {
        for (const QByteArray &l : rawLines) {
            const QJsonObject o = QJsonDocument::fromJson(l).object();
            if (o.isEmpty())
                continue;
            addLine(out, o.value(QStringLiteral("cmd")).toString().toUtf8());
            for (const QByteArray &r : o.value(QStringLiteral("reply")).toString().toUtf8().split('\n'))
                addLine(out, r);
        }
        return out;
    }
    if (pythonLists) {
        // Only the string literals inside "response": [...] lists are module lines.
        static const QRegularExpression literal(QStringLiteral("(\"([^\"\\\\]|\\\\.)*\"|'([^'\\\\]|\\\\.)*')"));
        bool inList = false;
        for (const QByteArray &l : rawLines) {
            QString text = QString::fromUtf8(l);
            if (text.contains(QLatin1String("\"response\": [")))
                inList = true, text = text.mid(text.indexOf(QLatin1String("\"response\": [")) + 12);
            if (!inList)
                continue;
            auto it = literal.globalMatch(text);
            while (it.hasNext()) {
                const QString lit = it.next().captured(1);
                addLine(out, cEscapes(lit.mid(1, lit.size() - 2).toUtf8()));
            }
            if (text.contains(QLatin1Char(']')))
                inList = false;
        }
        return out;
    }
    for (QByteArray l : rawLines) {
        if (dotLogger) {
            // "#[14:33:25] AT...OK.." : every CR and LF was printed as a dot.
            if (!l.startsWith("#["))
                continue;
            l = l.mid(l.indexOf("] ") + 2);
            static const QRegularExpression dots(QStringLiteral("\\.{2,}"));
            for (const QString &part : QString::fromUtf8(l).split(dots))
                addLine(out, part.toUtf8());
            continue;
        }
        addLine(out, undecorate(l));
    }
    return out;
}

} // namespace qmt::test
