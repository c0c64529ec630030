#include "support/exchangescript.h"

#include "core/at/atframer.h"
#include "core/qmt/recvlinecontinuation.h"

#include <QRandomGenerator>
#include <QTest>

#include <malloc.h>

using namespace qmt;

namespace {

struct Ev
{
    AtFramer::EventType type;
    QByteArray bytes;
    qint64 offset;
    qsizetype discarded;
    bool operator==(const Ev &o) const
    {
        return type == o.type && bytes == o.bytes && offset == o.offset && discarded == o.discarded;
    }
};

QList<Ev> frame(const QList<QByteArray> &chunks, bool promptExpected = false, bool recvPolicy = true,
                qsizetype maxLine = AtFramer::DefaultMaxLineLength)
{
    static const RecvLineContinuation policy;
    AtFramer framer(maxLine);
    if (recvPolicy)
        framer.setContinuationPolicy(&policy);
    framer.setPromptExpected(promptExpected);
    QList<Ev> out;
    for (const QByteArray &chunk : chunks) {
        framer.feed(chunk, [&](const AtFramer::Event &e) {
            out.append(Ev{e.type, e.bytes.toByteArray(), e.offset, e.discarded});
        });
    }
    return out;
}

QList<QByteArray> lines(const QList<Ev> &events)
{
    QList<QByteArray> out;
    for (const Ev &e : events) {
        if (e.type == AtFramer::EventType::Line)
            out.append(e.bytes);
        else if (e.type == AtFramer::EventType::Prompt)
            out.append(QByteArrayLiteral("<prompt>"));
        else
            out.append(QByteArrayLiteral("<overflow:") + QByteArray::number(e.discarded) + '>');
    }
    return out;
}

QList<QByteArray> splitAt(const QByteArray &stream, const QList<qsizetype> &cuts)
{
    QList<QByteArray> chunks;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        chunks.append(stream.mid(from, cut - from));
        from = cut;
    }
    chunks.append(stream.mid(from));
    return chunks;
}

QByteArray chapter6Stream()
{
    QByteArray out;
    for (const char *name : {"example_6_1.txt", "example_6_2.txt"})
        out +=
            test::moduleStream(test::loadExchange(QStringLiteral(QMT_FIXTURES_DIR "/chapter6/") + QLatin1String(name)));
    return out;
}

/// A stream with the hard cases together: echo, URCs between lines, unescaped payloads with CR/LF.
QByteArray trickyStream()
{
    return QByteArrayLiteral("AT+QMTSUB=0,1,\"a\",1\r\r\nOK\r\n\r\n+QMTSUB: 0,1,0,1\r\n"
                             "\r\n+QMTRECV: 0,5,\"a\",12,\"x\r\n\"y,\r\nz\r\n!\"\r\n"
                             "+QMTRECV: 0,6,\"a\",\"{\"k\":\"v,\r\nw\"}\"\r\n\r\n\r\n"
                             "+QMTSTAT: 0,1\r\nRDY\r\n+CFUN: 1\r\n");
}

/// Issue 14, defect 3: +QMTRECV URCs one after the other, each declaring a length that runs past its own
/// closing quote and ends two lines before the range of the URC before it ends (never on a quote or a line
/// break): no declared length fits, and each range is nested in the one before. The later URCs, whose
/// range would end before they begin, declare their length right.
QByteArray nestedRecvLengths(int count)
{
    QByteArray stream;
    QList<qsizetype> lengthAt;
    QList<qsizetype> payloadAt;
    for (int i = 0; i < count; ++i) {
        stream += "+QMTRECV: 0," + QByteArray::number(i + 1) + ",\"t\",";
        lengthAt.append(stream.size());
        stream += "0000000,\"";
        payloadAt.append(stream.size());
        stream += "ab\"\r\n";
    }
    for (int i = 0; i < count; ++i) {
        const qsizetype line = i + 1 < count ? payloadAt[i + 1] - payloadAt[i] : 0;
        qsizetype end = stream.size() - 3 - 2 * i * line;
        while (end > payloadAt[i] && (stream[end] == '"' || stream[end] == '\r' || stream[end] == '\n'))
            --end;
        const qsizetype declared = end > payloadAt[i] + 3 ? end - payloadAt[i] : 2;
        stream.replace(lengthAt[i], 7, QByteArray::number(declared).rightJustified(7, '0'));
    }
    return stream;
}

/// Counts what the framer asks its policy, passing the questions on to the real one.
class CountingPolicy final : public LineContinuationPolicy
{
public:
    Decision atTerminator(QByteArrayView line, LineState &state) const override
    {
        ++calls;
        return m_real.atTerminator(line, state);
    }
    mutable quint64 calls = 0;

private:
    RecvLineContinuation m_real;
};

/// Heap bytes in use (glibc): QByteArray's storage comes from malloc, so operator new alone would miss it.
qint64 heapInUse()
{
    return qint64(mallinfo2().uordblks);
}

} // namespace

class TestAtFramer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linesEndAtAnyTerminator_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::newRow("crlf") << QByteArray("\r\nOK\r\n") << QList<QByteArray>{"OK"};
        QTest::newRow("echo ends with CR only") << QByteArray("AT+QCCID\r\r\n+QCCID: 8900\r\n\r\nOK\r\n")
                                                << QList<QByteArray>{"AT+QCCID", "+QCCID: 8900", "OK"};
        QTest::newRow("lf only") << QByteArray("RDY\n+CFUN: 1\n") << QList<QByteArray>{"RDY", "+CFUN: 1"};
        QTest::newRow("reversed lf cr") << QByteArray("F1: 0000 0000\n\rLeaving the BROM\n\r")
                                        << QList<QByteArray>{"F1: 0000 0000", "Leaving the BROM"};
        QTest::newRow("blank lines skipped")
            << QByteArray("\r\nOK\r\n\r\n\r\n+QPING: 569\r\n") << QList<QByteArray>{"OK", "+QPING: 569"};
        QTest::newRow("several urcs in one read") << QByteArray("+QMTSTAT: 0,1\r\n+QMTSTAT: 1,1\r\n+CEREG: 2\r\n")
                                                  << QList<QByteArray>{"+QMTSTAT: 0,1", "+QMTSTAT: 1,1", "+CEREG: 2"};
        QTest::newRow("unterminated tail waits") << QByteArray("OK\r\n+QMTOP") << QList<QByteArray>{"OK"};
    }
    void linesEndAtAnyTerminator()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<QByteArray>, expected);
        QCOMPARE(lines(frame({stream})), expected);
    }

    void promptIsReportedWithoutTerminatorWhenExpected_data()
    {
        QTest::addColumn<QList<QByteArray>>("chunks");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::newRow("with space") << QList<QByteArray>{"\r\n> "} << QList<QByteArray>{"<prompt>"};
        QTest::newRow("without space") << QList<QByteArray>{"\r\n>"} << QList<QByteArray>{"<prompt>"};
        QTest::newRow("space in next chunk")
            << QList<QByteArray>{"\r\n>", " \r\nOK\r\n"} << QList<QByteArray>{"<prompt>", "OK"};
        QTest::newRow("echoed data on the prompt line")
            << QList<QByteArray>{"\r\n> hello\x1a\r\nOK\r\n"} << QList<QByteArray>{"<prompt>", "hello\x1a", "OK"};
        QTest::newRow("prompt then OK on the next line (EC600S)")
            << QList<QByteArray>{"> \r\nOK\r\n"} << QList<QByteArray>{"<prompt>", "OK"};
    }
    void promptIsReportedWithoutTerminatorWhenExpected()
    {
        QFETCH(QList<QByteArray>, chunks);
        QFETCH(QList<QByteArray>, expected);
        QCOMPARE(lines(frame(chunks, true)), expected);
    }

    void promptIsOnlyExpectedOnce()
    {
        QCOMPARE(lines(frame({"\r\n> \r\n>x\r\n"}, true)), (QList<QByteArray>{"<prompt>", ">x"}));
    }

    void gtIsAPlainLineWhenNoPromptIsExpected()
    {
        QCOMPARE(lines(frame({"\r\n> \r\n"}, false)), (QList<QByteArray>{"> "}));
        QCOMPARE(lines(frame({"\r\n> "}, false)), (QList<QByteArray>{}));
    }

    void overlongLineIsReportedOnceAndMemoryStaysBounded()
    {
        const RecvLineContinuation policy;
        AtFramer framer(1024);
        framer.setContinuationPolicy(&policy);
        QList<Ev> events;
        const auto sink = [&](const AtFramer::Event &e) {
            events.append(Ev{e.type, e.bytes.toByteArray(), e.offset, e.discarded});
        };
        const QByteArray junk(4096, 'x');
        qsizetype maxPending = 0;
        for (int i = 0; i < 256; ++i) { // 1 MiB without a terminator
            framer.feed(junk, sink);
            maxPending = std::max(maxPending, framer.pendingBytes());
        }
        QVERIFY(maxPending <= 1024 + 4096);
        QCOMPARE(framer.pendingBytes(), 0);
        QVERIFY(events.isEmpty());
        framer.feed("tail\r\nOK\r\n", sink);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].type, AtFramer::EventType::Overflow);
        QCOMPARE(events[0].discarded, qsizetype(256 * 4096 + 4));
        QCOMPARE(events[1].bytes, QByteArray("OK"));
        QCOMPARE(framer.stats().overflows, quint64(1));
    }

    void overlongRecvPayloadCannotHoldTheLineOpenForever()
    {
        // A +QMTRECV whose declared length never arrives must not grow beyond the cap.
        QByteArray stream = "+QMTRECV: 0,1,\"t\",9999999,\"";
        for (int i = 0; i < 3000; ++i)
            stream += "abc\r\n";
        stream += "\r\nOK\r\n";
        const QList<QByteArray> got = lines(frame({stream}, false, true, 4096));
        QVERIFY(got.size() >= 2);
        QVERIFY(got.front().startsWith("<overflow:"));
        QCOMPARE(got.back(), QByteArray("OK"));
    }

    void recvPayloadIsFramedByItsLength_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::newRow("crlf inside") << QByteArray("+QMTRECV: 0,1,\"t\",7,\"a\r\nb\r\nc\"\r\nOK\r\n")
                                     << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",7,\"a\r\nb\r\nc\"", "OK"};
        QTest::newRow("payload ends with crlf")
            << QByteArray("+QMTRECV: 0,1,\"t\",3,\"a\r\n\"\r\n+QMTSTAT: 0,1\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",3,\"a\r\n\"", "+QMTSTAT: 0,1"};
        QTest::newRow("hex payload") << QByteArray("+QMTRECV: 0,1,\"t\",2,\"0D0A\"\r\nOK\r\n")
                                     << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",2,\"0D0A\"", "OK"};
        QTest::newRow("empty payload") << QByteArray("+QMTRECV: 0,1,\"t\",0,\"\"\r\nOK\r\n")
                                       << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",0,\"\"", "OK"};
        // Bytes lost on the line: the declared length runs past the payload into the next URCs.
        QTest::newRow("length too long, a urc follows")
            << QByteArray("+QMTRECV: 0,1,\"t\",10,\"abc\"\r\n\r\n+QMTSTAT: 0,1\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",10,\"abc\"", "+QMTSTAT: 0,1"};
        QTest::newRow("length too long, a recv follows")
            << QByteArray("+QMTRECV: 0,1,\"t\",25,\"a\r\nb\"\r\n+QMTRECV: 0,2,\"t\",2,\"cd\"\r\nOK\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",25,\"a\r\nb\"", "+QMTRECV: 0,2,\"t\",2,\"cd\"", "OK"};
        QTest::newRow("closing quote missing at the declared length")
            << QByteArray("+QMTRECV: 0,1,\"t\",3,\"abc\r\nOK\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",3,\"abc", "OK"};
    }
    void recvPayloadIsFramedByItsLength()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<QByteArray>, expected);
        QCOMPARE(lines(frame({stream})), expected);
    }

    void aLineIsNeverJoinedToALineOfItsOwn_data()
    {
        // Issue 9 section 6 and issue 14 defect 2: whatever a +QMTRECV declared or lost, the line after a
        // break inside its payload stays a line of its own when the module (or the host) would start it.
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::newRow("payload lost after its opening quote, then the same shape")
            << QByteArray("+QMTRECV: 0,1,\"t\",\"\r\n+QMTRECV: 0,2,\"t\",\"\r\n+QMTRECV: 0,3,\"t\",\"\"\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",\"", "+QMTRECV: 0,2,\"t\",\"", "+QMTRECV: 0,3,\"t\",\"\""};
        QTest::newRow("with lengths, payload lost after its opening quote")
            << QByteArray("+QMTRECV: 0,1,\"t\",5,\"\r\n+QMTRECV: 0,2,\"t\",5,\"hello\"\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",5,\"", "+QMTRECV: 0,2,\"t\",5,\"hello\""};
        QTest::newRow("closing quote lost, then the echo of a command")
            << QByteArray("+QMTRECV: 0,1,\"t\",\"abc\r\nAT+QMTCONN=0,\"dev\",\"user\",\"pw\"\r\r\nOK\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",\"abc", "AT+QMTCONN=0,\"dev\",\"user\",\"pw\"", "OK"};
        QTest::newRow("length runs over the echo of a command")
            << QByteArray("+QMTRECV: 0,1,\"t\",60,\"abc\r\nAT+QMTCONN=0,\"dev\",\"user\",\"pw\"\r\r\nOK\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",60,\"abc", "AT+QMTCONN=0,\"dev\",\"user\",\"pw\"", "OK"};
        QTest::newRow("length runs over a final result") << QByteArray("+QMTRECV: 0,1,\"t\",6,\"\r\nOK\r\n\"\r\n")
                                                         << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",6,\"", "OK", "\""};
        QTest::newRow("length runs over a urc")
            << QByteArray("+QMTRECV: 0,1,\"t\",17,\"x\"\r\n+QMTSTAT: 0,1\"\r\nOK\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",17,\"x\"", "+QMTSTAT: 0,1\"", "OK"};
        QTest::newRow("length runs over a power-up notice")
            << QByteArray("+QMTRECV: 0,1,\"t\",40,\"x\r\nRDY\r\n+CFUN: 1\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",40,\"x", "RDY", "+CFUN: 1"};
    }
    void aLineIsNeverJoinedToALineOfItsOwn()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<QByteArray>, expected);
        QCOMPARE(lines(frame({stream})), expected);
        QList<QByteArray> bytes;
        for (char c : stream)
            bytes.append(QByteArray(1, c));
        QCOMPARE(lines(frame(bytes)), expected);
    }

    void recvWithoutLengthRunsToItsClosingQuote_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::newRow("crlf inside") << QByteArray("+QMTRECV: 0,1,\"t\",\"line1\r\nline2\"\r\nOK\r\n")
                                     << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",\"line1\r\nline2\"", "OK"};
        QTest::newRow("json with quotes and commas")
            << QByteArray("+QMTRECV: 0,1,\"t\",\"{\"method\":\"setValue\",\"params\":true}\"\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",\"{\"method\":\"setValue\",\"params\":true}\""};
        QTest::newRow("missing closing quote, then a final result")
            << QByteArray("+QMTRECV: 0,1,\"t\",\"cut\r\n\r\nOK\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",\"cut", "OK"};
        QTest::newRow("missing closing quote, then a urc")
            << QByteArray("+QMTRECV: 0,1,\"t\",\"cut\r\n+QMTSTAT: 0,1\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,\"t\",\"cut", "+QMTSTAT: 0,1"};
        QTest::newRow("unquoted payload of old firmware")
            << QByteArray("+QMTRECV: 0,1,test,M95 Hello World\r\nOK\r\n")
            << QList<QByteArray>{"+QMTRECV: 0,1,test,M95 Hello World", "OK"};
    }
    void recvWithoutLengthRunsToItsClosingQuote()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QList<QByteArray>, expected);
        QCOMPARE(lines(frame({stream})), expected);
    }

    void hostileNestedLengthsCostLinearWorkAndBoundedMemory()
    {
        // Issue 14, defect 3: a 245 KB capture of such URCs took 17 s and 848 MB, the framer re-framing (and
        // copying) the rest of the stream once per URC: for this 104 KB stream it asked its policy 3,062,254
        // times and held 53 MB. Counted, not timed: the framer asks about each terminator a bounded number of
        // times, and the heap never holds more than a few lines' worth.
        const QByteArray stream = nestedRecvLengths(3000);
        const qsizetype terminators = stream.count('\r') + stream.count('\n');
        CountingPolicy policy;
        AtFramer framer;
        framer.setContinuationPolicy(&policy);
        qsizetype lines = 0;
        qsizetype lineBytes = 0;
        const qint64 heapBefore = heapInUse();
        qint64 heapPeak = heapBefore;
        framer.feed(stream, [&](const AtFramer::Event &e) {
            QCOMPARE(e.type, AtFramer::EventType::Line);
            QVERIFY(e.bytes.startsWith("+QMTRECV: 0,"));
            ++lines;
            lineBytes += e.bytes.size();
            heapPeak = std::max(heapPeak, heapInUse());
        });
        framer.finish([&](const AtFramer::Event &) { ++lines; });
        QCOMPARE(lines, 3000); // every URC, none swallowed by the length of another
        QCOMPARE(lineBytes + 2 * 3000, stream.size());
        QVERIFY2(policy.calls <= quint64(2 * terminators),
                 qPrintable(QStringLiteral("%1 policy calls for %2 terminators").arg(policy.calls).arg(terminators)));
        QVERIFY2(
            heapPeak - heapBefore < 64 * 1024,
            qPrintable(
                QStringLiteral("%1 heap bytes for a %2-byte stream").arg(heapPeak - heapBefore).arg(stream.size())));
    }

    void hostileLongPayloadCostsLinearWork()
    {
        // One URC whose payload keeps going across many breaks, behind a long topic: the framer asks about
        // each break once and keeps one copy of the line.
        QByteArray stream = "+QMTRECV: 0,1,\"" + QByteArray(20000, 't') + "\",200000,\"";
        for (int i = 0; i < 20000; ++i)
            stream += "x\r\n";
        stream += "\"\r\nOK\r\n";
        CountingPolicy policy;
        AtFramer framer;
        framer.setContinuationPolicy(&policy);
        QList<QByteArray> got;
        const qint64 heapBefore = heapInUse();
        qint64 heapPeak = heapBefore;
        framer.feed(stream, [&](const AtFramer::Event &e) {
            heapPeak = std::max(heapPeak, heapInUse());
            got.append(e.bytes.first(std::min<qsizetype>(e.bytes.size(), 20)).toByteArray());
        });
        QCOMPARE(got.size(), 2);
        QCOMPARE(got.back(), QByteArray("OK"));
        const qsizetype terminators = stream.count('\r') + stream.count('\n');
        QVERIFY2(policy.calls <= quint64(terminators),
                 qPrintable(QStringLiteral("%1 policy calls for %2 terminators").arg(policy.calls).arg(terminators)));
        QVERIFY(heapPeak - heapBefore < 4 * stream.size());
    }

    void offsetsPointAtLineStarts()
    {
        const QList<Ev> events = frame({"\r\nOK\r\n\r\n+QMTSTAT: 0,1\r\n"});
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].offset, 2);
        QCOMPARE(events[1].offset, 8);
    }

    void everyChunkBoundaryGivesTheSameEvents_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<bool>("promptExpected");
        QTest::newRow("chapter 6 module output") << chapter6Stream() << false;
        QTest::newRow("echo, urcs and unescaped payloads") << trickyStream() << false;
        QTest::newRow("prompt and data echo") << QByteArray("\r\n> abc\x1a\r\nOK\r\n\r\n+QMTPUB: 0,0,0\r\n") << true;
    }
    void everyChunkBoundaryGivesTheSameEvents()
    {
        QFETCH(QByteArray, stream);
        QFETCH(bool, promptExpected);
        const QList<Ev> whole = frame({stream}, promptExpected);
        QVERIFY(!whole.isEmpty());
        for (qsizetype cut = 1; cut < stream.size(); ++cut) {
            const QList<Ev> split = frame(splitAt(stream, {cut}), promptExpected);
            if (split != whole)
                QFAIL(qPrintable(QStringLiteral("cut at %1 differs").arg(cut)));
        }
        QList<QByteArray> bytes;
        for (char c : stream)
            bytes.append(QByteArray(1, c));
        QCOMPARE(frame(bytes, promptExpected), whole);
        auto *rng = QRandomGenerator::global();
        for (int round = 0; round < 200; ++round) {
            QList<qsizetype> cuts;
            for (qsizetype at = rng->bounded(1, 64); at < stream.size(); at += rng->bounded(1, 64))
                cuts.append(at);
            QCOMPARE(frame(splitAt(stream, cuts), promptExpected), whole);
        }
    }
};

QTEST_GUILESS_MAIN(TestAtFramer)
#include "tst_atframer.moc"
