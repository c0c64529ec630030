#!/usr/bin/env bash
# Makes the Debian package and the .tar.gz of a build directory (default build/dev) into <build>/packages.
#   scripts/package.sh [build-dir]          build the packages
#   scripts/package.sh --check <build-dir>  build them, unpack the .deb and run its programs (a test runs this)
set -euo pipefail
check=0
if [[ "${1:-}" == "--check" ]]; then
    check=1
    shift
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build/dev}" && pwd)"
out="$build/packages"
rm -rf "$out"
mkdir -p "$out"
cpack --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log" >&2; exit 1; }
deb="$(ls "$out"/qmt-studio_*.deb)"
echo "Wrote $deb and $(ls "$out"/*.tar.gz)"
[[ $check == 1 ]] || exit 0

fail() { echo "package check: $*" >&2; exit 1; }
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
for f in usr/bin/qmt-studio usr/bin/qmt-sim usr/bin/qmt-decode usr/share/applications/qmt-studio.desktop \
         usr/share/icons/hicolor/scalable/apps/qmt-studio.svg; do
    [[ -e "$unpacked/$f" ]] || fail "$f is missing from $deb"
done
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libqt6serialport6 libqt6widgets6 libqt6keychain1 libmosquitto1 libqt6svg6; do
    [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
version="$(dpkg-deb -f "$deb" Version)"
for program in qmt-studio qmt-sim qmt-decode; do
    got="$(QT_QPA_PLATFORM=offscreen "$unpacked/usr/bin/$program" --version 2>&1)" || fail "$program --version failed: $got"
    [[ "$got" == *"$version"* ]] || fail "$program --version says '$got', not $version"
done
echo "package check: $deb holds the three programs, the desktop entry and the icon, and they run"
