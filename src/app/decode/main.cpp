// qmt-decode: turns a raw capture of a BC660K-GL serial line into one JSON object per protocol event.

#include "app/common/crashprotection.h"
#include "core/qmt/capturedecoder.h"
#include "core/qmt/eventjson.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(qmt::Decode)
};

/// Writes one JSON line per event, gathered into blocks: a flood of events costs no object tree, no
/// allocation and no write call per event.
class JsonWriter
{
public:
    JsonWriter()
    {
        m_out.open(stdout, QIODevice::WriteOnly);
        m_buffer.reserve(BlockSize + 4096);
    }
    ~JsonWriter() { flush(); }
    JsonWriter(const JsonWriter &) = delete;
    JsonWriter &operator=(const JsonWriter &) = delete;

    void operator()(const qmt::DecodedEvent &event)
    {
        qmt::appendJson(event, m_buffer);
        m_buffer += '\n';
        ++m_count;
        if (m_buffer.size() >= BlockSize)
            flush();
    }
    void flush()
    {
        m_out.write(m_buffer);
        m_out.flush();
        m_buffer.resize(0); // keeps the capacity
    }
    [[nodiscard]] quint64 count() const { return m_count; }

private:
    static constexpr qsizetype BlockSize = 256 * 1024;
    QFile m_out;
    QByteArray m_buffer;
    quint64 m_count = 0;
};

/// A JSON Lines capture: one object per exchange, "cmd" (sent, without CR) and "reply" (bytes received).
bool decodeJsonLines(QIODevice &in, qmt::CaptureDecoder &decoder, JsonWriter &writer, QString &error)
{
    qint64 lineNo = 0;
    while (!in.atEnd()) {
        const QByteArray line = in.readLine();
        ++lineNo;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (!doc.isObject()) {
            error = Tr::tr("line %1 is not a JSON object: %2").arg(lineNo).arg(parseError.errorString());
            return false;
        }
        const QJsonObject o = doc.object();
        auto sink = [&writer](const qmt::DecodedEvent &e) { writer(e); };
        if (o.contains(QStringLiteral("cmd")))
            decoder.feed(o.value(QStringLiteral("cmd")).toString().toUtf8() + '\r', sink);
        if (o.contains(QStringLiteral("reply")))
            decoder.feed(o.value(QStringLiteral("reply")).toString().toUtf8(), sink);
    }
    decoder.finish([&writer](const qmt::DecodedEvent &e) { writer(e); });
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    qmt::protectSecretsFromCrashes(); // captures hold passwords and keys
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qmt-decode"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QMT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Decodes a capture of a Quectel BC660K-GL serial line (module output, and the host's commands when the\n"
               "capture has them) into one JSON object per protocol event: echo, response, final, prompt, urc, data\n"
               "or unknown, with the command it belongs to and the parsed fields of +QMT... lines."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("capture"), Tr::tr("Capture file, or - for standard input."));
    const QCommandLineOption format(
        {QStringLiteral("f"), QStringLiteral("format")},
        Tr::tr("Input format: raw (bytes as they crossed the line; default) or jsonl (one {\"cmd\", \"reply\"} "
               "object per line)."),
        QStringLiteral("format"), QStringLiteral("raw"));
    parser.addOption(format);
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    if (args.size() != 1) {
        std::fprintf(stderr, "%s\n", qPrintable(Tr::tr("qmt-decode: give one capture file, or - for standard input.")));
        return 2;
    }
    const QString formatName = parser.value(format);
    if (formatName != QLatin1String("raw") && formatName != QLatin1String("jsonl")) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(Tr::tr("qmt-decode: --format must be raw or jsonl; got \"%1\".").arg(formatName)));
        return 2;
    }

    QFile in;
    const bool opened = args.front() == QLatin1String("-")
                            ? in.open(stdin, QIODevice::ReadOnly)
                            : (in.setFileName(args.front()), in.open(QIODevice::ReadOnly));
    if (!opened) {
        std::fprintf(stderr, "%s\n",
                     qPrintable(Tr::tr("qmt-decode: cannot read %1: %2").arg(args.front(), in.errorString())));
        return 1;
    }

    qmt::CaptureDecoder decoder;
    JsonWriter writer;
    auto sink = [&writer](const qmt::DecodedEvent &e) { writer(e); };
    if (formatName == QLatin1String("jsonl")) {
        QString error;
        if (!decodeJsonLines(in, decoder, writer, error)) {
            std::fprintf(stderr, "qmt-decode: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }
    constexpr qint64 ChunkSize = 64 * 1024;
    while (true) {
        const QByteArray chunk = in.read(ChunkSize);
        if (chunk.isEmpty())
            break;
        decoder.feed(chunk, sink);
    }
    decoder.finish(sink);
    return 0;
}
