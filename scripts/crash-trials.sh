#!/usr/bin/env bash
# The long crash harness (reliability issue, item 1): N trials (default 1000), each a fresh
# station ingesting the same FAT32 camera (mkfs.vfat + mcopy, mounted with fusefat), crashed
# once — at an injected point between two durable steps (debug builds honour CUSTODY_CRASH_AT /
# CUSTODY_CRASH_AFTER) or by kill -9 after a random delay — then restarted until the ingest
# completes. After each trial: `custodyctl fsck --json` (every cataloged hash equals its file,
# no file without a row, no temp file, audit chain valid) and the provenance table (every source
# file cataloged exactly once per docking: a restart after the dump completed re-checks the
# still-mounted camera as a new dump, every file hashed, none copied again). Prints `trials, inconsistencies` at the end.
#   scripts/crash-trials.sh [N]        (root; uses .build/debug unless CUSTODY_BIN is set)
set -euo pipefail
N=${1:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CUSTODY_BIN:-$ROOT/.build/debug}
W=$(mktemp -d /var/tmp/custody-crash.XXXXXX)
cleanup() {
    pkill -KILL -f "custodyd --config $W/" 2>/dev/null || true
    for m in $(awk -v w="$W" '$5 ~ "^"w {print $5}' /proc/self/mountinfo | sort -r); do fusermount -u "$m" 2>/dev/null || umount -l "$m"; done
    rm -rf "$W"
}
trap cleanup EXIT

# One camera: 16 clips of 200-600 KB with camera names, plus sn.txt.
mkdir -p "$W/src/DCIM/100MEDIA"
echo 010203 > "$W/src/sn.txt"
for i in $(seq 1 16); do
    head -c $((200000 + (i * 26021) % 400000)) /dev/urandom > "$W/src/DCIM/100MEDIA/010203_A7K2931_202611270830$(printf %02d "$i")_$(printf %04d "$i").MP4"
done
truncate -s 40M "$W/camera.img"
mkfs.vfat -F 32 "$W/camera.img" >/dev/null
MTOOLS_SKIP_CHECK=1 mcopy -s -m -i "$W/camera.img" "$W/src/"* ::/
FILES=$(find "$W/src" -type f | wc -l)
(cd "$W/src" && find . -type f -exec sha256sum {} + | awk '{print $1}' | sort) > "$W/expected"

points=(after-temp-write after-fsync after-rename after-commit)
inconsistent=0
kills=0
for t in $(seq 1 "$N"); do
    T="$W/t"
    rm -rf "$T"
    mkdir -p "$T/media/cam1"
    cat > "$T/c.toml" <<TOML
[paths]
store = "store"
catalog = "catalog.sqlite"
socket = "s.sock"
spool = "spool"
[watch]
mount_roots = ["$T/media"]
drop_dirs = []
filesystem_types = ["fuse.fusefat"]
[policy]
upload_deadline_hours = 24
retention_months = 12
[station]
unit = "test"
[ingest]
reserve_mb = 1
TOML
    fusefat -o ro "$W/camera.img" "$T/media/cam1" 2>/dev/null
    ctl() { "$BIN/custodyctl" --socket "$T/s.sock" "$@"; }
    if (( t % 3 == 0 )); then
        "$BIN/custodyd" --config "$T/c.toml" >>"$T/log" 2>&1 &
        pid=$!
        sleep "0.$(( RANDOM % 9 + 1 ))$(( RANDOM % 10 ))"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    else
        point=${points[$(( RANDOM % 4 ))]}
        after=$(( RANDOM % FILES + 1 ))
        CUSTODY_CRASH_AT=$point CUSTODY_CRASH_AFTER=$after "$BIN/custodyd" --config "$T/c.toml" >>"$T/log" 2>&1 || true
    fi
    kills=$((kills + 1))
    "$BIN/custodyd" --config "$T/c.toml" >>"$T/log" 2>&1 &
    pid=$!
    ok=0
    for _ in $(seq 1 600); do
        if s=$(ctl status --json 2>/dev/null) && python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["ingest"]["active"]==0 and d["clips"]["total"]>='"$FILES"' else 1)' <<<"$s"; then ok=1; break; fi
        sleep 0.1
    done
    problem=""
    if (( ok == 0 )); then problem="ingest did not complete"; fi
    if [ -z "$problem" ] && ! ctl fsck --json > "$T/fsck.json"; then problem="fsck: $(tr -d '\n' < "$T/fsck.json")"; fi
    if [ -z "$problem" ]; then
        prov=$(sqlite3 -readonly "$T/catalog.sqlite" "SELECT (SELECT count(*) FROM (SELECT 1 FROM provenance GROUP BY dump_id, source_path_raw HAVING count(*) > 1))||'|'||count(DISTINCT source_path_raw) FROM provenance")
        [ "$prov" = "0|$FILES" ] || problem="provenance $prov"
        sqlite3 -readonly "$T/catalog.sqlite" "SELECT sha256 FROM clip ORDER BY sha256" | diff -q - "$W/expected" >/dev/null || problem="$problem; clip set differs from the source"
    fi
    if ! kill "$pid" 2>/dev/null; then
        problem="$problem; the restarted daemon exited on its own: $(tail -3 "$T/log" | tr '\n' ' ')"
    fi
    wait "$pid" 2>/dev/null || true
    fusermount -u "$T/media/cam1"
    if [ -n "$problem" ]; then
        inconsistent=$((inconsistent + 1))
        echo "trial $t: $problem" >&2
        cp -r "$T" "/var/tmp/custody-crash-failure-$t" 2>/dev/null || true
    fi
    (( t % 50 == 0 )) && echo "... $t trials, $inconsistent inconsistencies" >&2
done
echo "trials, inconsistencies"
echo "$N, $inconsistent"
