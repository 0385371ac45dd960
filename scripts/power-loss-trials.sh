#!/usr/bin/env bash
# Power-loss trials for custodyd on lossyfs (a FUSE layer that drops every write that was not
# made durable; a new name is durable only after an fsync of its parent directory).
#
# One BACKING dir (the "disk") holds the store and the SQLite catalog across the trials of a run.
# Per trial:
#   1. mount lossyfs BACKING at MNT; start custodyd (store + catalog in MNT; socket, spool, drop
#      and media outside); drop a fresh camera folder (40 random clips, 50 KB-3 MB each);
#   2. after a random 0.2-4 s: record the acknowledged clips (`clips list --json`, saved outside
#      MNT), then at once SIGSTOP the daemon, cut the power (`crash` on odd trials,
#      `crash-partial` on even ones), SIGKILL the daemon, unmount;
#   3. take the camera folder OUT of the drop dir (otherwise the resumed dump would re-ingest a
#      lost clip and hide the loss), remount the same BACKING, restart custodyd and check what
#      recovery left: every clip acknowledged before the cut is cataloged, and not merely
#      re-adopted from the store with its provenance gone; `fsck --json` is consistent;
#   4. put the camera back, wait for the resumed dump to finish (ingest.active == 0 and
#      clips.total >= expected), check every source file is cataloged (sha256 of the sources vs
#      `clips list`) and fsck again; SIGTERM the daemon, `sync` through the ctl file, unmount.
# A failed trial keeps its evidence under WORKDIR/failures/trial-N: the trial's JSON answers, the
# catalog and a listing of BACKING as the cut left them, the daemon log, and BACKING itself:
# moved there when the trial ended inconsistent (the next trial then starts on a fresh BACKING,
# so one loss is not counted again in every later trial), else a copy of it at the end of the
# trial for the first POWERLOSS_KEEP_BACKINGS failures (the run goes on with it).
#
#   power-loss-trials.sh [TRIALS] [BIN_DIR] [LOSSYFS_BIN]    (root; defaults 20, ./bin,
#                                                              tools/lossyfs/lossyfs)
# Environment: POWERLOSS_TMP (parent of the work dir; default $TMPDIR or /var/tmp),
#   POWERLOSS_FILES (clips per camera, 40), POWERLOSS_TIMEOUT (s to wait for a dump, 120),
#   POWERLOSS_KEEP=1 (keep the work dir after a clean run), POWERLOSS_KEEP_BACKINGS (3),
#   POWERLOSS_SEED (seeds $RANDOM: same sizes, delays and cut kinds), POWERLOSS_NO_PRELOAD=1
#   (see preload_tree), POWERLOSS_FRESH_EVERY=K (a fresh BACKING every K trials, so that the
#   store, which fsck re-hashes twice a trial, stays small in long runs; default 0 = never).
# Output: progress on stderr; on stdout exactly one summary line:
#   trials, inconsistencies: N, M; acknowledged-before-cut: X, survived: Y; elapsed: S s (P s/trial)
# X counts the clips of each trial's own camera acknowledged before its cut, Y those of them
# still cataloged after recovery (summed over trials; a clip that is back only as an orphan
# re-adopted from the store counts in Y, but its trial is inconsistent). Clips of earlier trials are re-checked
# as well; a loss there is an inconsistency too. Exit 1 if M > 0, 2 on a setup error.
set -euo pipefail

TRIALS=${1:-20}
BIN_DIR=$(cd "${2:-./bin}" && pwd)
LOSSYFS=${3:-tools/lossyfs/lossyfs}
FILES=${POWERLOSS_FILES:-40}
TIMEOUT=${POWERLOSS_TIMEOUT:-120}
KEEP_BACKINGS=${POWERLOSS_KEEP_BACKINGS:-3}
FRESH_EVERY=${POWERLOSS_FRESH_EVERY:-0}
[ -n "${POWERLOSS_SEED:-}" ] && RANDOM=$POWERLOSS_SEED

for x in "$BIN_DIR/custodyd" "$BIN_DIR/custodyctl" "$LOSSYFS"; do
    [ -x "$x" ] || { echo "power-loss-trials: not executable: $x" >&2; exit 2; }
done
for c in jq sha256sum fusermount3 mountpoint awk; do
    command -v "$c" >/dev/null || { echo "power-loss-trials: missing $c" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "power-loss-trials: must run as root" >&2; exit 2; }

W=$(mktemp -d "${POWERLOSS_TMP:-${TMPDIR:-/var/tmp}}/powerloss.XXXXXX")
BACKING=$W/backing
MNT=$W/mnt
CTL=$MNT/.lossyfs-ctl
SOCK=$W/s.sock
LOG=$W/custodyd.log
LFSLOG=$W/lossyfs.log
CFG=$W/custodyd.toml
mkdir -p "$MNT" "$W/spool" "$W/drop" "$W/media" "$W/stage" "$W/failures"
DPID=""
LPID=""
KEEP_W=0
t=0

log() { echo "[$(date +%T)] $*" >&2; }
ctl() { "$BIN_DIR/custodyctl" --socket "$SOCK" "$@"; }

cat > "$CFG" <<TOML
[paths]
store = "$MNT/store"
catalog = "$MNT/catalog/catalog.sqlite"
socket = "$SOCK"
spool = "$W/spool"
[watch]
mount_roots = ["$W/media"]
drop_dirs = ["$W/drop"]
filesystem_types = ["fuse.fusefat", "ext4", "tmpfs", "overlay"]
settle_seconds = 1
[policy]
upload_deadline_hours = 24
retention_months = 12
[station]
unit = "测试"
time_zone = "Asia/Shanghai"
[ingest]
reserve_mb = 1
TOML

# The "disk": the directories the daemon expects are created in BACKING before any mount
# (sync(1) is not passed on to FUSE) and fsynced on the host.
new_backing() {
    rm -rf "$BACKING"
    mkdir -p "$BACKING/store/tmp" "$BACKING/store/sha256" "$BACKING/catalog"
    sync "$BACKING/store/tmp" "$BACKING/store/sha256" "$BACKING/store" "$BACKING/catalog" "$BACKING"
}

wait_for() {   # wait_for TENTHS CMD...: poll CMD every 0.1 s
    local tenths=$1; shift
    for _ in $(seq 1 "$tenths"); do "$@" && return 0; sleep 0.1; done
    return 1
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
dead() { ! alive "$1"; }
# Not mountpoint(1) for unmounting: after a power cut even stat of MNT fails with EIO.
is_mounted() { awk -v m="$MNT" '$5 == m {f = 1} END {exit !f}' /proc/self/mountinfo; }

# lossyfs reports st_nlink = 2 for a directory it has not read from BACKING yet. glibc fts (under
# Foundation's FileManager.enumerator, which custodyd's store walk uses) takes nlink 2 for "no
# subdirectories" and does not descend, so on a fresh mount the daemon sees an empty store and
# calls every clip missing. Reading the whole tree once after mounting loads every directory
# (nlink then right, as on ext4). POWERLOSS_NO_PRELOAD=1 skips this, to show the artifact.
preload_tree() {
    [ "${POWERLOSS_NO_PRELOAD:-0}" = 1 ] || find "$MNT" -xdev >/dev/null 2>&1 || true
}

mount_lossyfs() {
    "$LOSSYFS" "$BACKING" "$MNT" -f 2>>"$LFSLOG" &
    LPID=$!
    wait_for 100 mountpoint -q "$MNT" || { log "lossyfs did not mount"; return 1; }
    preload_tree
}

unmount_lossyfs() {
    if is_mounted; then
        fusermount3 -u "$MNT" 2>/dev/null || { sleep 0.3; fusermount3 -u "$MNT" 2>/dev/null; } || fusermount3 -uz "$MNT"
    fi
    if [ -n "$LPID" ]; then
        wait_for 100 dead "$LPID" || { log "lossyfs $LPID did not exit; killing it"; kill -KILL "$LPID" 2>/dev/null || true; }
        wait "$LPID" 2>/dev/null || true
        LPID=""
    fi
}

start_daemon() {
    echo "=== trial $t: custodyd start ($1) $(date -u +%FT%T.%NZ)" >>"$LOG"
    "$BIN_DIR/custodyd" --config "$CFG" >>"$LOG" 2>&1 &
    DPID=$!
    for _ in $(seq 1 300); do
        ctl status --json >/dev/null 2>&1 && return 0
        if dead "$DPID"; then
            local rc=0; wait "$DPID" 2>/dev/null || rc=$?
            echo "=== custodyd exited with status $rc" >>"$LOG"; DPID=""; return 1
        fi
        sleep 0.1
    done
    return 1
}

stop_daemon() {   # graceful; 1 if it had to be killed
    [ -n "$DPID" ] || return 0
    kill -TERM "$DPID" 2>/dev/null || true
    local ok=0
    wait_for 300 dead "$DPID" && ok=1
    (( ok )) || kill -KILL "$DPID" 2>/dev/null || true
    wait "$DPID" 2>/dev/null || true
    DPID=""
    (( ok ))
}

cleanup() {
    local rc=$?
    if [ -n "$DPID" ]; then kill -KILL "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; fi
    unmount_lossyfs 2>/dev/null || true
    if [ "$KEEP_W" = 1 ] || [ "${POWERLOSS_KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then
        echo "power-loss-trials: work dir kept: $W (BACKING $BACKING, daemon log $LOG)" >&2
    else
        rm -rf "$W"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A fresh camera: DCIM/100MEDIA/<badge>_<device>_<yyyyMMddHHmmss>_<seq>.MP4 of random bytes,
# sizes uniform in 50 KB-3 MB (about 60 MB a camera). Writes the sorted sha256 of its files to $2.
make_camera() {
    local dir=$1/DCIM/100MEDIA i size sec
    mkdir -p "$dir"
    for i in $(seq 1 "$FILES"); do
        size=$(( 50000 + (RANDOM * 32768 + RANDOM) % 2950001 ))
        sec=$(( (t * 100 + i) % 86400 ))
        head -c "$size" /dev/urandom > "$dir/010203_A7K2931_202611$(printf %02d $(( t % 28 + 1 )))$(printf %02d%02d%02d $((sec / 3600)) $((sec / 60 % 60)) $((sec % 60)))_$(printf %04d "$i").MP4"
    done
    (cd "$1" && find . -type f -exec sha256sum {} + | awk '{print $1}' | sort) > "$2"
}

hashes() { jq -r '.[].sha256' "$1" | sort -u; }
# `clips list --json` of the whole catalog fails now and then with "stream ended at an unexpected
# time" once the answer passes ~240 KB (about 280 clips; seen on a plain directory too), so list
# in pages of 200 (the order is ingested_at, sha256: new clips come last), each tried 3 times.
list_clips() {   # list_clips OUT.json (a JSON array); 1 with the error in OUT.json.err
    local off=0 page n try
    : > "$1.pages"
    while :; do
        for try in 1 2 3; do
            ctl clips list --json --limit 200 --offset "$off" > "$1.page" 2>"$1.err" && break
            [ "$try" = 3 ] && return 1
            sleep 0.05
        done
        cat "$1.page" >> "$1.pages"
        n=$(jq length "$1.page")
        (( n < 200 )) && break
        off=$(( off + 200 ))
    done
    jq -s 'add // []' "$1.pages" > "$1"
    rm -f "$1.page" "$1.pages"
}
fsck_ok() {   # fsck_ok OUT.json: 0 when consistent; else prints the reason
    local rc=0
    ctl fsck --json > "$1" 2>"$1.err" || rc=$?
    if [ "$rc" = 0 ] && jq -e '.consistent == true and .auditValid == true and (.missing | length) == 0
            and (.changed | length) == 0 and (.uncataloged | length) == 0 and (.tempFiles | length) == 0' "$1" >/dev/null 2>&1; then
        return 0
    fi
    echo "fsck exit $rc: $(jq -c '{consistent, auditValid, missing: (.missing | length), changed: (.changed | length),
        uncataloged: (.uncataloged | length), tempFiles: (.tempFiles | length)}' "$1" 2>/dev/null || head -c 300 "$1.err")"
    return 1
}
# Wait until the dump is over: ingest.active == 0 and clips.total >= $1 (or every hash of
# $2 cataloged), the daemon alive. 1 on timeout.
wait_dump() {
    local want=$1 expected=$2 s n=0
    for _ in $(seq 1 $(( TIMEOUT * 5 ))); do
        alive "$DPID" || return 1
        if s=$(ctl status --json 2>/dev/null) && jq -e '.ingest.active == 0' <<<"$s" >/dev/null; then
            jq -e --argjson n "$want" '.clips.total >= $n' <<<"$s" >/dev/null && return 0
            if (( ++n % 10 == 0 )) && list_clips "$T/poll.json" 2>/dev/null &&
                [ -z "$(comm -23 "$expected" <(hashes "$T/poll.json"))" ]; then return 0; fi
        fi
        sleep 0.2
    done
    return 1
}

new_backing
START=$(date +%s.%N)
inconsistent=0
ack_total=0
ack_survived=0
ack_adopted_total=0
cuts_mid_ingest=0
kept_backings=0
for t in $(seq 1 "$TRIALS"); do
    T=$W/trial
    rm -rf "$T"; mkdir -p "$T/after-cut"
    cam=cam$t
    problems=()
    mode=-; delay_ms=-; final_ok=0; new_acked=0; old_acked=0; survived_new=0; adopted_ack=0; recovery=-
    touch "$T/ack" "$T/expected" "$T/after"
    [ -d "$BACKING" ] || new_backing
    if (( FRESH_EVERY > 0 && t > 1 && (t - 1) % FRESH_EVERY == 0 )); then new_backing; fi

    # --- 1. mount, start, drop a camera ---
    mount_lossyfs || { echo "power-loss-trials: cannot mount lossyfs" >&2; exit 2; }
    if ! start_daemon "before the cut"; then
        problems+=("daemon did not start on a clean BACKING: $(tail -3 "$LOG" | tr '\n' ' ')")
        unmount_lossyfs
    else
        base=$(ctl status --json | jq '.clips.total')
        make_camera "$W/stage/$cam" "$T/expected"
        mode=crash; (( t % 2 == 0 )) && mode=crash-partial
        delay_ms=$(( 200 + RANDOM % 3801 ))
        mv "$W/stage/$cam" "$W/drop/$cam"
        sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"

        # --- 2. what is acknowledged now must survive; then cut at once ---
        list_clips "$T/ack.json" || problems+=("clips list failed before the cut: $(head -c 300 "$T/ack.json.err")")
        ctl status --json > "$T/status-at-cut.json" 2>/dev/null || true
        kill -STOP "$DPID"
        echo "$mode" > "$CTL"
        kill -KILL "$DPID" 2>/dev/null || true
        wait "$DPID" 2>/dev/null || true
        DPID=""
        echo "=== trial $t: power cut ($mode) ${delay_ms} ms after the drop" >>"$LOG"
        unmount_lossyfs
        [ -s "$T/ack.json" ] && hashes "$T/ack.json" > "$T/ack"
        new_acked=$(comm -12 "$T/ack" "$T/expected" | wc -l)
        old_acked=$(( $(wc -l < "$T/ack") - new_acked ))
        (( new_acked < FILES )) && cuts_mid_ingest=$(( cuts_mid_ingest + 1 ))
        # What the cut left on the disk (cheap): the catalog and a listing of BACKING.
        cp -a "$BACKING/catalog/." "$T/after-cut/" 2>/dev/null || true
        (cd "$BACKING" && find . -printf '%M %10s %p\n' | sort -k3) > "$T/after-cut/backing-listing.txt"

        # --- 3. recovery, with the camera held back so nothing lost can be re-ingested ---
        mv "$W/drop/$cam" "$W/stage/$cam"
        mount_lossyfs || { echo "power-loss-trials: cannot remount lossyfs" >&2; exit 2; }
        if ! start_daemon "after the cut"; then
            problems+=("daemon refused to start after the cut: $(tail -5 "$LOG" | tr '\n' ' ')")
        else
            recovery=$(grep 'startup recovery done' "$LOG" | tail -1 | sed 's/.*recovery done //')
            if list_clips "$T/recovered.json"; then
                hashes "$T/recovered.json" > "$T/recovered"
                lost=$(comm -23 "$T/ack" "$T/recovered")
                [ -z "$lost" ] || problems+=("$(wc -l <<<"$lost") acknowledged clip(s) not cataloged after recovery ($(comm -12 <(echo "$lost") "$T/expected" | wc -l) of this camera): $(head -3 <<<"$lost" | tr '\n' ' ')...")
                survived_new=$(comm -12 <(comm -12 "$T/ack" "$T/expected") "$T/recovered" | wc -l)
                adopted() { jq -r '.[] | select((.flags // []) | index("adopted-from-store")) | .sha256' "$1" | sort -u; }
                # Acknowledged with a full row at the cut, back only as an adopted orphan now.
                comm -23 <(comm -12 "$T/ack" <(adopted "$T/recovered.json")) <(adopted "$T/ack.json") > "$T/adopted"
                adopted_ack=$(wc -l < "$T/adopted")
                (( adopted_ack == 0 )) || problems+=("$adopted_ack acknowledged clip(s) came back only as 'adopted-from-store' orphans (catalog row lost; no provenance until the camera is dumped again)")
            else
                problems+=("clips list failed after recovery: $(head -c 300 "$T/recovered.json.err")")
            fi
            why=$(fsck_ok "$T/fsck-recovered.json") || problems+=("after recovery: $why")

            # --- 4. resume the dump, check it completes with every source file cataloged ---
            mv "$W/stage/$cam" "$W/drop/$cam"
            wait_dump $(( base + FILES )) "$T/expected" || problems+=("dump not complete after ${TIMEOUT}s: $(ctl status --json 2>/dev/null | jq -c '{ingest, clips, alarms}' 2>/dev/null || echo 'daemon not answering')")
            if list_clips "$T/after.json"; then
                hashes "$T/after.json" > "$T/after"
                uncat=$(comm -23 "$T/expected" "$T/after")
                [ -z "$uncat" ] || problems+=("$(wc -l <<<"$uncat") source file(s) of $cam not cataloged after the dump")
                gone=$(comm -23 "$T/ack" "$T/after")
                [ -z "$gone" ] || problems+=("$(wc -l <<<"$gone") acknowledged clip(s) absent at the end")
            else
                problems+=("clips list failed after the dump: $(head -c 300 "$T/after.json.err")")
            fi
            if why=$(fsck_ok "$T/fsck-final.json"); then final_ok=1; else problems+=("after the dump: $why"); fi
            alive "$DPID" || problems+=("the restarted daemon exited on its own: $(tail -3 "$LOG" | tr '\n' ' ')")
            stop_daemon || problems+=("daemon did not stop within 30 s of SIGTERM")
        fi
        echo sync > "$CTL" 2>/dev/null || true
        unmount_lossyfs
    fi
    rm -rf "${W:?}/drop/$cam" "${W:?}/stage/$cam"

    ack_total=$(( ack_total + new_acked ))
    ack_survived=$(( ack_survived + survived_new ))
    ack_adopted_total=$(( ack_adopted_total + adopted_ack ))
    if [ ${#problems[@]} -gt 0 ]; then
        inconsistent=$(( inconsistent + 1 ))
        KEEP_W=1
        F=$W/failures/trial-$t
        mv "$T" "$F"
        cp "$LOG" "$F/custodyd.log"
        # BACKING carries on to the next trial (the resumed dump and the final sync heal a lost
        # clip), unless the trial ended inconsistent (say a row whose file is gone for good):
        # then it is moved here and the next trial starts on a fresh one.
        if [ "$final_ok" != 1 ]; then
            mv "$BACKING" "$F/backing"
        elif (( kept_backings < KEEP_BACKINGS )); then
            cp -a "$BACKING" "$F/backing-at-end"; kept_backings=$(( kept_backings + 1 ))
        fi
        log "trial $t: INCONSISTENT ($mode ${delay_ms} ms after the drop; acknowledged before the cut: $new_acked of this camera + $old_acked earlier; recovery: $recovery)"
        for p in "${problems[@]}"; do log "    - $p"; done
        log "    evidence: $F (after-cut/ = catalog and BACKING listing as the cut left them; backing/ = BACKING now, if kept; custodyd.log)"
    else
        log "trial $t: ok ($mode ${delay_ms} ms after the drop; acknowledged before the cut: $new_acked of this camera + $old_acked earlier, all survived; recovery: $recovery; clips now $(wc -l < "$T/after"))"
    fi
done

END=$(date +%s.%N)
ELAPSED=$(awk -v s="$START" -v e="$END" 'BEGIN {printf "%.0f", e - s}')
PER=$(awk -v s="$START" -v e="$END" -v n="$TRIALS" 'BEGIN {printf "%.1f", (e - s) / n}')
log "cuts during the dump (not every clip of the camera acknowledged yet): $cuts_mid_ingest of $TRIALS; acknowledged clips that came back only by adoption: $ack_adopted_total"
echo "trials, inconsistencies: $TRIALS, $inconsistent; acknowledged-before-cut: $ack_total, survived: $ack_survived; elapsed: ${ELAPSED} s (${PER} s/trial)"
if (( inconsistent > 0 )); then
    echo "power-loss-trials: evidence of the failed trials under $W/failures (daemon log $LOG)" >&2
    exit 1
fi
