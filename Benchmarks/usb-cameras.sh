#!/usr/bin/env bash
# Benchmarks/usb-cameras.sh: a dozen cameras docked at once at USB speed (performance issue,
# item 1). Twelve camera images of mixed size, each an ext4 filesystem on its own loop device
# (--direct-io=on), read by custodyd through a blkio cgroup that throttles each device to USB 2.0
# or USB 3.0 speed; all twelve mounted under the watched root together. Then the same twelve
# unthrottled, against twelve `cp -a` in parallel.
#
#   Benchmarks/usb-cameras.sh [--scale F] [--runs N] [--usb2 BYTES/S] [--usb3 BYTES/S]
#                             [--images DIR | --images-tmpfs[=if-room]] [--workdir DIR]
#                             [--skip-unthrottled] [--logs DIR]
#
# Needs root (loop devices, mounts, cgroups, drop_caches). Binaries from $CUSTODY_BIN (default
# .build-bench/release if it holds custodyd, else .build/release). See Benchmarks/README.md.
set -euo pipefail
export LC_ALL=C

usage() {
    cat <<'EOF'
usage: Benchmarks/usb-cameras.sh [--scale F] [--runs N] [--usb2 BYTES/S] [--usb3 BYTES/S]
                                 [--images DIR | --images-tmpfs[=if-room]] [--workdir DIR]
                                 [--skip-unthrottled] [--logs DIR]

  --scale F          every camera's size times F (default 1: 12 cameras, 6.6 GB in all)
  --runs N           runs of the unthrottled pair (cp -a in parallel, ingest), interleaved (default 1)
  --usb2 B, --usb3 B the read throttles in bytes per second (default 35000000 and 120000000)
  --images DIR       keep the camera images in DIR and reuse them next time (same layout)
  --images-tmpfs     make the camera images in a tmpfs of this run (memory: about 8 GB at
                     --scale 1), so the cameras do not share the store's disk, as real cameras on
                     their own USB ports do not; made again each run. With =if-room, on the
                     disk instead when memory is short (what make bench passes)
  --workdir DIR      folder under which a temporary work dir is made (default /var/tmp; not tmpfs)
  --skip-unthrottled only the throttled docking
  --logs DIR         keep the daemon logs and the per-second samples there

Environment: BENCH_INGEST_TOML  lines added to the daemon's [ingest] section, e.g.
             'read_back = "xxh3-128"'.

Measures: (a) wall time from the first mount until every clip is cataloged, against the slowest
camera's own transfer time (its bytes / its throttle), target <= 1.1x; (b) per camera, the
longest time its dump's bytes did not move (GET /v1/dumps once a second); (c) API latency
throughout (GET /v1/status and GET /v1/clips?limit=50 in a loop, curl time_total), target
p99 < 50 ms; (d) the store disk's write rate, against its own limit (dd O_DIRECT); (e) the same
trees unthrottled: 12 x cp -a in parallel && sync, against the ingest, target cp / ingest >= 0.9.
EOF
}

ARGS=("$@")
SCALE=1
RUNS=1
USB2=35000000
USB3=120000000
IMAGES=""
IMAGES_TMPFS=0
BASE=/var/tmp
SKIP_UNTHROTTLED=0
LOGS=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --scale) SCALE=${2:?--scale needs a number}; shift 2 ;;
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --usb2) USB2=${2:?--usb2 needs bytes per second}; shift 2 ;;
        --usb3) USB3=${2:?--usb3 needs bytes per second}; shift 2 ;;
        --images) IMAGES=${2:?--images needs a folder}; shift 2 ;;
        --images-tmpfs) IMAGES_TMPFS=1; shift ;;
        --images-tmpfs=if-room) IMAGES_TMPFS=if-room; shift ;;
        --workdir) BASE=${2:?--workdir needs a folder}; shift 2 ;;
        --skip-unthrottled) SKIP_UNTHROTTLED=1; shift ;;
        --logs) LOGS=${2:?--logs needs a folder}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ -z "$IMAGES" || $IMAGES_TMPFS == 0 ]] || { echo "--images and --images-tmpfs exclude each other" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer, not '$RUNS'" >&2; exit 2; }
[[ "$SCALE" =~ ^[0-9]*\.?[0-9]+$ ]] || { echo "--scale must be a positive number, not '$SCALE'" >&2; exit 2; }
[[ "$USB2" =~ ^[1-9][0-9]*$ && "$USB3" =~ ^[1-9][0-9]*$ ]] || { echo "--usb2 and --usb3 are bytes per second" >&2; exit 2; }

# Our mounts stay ours: the whole script runs in a private mount namespace (the daemon too, so
# it sees them); they vanish with it even if the script is killed.
if [[ -z "${CUSTODY_USB_UNSHARED:-}" ]]; then
    [[ $(id -u) -eq 0 ]] || { echo "usb-cameras: must run as root (loop devices, mounts, cgroups, drop_caches)" >&2; exit 1; }
    exec unshare --mount --propagation private env CUSTODY_USB_UNSHARED=1 "$0" "${ARGS[@]}"
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=Benchmarks/lib.sh
. "$REPO/Benchmarks/lib.sh"
bench_binaries "$REPO"
die() { echo "usb-cameras: $*" >&2; exit 1; }
for b in "$CUSTODYD" "$CUSTODYCTL"; do
    [[ -x "$b" ]] || die "$b not found; build it: swift build -c release --scratch-path .build-bench, or set CUSTODY_BIN"
done
for tool in losetup mkfs.ext4 curl jq python3 openssl findmnt mountpoint dd; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done
bench_cgroup_version > /dev/null || die "no blkio cgroup controller: the throttle needs one"
[[ -d "$BASE" ]] || die "work dir base $BASE does not exist"

# The cameras: name, port, size in MB (10^6 bytes) at --scale 1. Mixed sizes and speeds; the
# slowest is the 1.5 GB one on USB 2.0 (~43 s at 35 MB/s).
CAMERAS=(
    "c01 usb2 1500" "c02 usb3 1500" "c03 usb2 600" "c04 usb3 800" "c05 usb2 400" "c06 usb3 400"
    "c07 usb2 300" "c08 usb3 300" "c09 usb2 200" "c10 usb3 200" "c11 usb2 200" "c12 usb3 200"
)
rate_of() { [[ $1 == usb2 ]] && echo "$USB2" || echo "$USB3"; }

# ---------------------------------------------------------------------------------------------
# Cleanup, always: pollers, daemon, mounts, loop devices, the cgroup, the work dir.
WORK=""; DAEMON_PID=""; CG=""; POLL_PIDS=(); MOUNTED=(); LOOPS=(); TMPFS=""
cleanup() {
    local rc=$?
    set +e
    for p in "${POLL_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    [[ -n "$DAEMON_PID" ]] && bench_stop_daemon "$DAEMON_PID"
    local i
    for (( i = ${#MOUNTED[@]} - 1; i >= 0; i-- )); do
        mountpoint -q "${MOUNTED[i]}" && { umount "${MOUNTED[i]}" 2>/dev/null || umount -l "${MOUNTED[i]}"; }
    done
    for l in "${LOOPS[@]}"; do bench_loop_detach "$l" 2>/dev/null; done
    [[ -n "$TMPFS" ]] && umount "$TMPFS"
    [[ -n "$CG" ]] && bench_cgroup_remove "$CG"
    [[ -n "$WORK" && -d "$WORK" ]] && rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK=$(mktemp -d "$BASE/custody-usb.XXXXXX")
[[ -n "$IMAGES" ]] || IMAGES=$WORK/images
IMAGES_ON=disk
if [[ $IMAGES_TMPFS != 0 ]]; then
    # The images' bytes (sizes below, plus 10 % and 64 MiB each for the filesystem) and 4 GiB
    # for the store's page cache and the daemon.
    need_mb=$(printf '%s\n' "${CAMERAS[@]}" | awk -v s="$SCALE" '{ mb += $3 } END { printf "%.0f", mb * s * 1.1 + NR * 64 + 4096 }')
    avail_mb=$(awk '/MemAvailable/ { printf "%.0f", $2 / 1024 }' /proc/meminfo)
    if [[ $avail_mb -ge $need_mb ]]; then IMAGES_ON=memory
    elif [[ $IMAGES_TMPFS == if-room ]]; then echo "note: $avail_mb MB of memory available, the images in memory need about $need_mb MB: they go on the disk" >&2
    else die "--images-tmpfs needs about $need_mb MB of available memory, $avail_mb MB are; use --images DIR on another disk"; fi
fi
if [[ $IMAGES_ON == memory ]]; then
    mkdir -p "$IMAGES"
    mount -t tmpfs -o "size=$(( need_mb - 4096 ))m,mode=0700" custody-usb-images "$IMAGES"; TMPFS=$IMAGES
fi
mkdir -p "$IMAGES"; IMAGES=$(cd "$IMAGES" && pwd)
if [[ -n "$LOGS" ]]; then mkdir -p "$LOGS"; LOGS=$(cd "$LOGS" && pwd); fi
STORE_DEV=$(bench_dev_name "$WORK")
now() { bench_now; }
elapsed() { bench_elapsed "$@"; }
drop_caches() { bench_drop_caches || die "cannot write /proc/sys/vm/drop_caches"; }
ctl() { "$CUSTODYCTL" --socket "$SOCK" "$@"; }
api() { curl -sf --unix-socket "$SOCK" "http://custodyd$1"; }

# ---------------------------------------------------------------------------------------------
# The camera images: ext4 without a journal (a camera's FAT has none either; the kernel has no
# vfat driver here), filled once through a rw mount; incompressible AES-CTR contents, a
# different key per file; camera names and times; sn.txt with the officer's badge.
gen_file() { # path bytes label
    local key
    key=$(printf 'custody-usb %s' "$3" | sha256sum | cut -c1-32)
    head -c "$2" /dev/zero | openssl enc -aes-128-ctr -nosalt -K "$key" -iv "$key" -out "$1"
}
fill_camera() { # mount-point camera-number size-bytes
    local dir=$1/DCIM/100MEDIA n=$2 total=$3 badge serial t seq=0 left big k each
    badge=$(printf '0102%02d' "$n"); serial=$(printf 'A7K29%02d' "$n")
    mkdir -p "$dir"
    printf '%s\r\n' "$badge" > "$1/sn.txt"
    t=$(( $(date -u -d '2026-11-27 08:30:15' +%s) + n * 60 ))
    add() { # bytes extension
        seq=$((seq + 1))
        local name
        name=$(printf '%s_%s_%s_%04d.%s' "$badge" "$serial" "$(date -u -d "@$t" +%Y%m%d%H%M%S)" "$seq" "$2")
        gen_file "$dir/$name" "$1" "c$n-$seq"
        touch -d "@$((t + 300))" "$dir/$name"
        t=$((t + 307))
    }
    local photo=204800 small=$(( total / 100 ))   # 20 photos of 200 KB, 6 short clips of 1 % each
    for _ in $(seq 20); do add "$photo" JPG; done
    for _ in $(seq 6); do add "$small" MP4; done
    left=$(( total - 20 * photo - 6 * small ))
    (( left > 0 )) || return 0   # a tiny --scale: the photos and short clips already fill the camera
    big=500000000; k=$(( (left + big - 1) / big ))
    each=$(( left / k ))
    for _ in $(seq "$k"); do add "$each" MP4; done
}
LAYOUT="scale=$SCALE cameras=${CAMERAS[*]} v1"
if [[ "$(cat "$IMAGES/layout" 2>/dev/null)" != "$LAYOUT" ]]; then
    echo "generating 12 camera images in $IMAGES ..."
    gen0=$(now)
    rm -f "$IMAGES"/*.img "$IMAGES/layout" "$IMAGES/sizes"
    mkdir -p "$WORK/gen"
    for spec in "${CAMERAS[@]}"; do
        read -r name _ mb <<<"$spec"
        bytes=$(awk -v m="$mb" -v s="$SCALE" 'BEGIN { printf "%.0f", m * 1e6 * s }')
        img=$IMAGES/$name.img
        truncate -s "$(( (bytes * 11 / 10 + (64 << 20)) / 4096 * 4096 ))" "$img"
        mkfs.ext4 -q -F -m 0 -O ^has_journal -E lazy_itable_init=0,lazy_journal_init=0 -L "$name" "$img"
        loop=$(bench_loop_attach "$img"); LOOPS+=("$loop")
        mount "$loop" "$WORK/gen"; MOUNTED+=("$WORK/gen")
        fill_camera "$WORK/gen" "$((10#${name#c}))" "$bytes"
        echo "$name $(find "$WORK/gen" -type f -printf '%s\n' | awk '{ s += $1; n++ } END { print s, n }')" >> "$IMAGES/sizes"
        umount "$WORK/gen"; unset 'MOUNTED[-1]'
        bench_loop_detach "$loop"; unset 'LOOPS[-1]'
    done
    echo "$LAYOUT" > "$IMAGES/layout"
    sync
    echo "generated in $(elapsed "$gen0" "$(now)") s"
fi

# One loop device per camera, --direct-io=on, for the whole run.
declare -A LOOP BYTES FILES PORT
NFILES=0; TOTAL=0
for spec in "${CAMERAS[@]}"; do
    read -r name port _ <<<"$spec"
    read -r _ b f < <(grep "^$name " "$IMAGES/sizes")
    LOOP[$name]=$(bench_loop_attach "$IMAGES/$name.img"); LOOPS+=("${LOOP[$name]}")
    BYTES[$name]=$b; FILES[$name]=$f; PORT[$name]=$port
    NFILES=$((NFILES + f)); TOTAL=$((TOTAL + b))
done
NCLIPS=$((NFILES - 12))   # sn.txt is a side file, not a clip
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }

echo
echo "host:      $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
echo "work dir:  $WORK (store disk $STORE_DEV; camera images in $IMAGES, on $(bench_dev_name "$IMAGES"))"
echo "binaries:  $CUSTODY_BIN (custodyd built $(date -r "$CUSTODYD" '+%Y-%m-%d %H:%M:%S'))"
echo "cameras:   12, $NCLIPS clips, $(mb "$TOTAL") MB; USB 2.0 = $(mb "$USB2") MB/s, USB 3.0 = $(mb "$USB3") MB/s (blkio read throttle per loop device)"
echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) at start (other work on the machine skews every number)"

# ---------------------------------------------------------------------------------------------
# The throttle, and that it holds: dd of each port's first camera from inside the cgroup.
CG=$(bench_cgroup_create "custody-usb-$$") || die "cannot create a blkio cgroup"
for name in "${!LOOP[@]}"; do bench_cgroup_throttle "$CG" "${LOOP[$name]}" "$(rate_of "${PORT[$name]}")"; done
echo
for name in c01 c02; do
    rate=$(rate_of "${PORT[$name]}")
    n=$(( rate * 3 / 2 / 1048576 ))   # about 1.5 s at the throttle, twice, within the image
    half=$(( $(blockdev --getsize64 "${LOOP[$name]}") / 2 / 1048576 )); [[ $n -le $half ]] || n=$half
    drop_caches
    t0=$(now); dd if="${LOOP[$name]}" of=/dev/null bs=1M count="$n" iflag=direct status=none; t1=$(now)
    free_rate=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n * 1048576 / (b - a) / 1e6 }')
    drop_caches
    t0=$(now); bench_cgroup_run "$CG" dd if="${LOOP[$name]}" of=/dev/null bs=1M count="$n" skip="$n" iflag=direct status=none; t1=$(now)
    measured=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n * 1048576 / (b - a) / 1e6 }')
    echo "throttle check, ${PORT[$name]} ($name on ${LOOP[$name]}): dd in the cgroup $measured MB/s (limit $(mb "$rate") MB/s); outside it $free_rate MB/s"
    awk -v m="$measured" -v r="$rate" 'BEGIN { exit !(m * 1e6 <= r * 1.15) }' || die "the throttle does not hold: $measured MB/s read through a $(mb "$rate") MB/s limit"
done

# ---------------------------------------------------------------------------------------------
# The daemon, on a fresh store each time; its stderr gets a receive time on every line.
stamp_lines() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }
start_daemon() { # folder
    local dir=$1
    mkdir -p "$dir/media"
    bench_write_config "$dir/custodyd.toml" "$dir/store" "$dir/media" "$(bench_fstypes_toml ext4)" $'[ingest]\nreserve_mb = 64\n'"${BENCH_INGEST_TOML:-}"
    SOCK=$dir/custodyd.sock; LOG=$dir/custodyd.log; MEDIA=$dir/media
    "$CUSTODYD" --config "$dir/custodyd.toml" --log-level info < /dev/null >> "$LOG" 2> >(stamp_lines >> "$LOG") &
    DAEMON_PID=$!
    bench_wait_socket "$DAEMON_PID" "$SOCK" 60 "$LOG" || die "custodyd did not start"
}
stop_daemon() { bench_stop_daemon "$DAEMON_PID"; DAEMON_PID=""; }
# "clips.total ingest.active alarms"
status_fields() { ctl status --json 2>/dev/null | jq -r '"\(.clips.total) \(.ingest.active) \(.alarms | length)"' 2>/dev/null || true; }

# Mounts every camera read-only under $1 (the watched root, or a folder for cp), one after the
# other as fast as mount returns: docked together. Prints each mount's time to $2.
mount_all() { # folder times-file
    local name
    : > "$2"
    for spec in "${CAMERAS[@]}"; do
        read -r name _ <<<"$spec"
        mkdir -p "$1/$name"
        mount -o ro "${LOOP[$name]}" "$1/$name"; MOUNTED+=("$1/$name")
        echo "$name $(now)" >> "$2"
    done
}
umount_all() { # folder
    local name
    for spec in "${CAMERAS[@]}"; do
        read -r name _ <<<"$spec"
        umount "$1/$name"
    done
    MOUNTED=()
}
# Waits until every clip is cataloged and no dump is active; prints the time it saw that.
wait_ingested() { # timeout-seconds
    local deadline=$((SECONDS + $1)) total=0 active=1 alarms=0 fields
    while :; do
        fields=$(status_fields)
        if [[ -n "$fields" ]]; then
            read -r total active alarms <<<"$fields"
            [[ "$total" -ge "$NCLIPS" && "$active" -eq 0 ]] && break
        fi
        kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 40 "$LOG" >&2; die "custodyd died during the ingest (log above)"; }
        [[ $SECONDS -lt $deadline ]] || { tail -n 40 "$LOG" >&2; die "not done after $1 s: clips.total=$total (want $NCLIPS), ingest.active=$active"; }
        sleep 0.1
    done
    now
    [[ "$alarms" -eq 0 ]] || die "the daemon raised $alarms alarm(s): $(ctl status --json | jq -c .alarms)"
}
# What every ingest must leave: one store object per clip, no temp file, no failed file, every
# dump complete.
check_ingest() { # folder
    local stored
    stored=$(find "$1/store/sha256" -type f | wc -l)
    [[ "$stored" -eq "$NCLIPS" ]] || die "$stored files in the store, $NCLIPS clips on the cameras"
    [[ -z "$(ls -A "$1/store/tmp")" ]] || die "temp files left in $1/store/tmp"
    ! grep -q 'file not ingested\|dump failed' "$LOG" || die "the daemon reports failed files: $(grep 'file not ingested\|dump failed' "$LOG" | head -3)"
    local states
    states=$(api /v1/dumps | jq -r '[.[] | select(.state != "complete" or .errors > 0)] | length')
    [[ "$states" -eq 0 ]] || die "$states dump(s) not complete or with errors: $(api /v1/dumps | jq -c '[.[] | {mountPoint, state, errors}]')"
}

# Once a second: the store disk's and each camera device's byte counters, the daemon's CPU time,
# storage bytes (/proc/PID/io) and threads, and every dump's bytes done (GET /v1/dumps), as JSON
# lines.
SAMPLER='
import http.client, json, os, socket, sys, time
sock, out, store_dev, pid, loops = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
hz = os.sysconf("SC_CLK_TCK")
def proc():  # the daemon own: CPU seconds, bytes read from and written to storage, threads
    st = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
    io = dict(l.split(": ") for l in open("/proc/%s/io" % pid).read().splitlines())
    return {"cpu": (int(st[11]) + int(st[12])) / hz, "rb": int(io["read_bytes"]), "wb": int(io["write_bytes"]), "threads": int(st[17])}
class Conn(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); self.sock.connect(sock)
def stat(dev):
    f = open("/sys/class/block/%s/stat" % dev).read().split()
    return int(f[2]) * 512, int(f[6]) * 512
with open(out, "a") as o:
    nxt = time.time()
    while True:
        row = {"t": time.time(), "store": stat(store_dev), "loops": {l: stat(l)[0] for l in loops}, "daemon": proc()}
        try:
            c = Conn("custodyd", timeout=5); c.request("GET", "/v1/dumps")
            row["dumps"] = [{"id": d["id"], "m": d["mountPoint"], "b": d["bytesDone"], "s": d["state"]} for d in json.loads(c.getresponse().read())]
            c.close()
        except Exception as e:
            row["error"] = str(e)
        o.write(json.dumps(row) + "\n"); o.flush()
        nxt += 1
        time.sleep(max(0, nxt - time.time()))
'
# API latency: status, a clip page and /v1/me in turn, 0.1 s apart, each on a new connection (as
# custodyctl does); curl's time_total. The target is judged on status and the clip page.
latency_loop() { # out-file
    while :; do
        curl -s -o /dev/null -w "status $EPOCHREALTIME %{time_total} %{http_code}\n" --unix-socket "$SOCK" http://custodyd/v1/status >> "$1"
        sleep 0.1
        curl -s -o /dev/null -w "clips $EPOCHREALTIME %{time_total} %{http_code}\n" --unix-socket "$SOCK" 'http://custodyd/v1/clips?limit=50' >> "$1"
        sleep 0.1
        # No catalog read at all (the caller's identity and roles): what the server itself costs.
        curl -s -o /dev/null -w "me $EPOCHREALTIME %{time_total} %{http_code}\n" --unix-socket "$SOCK" http://custodyd/v1/me >> "$1"
        sleep 0.1
    done
}

# ---------------------------------------------------------------------------------------------
# (d) the store disk's limit: 2 GB written O_DIRECT + fsync, read back O_DIRECT.
echo
drop_caches
LIMIT_BYTES=$(( 2000 * 1000 * 1000 ))
read -r LIMIT_W LIMIT_R <<<"$(bench_disk_limit "$WORK/limit" "$LIMIT_BYTES")"
LIMIT_COUNT=$(( (LIMIT_BYTES + 4194303) / 4194304 * 4194304 ))
WRITE_LIMIT=$(awk -v b="$LIMIT_COUNT" -v s="$LIMIT_W" 'BEGIN { printf "%.0f", b / s / 1e6 }')
READ_LIMIT=$(awk -v b="$LIMIT_COUNT" -v s="$LIMIT_R" 'BEGIN { printf "%.0f", b / s / 1e6 }')
echo "store disk $STORE_DEV: dd O_DIRECT write+fsync $WRITE_LIMIT MB/s, O_DIRECT read $READ_LIMIT MB/s ($(mb "$LIMIT_COUNT") MB each)"

# ---------------------------------------------------------------------------------------------
# (a)-(d): the twelve docked together, each throttled.
echo
echo "== throttled: 12 cameras docked at once"
T=$WORK/throttled
start_daemon "$T"
bench_cgroup_join "$CG" "$DAEMON_PID"
drop_caches
loopnames=(); for name in "${!LOOP[@]}"; do loopnames+=("$(basename "${LOOP[$name]}")"); done
python3 -c "$SAMPLER" "$SOCK" "$T/samples.jsonl" "$STORE_DEV" "$DAEMON_PID" "${loopnames[@]}" & POLL_PIDS+=($!)
latency_loop "$T/latency.txt" & POLL_PIDS+=($!)
sleep 10   # the API's latency while idle, on this machine as loaded as it is now: the baseline
T0=$(now)
mount_all "$MEDIA" "$T/mounts.txt"
T1=$(wait_ingested 900)
sleep 1.5   # one more sample after the end
for p in "${POLL_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait "${POLL_PIDS[@]}" 2>/dev/null || true; POLL_PIDS=()
check_ingest "$T"
api /v1/dumps > "$T/dumps.json"
FSCK_T0=$(now)
ctl fsck --json > "$T/fsck.json" || die "fsck: the store is not consistent: $(jq -c '{missing, changed, uncataloged, tempFiles, auditValid}' "$T/fsck.json")"
FSCK_S=$(elapsed "$FSCK_T0" "$(now)")
[[ "$(jq -r .clipsChecked "$T/fsck.json")" -eq "$NCLIPS" ]] || die "fsck checked $(jq -r .clipsChecked "$T/fsck.json") clips, want $NCLIPS"
echo "checked: $NCLIPS clips cataloged, $NCLIPS store objects, every dump complete without errors; custodyctl fsck consistent ($FSCK_S s, every clip re-hashed)"
umount_all "$MEDIA"
stop_daemon
{
    for name in "${!LOOP[@]}"; do
        echo "camera $name ${PORT[$name]} $(basename "${LOOP[$name]}") ${BYTES[$name]} ${FILES[$name]} $(rate_of "${PORT[$name]}")"
    done
} > "$T/cameras.txt"
[[ -z "$LOGS" ]] || cp "$T"/{samples.jsonl,latency.txt,mounts.txt,dumps.json,custodyd.log,cameras.txt} "$LOGS/"

# Per camera: its own transfer time (bytes / throttle), the time from its mount to its dump's
# 'dump complete' log line, the longest time its bytes did not move, what its device read.
ANALYZE='
import json, re, sys
d, t0, t1, wlim, rlim = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
cams = {}
for line in open(d + "/cameras.txt"):
    _, name, port, dev, b, f, rate = line.split()
    cams[name] = dict(port=port, dev=dev, bytes=int(b), files=int(f), rate=int(rate))
for line in open(d + "/mounts.txt"):
    name, t = line.split(); cams[name]["mount"] = float(t)
dumps = json.load(open(d + "/dumps.json"))
ids = {}
for x in dumps:
    name = x["mountPoint"].rstrip("/").split("/")[-1]
    if name in cams: cams[name]["id"] = x["id"]; ids[x["id"]] = name
for line in open(d + "/custodyd.log"):
    if "dump complete" in line:
        m = re.search(r"dump[=:]\s*\"?(\d+)", line)
        if m and int(m.group(1)) in ids: cams[ids[int(m.group(1))]]["done"] = float(line.split()[0])
samples = [json.loads(l) for l in open(d + "/samples.jsonl")]
print("%-4s %-5s %9s %6s %9s %9s %6s %11s %8s %11s" % ("cam", "port", "MB", "files", "own s", "done s", "x own", "stall max s", "back MB", "dev read MB"))
worst_stall = 0; own_max = 0; worst_back = 0
for name in sorted(cams):
    c = cams[name]
    own = c["bytes"] / c["rate"]; own_max = max(own_max, own)
    done = c.get("done", t1) - c["mount"]
    last, since, stall, back = None, c["mount"], 0.0, 0
    for s in samples:
        if s["t"] < c["mount"] or s["t"] > c.get("done", t1): continue
        b = next((x["b"] for x in s.get("dumps", []) if x.get("id") == c.get("id")), 0)
        if last is not None and b < last: back = max(back, last - b)
        if b != last: stall = max(stall, s["t"] - since); since = s["t"]; last = b
    stall = max(stall, c.get("done", t1) - since) if last is not None else done
    worst_stall = max(worst_stall, stall); worst_back = max(worst_back, back)
    dev = samples[-1]["loops"][c["dev"]] - samples[0]["loops"][c["dev"]]
    print("%-4s %-5s %9.0f %6d %9.1f %9.1f %6.2f %11.1f %8.0f %11.0f" % (name, c["port"], c["bytes"] / 1e6, c["files"], own, done, done / own, stall, back / 1e6, dev / 1e6))
wall = t1 - t0
first = [s for s in samples if s["t"] < t0][-1]
last = samples[-1]
span = last["t"] - first["t"]
w = (last["store"][1] - first["store"][1]); r = (last["store"][0] - first["store"][0])
cam_read = sum(last["loops"][c["dev"]] - first["loops"][c["dev"]] for c in cams.values())
peak_w = max((b["store"][1] - a["store"][1]) / (b["t"] - a["t"]) for a, b in zip(samples, samples[1:]))
lat, idle = {}, []
for line in open(d + "/latency.txt"):
    route, at, t, code = line.split()
    if float(at) < t0:
        if route != "me": idle.append(float(t) * 1000)
    elif float(at) <= t1: lat.setdefault(route, []).append((float(t) * 1000, code, float(at)))
def pct(v, p): v = sorted(v); return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
print()
print("(a) wall time, first mount -> every clip cataloged   %8.1f s   slowest camera own time %.1f s   ratio %.2f (target <= 1.1)" % (wall, own_max, wall / own_max))
print("(b) longest interval without progress, any camera  %8.1f s   (GET /v1/dumps once a second, from its mount to its dump complete)" % worst_stall)
print("(b) largest step back of a dump bytes done          %8.0f MB  (should be 0)" % (worst_back / 1e6))
allv = []
for route in sorted(lat):
    v = [x[0] for x in lat[route]]; bad = sum(1 for x in lat[route] if x[1] != "200")
    if route != "me": allv += v
    print("(c) API latency %-7s n=%4d  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  non-200: %d" % (route, len(v), pct(v, 50), pct(v, 99), max(v), bad))
print("(c) API latency, status + clips  n=%4d  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (target p99 < 50 ms)" % (len(allv), pct(allv, 50), pct(allv, 99), max(allv)))
print("(c) API latency before docking (idle daemon, the same machine) n=%d  p50 %.1f ms  p99 %.1f ms  max %.1f ms" % (len(idle), pct(idle, 50), pct(idle, 99), max(idle)))
slow = sorted((x for r in lat for x in [(v[0], r, v[2]) for v in lat[r]]), reverse=True)[:5]
print("    slowest: " + ", ".join("%s %.0f ms at +%.1f s" % (r, ms, at - t0) for ms, r, at in slow))
print("(d) store disk (all I/O on it, other work included) during the run (%.0f s): written %.0f MB = %.0f MB/s (peak 1 s %.0f MB/s), read %.0f MB = %.0f MB/s, the camera devices read %.0f MB; its limit: write %.0f MB/s, read %.0f MB/s" %
      (span, w / 1e6, w / span / 1e6, peak_w / 1e6, r / 1e6, r / span / 1e6, cam_read / 1e6, wlim, rlim))
da, db = first["daemon"], last["daemon"]
print("    the daemon itself: wrote %.0f MB = %.0f MB/s, read %.0f MB from storage (cameras %.0f MB, so its read-back %.0f MB), CPU %.0f %% of one core on average, %d..%d threads" %
      ((db["wb"] - da["wb"]) / 1e6, (db["wb"] - da["wb"]) / span / 1e6, (db["rb"] - da["rb"]) / 1e6, cam_read / 1e6, (db["rb"] - da["rb"] - cam_read) / 1e6,
       100 * (db["cpu"] - da["cpu"]) / span, min(s["daemon"]["threads"] for s in samples), max(s["daemon"]["threads"] for s in samples)))
print("throttled_wall_s=%.2f slowest_own_s=%.2f ratio_wall_vs_slowest=%.2f worst_stall_s=%.1f progress_back_mb=%.0f api_p99_ms=%.1f api_max_ms=%.1f api_idle_p99_ms=%.1f store_write_mb_s=%.0f store_write_limit_mb_s=%.0f" %
      (wall, own_max, wall / own_max, worst_stall, worst_back / 1e6, pct(allv, 99), max(allv), pct(idle, 99), w / span / 1e6, wlim))
'
python3 -c "$ANALYZE" "$T" "$T0" "$T1" "$WRITE_LIMIT" "$READ_LIMIT" | tee "$T/result.txt"
rm -rf "$T"/store; sync

# ---------------------------------------------------------------------------------------------
# (e) unthrottled: the daemon outside the cgroup against 12 x cp -a in parallel && sync,
# interleaved (odd runs cp first), page cache dropped before each.
if [[ $SKIP_UNTHROTTLED -eq 1 ]]; then exit 0; fi
echo
echo "== unthrottled: 12 cameras, ingest vs 12 x cp -a in parallel && sync, $RUNS run(s)"
T_CP=(); T_ING=()
measure_cp() {
    local src=$WORK/cp-src dst=$WORK/cp-dst t0 t1 name w0 w1
    mkdir -p "$dst"
    mount_all "$src" /dev/null
    drop_caches
    w0=$(bench_dev_write_bytes "$STORE_DEV")
    t0=$(now)
    for spec in "${CAMERAS[@]}"; do read -r name _ <<<"$spec"; cp -a "$src/$name" "$dst/$name" & done
    wait
    sync
    t1=$(now)
    w1=$(bench_dev_write_bytes "$STORE_DEV")
    umount_all "$src"
    [[ "$(find "$dst" -type f | wc -l)" -eq "$NFILES" ]] || die "cp copied $(find "$dst" -type f | wc -l) files, want $NFILES"
    rm -rf "$dst"; sync
    T_CP+=("$(elapsed "$t0" "$t1")")
    echo "  cp -a x 12 && sync: ${T_CP[-1]} s (store disk wrote $(mb $((w1 - w0))) MB)"
}
measure_ingest() { # run
    local dir=$WORK/free-$1 t0 t1 w0 w1
    start_daemon "$dir"
    drop_caches
    w0=$(bench_dev_write_bytes "$STORE_DEV")
    t0=$(now)
    mount_all "$MEDIA" /dev/null
    t1=$(wait_ingested 900)
    w1=$(bench_dev_write_bytes "$STORE_DEV")
    check_ingest "$dir"
    umount_all "$MEDIA"
    stop_daemon
    [[ -z "$LOGS" ]] || cp "$LOG" "$LOGS/custodyd-unthrottled-run$1.log"
    rm -rf "$dir"; sync
    T_ING+=("$(elapsed "$t0" "$t1")")
    echo "  ingest of the 12 (mount -> cataloged): ${T_ING[-1]} s (store disk wrote $(mb $((w1 - w0))) MB)"
}
for run in $(seq "$RUNS"); do
    if (( run % 2 )); then measure_cp; measure_ingest "$run"; else measure_ingest "$run"; measure_cp; fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
M_CP=$(median "${T_CP[@]}"); M_ING=$(median "${T_ING[@]}")
# The store disk's own floor for a verified copy of the twelve: every byte written (O_DIRECT +
# fsync) and read back (O_DIRECT) at the rates (d) measured; cp -a && sync only writes.
awk -v c="$M_CP" -v i="$M_ING" -v b="$TOTAL" -v w="$WRITE_LIMIT" -v r="$READ_LIMIT" -v on="$IMAGES_ON" 'BEGIN {
    l = b / (w * 1e6) + b / (r * 1e6)
    printf "(e) unthrottled, medians: cp -a x 12 && sync %.2f s (%.0f MB/s), ingest %.2f s (%.0f MB/s): cp / ingest = %.2f (target >= 0.9)\n", c, b / c / 1e6, i, b / i / 1e6, c / i
    printf "(e) the store disk'"'"'s limit for a verified copy of the %.0f MB (written at %.0f MB/s, read back at %.0f MB/s): %.2f s; ingest / limit = %.2f, cp / limit = %.2f\n", b / 1e6, w, r, l, i / l, c / l
    printf "unthrottled_cp_s=%.2f unthrottled_ingest_s=%.2f ratio_cp_vs_ingest=%.2f unthrottled_limit_s=%.2f ratio_ingest_vs_limit=%.2f images_on=%s\n", c, i, c / i, l, i / l, on }'
echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) at the end"
