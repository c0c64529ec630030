# Shared by scripts/run.sh, scripts/test.sh and .ci/run. Source it; it defines functions only.

# Debian 12 packages QMT Studio builds, runs and tests with. One list, so CI and a new machine agree.
QMT_PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-serialport-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
    qtkeychain-qt6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libmosquitto-dev mosquitto mosquitto-clients openssl
    gnome-keyring dbus dbus-x11 libsecret-tools
    xvfb xauth imagemagick socat picocom
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

# Configures and builds with a CMake preset (dev or ci); the build directory is kept between runs.
qmt_build() {
    local preset="$1"
    local root
    root="$(qmt_root)"
    (cd "$root" && cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset")
}
