#!/usr/bin/env bash
# Measures the release emulator's throughput for listing actions (get) and
# adding them (add) with wrk, next to nginx sending the same reply bodies, on
# loopback. This is a benchmark, not a test: it prints figures and fails only
# when a server cannot start or a request fails.
#
#   benches/emulator/run.sh
#
# Environment:
#   DURATION          seconds per wrk run (default 5)
#   ROUNDS            runs per server and case; the median is shown (default 3)
#   CONNECTIONS       connection counts to run (default "1 4")
#   ACTIONS           actions on the listed channel, which sets the get reply size (default 10)
#   CARGO_TARGET_DIR  honoured by the emulator build (default target)
#
# Installs wrk, nginx and curl with apt-get when they are missing (needs root
# or sudo). The emulator logs at warn level and both servers run one worker
# thread or process per CPU.
#
# get: the emulator lists ACTIONS actions on one channel. add: every request
# stores a new action, because add.lua makes each value unique. Two nginx
# baselines send the same bytes as the emulator's reply: "nginx static" is a
# GET of a static file, and "nginx return" answers the emulator's request
# (the add POST included) from a `return 200` directive, nginx's cheapest
# reply. Each round runs the three servers one after another, so load from
# other processes affects them alike.
set -euo pipefail

repository=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repository"
duration=${DURATION:-5}
connection_counts=${CONNECTIONS:-"1 4"}
action_count=${ACTIONS:-10}
rounds=${ROUNDS:-3}
target_dir=${CARGO_TARGET_DIR:-target}
subscribe_key=sub-c-BENCH
message_timetoken=17000000000000000

install_missing() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
    command -v curl >/dev/null || missing+=(curl)
    if [[ ${#missing[@]} -eq 0 ]]; then
        return
    fi
    echo "run.sh: installing ${missing[*]} with apt-get" >&2
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Prints the Requests/sec figure of a wrk run; fails when wrk saw errors or
# non-2xx replies.
requests_per_second() {
    local output
    output=$(wrk "$@")
    if grep -qE "Non-2xx or 3xx responses|Socket errors" <<<"$output"; then
        echo "run.sh: wrk reported failed requests:" >&2
        echo "$output" >&2
        return 1
    fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$output"
}

install_missing
nginx_binary=$(command -v nginx || echo /usr/sbin/nginx)
cpus=$(nproc)

echo "run.sh: building the release emulator"
cargo build --release --quiet -p pubnub-emulator
emulator_binary="$target_dir/release/pubnub-emulator"

work_dir=$(mktemp -d)
chmod 755 "$work_dir"
emulator_pid=""
nginx_pid=""
stop_servers() {
    for pid in $emulator_pid $nginx_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work_dir"
}
trap stop_servers EXIT

"$emulator_binary" --port 0 --port-file "$work_dir/port" --log-level warn --threads "$cpus" \
    >/dev/null 2>"$work_dir/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 200); do
    [[ -s "$work_dir/port" ]] && break
    sleep 0.05
done
emulator_origin=$(cat "$work_dir/port")

# The listed channel gets ACTIONS actions; its list reply is the get body.
list_path="/v1/message-actions/$subscribe_key/channel/bench-get?uuid=bench"
for index in $(seq 1 "$action_count"); do
    curl -sf -o /dev/null -X POST -H "Content-Type: application/json" \
        --data "{\"type\": \"reaction\", \"value\": \"value-$index\"}" \
        "http://$emulator_origin/v1/message-actions/$subscribe_key/channel/bench-get/message/$message_timetoken?uuid=bench"
done
mkdir -p "$work_dir/root"
curl -sf -o "$work_dir/root/get.json" "http://$emulator_origin$list_path"
add_path="/v1/message-actions/$subscribe_key/channel/bench-add/message/$message_timetoken?uuid=bench"
add_body=$(curl -sf -X POST -H "Content-Type: application/json" \
    --data '{"type": "reaction", "value": "v0-00000000"}' "http://$emulator_origin$add_path")

# get.json and add.json contain the emulator's get and add reply bodies.
printf '%s' "$add_body" >"$work_dir/root/add.json"
nginx_port=$(free_port)
mkdir -p "$work_dir/nginx-temp"
cat >"$work_dir/nginx.conf" <<NGINX
worker_processes $cpus;
daemon off;
pid $work_dir/nginx.pid;
error_log $work_dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $work_dir/nginx-temp;
    proxy_temp_path $work_dir/nginx-temp;
    fastcgi_temp_path $work_dir/nginx-temp;
    uwsgi_temp_path $work_dir/nginx-temp;
    scgi_temp_path $work_dir/nginx-temp;
    default_type text/javascript;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work_dir/root;
        location = /return/get { return 200 '$(cat "$work_dir/root/get.json")'; }
        location = /return/add { return 200 '$add_body'; }
    }
}
NGINX
"$nginx_binary" -e "$work_dir/nginx-error.log" -p "$work_dir" -c "$work_dir/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 200); do
    curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/get.json" && break
    sleep 0.05
done

get_size=$(stat -c %s "$work_dir/root/get.json")
add_size=$(stat -c %s "$work_dir/root/add.json")
echo "run.sh: reply bodies: get $get_size bytes, add $add_size bytes (same bytes from every server)"
echo "run.sh: $cpus CPUs, $rounds rounds of $duration s per server and case, medians shown"
echo "run.sh: wrk uses min(connections, 2) threads; load average now $(cut -d' ' -f1-3 /proc/loadavg)"

# Prints the median of its arguments.
median() {
    printf '%s\n' "$@" | sort -g | awk '{ values[NR] = $1 } END { print (NR % 2) ? values[(NR + 1) / 2] : (values[NR / 2] + values[NR / 2 + 1]) / 2 }'
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

printf '%-8s %5s %14s %14s %6s %14s %6s\n' \
    case conns "emulator" "nginx static" ratio "nginx return" ratio
for connections in $connection_counts; do
    threads=$((connections < 2 ? connections : 2))
    for endpoint in get add; do
        emulator_rates=()
        static_rates=()
        return_rates=()
        for round in $(seq 1 "$rounds"); do
            load=(-t "$threads" -c "$connections" -d "${duration}s")
            if [[ $endpoint == get ]]; then
                emulator_rates+=("$(requests_per_second "${load[@]}" "http://$emulator_origin$list_path")")
                return_rates+=("$(requests_per_second "${load[@]}" "http://127.0.0.1:$nginx_port/return/get")")
            else
                # A channel per run, so no run repeats a value an earlier run stored.
                export BENCH_ADD_PATH="/v1/message-actions/$subscribe_key/channel/bench-add-$connections-$round/message/$message_timetoken?uuid=bench"
                emulator_rates+=("$(requests_per_second "${load[@]}" -s benches/emulator/add.lua "http://$emulator_origin")")
                export BENCH_ADD_PATH=/return/add
                return_rates+=("$(requests_per_second "${load[@]}" -s benches/emulator/add.lua "http://127.0.0.1:$nginx_port")")
            fi
            static_rates+=("$(requests_per_second "${load[@]}" "http://127.0.0.1:$nginx_port/$endpoint.json")")
        done
        emulator_rate=$(median "${emulator_rates[@]}")
        static_rate=$(median "${static_rates[@]}")
        return_rate=$(median "${return_rates[@]}")
        printf '%-8s %5s %14.0f %14.0f %6s %14.0f %6s\n' "$endpoint" "$connections" \
            "$emulator_rate" "$static_rate" "$(ratio "$emulator_rate" "$static_rate")" \
            "$return_rate" "$(ratio "$emulator_rate" "$return_rate")"
    done
done
