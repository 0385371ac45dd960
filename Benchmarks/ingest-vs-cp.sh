#!/usr/bin/env bash
# Benchmarks/ingest-vs-cp.sh: custodyd's verified ingest against plain copies of the same tree.
#
#   Benchmarks/ingest-vs-cp.sh [--tree small|issue|photos] [--source warm|cold] [--runs N] [--workdir DIR] [--logs DIR]
#
# Each run also docks the same tree a second time ("docked again"): custodyd hashes every file
# where it lies and copies none (attribution issue, item 0: what was ingested is decided by content).
#
# Needs root (bind mounts, drop_caches). Binaries come from $CUSTODY_BIN (default
# .build-bench/release if it holds custodyd, else .build/release). See Benchmarks/README.md.
set -euo pipefail
export LC_ALL=C

usage() {
    cat <<'EOF'
usage: Benchmarks/ingest-vs-cp.sh [--tree small|issue|photos] [--source warm|cold] [--runs N] [--workdir DIR] [--logs DIR]

Every run also times (g): the same tree unmounted and mounted again after the ingest, until the
second dump is complete (every file hashed where it lies, nothing copied).

  --tree small   40 files x 10 MB + 2 x 200 MB (+ sn.txt)        (default)
  --tree issue   200 files x 10 MB + 4 x 500 MB (+ sn.txt), as in the performance issue
  --tree photos  10,000 photos x 200 KB (+ sn.txt), as in the performance issue
  --source warm  before every measure the page cache is dropped, then the source tree is read
                 into it again: the issue's condition ("page cache warm"), and what a camera on its
                 own USB port looks like to the store disk (its reads do not compete)  (default)
  --source cold  the page cache is dropped and left empty: the source is read from the same
                 disk the store writes to, so the read-back competes with it
  --runs N       runs of every measure; the table shows medians    (default 3)
  --workdir DIR  folder under which a temporary work dir is made   (default /var/tmp; not tmpfs)
  --logs DIR     keep each run's daemon log (timestamped stderr) as DIR/custodyd-<tree>-run<N>.log
  --compare DIR  a second folder of binaries (custodyd, custodyctl): every run also times its
                 ingest (c2) right beside the first one's (their order alternating from run to
                 run), for before/after comparisons in the same conditions
  --compare-toml LINES  lines for the (c2) daemon's [ingest] section (instead of BENCH_INGEST_TOML),
                 with the --compare binaries or, without --compare, the same ones: a setting against
                 the default in one run, e.g. --compare-toml 'read_back = "xxh3-128"'
  --only LIST    only these measures, comma-separated from cp,cp-sha,ingest,again,limit,openssl,cold,rsync
                 (again: (g), part of the ingest measure)
                 (default all; for quick before/after comparisons of the ingest, e.g. cp,ingest,limit)

Environment: CUSTODY_BIN  folder with custodyd and custodyctl (default .build-bench/release
             if present, else .build/release, relative to the repository).
             BENCH_INGEST_TOML  lines added to the daemon's [ingest] section, e.g. 'buffer_kb = 2048'
             (for trying a setting; both --compare builds get it).
             BENCH_ATTACH  a command run during each ingest (from just before the mount until
             the catalog has every clip), with {pid} replaced by the daemon's pid and {run} by
             the run number, then stopped with SIGINT; e.g. 'perf record -g -o /tmp/p{run} -p {pid}'
             or 'strace -f -tt -o /tmp/s{run} -e trace=openat,rename,syncfs,fsync -p {pid}'.
EOF
}

TREE=small
SOURCE_CACHE=warm
RUNS=3
BASE=/var/tmp
LOGS=""
ONLY="cp,cp-sha,ingest,again,limit,openssl,cold,rsync"
COMPARE=""
COMPARE_TOML=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --tree) TREE=${2:?--tree needs small or issue}; shift 2 ;;
        --tree=*) TREE=${1#*=}; shift ;;
        --source) SOURCE_CACHE=${2:?--source needs warm or cold}; shift 2 ;;
        --source=*) SOURCE_CACHE=${1#*=}; shift ;;
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --workdir) BASE=${2:?--workdir needs a folder}; shift 2 ;;
        --workdir=*) BASE=${1#*=}; shift ;;
        --logs) LOGS=${2:?--logs needs a folder}; shift 2 ;;
        --logs=*) LOGS=${1#*=}; shift ;;
        --only) ONLY=${2:?--only needs a list}; shift 2 ;;
        --compare) COMPARE=${2:?--compare needs a folder}; shift 2 ;;
        --compare-toml) COMPARE_TOML=${2:?--compare-toml needs TOML lines}; shift 2 ;;
        --only=*) ONLY=${1#*=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
PHOTO_N=0; PHOTO_KB=200
case "$TREE" in
    small)  SMALL_N=40;  SMALL_MB=10; BIG_N=2; BIG_MB=200 ;;
    issue)  SMALL_N=200; SMALL_MB=10; BIG_N=4; BIG_MB=500 ;;
    photos) SMALL_N=0;   SMALL_MB=10; BIG_N=0; BIG_MB=500; PHOTO_N=10000 ;;
    *) echo "--tree must be small, issue or photos, not '$TREE'" >&2; exit 2 ;;
esac
case "$SOURCE_CACHE" in warm|cold) ;; *) echo "--source must be warm or cold, not '$SOURCE_CACHE'" >&2; exit 2 ;; esac
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer, not '$RUNS'" >&2; exit 2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=Benchmarks/lib.sh
. "$REPO/Benchmarks/lib.sh"
bench_binaries "$REPO"
if [[ -n "$COMPARE_TOML" && -z "$COMPARE" ]]; then COMPARE=$(dirname "$CUSTODYD"); fi
if [[ -n "$COMPARE" ]]; then
    for b in custodyd custodyctl; do [[ -x "$COMPARE/$b" ]] || { echo "ingest-vs-cp: $COMPARE/$b not found" >&2; exit 1; }; done
fi

die() { echo "ingest-vs-cp: $*" >&2; exit 1; }
note() { echo "note: $*" >&2; }

[[ $(id -u) -eq 0 ]] || die "must run as root (mount --bind, /proc/sys/vm/drop_caches)"
for b in "$CUSTODYD" "$CUSTODYCTL"; do
    [[ -x "$b" ]] || die "$b not found; build it: swift build -c release [--scratch-path .build-bench], or set CUSTODY_BIN"
done
for tool in openssl sha256sum findmnt mount umount mountpoint shuf rsync python3; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
if command -v jq >/dev/null; then JSON=jq
elif command -v python3 >/dev/null; then JSON=python3
else die "jq or python3 is needed to read custodyctl's JSON"; fi
[[ -d "$BASE" ]] || die "work dir base $BASE does not exist"
if [[ -n "$LOGS" ]]; then mkdir -p "$LOGS"; LOGS=$(cd "$LOGS" && pwd); fi

# ---------------------------------------------------------------------------------------------
# Work dir, and the cleanup that always runs: stop our daemon, unmount our mounts, remove it all.
WORK=""
DAEMON_PID=""
MOUNTED=()
cleanup() {
    local rc=$?
    set +e
    [[ -n "$DAEMON_PID" ]] && bench_stop_daemon "$DAEMON_PID"
    local busy=0
    for m in "${MOUNTED[@]}"; do
        if mountpoint -q "$m"; then
            umount "$m" 2>/dev/null || umount -l "$m" || { echo "could not unmount $m" >&2; busy=1; }
        fi
    done
    if [[ -n "$WORK" && -d "$WORK" ]]; then
        if [[ $busy -eq 0 ]]; then rm -rf "$WORK"; else echo "left $WORK in place (a mount is still busy)" >&2; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK=$(mktemp -d "$BASE/custody-bench.XXXXXX")
FSTYPE=$(findmnt -n -o FSTYPE -T "$WORK")
FSSOURCE=$(findmnt -n -o SOURCE -T "$WORK")
[[ "$FSTYPE" == tmpfs || "$FSTYPE" == ramfs ]] && note "$WORK is on $FSTYPE: fsync and re-reads cost nothing there, numbers are not representative"
SRC=$WORK/src
# The bind mount shows the work dir's filesystem type; accept it next to the usual camera types.
FSTYPES_TOML=$(bench_fstypes_toml "$FSTYPE" fuse.vfat fuse.exfat)

# ---------------------------------------------------------------------------------------------
# Helpers.
now() { bench_now; }
elapsed() { bench_elapsed "$@"; }

DROP_OK=1
drop_caches() { # then, with --source warm, the source tree read into the page cache again
    sync
    if [[ $DROP_OK -eq 1 ]] && ! bench_drop_caches; then
        note "cannot write /proc/sys/vm/drop_caches; runs start with whatever is in the page cache"
        DROP_OK=0
    fi
    if [[ $SOURCE_CACHE == warm ]]; then find "$SRC" -type f -print0 | xargs -0 cat > /dev/null; fi
}

median() { # of the values; "nan" for a measure left out (--only)
    [[ "${1:-nan}" == nan ]] && { echo nan; return; }
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# "clips.total ingest.active alarms" from custodyctl status --json (empty when it does not answer).
status_fields() {
    local json
    json=$("$CUSTODYCTL" --socket "$1" status --json 2>/dev/null) || return 0
    if [[ $JSON == jq ]]; then
        jq -r '"\(.clips.total) \(.ingest.active) \(.alarms | length)"' <<<"$json" 2>/dev/null || true
    else
        python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["clips"]["total"], s["ingest"]["active"], len(s["alarms"]))' <<<"$json" 2>/dev/null || true
    fi
}

# Adds a receive timestamp to every line the daemon writes to stderr (its log has none).
stamp_lines() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }

cpu_seconds() { # user+sys CPU seconds of a process so far (/proc/PID/stat fields 14 and 15)
    local stat
    stat=$(< "/proc/$1/stat")
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    awk -v u="${12}" -v s="${13}" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (u + s) / hz }'
}

log_time() { # first timestamp of a log line containing $2
    awk -v pat="$2" 'index($0, pat) { print $1; exit }' "$1"
}

# ---------------------------------------------------------------------------------------------
# The source tree: what a body camera's storage looks like, with incompressible contents from a
# deterministic AES-CTR stream (a different key per file, so no two files share a hash).
gen_file() { # path megabytes label
    local key iv
    key=$(printf 'custody-bench key %s' "$3" | sha256sum | cut -c1-32)
    iv=$(printf 'custody-bench iv %s' "$3" | sha256sum | cut -c1-32)
    head -c "$(( $2 << 20 ))" /dev/zero | openssl enc -aes-128-ctr -nosalt -K "$key" -iv "$iv" -out "$1"
}

if [[ $PHOTO_N -gt 0 ]]; then what="$PHOTO_N x $PHOTO_KB KB photos + sn.txt"; else what="$SMALL_N x $SMALL_MB MB + $BIG_N x $BIG_MB MB + sn.txt"; fi
echo "generating the $TREE tree ($what) in $SRC ..."
gen_start=$(now)
BADGE=010203
SERIAL=A7K2931
mkdir -p "$SRC/DCIM/100MEDIA"
printf '%s\r\n' "$BADGE" > "$SRC/sn.txt"
t=$(date -u -d '2026-11-27 08:30:15' +%s)
seq_no=0
add_clip() { # megabytes
    seq_no=$((seq_no + 1))
    local stamp name
    stamp=$(date -u -d "@$t" +%Y%m%d%H%M%S)
    name=$(printf '%s_%s_%s_%04d.MP4' "$BADGE" "$SERIAL" "$stamp" "$seq_no")
    gen_file "$SRC/DCIM/100MEDIA/$name" "$1" "$TREE-$seq_no"
    touch -d "@$((t + 300))" "$SRC/DCIM/100MEDIA/$name"   # closed when the 5-minute segment ends
    t=$((t + 300 + 7))
}
for _ in $(seq "$SMALL_N"); do add_clip "$SMALL_MB"; done
for _ in $(seq "$BIG_N"); do add_clip "$BIG_MB"; done
if [[ $PHOTO_N -gt 0 ]]; then
    # One keystream cut into photos (one openssl per file would take minutes): camera names, one
    # photo every 7 s, each file's time set to its name's.
    key=$(printf 'custody-bench key photos' | sha256sum | cut -c1-32)
    split_py='
import os, sys, time
folder, n, size, badge, serial, t = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
src = sys.stdin.buffer
for i in range(1, n + 1):
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(t))
    path = os.path.join(folder, "%s_%s_%s_%04d.JPG" % (badge, serial, stamp, i))
    with open(path, "wb") as f:
        f.write(src.read(size))
    os.utime(path, (t, t))
    t += 7
'
    head -c "$(( PHOTO_N * PHOTO_KB * 1024 ))" /dev/zero \
        | openssl enc -aes-128-ctr -nosalt -K "$key" -iv "$key" \
        | python3 -c "$split_py" "$SRC/DCIM/100MEDIA" "$PHOTO_N" "$(( PHOTO_KB * 1024 ))" "$BADGE" "$SERIAL" "$t"
fi
sync
NFILES=$(find "$SRC" -type f | wc -l)
# The camera's sn.txt is a side file kept with its dump, not a clip (attribution issue, item 6).
NCLIPS=$(find "$SRC" -type f ! -name sn.txt | wc -l)
TOTAL_BYTES=$(find "$SRC" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
TOTAL_MB=$(awk -v b="$TOTAL_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "generated $NFILES files, $TOTAL_MB MiB in $(elapsed "$gen_start" "$(now)") s"

echo
echo "host:      $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
echo "work dir:  $WORK ($FSTYPE on $FSSOURCE)"
echo "binaries:  $CUSTODY_BIN (custodyd built $(date -r "$CUSTODYD" '+%Y-%m-%d %H:%M:%S'))"
[[ -z "$COMPARE" ]] || echo "compare:   $COMPARE (custodyd built $(date -r "$COMPARE/custodyd" '+%Y-%m-%d %H:%M:%S')): row (c2)${COMPARE_TOML:+, [ingest] $COMPARE_TOML}"
echo "tree:      $TREE, $NFILES files, $TOTAL_MB MiB; $RUNS run(s) of each measure"
echo "source:    $SOURCE_CACHE (page cache $([[ $SOURCE_CACHE == warm ]] && echo "dropped, then the source read into it" || echo "dropped") before every measure)"
echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) at start (other work on the machine skews every number)"
echo

# ---------------------------------------------------------------------------------------------
# The measures. Each starts with the page cache dropped and leaves nothing behind.
T_CP=(); T_CPSHA=(); T_INGEST=(); T_OPENSSL=(); T_COLD=(); T_RSYNC=()
T_DETECT=(); T_DUMP=(); T_CPU=(); HWM=(); T_AGAIN=(); T_LIMIT=(); T_LIMIT_W=(); T_LIMIT_R=()
T_INGEST2=(); T_CPU2=(); T_AGAIN2=(); HWM2=()

timed_copy() { # times-array destination command... (the command gets DST appended) && sync
    local -n times=$1
    local dst=$2 t0 t1
    shift 2
    drop_caches
    t0=$(now)
    "$@" "$dst"
    sync
    t1=$(now)
    rm -rf "$dst"; sync
    times+=("$(elapsed "$t0" "$t1")")
}
measure_cp() { timed_copy T_CP "$WORK/cp-a" cp -a "$SRC"; }             # (a) cp -a && sync
measure_rsync() { timed_copy T_RSYNC "$WORK/rsync/" rsync -a "$SRC/"; }  # (f) rsync -a && sync

measure_cp_sha() { # (b) cp -a && sync && sha256sum (the copies are still in the page cache)
    local dst=$WORK/cp-b t0 t1
    drop_caches
    t0=$(now)
    cp -a "$SRC" "$dst"
    sync
    find "$dst" -type f -print0 | xargs -0 sha256sum > /dev/null
    t1=$(now)
    rm -rf "$dst"; sync
    T_CPSHA+=("$(elapsed "$t0" "$t1")")
}

measure_cold_verify() { # (e) cp -a && sync && drop caches && sha256sum: hashes what is on disk
    local dst=$WORK/cp-e t0 t1
    drop_caches
    t0=$(now)
    cp -a "$SRC" "$dst"
    sync
    echo 3 > /proc/sys/vm/drop_caches
    find "$dst" -type f -print0 | xargs -0 sha256sum > /dev/null
    t1=$(now)
    rm -rf "$dst"; sync
    T_COLD+=("$(elapsed "$t0" "$t1")")
}

measure_openssl() { # (d) openssl dgst -sha256 over the source (cold read + hash, no write)
    local t0 t1
    drop_caches
    t0=$(now)
    find "$SRC" -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null
    t1=$(now)
    T_OPENSSL+=("$(elapsed "$t0" "$t1")")
}

measure_limit() { # (h) what a verified copy costs this disk at least: every byte written and read back, O_DIRECT
    # A verified ingest writes every byte to the store and reads it back from the disk; cp only
    # writes. The same number of bytes written with O_DIRECT (and fsync) then read back with
    # O_DIRECT, in 4 MiB blocks, is the physical limit the ingest is judged against (issue 21, item 0).
    local w r
    drop_caches
    read -r w r <<<"$(bench_disk_limit "$WORK/limit" "$TOTAL_BYTES")"
    T_LIMIT_W+=("$w"); T_LIMIT_R+=("$r"); T_LIMIT+=("$(awk -v w="$w" -v r="$r" 'BEGIN { printf "%.3f", w + r }')")
}

measure_ingest() { # (c) custodyd: bind-mount the tree under a watched root, wait for the catalog
    local run=$1 dir=$WORK/ingest-$1
    local media=$dir/media cam=$dir/media/cam1 store=$dir/store sock=$dir/custodyd.sock
    local cfg=$dir/custodyd.toml log=$dir/custodyd.log
    mkdir -p "$cam"
    bench_write_config "$cfg" "$store" "$media" "$FSTYPES_TOML" $'[ingest]\nreserve_mb = 64\n'"${BENCH_INGEST_TOML:-}"
    "$CUSTODYD" --config "$cfg" --log-level info < /dev/null >> "$log" 2> >(stamp_lines >> "$log") &
    DAEMON_PID=$!
    bench_wait_socket "$DAEMON_PID" "$sock" 30 "$log" || die "custodyd did not start"
    local deadline fields=""
    drop_caches

    # A bind mount is a real mount: it appears in /proc/self/mountinfo and the watcher sees it.
    local t0 t1 total=0 active=1 alarms=0 cpu0 cpu1
    local timeout=$(( 300 + ${TOTAL_MB%.*} / 10 ))   # generous: 10 MB/s would already be a failure
    deadline=$((SECONDS + timeout))
    cpu0=$(cpu_seconds "$DAEMON_PID")
    local attached=""
    if [[ -n "${BENCH_ATTACH:-}" ]]; then
        local cmd=${BENCH_ATTACH//\{pid\}/$DAEMON_PID}
        cmd=${cmd//\{run\}/$run}
        bash -c "exec $cmd" > "$WORK/attach-$run.out" 2>&1 &
        attached=$!
        sleep 1
    fi
    t0=$(now)
    mount --bind "$SRC" "$cam"
    MOUNTED+=("$cam")
    while :; do
        fields=$(status_fields "$sock")
        if [[ -n "$fields" ]]; then
            read -r total active alarms <<<"$fields"
            [[ "$total" -ge "$NCLIPS" && "$active" -eq 0 ]] && break
        fi
        if ! kill -0 "$DAEMON_PID" 2>/dev/null; then tail -n 40 "$log" >&2; die "custodyd died during the ingest (log above)"; fi
        if [[ $SECONDS -ge $deadline ]]; then
            tail -n 40 "$log" >&2
            die "ingest not done after ${timeout}s: clips.total=$total (want $NCLIPS), ingest.active=$active (log above)"
        fi
        sleep 0.1
    done
    t1=$(now)
    cpu1=$(cpu_seconds "$DAEMON_PID")
    if [[ -n "$attached" ]]; then kill -INT "$attached"; wait "$attached" || true; fi
    local hwm
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$DAEMON_PID/status")

    umount "$cam"
    if wanted again; then measure_again; else T_AGAIN+=(nan); fi
    stop_daemon "$run"
    check_ingest "$run"
}

measure_again() { # (g) of measure_ingest, with its locals
    local t2 t3 dumps=0
    # (g) Docked again: the same camera plugged in once more. A new dump in which every file is
    # hashed where it lies; nothing is copied (the store keeps NCLIPS objects).
    drop_caches
    t2=$(now)
    mount --bind "$SRC" "$cam"
    deadline=$((SECONDS + timeout))
    while :; do
        dumps=$(grep -c 'dump complete' "$log" || true)
        fields=$(status_fields "$sock")
        if [[ "$dumps" -ge 2 && -n "$fields" ]]; then
            read -r total active alarms <<<"$fields"
            [[ "$active" -eq 0 ]] && break
        fi
        if ! kill -0 "$DAEMON_PID" 2>/dev/null; then tail -n 40 "$log" >&2; die "custodyd died while the tree was docked again (log above)"; fi
        [[ $SECONDS -lt $deadline ]] || { tail -n 40 "$log" >&2; die "second docking not done after ${timeout}s"; }
        sleep 0.1
    done
    t3=$(now)
    T_AGAIN+=("$(elapsed "$t2" "$t3")")
    umount "$cam"
}

stop_daemon() {
    kill -TERM "$DAEMON_PID"
    local rc=0
    wait "$DAEMON_PID" || rc=$?
    DAEMON_PID=""
    [[ $rc -eq 0 ]] || note "run $1: custodyd exited with status $rc after SIGTERM"
}

check_ingest() {
    local run=$1

    # Correctness: one store object per source file, and three random files hash to their name.
    [[ "$total" -eq "$NCLIPS" ]] || die "run $run: clips.total=$total but the source has $NCLIPS clips"
    [[ "$alarms" -eq 0 ]] || die "run $run: the daemon raised $alarms alarm(s); log: $(tail -n 20 "$log")"
    local stored
    stored=$(find "$store/sha256" -type f | wc -l)
    [[ "$stored" -eq "$NCLIPS" ]] || die "run $run: $stored files in the store, $NCLIPS clips in the source"
    [[ -z "$(ls -A "$store/tmp")" ]] || die "run $run: temp files left in $store/tmp"
    grep -q 'dump complete' "$log" || die "run $run: no 'dump complete' in the daemon log"
    ! grep -q 'file not ingested\|dump failed' "$log" || die "run $run: the daemon reports failed files: $(grep 'file not ingested\|dump failed' "$log" | head -3)"
    local f h obj
    while IFS= read -r f; do
        h=$(sha256sum < "$f" | cut -c1-64)
        obj=$store/sha256/${h:0:2}/${h:2:2}/$h
        [[ -f "$obj" ]] || die "run $run: ${f#"$SRC"/} (sha256 $h) is not in the store"
        [[ "$(sha256sum < "$obj" | cut -c1-64)" == "$h" ]] || die "run $run: store object $h does not hash to its name"
    done < <(find "$SRC" -type f ! -name sn.txt | shuf -n 3)  # sn.txt is kept with its dump, not stored

    local appeared complete
    appeared=$(log_time "$log" 'medium appeared')
    complete=$(log_time "$log" 'dump complete')
    T_INGEST+=("$(elapsed "$t0" "$t1")")
    T_DETECT+=("$(elapsed "$t0" "$appeared")")
    T_DUMP+=("$(elapsed "$appeared" "$complete")")
    T_CPU+=("$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')")
    HWM+=("$hwm")
    if [[ -n "$LOGS" ]]; then cp "$log" "$LOGS/custodyd-$TREE-run$run.log"; fi
    rm -rf "$dir"; sync
}

measure_ingest_compare() { # (c2): measure_ingest with the --compare binaries, into the *2 arrays
    local keep_d=$CUSTODYD keep_c=$CUSTODYCTL keep_t=${BENCH_INGEST_TOML:-}
    CUSTODYD=$COMPARE/custodyd; CUSTODYCTL=$COMPARE/custodyctl
    [[ -z "$COMPARE_TOML" ]] || BENCH_INGEST_TOML=$COMPARE_TOML
    measure_ingest "$1-compare"
    CUSTODYD=$keep_d; CUSTODYCTL=$keep_c; BENCH_INGEST_TOML=$keep_t
    T_INGEST2+=("${T_INGEST[-1]}"); T_CPU2+=("${T_CPU[-1]}"); T_AGAIN2+=("${T_AGAIN[-1]}"); HWM2+=("${HWM[-1]}")
    unset 'T_INGEST[-1]' 'T_CPU[-1]' 'T_AGAIN[-1]' 'HWM[-1]' 'T_DETECT[-1]' 'T_DUMP[-1]'
    echo "run $1: (c2) ingest with $COMPARE: ${T_INGEST2[-1]}s (CPU ${T_CPU2[-1]}s, docked again ${T_AGAIN2[-1]}s)"
}
wanted() { [[ ",$ONLY," == *",$1,"* ]]; }
for run in $(seq "$RUNS"); do
    if wanted cp; then measure_cp; else T_CP+=(nan); fi
    if wanted cp-sha; then measure_cp_sha; else T_CPSHA+=(nan); fi
    if wanted ingest; then
        # --compare: the second binaries' ingest right beside the first's, in alternating order.
        if [[ -n "$COMPARE" && $((run % 2)) -eq 0 ]]; then measure_ingest_compare "$run"; fi
        measure_ingest "$run"
        if [[ -n "$COMPARE" && $((run % 2)) -eq 1 ]]; then measure_ingest_compare "$run"; fi
    else T_INGEST+=(nan); T_DETECT+=(nan); T_DUMP+=(nan); T_CPU+=(nan); HWM+=(0); T_AGAIN+=(nan); fi
    if wanted limit; then measure_limit; else T_LIMIT+=(nan); T_LIMIT_W+=(nan); T_LIMIT_R+=(nan); fi
    if wanted openssl; then measure_openssl; else T_OPENSSL+=(nan); fi
    if [[ $DROP_OK -eq 1 ]] && wanted cold; then measure_cold_verify; else T_COLD+=(nan); fi
    if wanted rsync; then measure_rsync; else T_RSYNC+=(nan); fi
    printf 'run %d/%d: cp=%ss cp+sha=%ss ingest=%ss limit=%ss (mount->appeared %ss, dump %ss, CPU %ss, peak RSS %d MiB) docked-again=%ss openssl=%ss rsync=%ss%s  verified OK\n' \
        "$run" "$RUNS" "${T_CP[-1]}" "${T_CPSHA[-1]}" "${T_INGEST[-1]}" "${T_LIMIT[-1]}" "${T_DETECT[-1]}" "${T_DUMP[-1]}" "${T_CPU[-1]}" \
        "$(( ${HWM[-1]} / 1024 ))" "${T_AGAIN[-1]}" "${T_OPENSSL[-1]}" "${T_RSYNC[-1]}" "$([[ $DROP_OK -eq 1 ]] && echo " cold-verify=${T_COLD[-1]}s")"
done

# ---------------------------------------------------------------------------------------------
# Table of medians.
M_CP=$(median "${T_CP[@]}")
M_CPSHA=$(median "${T_CPSHA[@]}")
M_INGEST=$(median "${T_INGEST[@]}")
M_OPENSSL=$(median "${T_OPENSSL[@]}")
M_DETECT=$(median "${T_DETECT[@]}")
M_DUMP=$(median "${T_DUMP[@]}")
row() { # label median values... (a label starting with spaces is a part of the row above: no MiB/s)
    local label=$1 med=$2 rate=""; shift 2
    [[ "$label" == " "* ]] || rate=$(awk -v m="$med" -v b="$TOTAL_BYTES" 'BEGIN { if (m > 0) printf "%.0f", b / 1048576 / m; else print "-" }')
    printf '%-52s %9s %9s   %s\n' "$label" "$med" "$rate" "$*"
}
echo
echo "== $TREE tree: $NFILES files, $TOTAL_MB MiB; medians of $RUNS run(s); $(nproc) CPUs; $FSTYPE on $FSSOURCE"
printf '%-52s %9s %9s   %s\n' "measure" "median s" "MiB/s" "runs (s)"
row "(a) cp -a && sync" "$M_CP" "${T_CP[@]}"
row "(b) cp -a && sync && sha256sum (hot re-read)" "$M_CPSHA" "${T_CPSHA[@]}"
row "(c) custodyd verified ingest (mount -> cataloged)" "$M_INGEST" "${T_INGEST[@]}"
row "    of which mount -> 'medium appeared'" "$M_DETECT" "${T_DETECT[@]}"
row "    of which 'medium appeared' -> 'dump complete'" "$M_DUMP" "${T_DUMP[@]}"
row "    custodyd CPU time (user+sys) meanwhile" "$(median "${T_CPU[@]}")" "${T_CPU[@]}"
row "(d) openssl dgst -sha256 of the source ($SOURCE_CACHE)" "$M_OPENSSL" "${T_OPENSSL[@]}"
if [[ ${#T_COLD[@]} -gt 0 ]]; then
    row "(e) cp -a && sync && drop caches && sha256sum" "$(median "${T_COLD[@]}")" "${T_COLD[@]}"
fi
M_RSYNC=$(median "${T_RSYNC[@]}")
row "(f) rsync -a && sync" "$M_RSYNC" "${T_RSYNC[@]}"
M_AGAIN=$(median "${T_AGAIN[@]}")
row "(g) custodyd, the same tree docked again (hash only)" "$M_AGAIN" "${T_AGAIN[@]}"
if [[ ${#T_INGEST2[@]} -gt 0 ]]; then
    M_INGEST2=$(median "${T_INGEST2[@]}")
    row "(c2) custodyd from --compare, the same measure" "$M_INGEST2" "${T_INGEST2[@]}"
    row "    its CPU time (user+sys)" "$(median "${T_CPU2[@]}")" "${T_CPU2[@]}"
    row "    its (g), the same tree docked again" "$(median "${T_AGAIN2[@]}")" "${T_AGAIN2[@]}"
fi
M_LIMIT=$(median "${T_LIMIT[@]}")
row "(h) disk limit: dd O_DIRECT write + read back" "$M_LIMIT" "${T_LIMIT[@]}"
row "    of which the write (fsync)" "$(median "${T_LIMIT_W[@]}")" "${T_LIMIT_W[@]}"
row "    of which the read back" "$(median "${T_LIMIT_R[@]}")" "${T_LIMIT_R[@]}"

RATIO_CP=$(awk -v a="$M_INGEST" -v b="$M_CP" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "nan" }')
RATIO_CPSHA=$(awk -v a="$M_INGEST" -v b="$M_CPSHA" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "nan" }')
HWM_MED=$(median "${HWM[@]}")
HWM_MAX=$(printf '%s\n' "${HWM[@]}" | sort -n | tail -n 1)
echo
RATIO_LIMIT=$(awk -v a="$M_INGEST" -v b="$M_LIMIT" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "nan" }')
printf '%-52s %s\n' "ingest / disk limit (h)" "$RATIO_LIMIT"
printf '%-52s %s\n' "ingest / (cp -a && sync)" "$RATIO_CP"
if [[ -n "${M_INGEST2:-}" ]]; then
    printf '%-52s %s\n' "(c2) / disk limit (h)" "$(awk -v a="$M_INGEST2" -v b="$M_LIMIT" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "nan" }')"
    printf '%-52s %s\n' "(c2) / (cp -a && sync)" "$(awk -v a="$M_INGEST2" -v b="$M_CP" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "nan" }')"
    printf '%-52s %s\n' "(c2) / (c), run by run" "$(for i in "${!T_INGEST2[@]}"; do awk -v a="${T_INGEST2[$i]}" -v b="${T_INGEST[$i]}" 'BEGIN { printf "%.2f ", a / b }'; done)"
fi
printf '%-52s %s\n' "ingest / (cp -a && sync && sha256sum)" "$RATIO_CPSHA"
RATIO_RSYNC=$(awk -v a="$M_INGEST" -v b="$M_RSYNC" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "nan" }')
printf '%-52s %s\n' "ingest / (rsync -a && sync)" "$RATIO_RSYNC"
printf '%-52s %s\n' "custodyd peak RSS (VmHWM), median / max" \
    "$(awk -v m="$HWM_MED" -v x="$HWM_MAX" 'BEGIN { printf "%.1f MiB / %.1f MiB", m / 1024, x / 1024 }')"
printf '%-52s %s\n' "load average at the end (1, 5, 15 min)" "$(cut -d' ' -f1-3 /proc/loadavg)"
# Machine-readable lines for Benchmarks/run-all.sh; ratio_ingest_vs_cp stays the last line.
echo "tree=$TREE source=$SOURCE_CACHE files=$NFILES mib=$TOTAL_MB runs=$RUNS"
echo "median_seconds cp=$M_CP cp_sha=$M_CPSHA rsync=$M_RSYNC ingest=$M_INGEST openssl=$M_OPENSSL docked_again=$M_AGAIN limit=$M_LIMIT"
echo "ratio_ingest_vs_cp_sha=$RATIO_CPSHA"
echo "ratio_ingest_vs_rsync=$RATIO_RSYNC"
echo "ratio_ingest_vs_limit=$RATIO_LIMIT"
echo "peak_rss_kib=$HWM_MAX"
echo "ratio_ingest_vs_cp=$RATIO_CP"
