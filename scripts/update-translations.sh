#!/usr/bin/env bash
# Keeps translations/qmtstudio_en.ts in step with the sources. The interface is written in English, so the
# only "translation" is English itself: the singular and plural of every "%n row(s)" string, which Qt
# shows as "1 row" and "2 rows" only through a translation file (QCoreApplication::translate, numerus).
#
#   scripts/update-translations.sh          rescan the sources and fill in the English forms
#   scripts/update-translations.sh --check  fail when the file is out of step (a test runs this)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ts="$root/translations/qmtstudio_en.ts"
lupdate="${QMT_LUPDATE:-$(command -v lupdate-qt6 || echo /usr/lib/qt6/bin/lupdate)}"

scan() { # $1: the .ts file to write
    # -I src: the sources include headers by their path from src/ ("core/at/atchannel.h").
    (cd "$root" && "$lupdate" -silent -pluralonly -locations none -no-obsolete -target-language en -I src \
        src/core src/gui ui -ts "$1")
    python3 "$root/scripts/fill-english-plurals.py" "$1"
}

if [[ "${1:-}" == "--check" ]]; then
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    fresh="$scratch/qmtstudio_en.ts"
    scan "$fresh"
    if ! diff -u "$ts" "$fresh"; then
        echo "translations/qmtstudio_en.ts is out of step with the sources: run scripts/update-translations.sh" >&2
        exit 1
    fi
    echo "translations/qmtstudio_en.ts is up to date"
else
    rm -f "$ts"
    scan "$ts"
    echo "Wrote $ts"
fi
