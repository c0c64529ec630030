// Throughput of the receive path: a synthetic stream of +QMTRECV URCs through the AT framer (with the
// +QMTRECV continuation policy) and the QMT parser, fed in random chunk sizes.
//
//   bench_recvstream [--mb N] [--seed S] [--max-chunk BYTES]
//
// Prints MB/s and URCs/s; BENCHMARKS.md records the figures. Not a test: it asserts nothing about time.

#include "core/at/atframer.h"
#include "core/qmt/qmtparser.h"
#include "core/qmt/recvlinecontinuation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <cstdio>

using namespace qmt;

namespace {

struct Stream
{
    QByteArray bytes;
    quint64 urcs = 0;
    quint64 payloadBytes = 0;
};

/// Topics 10–60 bytes, payloads 0–1460 bytes; half the URCs carry <payload_len> (and may then hold CR/LF,
/// quotes and commas anywhere), half do not (payload without line breaks, as the module prints it).
Stream makeStream(qsizetype targetBytes, quint32 seed)
{
    QRandomGenerator rng(seed);
    static const QByteArray alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-";
    static const QByteArray payloadChars = "abcdefghijklmnopqrstuvwxyz0123456789 {}:,\"[]._-";
    Stream s;
    s.bytes.reserve(targetBytes + 4096);
    while (s.bytes.size() < targetBytes) {
        const int topicLen = rng.bounded(10, 61);
        QByteArray topic(topicLen, Qt::Uninitialized);
        for (char &c : topic)
            c = alphabet[rng.bounded(int(alphabet.size()))];
        const int payloadLen = rng.bounded(0, 1461);
        const bool withLength = rng.bounded(2) == 0;
        QByteArray payload(payloadLen, Qt::Uninitialized);
        for (char &c : payload)
            c = payloadChars[rng.bounded(int(payloadChars.size()))];
        if (withLength && payloadLen > 2 && rng.bounded(4) == 0)
            payload.replace(rng.bounded(payloadLen - 1), 2, "\r\n");
        s.bytes += "\r\n+QMTRECV: " + QByteArray::number(rng.bounded(5)) + ',' +
                   QByteArray::number(rng.bounded(65536)) + ",\"" + topic + "\",";
        if (withLength)
            s.bytes += QByteArray::number(payloadLen) + ',';
        s.bytes += '"' + payload + "\"\r\n";
        ++s.urcs;
        s.payloadBytes += quint64(payloadLen);
    }
    return s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Receive-path throughput: framer + +QMTRECV parser."));
    parser.addHelpOption();
    const QCommandLineOption mbOption(QStringLiteral("mb"), QStringLiteral("Stream size in MiB (default 256)."),
                                      QStringLiteral("N"), QStringLiteral("256"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."),
                                        QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption chunkOption(QStringLiteral("max-chunk"),
                                         QStringLiteral("Largest read size in bytes (default 4096)."),
                                         QStringLiteral("BYTES"), QStringLiteral("4096"));
    parser.addOptions({mbOption, seedOption, chunkOption});
    parser.process(app);

    const qsizetype size = parser.value(mbOption).toLongLong() * 1024 * 1024;
    const quint32 seed = parser.value(seedOption).toUInt();
    const int maxChunk = std::max(1, parser.value(chunkOption).toInt());
    const Stream stream = makeStream(size, seed);

    // Chunk sizes drawn up front so the timed loop measures the parser, not the random generator.
    QRandomGenerator rng(seed + 1);
    QList<qsizetype> cuts;
    for (qsizetype at = 0; at < stream.bytes.size(); at += rng.bounded(1, maxChunk + 1))
        cuts.append(at);
    cuts.append(stream.bytes.size());

    const RecvLineContinuation policy;
    AtFramer framer;
    framer.setContinuationPolicy(&policy);
    quint64 parsed = 0;
    quint64 payloadBytes = 0;
    quint64 other = 0;
    const auto sink = [&](const AtFramer::Event &e) {
        if (e.type != AtFramer::EventType::Line) {
            ++other;
            return;
        }
        if (auto event = parseQmtLine(e.bytes)) {
            if (const auto *msg = std::get_if<RecvMessage>(&*event)) {
                ++parsed;
                payloadBytes += quint64(msg->payload.size());
                return;
            }
        }
        ++other;
    };

    QElapsedTimer clock;
    clock.start();
    for (qsizetype i = 0; i + 1 < cuts.size(); ++i)
        framer.feed(QByteArrayView(stream.bytes).sliced(cuts[i], cuts[i + 1] - cuts[i]), sink);
    const qint64 ns = clock.nsecsElapsed();

    const double seconds = double(ns) / 1e9;
    const double mb = double(stream.bytes.size()) / 1e6;
    std::printf("stream: %.1f MB, %llu +QMTRECV URCs (%.0f bytes mean), chunks 1..%d bytes (%lld reads)\n", mb,
                static_cast<unsigned long long>(stream.urcs), double(stream.bytes.size()) / double(stream.urcs),
                maxChunk, static_cast<long long>(cuts.size() - 1));
    std::printf("parsed: %llu URCs, %llu payload bytes, %llu other events\n", static_cast<unsigned long long>(parsed),
                static_cast<unsigned long long>(payloadBytes), static_cast<unsigned long long>(other));
    std::printf("time:   %.3f s\n", seconds);
    std::printf("rate:   %.0f MB/s, %.0f URCs/s\n", mb / seconds, double(parsed) / seconds);
    const bool exact = parsed == stream.urcs && payloadBytes == stream.payloadBytes && other == 0;
    if (!exact)
        std::printf("MISMATCH: expected %llu URCs with %llu payload bytes\n",
                    static_cast<unsigned long long>(stream.urcs), static_cast<unsigned long long>(stream.payloadBytes));
    return exact ? 0 : 1;
}
