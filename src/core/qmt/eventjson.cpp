#include "core/qmt/eventjson.h"

#include "core/qmt/qmtcodes.h"

#include <QJsonDocument>
#include <QtAlgorithms>
#include <QtEndian>

#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>

namespace qmt {

namespace {

template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

/// Appends to a QByteArray through a plain pointer: room is made once per piece, not once per byte.
class Output
{
public:
    explicit Output(QByteArray &out)
        : m_out(out)
        , m_pos(out.size())
    {}
    ~Output() { m_out.resize(m_pos); } // shrinking keeps the capacity for the next event
    Output(const Output &) = delete;
    Output &operator=(const Output &) = delete;

    /// At least `n` bytes to write at; commit with done().
    char *room(qsizetype n)
    {
        if (m_pos + n > m_out.size())
            m_out.resize(std::max(m_pos + n, 2 * m_out.size()));
        return m_out.data() + m_pos;
    }
    void done(const char *end) { m_pos = end - m_out.constData(); }
    [[nodiscard]] qsizetype position() const { return m_pos; }
    void rewind(qsizetype position) { m_pos = position; }

    void put(char c)
    {
        *room(1) = c;
        ++m_pos;
    }
    void put(QByteArrayView bytes)
    {
        std::memcpy(room(bytes.size()), bytes.data(), size_t(bytes.size()));
        m_pos += bytes.size();
    }
    /// Writes again `length` bytes written before at `from` (room first: it may move the buffer).
    void repeat(qsizetype from, qsizetype length)
    {
        char *p = room(length);
        std::memcpy(p, m_out.constData() + from, size_t(length));
        m_pos += length;
    }

private:
    QByteArray &m_out;
    qsizetype m_pos;
};

/// What writing a string saw of its bytes.
struct Seen
{
    bool control = false; ///< a C0 control other than tab, or DEL
    bool invalidUtf8 = false;
    bool ascii = true;
    /// Text is shown as text; bytes that are not clean UTF-8 or are control characters get a hex twin.
    [[nodiscard]] bool needsHex() const { return control || invalidUtf8; }
};

/// Where the escaped bytes of an ASCII string (between its quotes) sit in the output, to be written again
/// without escaping them twice: a message's payload is also the end of its line's text.
struct EscapedAscii
{
    qsizetype from = -1; ///< -1: nothing to reuse
    qsizetype length = 0;
    bool control = false;
};

/// Bytes a JSON string cannot hold as they are ('"', '\\', C0 controls), and DEL, which it can but which
/// asks for a hex twin.
constexpr std::array<bool, 256> SpecialBytes = [] {
    std::array<bool, 256> special{};
    for (int c = 0; c < 256; ++c)
        special[size_t(c)] = c < 0x20 || c == '"' || c == '\\' || c == 0x7f;
    return special;
}();

#if defined(__SSE2__)
/// How many bytes cleanPrefix() looks at at once.
constexpr qsizetype ScanBlock = 16;

/// How many of the ScanBlock bytes at `s` come before the first of SpecialBytes (ScanBlock: none is one);
/// ORs into `highBits` something non-zero when any of them is not ASCII.
inline qsizetype cleanPrefix(const char *s, quint64 &highBits)
{
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s));
    const auto is = [v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    const __m128i below0x20 = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
    const __m128i special = _mm_or_si128(_mm_or_si128(below0x20, is('"')), _mm_or_si128(is('\\'), is(0x7f)));
    highBits |= quint64(_mm_movemask_epi8(v));
    const int marks = _mm_movemask_epi8(special);
    return marks == 0 ? ScanBlock : qCountTrailingZeroBits(quint32(marks));
}
#else
constexpr qsizetype ScanBlock = 8;

inline qsizetype cleanPrefix(const char *s, quint64 &highBits)
{
    // Bit tricks on a 64-bit word read little-endian: the high bit of each byte below 0x20 or equal to '"',
    // '\\' or DEL. A borrow can mark a byte above a marked one, never below, so the lowest mark is exact.
    constexpr quint64 Ones = 0x0101010101010101ULL;
    constexpr quint64 Highs = 0x8080808080808080ULL;
    const auto x = qFromLittleEndian<quint64>(s);
    const auto zeros = [](quint64 v) { return (v - Ones) & ~v & Highs; };
    const quint64 below0x20 = (x - Ones * 0x20) & ~x & Highs;
    const quint64 marks = below0x20 | zeros(x ^ (Ones * '"')) | zeros(x ^ (Ones * '\\')) | zeros(x ^ (Ones * 0x7f));
    highBits |= x & Highs;
    return marks == 0 ? ScanBlock : qCountTrailingZeroBits(marks) / 8;
}
#endif

/// Each byte's two lower-case hex digits.
constexpr std::array<std::array<char, 2>, 256> HexPairs = [] {
    constexpr char digits[] = "0123456789abcdef";
    std::array<std::array<char, 2>, 256> pairs{};
    for (int c = 0; c < 256; ++c)
        pairs[size_t(c)] = {digits[c >> 4], digits[c & 0xf]};
    return pairs;
}();

#if defined(__SSE2__)
/// Writes the lower-case hex digits of the 16 bytes at `s` to the 32 at `p`: the bytes split into nibbles,
/// interleaved high nibble first, and a nibble above 9 moved from the digits to the letters.
inline void hexDigits16(const char *s, char *p)
{
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s));
    const __m128i low = _mm_set1_epi8(0x0f);
    const __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low);
    const __m128i lowNibbles = _mm_and_si128(bytes, low);
    const auto digits = [](__m128i n) {
        const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(n, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
        return _mm_add_epi8(_mm_add_epi8(n, _mm_set1_epi8('0')), letter);
    };
    _mm_storeu_si128(reinterpret_cast<__m128i *>(p), digits(_mm_unpacklo_epi8(high, lowNibbles)));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(p + 16), digits(_mm_unpackhi_epi8(high, lowNibbles)));
}
#endif

/// One JSON object written as it goes. Members must come in sorted key order (QJsonObject's order, which
/// the documented output and the golden files have).
class ObjectWriter
{
public:
    explicit ObjectWriter(Output &out)
        : m_out(out)
    {
        m_out.put('{');
    }
    ~ObjectWriter() { m_out.put('}'); }
    ObjectWriter(const ObjectWriter &) = delete;
    ObjectWriter &operator=(const ObjectWriter &) = delete;

    template<size_t N> Output &key(const char (&name)[N])
    {
        // ,"name": in one piece
        char *p = m_out.room(N + 3);
        if (!m_first)
            *p++ = ',';
        m_first = false;
        *p++ = '"';
        std::memcpy(p, name, N - 1);
        p += N - 1;
        *p++ = '"';
        *p++ = ':';
        m_out.done(p);
        return m_out;
    }
    template<size_t N> void integer(const char (&name)[N], qint64 value) { key(name).put(number(value)); }
    template<size_t N> void boolean(const char (&name)[N], bool value)
    {
        key(name).put(value ? QByteArrayView("true") : QByteArrayView("false"));
    }
    /// Bytes as text: UTF-8 kept, invalid sequences replaced by U+FFFD (as QString::fromUtf8() reads them),
    /// escaped as QJsonDocument escapes.
    template<size_t N> Seen text(const char (&name)[N], QByteArrayView bytes) { return string(key(name), bytes); }
    /// As text(), and when the bytes are ASCII, notes where their escaped form was written.
    template<size_t N> Seen text(const char (&name)[N], QByteArrayView bytes, EscapedAscii &written)
    {
        Output &out = key(name);
        const qsizetype start = out.position();
        const Seen seen = string(out, bytes);
        if (seen.ascii)
            written = EscapedAscii{start + 1, out.position() - start - 2, seen.control};
        return seen;
    }
    /// As text(), for bytes that end with `"` + the ASCII string written at `written` + `"` (the quote at
    /// `tailStart`): that string's escaped form is copied, only the rest is escaped.
    template<size_t N>
    Seen textEndingWith(const char (&name)[N], QByteArrayView bytes, qsizetype tailStart, const EscapedAscii &written)
    {
        Output &out = key(name);
        const qsizetype start = out.position();
        Seen seen;
        seen.control = written.control;
        out.put('"');
        const bool headHigh = escapedBody(out, bytes.first(tailStart), seen.control);
        out.put(QByteArrayView("\\\"")); // the payload's opening quote, escaped
        out.repeat(written.from, written.length);
        out.put(QByteArrayView("\\\"\""));      // its closing quote, escaped, and the string's
        if (headHigh && !bytes.isValidUtf8()) { // rare: read as a whole, as string() does
            out.rewind(start);
            return string(out, bytes);
        }
        return seen;
    }
    template<size_t N> void translated(const char (&name)[N], const QString &value)
    {
        string(key(name), QByteArrayView(value.toUtf8()));
    }
    template<size_t N> void latin1(const char (&name)[N], const char *value)
    {
        Output &out = key(name);
        out.put('"');
        out.put(QByteArrayView(value));
        out.put('"');
    }
    template<size_t N> void hex(const char (&name)[N], QByteArrayView bytes)
    {
        Output &out = key(name);
        char *p = out.room(2 * bytes.size() + 2);
        *p++ = '"';
        const char *s = bytes.data();
        const char *const end = s + bytes.size();
#if defined(__SSE2__)
        for (; end - s >= 16; s += 16, p += 32)
            hexDigits16(s, p);
#endif
        for (; s < end; ++s, p += 2)
            std::memcpy(p, HexPairs[uchar(*s)].data(), 2);
        *p++ = '"';
        out.done(p);
    }
    template<size_t N> void strings(const char (&name)[N], const QList<QByteArray> &list)
    {
        Output &out = key(name);
        out.put('[');
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i > 0)
                out.put(',');
            string(out, list[i]);
        }
        out.put(']');
    }

    static Seen string(Output &out, QByteArrayView bytes)
    {
        const qsizetype start = out.position();
        Seen seen;
        if (escaped(out, bytes, seen.control)) {
            seen.ascii = false;
            seen.invalidUtf8 = !bytes.isValidUtf8();
            if (seen.invalidUtf8) {
                // Rare: what QString::fromUtf8() makes of it, so that the output is what it always was.
                out.rewind(start);
                bool unused = false;
                escaped(out, QByteArrayView(QString::fromUtf8(bytes).toUtf8()), unused);
            }
        }
        return seen;
    }

private:
    /// A number without a QByteArray: written into a buffer of the object's.
    QByteArrayView number(qint64 value)
    {
        char *end = m_digits + sizeof m_digits;
        char *p = end;
        const bool negative = value < 0;
        quint64 v = negative ? quint64(0) - quint64(value) : quint64(value);
        do {
            *--p = char('0' + v % 10);
            v /= 10;
        } while (v);
        if (negative)
            *--p = '-';
        return QByteArrayView(p, end - p);
    }

    /// Writes one of SpecialBytes at `p` as JSON has it; notes a control character. Returns the new end.
    static char *escapeSpecial(char *p, char ch, bool &control)
    {
        const auto c = uchar(ch);
        switch (c) {
        case '"':
        case '\\':
            *p++ = '\\';
            *p++ = ch;
            return p;
        case '\t':
            *p++ = '\\';
            *p++ = 't';
            return p; // a tab is no control character here
        case 0x7f:
            *p++ = ch; // JSON takes DEL as it is
            break;
        case '\b':
        case '\f':
        case '\n':
        case '\r':
            *p++ = '\\';
            *p++ = c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' : 'r';
            break;
        default:
            std::memcpy(p, "\\u00", 4);
            std::memcpy(p + 4, HexPairs[c].data(), 2);
            p += 6;
        }
        control = true;
        return p;
    }

    /// Writes the bytes quoted and escaped as they are; returns whether any is not ASCII.
    static bool escaped(Output &out, QByteArrayView bytes, bool &control)
    {
        out.put('"');
        const bool high = escapedBody(out, bytes, control);
        out.put('"');
        return high;
    }

    /// Writes the bytes escaped as they are, without quotes; returns whether any is not ASCII.
    static bool escapedBody(Output &out, QByteArrayView bytes, bool &control)
    {
        char *p = out.room(6 * bytes.size()); // at worst, every byte becomes \u00XX
        quint64 highBits = 0;                 // non-zero: a byte is not ASCII
        const char *s = bytes.data();
        const char *const end = s + bytes.size();
        // A block at a time: copied whole, then kept up to the first byte that needs a look of its own. (While
        // a block is left there is room for one: each byte read has room for six.)
        while (end - s >= ScanBlock) {
            std::memcpy(p, s, ScanBlock);
            const qsizetype clean = cleanPrefix(s, highBits);
            p += clean;
            s += clean;
            if (clean < ScanBlock)
                p = escapeSpecial(p, *s++, control);
        }
        for (; s < end; ++s) {
            highBits |= uchar(*s) & 0x80;
            if (SpecialBytes[uchar(*s)])
                p = escapeSpecial(p, *s, control);
            else
                *p++ = *s;
        }
        out.done(p);
        return highBits != 0;
    }

    Output &m_out;
    bool m_first = true;
    char m_digits[24];
};

void appendRecvFields(const RecvMessage &e, ObjectWriter &o, EscapedAscii &payloadWritten)
{
    o.integer("connectId", e.connectId);
    if (e.declaredLength)
        o.integer("declaredLength", *e.declaredLength);
    o.latin1("format", e.hex ? "hex" : "text");
    if (e.lengthMismatch)
        o.boolean("lengthMismatch", true);
    o.integer("msgId", e.msgId);
    if (e.hex)
        o.text("payload", e.payload);
    else
        o.text("payload", e.payload, payloadWritten);
    o.hex("payloadHex", e.payload);
    o.integer("payloadLength", e.payload.size());
    o.text("topic", e.topic);
    if (e.unopened)
        o.boolean("unopened", true);
    if (e.unterminated)
        o.boolean("unterminated", true);
}

/// A command's result, as its row of the spec table describes the values after <result>.
void appendResultFields(const CommandResult &e, ObjectWriter &o, Output &out)
{
    const CommandSpec &command = spec(e.command);
    o.integer("connectId", e.connectId);
    if (command.values == ResultValues::GrantedQos && e.result == 0) {
        o.key("granted").put('[');
        for (qsizetype i = 0; i < e.values.size(); ++i) {
            if (i > 0)
                out.put(',');
            ObjectWriter grant(out);
            grant.translated("meaning", codes::grantedQos(e.values[i]));
            grant.integer("qos", e.values[i]);
        }
        out.put(']');
    }
    o.translated("meaning", command.meaning(e.result));
    if (e.msgId)
        o.integer("msgId", *e.msgId);
    o.integer("result", e.result);
    const std::optional<int> value = e.value();
    if (!value)
        return;
    if (command.values == ResultValues::ReturnCode) {
        o.integer("retCode", *value);
        o.translated("retCodeMeaning", codes::connReturnCode(*value));
    } else if (command.values == ResultValues::Retransmissions ||
               (command.values == ResultValues::GrantedQos && e.result == 1)) {
        o.integer("retransmissions", *value);
    }
}

void appendFields(const QmtEvent &event, Output &out, EscapedAscii &payloadWritten)
{
    ObjectWriter o(out);
    std::visit(Overloaded{
                   [&o, &out](const CommandResult &e) { appendResultFields(e, o, out); },
                   [&o](const OpenInfo &e) {
                       o.integer("connectId", e.connectId);
                       o.text("host", e.host);
                       o.integer("port", e.port);
                   },
                   [&o](const ConnState &e) {
                       o.integer("connectId", e.connectId);
                       o.translated("meaning", codes::connState(e.state));
                       o.integer("state", e.state);
                   },
                   [&o](const StatEvent &e) {
                       o.translated("advice", codes::statAdvice(e.code));
                       o.integer("code", e.code);
                       o.integer("connectId", e.connectId);
                       o.translated("meaning", codes::statMeaning(e.code));
                   },
                   [&o, &payloadWritten](const RecvMessage &e) { appendRecvFields(e, o, payloadWritten); },
                   [&o](const CfgReply &e) {
                       if (e.option)
                           o.latin1("option", spec(*e.option).name);
                       o.strings("values", e.values);
                   },
                   [&o](const CfgTestLine &e) {
                       o.text("name", e.name);
                       if (e.option)
                           o.latin1("option", spec(*e.option).name);
                       o.strings("ranges", e.ranges);
                   },
                   [&o](const TestReply &e) { o.strings("fields", e.fields); },
                   [&o](const CmeError &e) {
                       o.integer("code", e.code);
                       o.translated("meaning", codes::cmeError(e.code));
                   },
               },
               event);
}

/// Where a message's line ends in `"<payload>"`, the offset of that opening quote; -1 when it does not
/// (a damaged line, a payload read from hex).
qsizetype endsWithPayload(const DecodedEvent &event)
{
    const QByteArray &payload = std::get<RecvMessage>(*event.event).payload;
    const QByteArray &text = event.text;
    const qsizetype at = text.size() - payload.size() - 2;
    if (at < 0 || text.back() != '"' || text[at] != '"' ||
        std::memcmp(text.constData() + at + 1, payload.constData(), size_t(payload.size())) != 0)
        return -1;
    return at;
}

} // namespace

void appendJson(const DecodedEvent &event, QByteArray &bytes)
{
    static constexpr const char *FinalNames[] = {"ok", "error", "cme-error", "cms-error"};
    Output out(bytes);
    ObjectWriter o(out);
    if (event.final && event.final->code >= 0)
        o.integer("code", event.final->code);
    if (!event.command.isEmpty())
        o.text("command", event.command);
    if (event.discarded > 0)
        o.integer("discarded", event.discarded);
    EscapedAscii payloadWritten;
    if (event.event) {
        o.latin1("event", eventName(*event.event));
        o.key("fields");
        appendFields(*event.event, out, payloadWritten);
    }
    if (event.incomplete)
        o.boolean("incomplete", true);
    o.latin1("kind", lineKindName(event.kind));
    o.integer("offset", event.offset);
    if (event.final)
        o.latin1("result", FinalNames[int(event.final->kind)]);
    // A message's line ends with its payload, escaped already: written again, not escaped again (a third of
    // what writing a busy capture's JSON costs goes to escaping).
    const qsizetype tailStart = payloadWritten.from < 0 ? -1 : endsWithPayload(event);
    const Seen seen =
        tailStart >= 0 ? o.textEndingWith("text", event.text, tailStart, payloadWritten) : o.text("text", event.text);
    if (seen.needsHex())
        o.hex("textHex", event.text);
}

QJsonObject toJson(const DecodedEvent &event)
{
    QByteArray json;
    appendJson(event, json);
    return QJsonDocument::fromJson(json).object();
}

} // namespace qmt
