#!/usr/bin/env bash
# Installs what is missing, then runs the project's checks in stages, each inside a private D-Bus session
# with an unlocked, throw-away GNOME keyring where it needs one (the OS-keychain tests run against a real
# Secret Service and fail, rather than skip, when it does not answer):
#   suite        builds with warnings as errors (ci preset) and runs the whole test suite
#   tidy         clang-tidy (.clang-tidy) over every source file under src/, on the suite's build; not in
#                the default list until a whole run has been seen clean (QMT_TEST_STAGES="suite tidy")
#   sanitizers   builds with ASan + UBSan (asan preset) and runs the suite again under them
#   fuzz         builds the libFuzzer targets (fuzz preset, clang) and runs each for a short, bounded time
# QMT_TEST_STAGES picks stages (default: suite, sanitizers, fuzz, in that order). Arguments go to the
# suite's ctest.
# This is the command .ci/run calls; it exits non-zero when any test fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(qmt_root)"

qmt_install_packages
# The test presets leave the number of tests at a time to ctest (one); here the machine's cores decide.
export CTEST_PARALLEL_LEVEL="${CTEST_PARALLEL_LEVEL:-$(nproc)}"
for stage in ${QMT_TEST_STAGES:-suite sanitizers fuzz}; do
    started=$SECONDS
    case "$stage" in
        suite)
            qmt_build ci
            (cd "$root" && qmt_with_keyring ctest --preset ci "$@")
            ;;
        tidy)
            qmt_build ci
            "$root/scripts/run-clang-tidy.sh" "$root/build/ci"
            ;;
        sanitizers)
            qmt_build asan
            (cd "$root" && qmt_with_keyring ctest --preset asan)
            ;;
        fuzz)
            qmt_build fuzz
            (cd "$root" && ctest --preset fuzz)
            ;;
        *)
            echo "qmt: unknown stage \"$stage\" in QMT_TEST_STAGES (suite, tidy, sanitizers, fuzz)" >&2
            exit 2
            ;;
    esac
    echo "qmt: stage $stage passed in $((SECONDS - started)) s."
done
