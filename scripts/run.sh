#!/usr/bin/env bash
# Installs what is missing, builds, starts mosquitto on loopback with a demo publisher, and launches
# QMT Studio on its built-in virtual BC660K-GL with the demo profile (slot 0 connected, subscribed to
# demo/#). Without a display it runs under Xvfb for 30 s and saves a screenshot instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/demo-broker.sh"
root="$(qmt_root)"

qmt_install_packages
qmt_build dev
studio="$root/build/dev/src/app/studio/qmt-studio"
qmt_start_demo_broker

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    "$studio" --demo --broker "127.0.0.1:$QMT_DEMO_PORT" "$@"
else
    shot="$root/build/demo-screenshot.png"
    echo "No display: running QMT Studio under Xvfb for 30 s; the window ends up in $shot"
    xvfb-run -a -s "-screen 0 1400x900x24" "$studio" --demo --broker "127.0.0.1:$QMT_DEMO_PORT" --reset-layout \
        --quit-after 30000 --screenshot "$shot" "$@"
    echo "Screenshot: $shot"
fi
