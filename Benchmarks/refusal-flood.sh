#!/usr/bin/env bash
# Benchmarks/refusal-flood.sh: audit rows a refusal flood costs, before and after coalescing
# (availability issue #18, item 5), and the same for reports asked for in a loop.
#
#   Benchmarks/refusal-flood.sh [--seconds N]
#
# One daemon per measure, each on a fresh catalog. A viewer (the `nobody` account, given the
# viewer role) sends refused requests (POST /v1/officers, an admin route) one connection each, as
# fast as the socket answers, for N seconds (default 20); then root asks for the daily compliance
# report in a loop for N seconds with nothing changing. "before" for refusals is the daemon with
# [limits] refusal_burst and refusal_rows_per_user set so high that every refusal is its own row,
# which is what it did before RefusalLog. For reports, before coalescing each report wrote a
# checkpoint, an audit row (audit.checkpoint) each; that is not configurable, so only the after
# is measured. Prints rows per minute and rows per refusal. Needs root (to run the flood as nobody) and
# custodyd/custodyctl in $CUSTODY_BIN (default .build/release).
set -euo pipefail
export LC_ALL=C
SECONDS_PER=20
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_PER=${2:?--seconds needs a number}; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=Benchmarks/lib.sh
. "$REPO/Benchmarks/lib.sh"
CUSTODY_BIN=${CUSTODY_BIN:-$REPO/.build/release}
bench_binaries "$REPO"
for b in "$CUSTODYD" "$CUSTODYCTL"; do [[ -x $b ]] || { echo "refusal-flood: $b missing; run swift build -c release" >&2; exit 1; }; done
WORK=$(mktemp -d /var/tmp/custody-flood.XXXXXX)
chmod 755 "$WORK"
DAEMON_PID=
cleanup() { [[ -n $DAEMON_PID ]] && kill "$DAEMON_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# Refused POSTs for $2 seconds as nobody; prints "requests=N".
FLOOD='
import socket, sys, time
path, seconds = sys.argv[1], float(sys.argv[2])
n, end = 0, time.monotonic() + seconds
while time.monotonic() < end:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b"POST /v1/officers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    while s.recv(65536): pass
    s.close()
    n += 1
print(f"requests={n}")
'

start_daemon() { # name extra-limits
    local dir=$WORK/$1
    mkdir -p "$dir/media"
    chmod 755 "$dir"
    bench_write_config "$dir/custodyd.toml" "$dir/store" "$dir/media" "" $'[api]\nviewer_users = ["nobody"]\n[limits]\n'"$2"
    "$CUSTODYD" --config "$dir/custodyd.toml" --log-level warning < /dev/null > "$dir/log" 2>&1 &
    DAEMON_PID=$!
    SOCK=$dir/custodyd.sock
    bench_wait_socket "$DAEMON_PID" "$SOCK" 30 "$dir/log" || exit 1
    chmod 666 "$SOCK"
}
stop_daemon() { kill "$DAEMON_PID"; wait "$DAEMON_PID" || true; DAEMON_PID=; }
rows() { sqlite3 "$WORK/$1/catalog.sqlite" "SELECT count(*) FROM audit WHERE action = '$2'"; }

measure() { # name extra-limits
    start_daemon "$1" "$2"
    local before requests
    before=$(rows "$1" api.refused)
    requests=$(setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 -c "$FLOOD" "$SOCK" "$SECONDS_PER" | cut -d= -f2)
    local reports=0 end=$((SECONDS + SECONDS_PER)) cp0
    cp0=$(rows "$1" audit.checkpoint)
    [[ $1 == after ]] || end=0
    while [[ $SECONDS -lt $end ]]; do
        "$CUSTODYCTL" --socket "$SOCK" report daily --date 2026-11-29 --json > /dev/null
        reports=$((reports + 1))
    done
    stop_daemon
    local refused checkpoints
    refused=$(( $(rows "$1" api.refused) - before ))
    checkpoints=$(( $(rows "$1" audit.checkpoint) - cp0 - 1 )) # less the checkpoint written at stop
    awk -v name="$1" -v n="$requests" -v r="$refused" -v s="$SECONDS_PER" -v rep="$reports" -v c="$checkpoints" 'BEGIN {
        printf "%-7s refusals: %6d in %ds, %6d rows (%8.1f rows/min, %.4f rows per refusal)\n", name, n, s, r, r * 60 / s, r / n
        if (rep > 0) printf "%-7s reports:  %6d in %ds, %6d checkpoint rows (%.1f rows/min; before: one each, %d rows, %.1f rows/min)\n",
                            name, rep, s, c, c * 60 / s, rep, rep * 60 / s }'
}

echo "custody refusal flood, $SECONDS_PER s per measure, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
measure before "refusal_burst = 1000000000
refusal_rows_per_user = 1000000000"
measure after ""
