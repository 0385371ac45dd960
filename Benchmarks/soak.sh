#!/usr/bin/env bash
# Benchmarks/soak.sh: "a month without a restart" (performance issue, item 3). One custodyd
# through N dumps of small camera trees, with queries and an event-stream listener between them;
# after every dump its RSS, open file descriptors, threads and catalog size go to a CSV, and the
# slope after warm-up is reported with a verdict.
#
#   Benchmarks/soak.sh [--dumps N] [--warmup W] [--scrub off|on] [--csv FILE] [--workdir DIR]
#   Benchmarks/soak.sh --analyze FILE [--warmup W]     (the slopes of a CSV it wrote, even a partial one)
#
# Needs root (bind mounts). Binaries come from $CUSTODY_BIN (default .build-bench/release if it
# holds custodyd, else .build/release). See Benchmarks/README.md.
set -euo pipefail
export LC_ALL=C

usage() {
    cat <<'EOF'
usage: Benchmarks/soak.sh [--dumps N] [--warmup W] [--scrub off|on] [--csv FILE] [--workdir DIR]
       Benchmarks/soak.sh --analyze FILE [--warmup W]

  --dumps N      dumps through one daemon                         (default 500)
  --warmup W     dumps left out of the slope (warm-up)            (default 50)
  --scrub off    the fixity scrub idle: period_days = 36500 (its one pass runs over the empty
                 catalog at start, the next in 100 years)          (default)
  --scrub on     the fixity scrub re-hashes the whole store about once a minute
                 (period_days = 0.0007, rate_mb_per_s = 50), so it runs throughout the soak
  --csv FILE     per-dump figures (default: soak-<scrub>.csv in the current folder)
  --workdir DIR  folder under which a temporary work dir is made  (default /var/tmp; not tmpfs)
  --analyze FILE only the slopes and verdicts of a CSV this script wrote (no daemon, no root)

Every dump: a new camera tree (3 clips x 256 KiB + 4 photos x 48 KiB + sn.txt, new random bytes,
camera names and times one hour after the previous dump's) is bind-mounted under the watched
root, ingested (waits for status: clips.total and ingest.active = 0) and unmounted; then `clips list --limit 50`, `status`, `report daily`, `audit show
--limit 20` and `dumps list` are run; a `custodyctl watch --json` listener stays connected
throughout. Then VmRSS, RssAnon, RssFile, open fds, Threads and catalog bytes (catalog.sqlite +
-wal) are recorded.

Slope: least squares over dumps W+1..N, per 100 dumps. "flat" when the growth the slope predicts
over the whole window is within noise: |slope x window| <= max(2 x residual standard deviation,
floor), floors 1 MiB for RSS and 0 for fds and threads (an integer that grows by one is a leak).
A leak shows in RssAnon (heap, stacks); VmRSS adds RssFile, the binary's pages as code paths are
first run, which the kernel may also reclaim.
The catalog grows with the data by design: its verdict compares the bytes per dump in the
window's second half with its first half ("linear" within 25 %, else "accelerating").
EOF
}

DUMPS=500
WARMUP=50
SCRUB=off
CSV=""
BASE=/var/tmp
ANALYZE=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dumps) DUMPS=${2:?--dumps needs a number}; shift 2 ;;
        --warmup) WARMUP=${2:?--warmup needs a number}; shift 2 ;;
        --scrub) SCRUB=${2:?--scrub needs off or on}; shift 2 ;;
        --csv) CSV=${2:?--csv needs a file}; shift 2 ;;
        --workdir) BASE=${2:?--workdir needs a folder}; shift 2 ;;
        --analyze) ANALYZE=${2:?--analyze needs a CSV file}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$DUMPS" =~ ^[1-9][0-9]*$ ]] || { echo "--dumps must be a positive integer, not '$DUMPS'" >&2; exit 2; }
[[ "$WARMUP" =~ ^[0-9]+$ && ( -n "$ANALYZE" || "$WARMUP" -lt $((DUMPS - 2)) ) ]] || { echo "--warmup must be an integer below --dumps - 2" >&2; exit 2; }
case "$SCRUB" in off|on) ;; *) echo "--scrub must be off or on, not '$SCRUB'" >&2; exit 2 ;; esac
[[ -n "$CSV" ]] || CSV=$PWD/soak-scrub-$SCRUB.csv

# The slopes after warm-up and the verdicts (see --help for the definition of "flat").
analyze() {
    python3 - "$1" "$WARMUP" <<'EOF'
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
warm = int(sys.argv[2])
win = [r for r in rows if int(r["dump"]) > warm]
x = [float(r["dump"]) for r in win]
def fit(y):
    n = len(x); mx = sum(x) / n; my = sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    b = sum((a - mx) * (c - my) for a, c in zip(x, y)) / sxx
    res = [c - (my + b * (a - mx)) for a, c in zip(x, y)]
    sd = math.sqrt(sum(r * r for r in res) / max(1, n - 2))
    return b, sd
span = x[-1] - x[0]
print(f"slope over dumps {int(x[0])}..{int(x[-1])} (least squares, per 100 dumps); flat = |slope x {int(span)} dumps| <= max(2 sd of residuals, floor)")
print(f"{'quantity':<16}{'first':>12}{'last':>12}{'slope/100':>14}{'resid sd':>12}   verdict")
keys = [("rss_kib", 1024), ("rss_anon_kib", 1024), ("rss_file_kib", 1024), ("fds", 0), ("threads", 0)]
for key, floor in keys:
    if not win[0].get(key):
        continue
    y = [float(r[key]) for r in win]
    b, sd = fit(y)
    flat = abs(b * span) <= max(2 * sd, floor)
    print(f"{key:<16}{y[0]:>12.0f}{y[-1]:>12.0f}{b * 100:>14.2f}{sd:>12.2f}   {'flat' if flat else 'GROWS'}")
    print(f"verdict_{key}={'flat' if flat else 'grows'} slope_per_100={b * 100:.2f}")
y = [float(r["catalog_bytes"]) + float(r["wal_bytes"]) for r in win]
b, sd = fit(y)
half = len(win) // 2
per = lambda a, c: (y[c] - y[a]) / (x[c] - x[a])
first, second = per(0, half), per(half, len(win) - 1)
verdict = "linear" if second <= 1.25 * max(first, 1) else "accelerating"
print(f"{'catalog+wal':<16}{y[0]:>12.0f}{y[-1]:>12.0f}{b * 100:>14.0f}{sd:>12.0f}   {verdict} "
      f"({first / 1024:.1f} KiB/dump then {second / 1024:.1f} KiB/dump; grows with the rows by design)")
print(f"verdict_catalog={verdict} bytes_per_dump={b:.0f}")
w = [float(r["wal_bytes"]) for r in win]
print(f"wal bytes: max {max(w):.0f}, last {w[-1]:.0f}")
s = sorted(float(r["seconds"]) for r in rows)
print(f"seconds per dump (mount..queries): median {s[len(s) // 2]:.2f}, max {s[-1]:.2f}")
EOF
}
if [[ -n "$ANALYZE" ]]; then
    [[ -f "$ANALYZE" ]] || { echo "no such CSV: $ANALYZE" >&2; exit 2; }
    analyze "$ANALYZE"; exit 0
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=Benchmarks/lib.sh
. "$REPO/Benchmarks/lib.sh"
bench_binaries "$REPO"

die() { echo "soak: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "must run as root (mount --bind)"
for b in "$CUSTODYD" "$CUSTODYCTL"; do
    [[ -x "$b" ]] || die "$b not found; build it: swift build -c release --build-path .build-bench, or set CUSTODY_BIN"
done
for tool in findmnt mount umount mountpoint python3; do command -v "$tool" >/dev/null || die "$tool is needed"; done

WORK=""; DAEMON_PID=""; WATCH_PID=""; CAM=""
cleanup() {
    local rc=$?
    set +e
    [[ -n "$WATCH_PID" ]] && kill "$WATCH_PID" 2>/dev/null
    [[ -n "$DAEMON_PID" ]] && bench_stop_daemon "$DAEMON_PID"
    wait 2>/dev/null
    local busy=0
    if [[ -n "$CAM" ]] && mountpoint -q "$CAM"; then umount "$CAM" 2>/dev/null || umount -l "$CAM" || busy=1; fi
    if [[ -n "$WORK" && -d "$WORK" ]]; then
        if [[ $busy -eq 0 ]]; then rm -rf "$WORK"; else echo "left $WORK in place (a mount is still busy)" >&2; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK=$(mktemp -d "$BASE/custody-soak.XXXXXX")
FSTYPE=$(findmnt -n -o FSTYPE -T "$WORK")
FSTYPES_TOML=$(bench_fstypes_toml "$FSTYPE")
MEDIA=$WORK/media; CAM=$MEDIA/cam1; STORE=$WORK/store; SOCK=$WORK/custodyd.sock
CFG=$WORK/custodyd.toml; LOG=$WORK/custodyd.log; EVENTS=$WORK/watch.jsonl
mkdir -p "$CAM"
if [[ $SCRUB == on ]]; then SCRUB_TOML=$'enabled = true\nperiod_days = 0.0007\nrate_mb_per_s = 50'
else SCRUB_TOML=$'enabled = true\nperiod_days = 36500'; fi   # idle: one pass over the empty catalog at start, the next in 100 years
bench_write_config "$CFG" "$STORE" "$MEDIA" "$FSTYPES_TOML" $'[ingest]\nreserve_mb = 64\n[scrub]\n'"$SCRUB_TOML"

ctl() { "$CUSTODYCTL" --socket "$SOCK" "$@"; }
status_json() { ctl status --json 2>/dev/null || true; }
# "clips.total ingest.active media" (media: dumps still listed as docked) from status --json.
status_fields() {
    python3 -c '
import json, sys
try: s = json.load(sys.stdin)
except Exception: sys.exit(0)
print(s["clips"]["total"], s["ingest"]["active"])' <<<"$(status_json)"
}

"$CUSTODYD" --config "$CFG" --log-level notice < /dev/null > "$LOG" 2>&1 &
DAEMON_PID=$!
bench_wait_socket "$DAEMON_PID" "$SOCK" 60 "$LOG" || die "custodyd did not start"
CATALOG=$(find "$WORK" -name catalog.sqlite -print -quit)
[[ -n "$CATALOG" ]] || die "no catalog.sqlite under $WORK"
"$CUSTODYCTL" --socket "$SOCK" watch --json > "$EVENTS" 2>&1 &   # not through ctl(): $! must be custodyctl itself, which reconnects while it lives
WATCH_PID=$!

echo "soak: $DUMPS dumps, scrub $SCRUB, binaries $CUSTODY_BIN, daemon pid $DAEMON_PID, work dir $WORK ($FSTYPE)"
echo "dump,seconds,clips_total,rss_kib,fds,threads,catalog_bytes,wal_bytes,watch_lines,rss_anon_kib,rss_file_kib" > "$CSV"

BADGE=010203; SERIAL=A7K2931
T0=$(( $(date +%s) - (DUMPS + 48) * 3600 ))   # every file's time in the past, one hour apart per dump
CLIPS_PER_DUMP=7
start_all=$SECONDS
for i in $(seq "$DUMPS"); do
    t_dump=$EPOCHREALTIME
    src=$WORK/src
    rm -rf "$src"; mkdir -p "$src/DCIM/100MEDIA"
    printf '%s\r\n' "$BADGE" > "$src/sn.txt"
    t=$((T0 + i * 3600)); n=0
    for kib in 256 256 256 48 48 48 48; do
        n=$((n + 1))
        ext=MP4; [[ $kib -lt 100 ]] && ext=JPG
        name=$(printf '%s_%s_%s_%04d.%s' "$BADGE" "$SERIAL" "$(date -u -d "@$t" +%Y%m%d%H%M%S)" "$((i * 10 + n))" "$ext")
        head -c "$((kib * 1024))" /dev/urandom > "$src/DCIM/100MEDIA/$name"
        touch -d "@$((t + 60))" "$src/DCIM/100MEDIA/$name"
        t=$((t + 67))
    done
    want=$((i * CLIPS_PER_DUMP))
    mount --bind "$src" "$CAM"
    deadline=$((SECONDS + 120))
    while :; do
        read -r total active <<<"$(status_fields)" || true
        [[ -n "${total:-}" && "$total" -ge "$want" && "$active" -eq 0 ]] && break
        kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 40 "$LOG" >&2; die "custodyd died during dump $i (log above)"; }
        [[ $SECONDS -lt $deadline ]] || { tail -n 40 "$LOG" >&2; die "dump $i not done after 120 s: clips.total=${total:-?} (want $want), active=${active:-?}"; }
        sleep 0.05
    done
    umount "$CAM"
    # Queries between dumps: what clerks and auditors run all day.
    ctl clips list --limit 50 > /dev/null
    ctl status > /dev/null
    ctl report daily > /dev/null
    ctl audit show --limit 20 > /dev/null
    ctl dumps list --json > /dev/null
    kill -0 "$WATCH_PID" 2>/dev/null || die "the watch listener ended after dump $i: $(tail -n 5 "$EVENTS")"
    st=/proc/$DAEMON_PID/status
    rss=$(awk '/^VmRSS:/ { print $2 }' "$st")
    rss_anon=$(awk '/^RssAnon:/ { print $2 }' "$st")     # the heap and stacks: where a leak shows
    rss_file=$(awk '/^RssFile:/ { print $2 }' "$st")     # pages of the binary and mapped files
    threads=$(awk '/^Threads:/ { print $2 }' "$st")
    fds=$(find "/proc/$DAEMON_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
    cat_bytes=$(stat -c %s "$CATALOG")
    wal_bytes=$(stat -c %s "$CATALOG-wal" 2>/dev/null || echo 0)
    lines=$(wc -l < "$EVENTS")
    secs=$(awk -v a="$t_dump" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    echo "$i,$secs,$total,$rss,$fds,$threads,$cat_bytes,$wal_bytes,$lines,$rss_anon,$rss_file" >> "$CSV"
    if (( i % 50 == 0 || i == 1 )); then
        echo "dump $i/$DUMPS: ${secs}s, clips $total, RSS $((rss / 1024)) MiB, fds $fds, threads $threads, catalog $(( (cat_bytes + wal_bytes) / 1024 )) KiB, events $lines"
    fi
done
elapsed=$((SECONDS - start_all))
grep -q 'dump failed\|file not ingested' "$LOG" && die "the daemon reports failed files: $(grep 'dump failed\|file not ingested' "$LOG" | head -3)"
scrub_passes=$(ctl audit show --action scrub.pass --limit 10000 --json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d if isinstance(d, list) else d.get("rows", d.get("entries", []))))' 2>/dev/null || echo "?")
echo "soak: $DUMPS dumps in ${elapsed}s; scrub $SCRUB (scrub.pass audit rows: $scrub_passes); CSV $CSV"

analyze "$CSV"
