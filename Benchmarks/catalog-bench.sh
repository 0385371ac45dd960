#!/usr/bin/env bash
# Benchmarks/catalog-bench.sh: custodyd's read paths on a generated catalog of 1,000,000 clips.
#
#   Benchmarks/catalog-bench.sh [--clips N] [--requests N] [--report-requests N] [--deadline-requests N]
#                               [--workdir DIR] [--keep DIR | --reuse DIR] [--cold]
#
# Generates a year of a ~200-officer station (CatalogBench generate), starts the real release
# custodyd on it, times its start, then times requests over the socket as a viewer (CatalogBench
# measure). Binaries come from $CUSTODY_BIN (default .build-bench/release if it holds custodyd and
# CatalogBench, else .build/release). See Benchmarks/README.md.
set -euo pipefail
export LC_ALL=C

usage() {
    cat <<'EOF'
usage: Benchmarks/catalog-bench.sh [--clips N] [--requests N] [--report-requests N] [--deadline-requests N]
                                   [--workdir DIR] [--keep DIR | --reuse DIR] [--cold]

  --clips N            clips in the generated catalog                        (default 1000000)
  --requests N         timed requests of each kind, after 10 warm-up ones    (default 200)
  --report-requests N  timed month reports                                   (default: --requests)
  --deadline-requests N  timed deadline listings                             (default: --requests)
  --workdir DIR        folder under which a temporary work dir is made       (default /var/tmp; not tmpfs)
  --keep DIR           keep the generated catalog and store in DIR (new) for later --reuse
  --reuse DIR          skip generating: run on the catalog and store kept in DIR (the daemon adds
                       its own rows to it on every run)
  --cold               drop the page cache before starting custodyd (a start after a reboot)

Environment: CUSTODY_BIN  folder with custodyd, custodyctl and CatalogBench (default
             .build-bench/release if it holds them, else .build/release).
EOF
}

CLIPS=1000000
REQUESTS=200
REPORT_REQUESTS=""
DEADLINE_REQUESTS=""
COLD=0
BASE=/var/tmp
KEEP=""
REUSE=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --clips) CLIPS=${2:?--clips needs a number}; shift 2 ;;
        --requests) REQUESTS=${2:?--requests needs a number}; shift 2 ;;
        --report-requests) REPORT_REQUESTS=${2:?--report-requests needs a number}; shift 2 ;;
        --deadline-requests) DEADLINE_REQUESTS=${2:?--deadline-requests needs a number}; shift 2 ;;
        --cold) COLD=1; shift ;;
        --workdir) BASE=${2:?--workdir needs a folder}; shift 2 ;;
        --keep) KEEP=${2:?--keep needs a folder}; shift 2 ;;
        --reuse) REUSE=${2:?--reuse needs a folder}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for n in "$CLIPS" "$REQUESTS" "${REPORT_REQUESTS:-1}" "${DEADLINE_REQUESTS:-1}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "counts must be positive integers, not '$n'" >&2; exit 2; }
done
[[ -n "$KEEP" && -n "$REUSE" ]] && { echo "--keep and --reuse exclude each other" >&2; exit 2; }
REPORT_REQUESTS=${REPORT_REQUESTS:-$REQUESTS}
DEADLINE_REQUESTS=${DEADLINE_REQUESTS:-$REQUESTS}

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=Benchmarks/lib.sh
. "$REPO/Benchmarks/lib.sh"
bench_binaries "$REPO" CatalogBench
BENCH=$CUSTODY_BIN/CatalogBench

die() { echo "catalog-bench: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "must run as root (the requests are made as user nobody, a configured viewer)"
for b in "$CUSTODYD" "$CUSTODYCTL" "$BENCH"; do
    [[ -x "$b" ]] || die "$b not found; build it: swift build -c release --scratch-path .build-bench, or set CUSTODY_BIN"
done
for tool in setpriv curl getent; do command -v "$tool" >/dev/null || die "$tool is needed"; done
getent passwd nobody >/dev/null && getent group nogroup >/dev/null || die "user nobody and group nogroup are needed"
[[ -d "$BASE" ]] || die "work dir base $BASE does not exist"

# ---------------------------------------------------------------------------------------------
# Work dir, and the cleanup that always runs: stop our daemon, remove what we made.
WORK=""
DAEMON_PID=""
cleanup() {
    local rc=$?
    set +e
    [[ -n "$DAEMON_PID" ]] && bench_stop_daemon "$DAEMON_PID"
    [[ -n "$WORK" && -d "$WORK" ]] && rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

WORK=$(mktemp -d "$BASE/custody-catbench.XXXXXX")
chmod 755 "$WORK"   # user nobody reaches the socket inside
if [[ -n "$REUSE" ]]; then
    DATA=$(cd "$REUSE" && pwd)
    [[ -f "$DATA/catalog.sqlite" && -d "$DATA/store/sha256" ]] || die "$DATA holds no catalog.sqlite and store/ from --keep"
elif [[ -n "$KEEP" ]]; then
    [[ -e "$KEEP" ]] && die "$KEEP exists; --keep makes a new folder"
    mkdir -p "$KEEP"
    DATA=$(cd "$KEEP" && pwd)
else
    DATA=$WORK/data
    mkdir -p "$DATA"
fi

echo "host:      $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
echo "binaries:  $CUSTODY_BIN (custodyd built $(date -r "$CUSTODYD" '+%Y-%m-%d %H:%M:%S'))"
echo "data:      $DATA ($(findmnt -n -o FSTYPE -T "$DATA"))"
echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) at start (other work on the machine skews every number)"
echo

if [[ -z "$REUSE" ]]; then
    echo "== generating $CLIPS clips (a year, 200 officers, 250 cameras) =="
    "$BENCH" generate --catalog "$DATA/catalog.sqlite" --store "$DATA/store" --clips "$CLIPS" --calendar "$REPO/etc/custody/calendar.txt"
    sync
    echo
fi
echo "catalog:   $(du -h "$DATA/catalog.sqlite" | cut -f1), store $(du -sh "$DATA/store/" | cut -f1)"

# ---------------------------------------------------------------------------------------------
# The daemon: everything default but the paths, the viewer, and the scrub rate. The scrub reads
# stand-in files of ~120 bytes; at the default 20 MB/s it would step through 16 of them every few
# microseconds (a write transaction each), which no real store of 100 MB clips sees. At 0.0001 MB/s
# it takes a step every ~20 s, as it would on real clips.
mkdir -p "$WORK/media" "$WORK/drop" "$WORK/spool"
cp "$REPO/etc/custody/calendar.txt" "$WORK/calendar.txt"
cat > "$WORK/custodyd.toml" <<EOF
[paths]
store = "$DATA/store"
catalog = "$DATA/catalog.sqlite"
socket = "$WORK/custodyd.sock"
spool = "$WORK/spool"

[watch]
mount_roots = ["$WORK/media"]
drop_dirs = ["$WORK/drop"]

[policy]
upload_deadline_hours = 24
retention_months = 12

[scrub]
rate_mb_per_s = 0.0001

[station]
unit = "某某市公安局某某分局"
time_zone = "Asia/Shanghai"

[ingest]
reserve_mb = 256

[api]
socket_group = "nogroup"
viewer_users = ["nobody"]
EOF
SOCK=$WORK/custodyd.sock

echo
echo "== starting custodyd on the catalog =="
if [[ $COLD -eq 1 ]]; then
    sync
    { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null && echo "page cache dropped: a cold start" \
        || echo "note: cannot write /proc/sys/vm/drop_caches; the start is as warm as the cache is"
fi
start=$(now)
"$CUSTODYD" --config "$WORK/custodyd.toml" 2> >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done > "$WORK/custodyd.log") &
DAEMON_PID=$!
until "$CUSTODYCTL" --socket "$SOCK" status --json >/dev/null 2>&1; do
    kill -0 "$DAEMON_PID" 2>/dev/null || { tail -20 "$WORK/custodyd.log" >&2; die "custodyd exited during startup"; }
    sleep 0.05
done
ready=$(now)
recovered=$(awk 'index($0, "startup recovery done") { print $1; exit }' "$WORK/custodyd.log")
echo "custodyd answers status $(elapsed "$start" "$ready") s after it was started" \
     "(startup recovery done after $(elapsed "$start" "${recovered:-$ready}") s)"
# The first deadline scan runs at once (alerts for everything overdue, the day's audit
# checkpoint); measure once the daemon has gone quiet: under 0.05 s of CPU in a second.
cpu() { local s; s=$(< "/proc/$DAEMON_PID/stat"); s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
hz=$(getconf CLK_TCK)
quiet=0
while [[ $quiet -lt 2 ]]; do
    kill -0 "$DAEMON_PID" 2>/dev/null || die "custodyd exited during its first scan"
    before=$(cpu); sleep 1; after=$(cpu)
    if (( (after - before) * 100 < 5 * hz )); then quiet=$((quiet + 1)); else quiet=0; fi
done
echo "custodyd quiet (first deadline scan done) $(elapsed "$ready" "$(now)") s after that"
alarms=$("$CUSTODYCTL" --socket "$SOCK" status --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["clips"]["total"], len(s["alarms"]))')
read -r total nalarms <<<"$alarms"
echo "status: $total clips, $nalarms alarms"
[[ "$nalarms" -eq 0 ]] || { "$CUSTODYCTL" --socket "$SOCK" status | tail -5; die "custodyd raised alarms on the generated store"; }

echo
echo "== timing requests as user nobody (viewer): $REQUESTS each, month reports $REPORT_REQUESTS, deadlines $DEADLINE_REQUESTS =="
setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
    "$BENCH" measure --socket "$SOCK" --requests "$REQUESTS" --report-requests "$REPORT_REQUESTS" --deadline-requests "$DEADLINE_REQUESTS"

# A clerk's daily ledger work on a camera with a year of clips: each check-in and check-out
# re-matches the camera's clips to the ledger (as root, who holds the clerk role).
echo
echo "== a check-in and a check-out of a camera with a year of clips (custodyctl as root) =="
for n in $(seq 2000 2199); do
    serial=A7K$n
    clips=$("$CUSTODYCTL" --socket "$SOCK" clips list --device "$serial" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    t0=$(now)
    "$CUSTODYCTL" --socket "$SOCK" devices checkin "$serial" >/dev/null 2>&1 || continue
    t1=$(now)
    officer=$(printf '%06d' $((10001 + n - 2000)))
    "$CUSTODYCTL" --socket "$SOCK" devices checkout "$serial" --officer "$officer" >/dev/null || die "checkout of $serial failed"
    t2=$(now)
    echo "$serial ($clips clips): checkin $(elapsed "$t0" "$t1") s, checkout $(elapsed "$t1" "$t2") s"
    break
done
echo
echo "custodyd peak RSS (VmHWM): $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$DAEMON_PID/status")"

# The provable catalog: the chain replayed into the state it implies and compared with every bound
# row, through the daemon as `custodyctl audit verify` runs it (fsck runs the same check).
echo
echo "== audit verify: the chain replayed into the catalog, every bound row compared =="
t0=$(now)
"$CUSTODYCTL" --socket "$SOCK" audit verify --json > "$WORK/verify.json" || { head -c 2000 "$WORK/verify.json"; die "audit verify failed on the generated catalog"; }
t1=$(now)
python3 - "$WORK/verify.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
print(f"audit rows {v['rows']}, bound rows compared {v['boundRowsChecked']}, mismatches {v['mismatchCount']}, anchors {len(v.get('anchors', []))}, valid {v['valid']}")
PY
echo "audit verify through custodyd: $(elapsed "$t0" "$t1") s"
echo "custodyd peak RSS after audit verify (VmHWM): $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$DAEMON_PID/status")"

# A restart: the start check walks the chain from the position the last full check saved.
echo
echo "== a restart: the start check from the last verified position =="
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" 2>/dev/null || true
start=$(now)
"$CUSTODYD" --config "$WORK/custodyd.toml" 2> >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >> "$WORK/custodyd.log") &
DAEMON_PID=$!
until "$CUSTODYCTL" --socket "$SOCK" status --json >/dev/null 2>&1; do
    kill -0 "$DAEMON_PID" 2>/dev/null || die "custodyd exited during its restart"
    sleep 0.05
done
ready=$(now)
state=""
until [[ "$state" == "ok" || "$state" == "alarm" || "$state" == "acknowledged" ]]; do
    state=$("$CUSTODYCTL" --socket "$SOCK" status --json | python3 -c 'import json,sys; print((json.load(sys.stdin).get("integrity") or {}).get("state", ""))')
    sleep 0.2
done
checked=$(now)
echo "custodyd answers status $(elapsed "$start" "$ready") s after the restart; the full check (every row replayed) says \"$state\" $(elapsed "$ready" "$checked") s later"
[[ "$state" == "ok" ]] || die "the restarted daemon raised an integrity alarm on the generated catalog"

echo
echo "== the same checks in one process (CatalogBench replay) =="
"$BENCH" replay --catalog "$DATA/catalog.sqlite"
