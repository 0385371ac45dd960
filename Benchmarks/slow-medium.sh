#!/usr/bin/env bash
# Benchmarks/slow-medium.sh: large files on slow media (performance issue #21, item 4). A FAT32
# camera image on a loop device (--direct-io=on), read through fusefat at USB 2.0 speed (a cgroup
# v1 blkio read_bps_device throttle on the loop device, the fusefat process in that cgroup), and
# a real release custodyd ingesting it. Three measures, each on a fresh store and catalog:
#
#   A. progress and stall: one 4 GB clip (+ 3 photos + sn.txt). fusefat returns nothing past
#      2 GiB of a file (measured: reads from offset 2048 MiB on give 0 bytes; the daemon records
#      the clip as failed), so this image is ext4 on the loop device, mounted read-only, with the
#      daemon itself in the throttled cgroup. The dump's bytes done are sampled from the API once
#      a second; at half the clip the medium freezes (the throttle set to 1 KB/s: the daemon's
#      reads block in the kernel, like a camera that stopped answering) for --freeze seconds with
#      [ingest] stall_seconds = --stall; then the throttle goes back. Reports the longest interval
#      without movement outside the freeze, the rate against the throttle, when the stall alert
#      appeared and cleared, and that the clip ends verified.
#   B. yank at 90 % of a dump of --parts x --part-mb MiB clips: kill -9 of fusefat (reads fail with
#      ENOTCONN: a yanked stick) and unmount; the dump's state; then a new fusefat mount of the
#      same image at the same place (re-dock): the resumed dump's outcome, the bytes read from the
#      medium (the cgroup's blkio.throttle.io_service_bytes for the loop device, its page cache
#      dropped first) and written by the daemon (/proc/PID/io write_bytes) against what was
#      verified before the yank and what was not.
#   C. the same yank at 90 % of a single large clip through fusefat: 2 GB, the most fusefat serves.
# At the end of each: every clip cataloged once, `custodyctl fsck` consistent, `audit verify` ok.
#
#   Benchmarks/slow-medium.sh [--clip-mb N] [--parts N] [--part-mb N] [--rate-mb N] [--stall N]
#                             [--freeze N] [--yank-at PCT] [--only A|B|C] [--images DIR] [--workdir DIR] [--keep]
#
# Needs root (loop devices, cgroups, FUSE, a private mount namespace), fusefat, mtools, dosfstools,
# openssl, python3. Binaries from $CUSTODY_BIN (default .build-bench/release if it holds custodyd,
# else .build/release). About 15 minutes at the defaults; 11 GB of images (--images DIR keeps and reuses them). See Benchmarks/README.md.
set -euo pipefail
export LC_ALL=C

# Everything mounted here stays in a private mount namespace (the daemon runs in it too).
if [[ -z "${SLOW_MEDIUM_NS:-}" ]]; then
    [[ $(id -u) -eq 0 ]] && exec unshare --mount --propagation private env SLOW_MEDIUM_NS=1 "$0" "$@"
fi

CLIP_BYTES=4000000000   # "a 4 GB clip" (FAT32 holds up to 4 GiB - 1)
PARTS=8
PART_MB=512
RATE_MB=35              # USB 2.0 in practice: MB/s (10^6 bytes)
STALL=5
FREEZE=20
YANK_AT=90
ONLY=ABC
IMAGES=""
BASE=/var/tmp
KEEP=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --clip-mb) CLIP_BYTES=$(( ${2:?--clip-mb needs a number} * 1000000 )); shift 2 ;;
        --parts) PARTS=${2:?}; shift 2 ;;
        --part-mb) PART_MB=${2:?}; shift 2 ;;
        --rate-mb) RATE_MB=${2:?}; shift 2 ;;
        --stall) STALL=${2:?}; shift 2 ;;
        --freeze) FREEZE=${2:?}; shift 2 ;;
        --yank-at) YANK_AT=${2:?}; shift 2 ;;
        --only) ONLY=${2:?}; shift 2 ;;
        --images) IMAGES=${2:?}; shift 2 ;;
        --workdir) BASE=${2:?}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
for n in "$PARTS" "$PART_MB" "$RATE_MB" "$STALL" "$FREEZE" "$YANK_AT"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "numbers must be positive integers, not '$n'" >&2; exit 2; }
done
die() { echo "slow-medium: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "must run as root (loop devices, cgroups, FUSE)"
[[ $CLIP_BYTES -lt 4294967296 ]] || die "--clip-mb: FAT32 holds files below 4 GiB"


REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=Benchmarks/lib.sh
. "$REPO/Benchmarks/lib.sh"
bench_binaries "$REPO"
for b in "$CUSTODYD" "$CUSTODYCTL"; do [[ -x "$b" ]] || die "$b not found; set CUSTODY_BIN"; done
for tool in fusefat mkfs.vfat mcopy mmd losetup blockdev openssl python3; do command -v "$tool" > /dev/null || die "$tool is needed"; done
BLKIO=/sys/fs/cgroup/blkio
[[ -f $BLKIO/blkio.throttle.read_bps_device ]] || die "needs cgroup v1 blkio at $BLKIO (io.max on v2 is not handled here)"

WORK=""; DAEMON_PID=""; FUSE_PID=""; SAMPLER_PID=""; CG=""; LOOPS=(); MOUNTS=()
cleanup() {
    local rc=$?
    set +e
    [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
    [[ -n "$FUSE_PID" ]] && { kill -CONT "$FUSE_PID"; kill "$FUSE_PID"; } 2>/dev/null
    [[ -n "$DAEMON_PID" ]] && bench_stop_daemon "$DAEMON_PID"
    wait 2>/dev/null
    for m in "${MOUNTS[@]}"; do mountpoint -q "$m" && { umount "$m" 2>/dev/null || umount -l "$m"; }; done
    for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null; done
    [[ -n "$CG" && -d "$CG" ]] && rmdir "$CG"
    if [[ $KEEP -eq 1 ]]; then echo "kept $WORK (samples, logs, stores)" >&2
    elif [[ -n "$WORK" && -d "$WORK" ]]; then rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK=$(mktemp -d "$BASE/custody-slow.XXXXXX")
[[ -n "$IMAGES" ]] || IMAGES=$WORK/images
mkdir -p "$IMAGES"
now() { printf '%s' "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# ---------------------------------------------------------------------------------------------
# Camera images: FAT32 built with mkfs.vfat + mtools (no mount), incompressible contents from a
# deterministic AES-CTR stream, a different key per file (no two files share a hash).
BADGE=010203
SERIAL=A7K2931
stream() { # bytes label
    local key
    key=$(printf 'custody-slow %s' "$2" | sha256sum | cut -c1-32)
    head -c "$1" /dev/zero | openssl enc -aes-128-ctr -nosalt -K "$key" -iv "$key"
}
make_image() { # image label "bytes bytes ..." (clips) photos
    local img=$1 label=$2 sizes=$3 photos=$4 total=0 s i=0 t
    [[ -f "$img.ok" && "$(cat "$img.ok")" == "$label $sizes $photos" ]] && return 0
    for s in $sizes; do total=$((total + s)); done
    rm -f "$img" "$img.ok"
    mkfs.vfat -F 32 -n CAMERA -C "$img" $(( total / 1024 + 65536 + photos * 256 )) > /dev/null
    mmd -i "$img" ::/DCIM ::/DCIM/100MEDIA
    printf '%s\r\n' "$BADGE" | mcopy -i "$img" - ::/sn.txt
    t=$(date -u -d '2026-11-27 08:30:15' +%s)
    for s in $sizes; do
        i=$((i + 1))
        stream "$s" "$label-$i" | mcopy -i "$img" - "::/DCIM/100MEDIA/$(printf '%s_%s_%s_%04d.MP4' "$BADGE" "$SERIAL" "$(date -u -d "@$t" +%Y%m%d%H%M%S)" "$i")"
        t=$((t + 1800))
    done
    for p in $(seq "$photos"); do
        stream 204800 "$label-photo-$p" | mcopy -i "$img" - "::/DCIM/100MEDIA/$(printf '%s_%s_%s_%04d.JPG' "$BADGE" "$SERIAL" "$(date -u -d "@$t" +%Y%m%d%H%M%S)" "$((i + p))")"
        t=$((t + 7))
    done
    echo "$label $sizes $photos" > "$img.ok"
}
PART_BYTES=$(( PART_MB << 20 ))
part_sizes=$(for _ in $(seq "$PARTS"); do printf '%s ' "$PART_BYTES"; done)
echo "building camera images in $IMAGES (reused when already there) ..."
t0=$(now)
# The 4 GB clip on ext4 (fusefat stops at 2 GiB of a file): written through a loop mount.
make_ext4_image() { # image label bytes photos
    local img=$1 label=$2 bytes=$3 photos=$4 dir t p
    [[ -f "$img.ok" && "$(cat "$img.ok")" == "$label $bytes $photos" ]] && return 0
    rm -f "$img" "$img.ok"
    truncate -s $(( bytes + (256 << 20) )) "$img"
    mkfs.ext4 -q -F -L CAMERA "$img"
    dir=$WORK/fill
    mkdir -p "$dir"
    mount -o loop "$img" "$dir"
    mkdir -p "$dir/DCIM/100MEDIA"
    printf '%s\r\n' "$BADGE" > "$dir/sn.txt"
    t=$(date -u -d '2026-11-27 08:30:15' +%s)
    stream "$bytes" "$label-1" > "$dir/DCIM/100MEDIA/$(printf '%s_%s_%s_%04d.MP4' "$BADGE" "$SERIAL" "$(date -u -d "@$t" +%Y%m%d%H%M%S)" 1)"
    for p in $(seq "$photos"); do
        t=$((t + 7))
        stream 204800 "$label-photo-$p" > "$dir/DCIM/100MEDIA/$(printf '%s_%s_%s_%04d.JPG' "$BADGE" "$SERIAL" "$(date -u -d "@$t" +%Y%m%d%H%M%S)" "$((1 + p))")"
    done
    umount "$dir"
    echo "$label $bytes $photos" > "$img.ok"
}
FAT_CLIP_BYTES=$(( CLIP_BYTES < 2000000000 ? CLIP_BYTES : 2000000000 ))
[[ $ONLY == *A* ]] && make_ext4_image "$IMAGES/clip.ext4" clip4 "$CLIP_BYTES" 3
[[ $ONLY == *C* ]] && make_image "$IMAGES/clip.img" clip "$FAT_CLIP_BYTES" 3
[[ $ONLY == *B* || $ONLY == *C* ]] && make_image "$IMAGES/parts.img" parts "$part_sizes" 0
sync
echo "  done in $(secs "$t0" "$(now)") s"

[[ $ONLY == *A* ]] && { EXT4_LOOP=$(losetup --direct-io=on -f --show "$IMAGES/clip.ext4"); LOOPS+=("$EXT4_LOOP"); }
[[ $ONLY == *C* ]] && { CLIP_LOOP=$(losetup --direct-io=on -f --show "$IMAGES/clip.img"); LOOPS+=("$CLIP_LOOP"); }
PARTS_LOOP=$(losetup --direct-io=on -f --show "$IMAGES/parts.img"); LOOPS+=("$PARTS_LOOP")
RATE=$(( RATE_MB * 1000000 ))
CG=$BLKIO/custody-slow-$$
mkdir "$CG"
for l in "${LOOPS[@]}"; do echo "$(lsblk -dno MAJ:MIN "$l" | tr -d ' ') $RATE" > "$CG/blkio.throttle.read_bps_device"; done
in_cgroup() { sh -c 'echo $$ > "$0/tasks"; exec "$@"' "$CG" "$@"; }
read_bytes() { # bytes the cgroup has read from loop device $1 so far
    awk -v d="$(lsblk -dno MAJ:MIN "$1" | tr -d ' ')" '$1 == d && $2 == "Read" { print $3; f = 1 } END { if (!f) print 0 }' "$CG/blkio.throttle.io_service_bytes"
}

echo
echo "host:      $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg) at start (shared machine: other work skews every figure)"
echo "binaries:  $CUSTODY_BIN (custodyd built $(date -r "$CUSTODYD" '+%Y-%m-%d %H:%M'))"
echo "medium:    images on loop devices (${LOOPS[*]}, losetup --direct-io=on): A ext4 mounted read-only with custodyd in the cgroup, B and C FAT32 through fusefat in the cgroup; throttle $RATE_MB MB/s (cgroup v1 blkio.throttle.read_bps_device)"
echo "images:    clip.ext4 (A): 1 x $(mb "$CLIP_BYTES") MB + 3 photos x 200 KiB + sn.txt; parts.img (B): $PARTS x $PART_MB MiB + sn.txt; clip.img (C): 1 x $(mb "$FAT_CLIP_BYTES") MB + 3 photos + sn.txt"

# ---------------------------------------------------------------------------------------------
# fusefat: serves IMG's loop device at DIR (foreground, so its pid is known), in the throttled
# cgroup unless told "free".
dock() { # loop dir [free]; FUSE_PID is fusefat's own pid (sh execs it), for SIGSTOP and kill -9
    blockdev --flushbufs "$1"   # nothing of the medium stays in the page cache: every byte comes from the "device"
    mkdir -p "$2"
    if [[ "${3:-}" == free ]]; then fusefat -f -o ro "$1" "$2" > /dev/null 2>&1 &
    else sh -c 'echo $$ > "$0/tasks"; exec "$@"' "$CG" fusefat -f -o ro "$1" "$2" > /dev/null 2>&1 & fi
    FUSE_PID=$!
    MOUNTS+=("$2")
    for _ in $(seq 100); do mountpoint -q "$2" && return 0; sleep 0.05; done
    die "fusefat did not mount $1 at $2"
}
undock() { # dir
    umount "$1" 2>/dev/null || umount -l "$1"
    { wait "$FUSE_PID" || true; } 2>/dev/null
    FUSE_PID=""
}

# Raw speeds first: fusefat unthrottled, the throttle through dd, fusefat throttled.
probe_dir=$WORK/probe
dock "$PARTS_LOOP" "$probe_dir" free
clip_path=$(find "$probe_dir/DCIM" -name '*.MP4' | sort | head -1)
probe_bytes=$PART_BYTES
t0=$(now); dd if="$clip_path" of=/dev/null bs=1M count=$(( probe_bytes >> 20 )) status=none; t1=$(now)
FREE_RATE=$(awk -v b=$(( (probe_bytes >> 20) << 20 )) -v s="$(secs "$t0" "$t1")" 'BEGIN { printf "%.1f", b / 1e6 / s }')
undock "$probe_dir"
blockdev --flushbufs "$PARTS_LOOP"
t0=$(now); in_cgroup dd if="$PARTS_LOOP" of=/dev/null bs=1M count=200 iflag=direct status=none; t1=$(now)
DD_RATE=$(awk -v s="$(secs "$t0" "$t1")" 'BEGIN { printf "%.1f", 209.7152 / s }')
dock "$PARTS_LOOP" "$probe_dir"
t0=$(now); dd if="$clip_path" of=/dev/null bs=1M count=200 status=none; t1=$(now)
FUSE_RATE=$(awk -v s="$(secs "$t0" "$t1")" 'BEGIN { printf "%.1f", 209.7152 / s }')
undock "$probe_dir"
echo "speeds:    fusefat unthrottled $FREE_RATE MB/s ($(mb $probe_bytes) MB of the clip); throttled: dd of the loop device in the cgroup $DD_RATE MB/s, through fusefat $FUSE_RATE MB/s"
awk -v f="$FREE_RATE" -v r="$RATE_MB" 'BEGIN { exit !(f < r * 1.2) }' && echo "  note: fusefat alone is not much faster than the throttle; the throttle does not alone bound the rate"

# ---------------------------------------------------------------------------------------------
# The daemon, on a fresh store and catalog per measure.
start_daemon() { # name
    local dir=$WORK/$1
    mkdir -p "$dir/media"
    bench_write_config "$dir/custodyd.toml" "$dir/store" "$dir/media" \
        "$(bench_fstypes_toml fuse.fusefat fuse.vfat vfat ext4)" \
        $'[ingest]\nreserve_mb = 64\nstall_seconds = '"$STALL"$'\n[deadlines]\nscan_seconds = 1'
    "$CUSTODYD" --config "$dir/custodyd.toml" --log-level info < /dev/null > "$dir/custodyd.log" 2>&1 &
    DAEMON_PID=$!
    SOCK=$dir/custodyd.sock
    DIR=$dir
    bench_wait_socket "$DAEMON_PID" "$SOCK" 30 "$dir/custodyd.log" || die "custodyd did not answer on $SOCK"
}
stop_daemon() {
    bench_stop_daemon "$DAEMON_PID"; DAEMON_PID=""
}

# Once a second: time, dump id, state, bytes done, bytes total, files done, files total, and
# whether a stall alert is open (from GET /v1/dumps and GET /v1/status through the socket).
SAMPLER='
import http.client, json, socket, sys, time
class Conn(http.client.HTTPConnection):
    def __init__(self, path): super().__init__("localhost"); self.path = path
    def connect(self): self.sock = socket.socket(socket.AF_UNIX); self.sock.connect(self.path)
def get(path, url):
    c = Conn(path); c.request("GET", url); r = c.getresponse(); body = r.read(); c.close()
    return json.loads(body)
def pick(d, *names):
    for n in names:
        if n in d: return d[n]
path, out = sys.argv[1], open(sys.argv[2], "a", buffering=1)
start = time.time()
while True:
    t = time.time()
    try:
        dumps = get(path, "/v1/dumps")
        status = get(path, "/v1/status")
        stall = any(str(pick(a, "key") or "").startswith("stall:") for a in (pick(status, "openAlerts", "open_alerts") or []))
        if dumps:
            d = max(dumps, key=lambda d: d["id"])
            out.write("%.3f %d %s %d %d %d %d %d\n" % (t, d["id"], d["state"], pick(d, "bytesDone", "bytes_done"),
                      pick(d, "bytesTotal", "bytes_total"), pick(d, "filesDone", "files_done"), pick(d, "filesTotal", "files_total"), stall))
        else:
            out.write("%.3f 0 none 0 0 0 0 %d\n" % (t, stall))
    except Exception as e:
        out.write("%.3f 0 error 0 0 0 0 0\n" % t)
    time.sleep(max(0, 1 - (time.time() - t)))
'
start_sampler() { # csv
    : > "$1"
    python3 -c "$SAMPLER" "$SOCK" "$1" &
    SAMPLER_PID=$!
    SAMPLES=$1
}
stop_sampler() { kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; }
last() { tail -n 1 "$SAMPLES" 2>/dev/null; }
wait_until() { # seconds awk-condition-on-the-last-sample ($3 state, $4 done, $5 total, $8 stall)
    local end=$((SECONDS + $1))
    while [[ $SECONDS -lt $end ]]; do
        kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 30 "$DIR/custodyd.log" >&2; die "custodyd died"; }
        last | awk "{ ok = ($2) } END { exit !ok }" && return 0
        sleep 0.2
    done
    return 1
}
# Waits until the cgroup has read BYTES from loop device LOOP (the medium's own count, not the
# daemon's progress, which is what is measured).
wait_medium() { # loop bytes
    local end=$((SECONDS + 900))
    while [[ $SECONDS -lt $end ]]; do
        kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 30 "$DIR/custodyd.log" >&2; die "custodyd died"; }
        [[ $(read_bytes "$1") -ge $2 ]] && return 0
        sleep 0.1
    done
    return 1
}
status_json() { "$CUSTODYCTL" --socket "$SOCK" status --json; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Every clip once, fsck consistent, audit verify ok; prints one line.
check_end() { # expected-clips
    local clips stored fsck audit
    clips=$(status_json | json 'd["clips"]["total"]')
    stored=$(find "$DIR/store/sha256" -type f | wc -l)
    fsck=$("$CUSTODYCTL" --socket "$SOCK" fsck --json | json '"consistent" if d["consistent"] else "INCONSISTENT"') || fsck="fsck FAILED"
    audit=$("$CUSTODYCTL" --socket "$SOCK" audit verify > /dev/null 2>&1 && echo ok || echo FAILED)
    echo "  end:     clips cataloged $clips (expected $1), store objects $stored, fsck $fsck, audit verify $audit, tmp files $(ls -A "$DIR/store/tmp" 2>/dev/null | wc -l)"
    [[ "$clips" -eq "$1" && "$stored" -eq "$1" && "$fsck" == consistent && "$audit" == ok ]] || FAILED=1
}
FAILED=0

# ---------------------------------------------------------------------------------------------
measure_progress_and_stall() {
    echo
    echo "A. progress and stall: clip.ext4 at $RATE_MB MB/s (custodyd in the cgroup), freeze $FREEZE s at half the clip, [ingest] stall_seconds = $STALL"
    start_daemon A
    echo "$DAEMON_PID" > "$CG/cgroup.procs"   # its reads of the camera's loop device are throttled; the store's disk is not
    local majmin
    majmin=$(lsblk -dno MAJ:MIN "$EXT4_LOOP" | tr -d ' ')
    start_sampler "$WORK/A.samples"
    local cam=$DIR/media/cam1 t_dock t_stop t_cont t_alert="" t_clear="" t_done r_start
    t_dock=$(now)
    r_start=$(read_bytes "$EXT4_LOOP")
    blockdev --flushbufs "$EXT4_LOOP"
    mkdir -p "$cam"
    mount -o ro "$EXT4_LOOP" "$cam"; MOUNTS+=("$cam")
    wait_medium "$EXT4_LOOP" $(( r_start + CLIP_BYTES / 2 )) || die "A: half the clip was never read"
    echo "$majmin 1000" > "$CG/blkio.throttle.read_bps_device"; t_stop=$(now)
    local end=$((SECONDS + FREEZE))
    while [[ $SECONDS -lt $end ]]; do
        [[ -z "$t_alert" ]] && last | awk '{ ok = $8 == 1 } END { exit !ok }' && t_alert=$(now)
        sleep 0.2
    done
    echo "$majmin $RATE" > "$CG/blkio.throttle.read_bps_device"; t_cont=$(now)
    while [[ -z "$t_clear" ]]; do
        last | awk '{ ok = $8 == 0 } END { exit !ok }' && t_clear=$(now)
        [[ $(secs "$t_cont" "$(now)" | cut -d. -f1) -lt 60 ]] || break
        sleep 0.2
    done
    wait_until 900 '$3 == "complete"' || die "A: the dump did not complete"
    t_done=$(now)
    stop_sampler
    umount "$cam"
    echo "  dump:    complete $(secs "$t_dock" "$t_done") s after docking (freeze included)"
    python3 - "$SAMPLES" "$t_stop" "$t_cont" "$RATE_MB" "$CLIP_BYTES" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1])]
rows = [(float(r[0]), r[2], int(r[3]), int(r[4])) for r in rows if r[2] not in ("none", "error")]
stop, cont, rate, clip = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
def longest(rs):
    best, since, prev = (0, 0), None, None
    for t, _, b, _ in rs:
        if prev is None or b != prev: since, prev = t, b
        elif t - since > best[0]: best = (t - since, since)
    return best
moving = [r for r in rows if r[2] > 0 and r[2] < r[3]]   # between the first byte and the last
before = [r for r in moving if r[0] < stop]
after = [r for r in moving if r[0] > cont + 1]
gap_b, gap_a = longest(before), longest(after)
print("  progress: %d samples while bytes moved; longest interval without movement: %.1f s before the freeze, %.1f s after it"
      % (len(moving), gap_b[0], gap_a[0]))
def speed(rs):
    if len(rs) < 2: return 0
    return (rs[-1][2] - rs[0][2]) / (rs[-1][0] - rs[0][0]) / 1e6
sb, sa = speed(before), speed(after)
print("  rate:    %.1f MB/s before the freeze, %.1f MB/s after (%.2f and %.2f of the %.0f MB/s throttle)" % (sb, sa, sb / rate, sa / rate, rate))
back = sum(1 for a, b in zip(rows, rows[1:]) if b[2] < a[2] and b[1] == a[1])
print("  backward: %d samples where bytes done went down" % back)
full = [r for r in rows if r[2] >= r[3] and r[3] > 0]
if moving and full:
    print("  tail:    %.1f s from the last byte read (bytes done = total) to state complete (fsync, read-back, catalog)"
          % ([r for r in rows if r[1] == "complete"][0][0] - full[0][0]) if any(r[1] == "complete" for r in rows) else "")
EOF
    echo "  stall:   frozen at $(secs "$t_dock" "$t_stop") s; alert $( [[ -n $t_alert ]] && echo "open $(secs "$t_stop" "$t_alert") s after the freeze (stall_seconds $STALL, scan 1 s, sampling 1 s)" || echo "NEVER raised in $FREEZE s")"
    echo "           reads resumed at +$(secs "$t_stop" "$t_cont") s; alert $( [[ -n $t_clear ]] && echo "cleared $(secs "$t_cont" "$t_clear") s after" || echo "NOT cleared within 60 s")"
    local raised cleared
    raised=$(sqlite3 "$DIR/catalog.sqlite" "SELECT count(*) FROM alert WHERE key LIKE 'stall:%'" 2>/dev/null || echo "?")
    cleared=$(sqlite3 "$DIR/catalog.sqlite" "SELECT count(*) FROM alert WHERE key LIKE 'stall:%' AND cleared_at IS NOT NULL" 2>/dev/null || echo "?")
    echo "           stall alerts in the catalog: $raised raised, $cleared cleared"
    [[ -n $t_alert && -n $t_clear ]] || FAILED=1
    check_end 4
    stop_daemon
}

# Yank at YANK_AT % of a dump, then dock again: what is read again, what is written again.
measure_yank() { # name loop clips label
    local name=$1 loop=$2 clips=$3 label=$4 bytes=$5 r_start
    echo
    echo "$name. yank at $YANK_AT % of $label at $RATE_MB MB/s, then docked again"
    start_daemon "$name"
    start_sampler "$WORK/$name.samples"
    local cam=$DIR/media/cam1 t_dock t_yank t_redock t_done r0 r1 w0 w1 total done_at_yank
    t_dock=$(now)
    r_start=$(read_bytes "$loop")
    dock "$loop" "$cam"
    wait_medium "$loop" $(( r_start + bytes * YANK_AT / 100 )) || die "$name: $YANK_AT % of the medium was never read"
    done_at_yank=$(last | awk '{ print $4 }')
    total=$(last | awk '{ print $5 }')
    kill -KILL "$FUSE_PID"; t_yank=$(now)
    undock "$cam"
    wait_until 120 '$3 == "interrupted" || $3 == "failed" || $3 == "complete"' || true
    local state verified_bytes verified_clips
    state=$("$CUSTODYCTL" --socket "$SOCK" dumps list --json | json 'max(d, key=lambda x: x["id"])["state"] + ": " + (max(d, key=lambda x: x["id"]).get("stateReason") or "")')
    verified_clips=$(status_json | json 'd["clips"]["total"]')
    verified_bytes=$(sqlite3 "$DIR/catalog.sqlite" "SELECT coalesce(sum(size_bytes), 0) FROM clip")
    echo "  yanked:  at $(secs "$t_dock" "$t_yank") s, $(mb $(( $(read_bytes "$loop") - r_start ))) MB read from the medium; the API said bytes done $(mb "$done_at_yank") of $(mb "$total") MB; dump state: $state"
    echo "           verified before the yank: $verified_clips clips, $(mb "$verified_bytes") MB; not yet done: $(mb $((total - verified_bytes))) MB"
    r0=$(read_bytes "$loop")
    w0=$(awk '/^write_bytes/ { print $2 }' "/proc/$DAEMON_PID/io")
    t_redock=$(now)
    dock "$loop" "$cam"
    wait_until 900 '$3 == "complete"' || die "$name: the resumed dump did not complete"
    t_done=$(now)
    r1=$(read_bytes "$loop")
    w1=$(awk '/^write_bytes/ { print $2 }' "/proc/$DAEMON_PID/io")
    stop_sampler
    undock "$cam"
    local reread=$((r1 - r0)) written=$((w1 - w0)) dumps
    dumps=$(sqlite3 "$DIR/catalog.sqlite" "SELECT count(*) FROM dump")
    echo "  re-dock: $(sqlite3 "$DIR/catalog.sqlite" "SELECT state FROM dump ORDER BY id DESC LIMIT 1") after $(secs "$t_redock" "$t_done") s ($dumps dump row(s)); at $RATE_MB MB/s the not-done bytes alone take $(awk -v b=$((total - verified_bytes)) -v r="$RATE_MB" 'BEGIN { printf "%.1f", b / 1e6 / r }') s"
    echo "           read from the medium: $(mb $reread) MB = $(awk -v a=$reread -v b=$((total - verified_bytes)) 'BEGIN { printf "%.2f", b ? a / b : 0 }') x the not-done bytes ($(mb $((reread - (total - verified_bytes)))) MB more: the verified files hashed where they lie, the #15 rule)"
    echo "           written by custodyd: $(mb $written) MB (the not-done bytes: $(mb $((total - verified_bytes))) MB; verified files copied again: $(awk -v w=$written -v n=$((total - verified_bytes)) 'BEGIN { print (w > n * 1.05 + 50e6 ? "YES" : "none") }'))"
    check_end "$clips"
    stop_daemon
}

[[ $ONLY == *A* ]] && measure_progress_and_stall
[[ $ONLY == *B* ]] && measure_yank B "$PARTS_LOOP" "$PARTS" "$PARTS x $PART_MB MiB" $(( PARTS * PART_BYTES ))
[[ $ONLY == *C* ]] && measure_yank C "$CLIP_LOOP" 4 "the $(mb "$FAT_CLIP_BYTES") MB clip (+ 3 photos)" $(( FAT_CLIP_BYTES + 3 * 204800 ))
echo
[[ $FAILED -eq 0 ]] && echo "all checks passed" || { echo "SOME CHECKS FAILED (above)"; exit 1; }
