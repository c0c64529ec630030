#!/usr/bin/env python3
"""bench_recordingkill: how much of a flood a kill -9 costs a recording (issue 11, point 4).

Runs qmt-recording-flood (tests/recording/recordingflood.cpp: numbered messages and their +QMTRECV log lines
handed to a Recorder at RATE a second), kills it with SIGKILL after SECONDS, and reads the file back with
Python's sqlite3: PRAGMA integrity_check, and the messages and log lines it holds by their sequence numbers.
For each run it reports what had been handed to the recorder at the kill, what the recorder had said it
committed, what the file holds, and the loss as time: (handed over - in the file) / RATE. The goal is a
loss of at most one second. tst_recordingcrash checks the part that must hold under any load (nothing
committed is lost, the file is sound); this measures the part that depends on the machine.

    bench_recordingkill.py --flood build/dev/tests/recording/qmt-recording-flood [--runs 5] [--seconds 4]
                           [--rate 10000]

Exit code 1 when a file fails its integrity check or lacks something the recorder said it had committed.
"""

import argparse
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

SEQ = re.compile(rb'"seq":(\d+)')


def flood_and_kill(flood, path, rate, seconds):
    """Runs the flood until `seconds` after it opened the file, kills it; returns (handed, committed)."""
    proc = subprocess.Popen([flood, path, str(rate)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    handed = committed_messages = committed_lines = 0
    opened_at = None
    os.set_blocking(proc.stdout.fileno(), False)
    pending = b''
    while True:
        chunk = proc.stdout.read()
        if chunk:
            pending += chunk
            *lines, pending = pending.split(b'\n')
            for line in lines:
                if line == b'opened':
                    opened_at = time.monotonic()
                elif line.startswith(b'seq '):
                    handed = int(line[4:]) + 1
                elif line.startswith(b'written '):
                    committed_messages, committed_lines = (int(n) for n in line[8:].split())
                elif line.startswith(b'not queued'):
                    print('  the queue refused messages:', line.decode(), file=sys.stderr)
        if proc.poll() is not None:
            raise RuntimeError('the flood ended by itself: ' + proc.stderr.read().decode(errors='replace'))
        if opened_at is not None and time.monotonic() - opened_at >= seconds:
            break
        time.sleep(0.002)
    # What it said last before the kill: the reports are at most a few milliseconds old.
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return handed, committed_messages, committed_lines


def read_back(path):
    """(integrity, message seqs, log line seqs) of the file."""
    db = sqlite3.connect(path)
    integrity = db.execute('PRAGMA integrity_check').fetchone()[0]
    messages = {int(m[1]) for (p,) in db.execute('SELECT payload FROM messages') if (m := SEQ.search(p))}
    lines = {int(m[1]) for (t,) in db.execute('SELECT text FROM log') if (m := SEQ.search(t))}
    db.close()
    return integrity, messages, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--flood', required=True)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--seconds', type=float, default=4.0)
    parser.add_argument('--rate', type=int, default=10000)
    args = parser.parse_args()

    print(f'load average at start: {os.getloadavg()[0]:.1f}; {args.rate} messages/s, kill after {args.seconds} s')
    print(f'{"run":>3} {"handed":>8} {"committed":>9} {"in file":>8} {"lost":>6} {"lost ms":>7}  integrity')
    lost_ms = []
    failed = False
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, 'flood.qmtrec')
            handed, committed, committed_lines = flood_and_kill(args.flood, path, args.rate, args.seconds)
            integrity, messages, lines = read_back(path)
        in_file = len([s for s in messages if s < handed])
        lost = handed - in_file
        lost_ms.append(lost * 1000.0 / args.rate)
        kept_committed = all(s in messages for s in range(committed)) and all(
            s in lines for s in range(committed_lines))
        failed = failed or integrity != 'ok' or not kept_committed
        print(f'{run:>3} {handed:>8} {committed:>9} {in_file:>8} {lost:>6} {lost_ms[-1]:>7.0f}  {integrity}'
              + ('' if kept_committed else '  LOST COMMITTED DATA'))
    print(f'lost at the kill, ms: min {min(lost_ms):.0f} / median {statistics.median(lost_ms):.0f} / '
          f'max {max(lost_ms):.0f} (goal: at most 1000); load average at end: {os.getloadavg()[0]:.1f}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
