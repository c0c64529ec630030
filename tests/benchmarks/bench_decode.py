#!/usr/bin/env python3
"""bench_decode: qmt-decode against a plain Python regex script on the same capture.

Makes a capture of a busy BC660K-GL line (a session's set-up, then +QMTRECV URCs over 1,000 topics with
60-200-byte JSON payloads, their length shown, now and then a command, a publish and a +QMTSTAT), then
decodes it alternately with qmt-decode and with REGEX_SCRIPT below, the kind of script a user would write
instead, both writing JSON Lines to /dev/null. Reports each run, the medians, MB/s and the ratio. Both must
find the same number of +QMTRECV messages (exit code 1 otherwise).

    bench_decode.py --qmt-decode build/dev/src/app/decode/qmt-decode [--mb 100] [--rounds 5]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

# The baseline: what one writes in a few minutes to turn a capture into JSON. It knows +QMTRECV (with
# and without <payload_len>) and prints every other line as it is; it does not frame payloads with CR LF,
# classify lines, tie results to commands, redact secrets or check lengths, as qmt-decode does.
REGEX_SCRIPT = r'''
import json, re, sys
RECV = re.compile(rb'^\+QMTRECV: (\d+),(\d+),"([^"]*)",(?:(\d+),)?"(.*)"$')
out = sys.stdout
with open(sys.argv[1], 'rb') as f:
    data = f.read()
offset = 0
for line in data.split(b'\r\n'):
    if line:
        m = RECV.match(line)
        if m:
            event = {'offset': offset, 'event': 'recv', 'connectId': int(m[1]), 'msgId': int(m[2]),
                     'topic': m[3].decode('utf-8', 'replace'), 'payload': m[5].decode('utf-8', 'replace')}
            if m[4]:
                event['declaredLength'] = int(m[4])
        else:
            event = {'offset': offset, 'text': line.decode('utf-8', 'replace')}
        out.write(json.dumps(event) + '\n')
    offset += len(line) + 2
'''


def make_capture(path, megabytes):
    """A deterministic capture of about `megabytes` MB."""
    head = (b'RDY\r\n\r\n+CFUN: 1\r\nATE0\r\r\nOK\r\nAT+QMTCFG="showrecvlen",0,1\r\nOK\r\n'
            b'AT+QMTOPEN=0,"broker.example.net",1883\r\nOK\r\n\r\n+QMTOPEN: 0,0\r\n'
            b'AT+QMTCONN=0,"bench"\r\nOK\r\n\r\n+QMTCONN: 0,0,0\r\n'
            b'AT+QMTSUB=0,1,"bench/#",0\r\nOK\r\n\r\n+QMTSUB: 0,1,0,0\r\n')
    target = megabytes * 1_000_000
    chunks = [head]
    size = len(head)
    n = 0
    state = 12345
    recv = 0
    while size < target:
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        topic = b'bench/g%d/dev-%03d' % (state % 10, (state >> 8) % 100)
        pad = 60 + (state >> 20) % 141
        body = b'{"seq":%d,"temp":%d.%02d,"ok":true,"pad":"' % (n, 15 + (state >> 30) % 20, (state >> 40) % 100)
        payload = body + b'x' * max(0, pad - len(body) - 2) + b'"}'
        chunk = b'\r\n+QMTRECV: 0,0,"%s",%d,"%s"\r\n' % (topic, len(payload), payload)
        recv += 1
        if n % 5000 == 4999:
            chunk += (b'AT+QMTPUB=0,0,0,0,"bench/ack"\r\r\n> ' + b'ack %d' % n + b'\x1a\r\nOK\r\n\r\n+QMTPUB: 0,0,0\r\n')
        if n % 50000 == 49999:
            chunk += b'\r\n+QMTSTAT: 0,1\r\n'
        chunks.append(chunk)
        size += len(chunk)
        n += 1
    with open(path, 'wb') as f:
        f.write(b''.join(chunks))
    return recv


def timed(command):
    """Wall time and CPU time (user + system) of one run. On a busy machine the CPU time says more."""
    with open(os.devnull, 'wb') as null:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdout=null, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def count_recv(command, marker):
    out = subprocess.run(command, stdout=subprocess.PIPE, check=True).stdout
    return out.count(marker)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--qmt-decode', required=True, help='the qmt-decode program')
    parser.add_argument('--mb', type=int, default=100, help='capture size in MB (default 100)')
    parser.add_argument('--rounds', type=int, default=5, help='alternating runs of each (default 5)')
    parser.add_argument('--capture', help='decode this capture instead of making one')
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        capture = args.capture or os.path.join(tmp, 'flood.cap')
        if not args.capture:
            make_capture(capture, args.mb)
        script = os.path.join(tmp, 'regex_decode.py')
        with open(script, 'w') as f:
            f.write(REGEX_SCRIPT)
        size = os.path.getsize(capture)
        decode = [args.qmt_decode, capture]
        regex = [sys.executable, script, capture]

        ours = count_recv(decode, b'"event":"recv"')
        theirs = count_recv(regex, b'"event": "recv"')
        if ours != theirs:
            print(f'bench_decode: qmt-decode found {ours} +QMTRECV, the regex script {theirs}', file=sys.stderr)
            return 1

        times = {'qmt-decode': [], 'regex script': []}
        for _ in range(args.rounds):
            times['qmt-decode'].append(timed(decode))
            times['regex script'].append(timed(regex))
        load = open('/proc/loadavg').read().split()[:3]
        print(f'capture: {size / 1e6:.1f} MB, {ours} +QMTRECV; {args.rounds} alternating rounds; '
              f'load average {" ".join(load)}')
        medians = {}
        for name, runs in times.items():
            for i, what in ((0, 'wall'), (1, 'cpu')):
                values = [r[i] for r in runs]
                med = statistics.median(values)
                medians[name, what] = med
                print(f'{name:13s} {what:4s} median {med:7.3f} s {size / 1e6 / med:7.1f} MB/s  '
                      f'(min {min(values):.3f}, max {max(values):.3f}; runs {", ".join(f"{t:.3f}" for t in values)})')
        for what in ('wall', 'cpu'):
            ratio = medians['regex script', what] / medians['qmt-decode', what]
            print(f'qmt-decode is {ratio:.1f}x the regex script ({what} time medians)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
