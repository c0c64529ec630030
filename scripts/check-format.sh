#!/usr/bin/env bash
# Checks that every C++ file follows .clang-format (a test runs this). `scripts/check-format.sh --fix`
# formats them instead. clang-format 14 is Debian 12's; other versions may disagree on details.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
format="${QMT_CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format)}"
mapfile -t files < <(cd "$root" && find src tests -name '*.cpp' -o -name '*.h' | sort)
cd "$root"
if [[ "${1:-}" == "--fix" ]]; then
    "$format" -i "${files[@]}"
    echo "Formatted ${#files[@]} files"
else
    "$format" --dry-run -Werror "${files[@]}"
    echo "${#files[@]} files follow .clang-format"
fi
