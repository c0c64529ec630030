#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors and runs the whole test suite — inside a private
# D-Bus session with an unlocked, throw-away GNOME keyring, so the OS-keychain tests run against a real
# Secret Service (and fail, rather than skip, when it does not answer).
# This is the command .ci/run calls; it exits non-zero when any test fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root="$(qmt_root)"

qmt_install_packages
qmt_build ci
cd "$root"
qmt_with_keyring ctest --preset ci "$@"
