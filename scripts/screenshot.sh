#!/usr/bin/env bash
# Makes docs/screenshot.png, the README's picture of the real window: QMT Studio on the virtual module
# with the demo running, under Xvfb, captured from the X server with ImageMagick's `import`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/demo-broker.sh"
root="$(qmt_root)"

qmt_install_packages
qmt_build dev
qmt_start_demo_broker
mkdir -p "$root/docs"
out="$root/docs/screenshot.png"
export QMT_STUDIO="$root/build/dev/src/app/studio/qmt-studio" QMT_SHOT="$out"
xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
    "$QMT_STUDIO" --demo --broker "127.0.0.1:'"$QMT_DEMO_PORT"'" --reset-layout &
    app=$!
    sleep 20
    import -window root "$QMT_SHOT"
    kill $app
'
echo "Wrote $out"
