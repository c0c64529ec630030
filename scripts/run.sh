#!/usr/bin/env bash
# Installs what is missing, builds, and runs QMT Studio's capture decoder on the sample capture.
# Pass a capture file (or - for standard input) to decode your own.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(qmt_root)"

qmt_install_packages
qmt_build dev
capture="${1:-$root/tests/fixtures/captures/bc660k-session.cap}"
exec "$root/build/dev/src/app/decode/qmt-decode" "$capture"
