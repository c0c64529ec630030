# Sourced by scripts/run.sh and scripts/screenshot.sh: a mosquitto on a free loopback port and a publisher
# that keeps demo messages coming, both stopped when the calling script exits.

# The first port from 18830 on that nothing listens on (bash's /dev/tcp: a connect that fails means free).
qmt_free_port() {
    local port
    for port in $(seq 18830 18999); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Starts mosquitto on 127.0.0.1 and a demo publisher; sets QMT_DEMO_PORT.
qmt_start_demo_broker() {
    QMT_DEMO_DIR="$(mktemp -d)"
    QMT_DEMO_PORT="$(qmt_free_port)"
    cat > "$QMT_DEMO_DIR/mosquitto.conf" <<CONF
listener $QMT_DEMO_PORT 127.0.0.1
allow_anonymous true
persistence false
CONF
    local mosquitto
    mosquitto="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
    "$mosquitto" -c "$QMT_DEMO_DIR/mosquitto.conf" > "$QMT_DEMO_DIR/mosquitto.log" 2>&1 &
    QMT_DEMO_BROKER_PID=$!
    trap qmt_stop_demo_broker EXIT
    local i
    for i in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$QMT_DEMO_PORT") 2>/dev/null && break
        sleep 0.1
    done
    qmt_demo_publisher &
    QMT_DEMO_PUBLISHER_PID=$!
    echo "mosquitto on 127.0.0.1:$QMT_DEMO_PORT; demo messages on demo/# every second"
}

qmt_demo_publisher() {
    local n=0 pub="mosquitto_pub -h 127.0.0.1 -p $QMT_DEMO_PORT"
    $pub -t demo/fleet/info -r -q 1 -m '{"site": "Berlin lab", "devices": 3, "firmware": "BC660KGLAAR01A05"}'
    while true; do
        n=$((n + 1))
        for dev in 1 2 3; do
            $pub -t "demo/fleet/dev-$dev/telemetry" -q 1 \
                -m "{\"seq\": $n, \"temperature\": $((18 + (n + dev) % 7)).$((n % 10)), \"humidity\": $((40 + (n * dev) % 20)), \"battery_mV\": $((3600 - n % 50))}"
        done
        $pub -t demo/fleet/dev-2/status -m "online, uptime ${n} s"
        [ $((n % 5)) -eq 0 ] && printf 'line one\r\nline "two", with a comma' | $pub -t demo/fleet/dev-3/log -s
        sleep 1
    done
}

qmt_stop_demo_broker() {
    [ -n "${QMT_DEMO_PUBLISHER_PID:-}" ] && kill "$QMT_DEMO_PUBLISHER_PID" 2>/dev/null
    [ -n "${QMT_DEMO_BROKER_PID:-}" ] && kill "$QMT_DEMO_BROKER_PID" 2>/dev/null
    [ -n "${QMT_DEMO_DIR:-}" ] && rm -rf "$QMT_DEMO_DIR"
    return 0
}
