# Shared by scripts/run.sh, scripts/test.sh and .ci/run. Source it; it defines functions only.

# Debian 12 packages QMT Studio builds, runs and tests with. One list, so CI and a new machine agree.
QMT_PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev libqt6sql6-sqlite qt6-serialport-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
    libqt6svg6 qtkeychain-qt6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libmosquitto-dev mosquitto mosquitto-clients openssl
    gnome-keyring dbus dbus-x11 libsecret-tools libsecret-1-0
    xvfb xauth imagemagick socat picocom libx11-dev libxtst-dev
    dpkg-dev file clang-format clang-tidy python3
    clang libclang-rt-14-dev llvm
)

qmt_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# Installs whatever of QMT_PACKAGES is missing (nothing when all are there), with sudo when not root.
qmt_install_packages() {
    local missing=()
    local p
    for p in "${QMT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "Installing: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Runs a command with a Secret Service to talk to, as the keychain tests need (tests/secrets): a private
# D-Bus session (dbus-run-session) with gnome-keyring-daemon holding a throw-away login keyring, unlocked.
# The user's own keyring is never touched. QMT_REQUIRE_KEYCHAIN is set for the command, so a keychain test
# fails rather than skips. Fails loudly when the keychain does not answer.
qmt_with_keyring() {
    # shellcheck disable=SC2016  # expanded by the inner bash, on purpose
    dbus-run-session -- bash -c 'source "$0" && qmt_keyring_session "$@"' "$(qmt_root)/scripts/lib.sh" "$@"
}

# The process that owns the Secret Service name on the session bus, or nothing while nobody does.
qmt_secret_service_pid() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
        awk '/uint32/ { print $2 }'
}

# Inside the D-Bus session of qmt_with_keyring: starts the keyring, waits until it answers, runs "$@", and
# ends the keyring daemon it started.
qmt_keyring_session() {
    local home daemon line attempt status=1
    home="$(mktemp -d)"
    # The keyring lives in a directory of its own; the password only unlocks this throw-away keyring.
    # In the foreground (in the background of this shell) so that its process is ours to end.
    printf 'qmt-test' | HOME="$home" XDG_DATA_HOME="$home/data" \
        gnome-keyring-daemon --foreground --unlock --components=secrets >"$home/environment" 2>"$home/log" &
    daemon=$!
    for attempt in $(seq 1 100); do
        # Probe only once our daemon owns the Secret Service name: a probe before that makes D-Bus start a
        # second daemon (the service file's), which has no unlocked keyring and no display to ask for one,
        # and ours then gives up ("another secret service is running"). A busy machine makes that race likely.
        if [ "$(qmt_secret_service_pid)" = "$daemon" ] &&
            grep -q '^GNOME_KEYRING_CONTROL=' "$home/environment" 2>/dev/null; then
            while IFS= read -r line; do
                case "$line" in
                    *=*) export "${line?}" ;;
                esac
            done <"$home/environment"
            if printf 'probe-%s' "$$" | secret-tool store --label="QMT Studio test probe" qmt-test probe 2>/dev/null \
                && [ "$(secret-tool lookup qmt-test probe 2>/dev/null)" = "probe-$$" ]; then
                secret-tool clear qmt-test probe
                echo "qmt: Secret Service ready (gnome-keyring-daemon, throw-away keyring)."
                status=0
                break
            fi
        fi
        kill -0 "$daemon" 2>/dev/null || break
        sleep 0.1
    done
    if [ "$status" -ne 0 ]; then
        echo "qmt: the Secret Service (gnome-keyring-daemon in dbus-run-session) does not answer after $attempt" \
             "tries; the keychain tests cannot run. Its log:" >&2
        cat "$home/log" >&2
    else
        QMT_REQUIRE_KEYCHAIN=1 "$@" || status=$?
    fi
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    rm -rf "$home"
    return "$status"
}

# Configures and builds with a CMake preset (dev, ci, asan, fuzz …); the build directory is kept between runs.
qmt_build() {
    local preset="$1"
    local root
    root="$(qmt_root)"
    (cd "$root" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset")
}
