#!/usr/bin/env python3
"""nested_recv_capture: writes the hostile capture of issue 14, defect 3.

+QMTRECV URCs one after the other, each declaring a <payload_len> that runs past its own closing quote and
ends two lines before the range of the URC before it ends (never on a quote or a line break): no declared
length fits and each range is nested in the one before. The later URCs, whose range would end before they
begin, declare their length right. tst_atframer builds the same stream (nestedRecvLengths()).

    nested_recv_capture.py [--urcs 7000] OUT     # 7,000 URCs make 243,893 bytes
"""

import argparse


def nested(count):
    parts = []
    length_at = []
    payload_at = []
    size = 0
    for i in range(count):
        head = b'+QMTRECV: 0,%d,"t",' % (i + 1)
        length_at.append(size + len(head))
        line = head + b'0000000,"'
        payload_at.append(size + len(line))
        line += b'ab"\r\n'
        parts.append(line)
        size += len(line)
    stream = bytearray(b''.join(parts))
    for i in range(count):
        line = payload_at[i + 1] - payload_at[i] if i + 1 < count else 0
        end = len(stream) - 3 - 2 * i * line
        while end > payload_at[i] and stream[end] in b'"\r\n':
            end -= 1
        declared = end - payload_at[i] if end > payload_at[i] + 3 else 2
        stream[length_at[i]:length_at[i] + 7] = b'%07d' % declared
    return bytes(stream)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--urcs', type=int, default=7000)
    parser.add_argument('out')
    args = parser.parse_args()
    with open(args.out, 'wb') as f:
        f.write(nested(args.urcs))


if __name__ == '__main__':
    main()
