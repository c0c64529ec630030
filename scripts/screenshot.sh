#!/usr/bin/env bash
# Makes the README's pictures of the real window in its default layout, one per screen size the layout must
# fit: docs/layout-1366x768.png, docs/layout-1600x1000.png and docs/layout-1920x1080.png (the first is also
# docs/screenshot.png). Each is QMT Studio under Xvfb on a virtual BC660K-GL that qmt-sim serves on a
# pseudo-terminal, talking to a local mosquitto with demo messages coming in (slot 0 connected, subscribed to
# demo/#), captured from the X server with ImageMagick's `import`.
#
#   scripts/screenshot.sh                 all three sizes
#   scripts/screenshot.sh 1600x1000 ...   these sizes only (written as docs/layout-<size>.png)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/demo-broker.sh"
root="$(qmt_root)"

qmt_install_packages
qmt_build dev
qmt_start_demo_broker
work="$(mktemp -d)"
sim_pid=""
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
    qmt_stop_demo_broker
    rm -rf "$work"
}
trap cleanup EXIT

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1366x768 1600x1000 1920x1080)
mkdir -p "$root/docs"
export QMT_STUDIO="$root/build/dev/src/app/studio/qmt-studio" QMT_DEMO_PORT
for size in "${sizes[@]}"; do
    # A module of its own for each picture, fresh from power-on, like a module plugged in for the session.
    "$root/build/dev/src/app/sim/qmt-sim" --broker "127.0.0.1:$QMT_DEMO_PORT" > "$work/sim-$size.out" 2>&1 &
    sim_pid=$!
    for _ in $(seq 1 100); do
        grep -q '^/dev/' "$work/sim-$size.out" && break
        sleep 0.1
    done
    export QMT_PTY="$(grep -m1 '^/dev/' "$work/sim-$size.out")" QMT_SHOT="$root/docs/layout-$size.png"
    # Settings of its own: the user's layout and profiles neither show nor change; a throw-away keychain
    # answers as a desktop's does.
    export XDG_CONFIG_HOME="$work/config-$size"
    qmt_with_keyring xvfb-run -a -s "-screen 0 ${size}x24" bash -c '
        "$QMT_STUDIO" --demo --port "$QMT_PTY" --broker "127.0.0.1:$QMT_DEMO_PORT" --reset-layout &
        app=$!
        sleep 20
        import -window root "$QMT_SHOT"
        kill $app
        wait $app 2>/dev/null || true
    '
    kill "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
    echo "Wrote $QMT_SHOT"
done
if [ -f "$root/docs/layout-1366x768.png" ]; then
    cp "$root/docs/layout-1366x768.png" "$root/docs/screenshot.png"
    echo "Wrote $root/docs/screenshot.png"
fi
