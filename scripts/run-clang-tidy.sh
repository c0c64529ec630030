#!/usr/bin/env bash
# Runs clang-tidy with the checked-in .clang-tidy over every C++ source file under src/ (and the headers of
# src/ they include), using a build directory's compile database. Every finding is an error; the exit
# status is non-zero when there is any. The build must have run first: the sources include the headers
# moc and uic generate into it.
#
#   scripts/run-clang-tidy.sh [BUILD_DIR]      # default build/ci, as scripts/test.sh builds it
#   scripts/run-clang-tidy.sh build/dev 'src/core/at/'   # only the files whose path matches a regex
#
# QMT_CLANG_TIDY picks the clang-tidy program (default clang-tidy-14), QMT_TIDY_JOBS the number of files
# checked at once (default: the number of cores). scripts/test.sh runs it as its "tidy" stage.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build/ci}" && pwd)"
only="${2:-}"
tidy="${QMT_CLANG_TIDY:-$(command -v clang-tidy-14 || command -v clang-tidy || true)}"
jobs="${QMT_TIDY_JOBS:-$(nproc)}"
if [[ -z "$tidy" ]]; then
    echo "run-clang-tidy: no clang-tidy (install clang-tidy, see QMT_PACKAGES in scripts/lib.sh)" >&2
    exit 2
fi
if [[ ! -f "$build/compile_commands.json" ]]; then
    echo "run-clang-tidy: no compile_commands.json in $build (configure and build it first)" >&2
    exit 2
fi

# The translation units under src/ (moc's and uic's generated files live in the build tree and are left out).
mapfile -t files < <(python3 - "$build/compile_commands.json" "$root/src/" "$only" <<'EOF'
import json, os, re, sys
database, src, only = sys.argv[1], sys.argv[2], sys.argv[3]
seen = set()
for entry in json.load(open(database)):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    if path.startswith(src) and path not in seen and (not only or re.search(only, path)):
        seen.add(path)
        print(path)
EOF
)
if [[ ${#files[@]} -eq 0 ]]; then
    echo "run-clang-tidy: no source file under $root/src in $build/compile_commands.json" >&2
    exit 2
fi

# One clang-tidy per file, $jobs at a time; each file's output is kept together and printed when it ends.
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export tidy build root out
started=$SECONDS
printf '%s\0' "${files[@]}" | xargs -0 -P "$jobs" -I{} bash -c '
    log="$out/$(echo "{}" | tr / _).log"
    if ! "$tidy" -p "$build" --quiet --header-filter="^$root/src/" "{}" >"$log" 2>&1; then
        touch "$log.failed"
    fi
    grep -v -e "^[0-9]* warnings\? generated\.$" -e "^Suppressed [0-9]* warnings" \
        -e "^Use -header-filter=" "$log" || true' || true
failed=$(find "$out" -name '*.failed' | wc -l)
echo "run-clang-tidy: ${#files[@]} files in $((SECONDS - started)) s, $failed with findings ($(basename "$tidy"), $jobs at a time)"
[[ "$failed" -eq 0 ]]
