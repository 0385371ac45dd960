#!/usr/bin/env bash
# Benchmarks/disk-overlap.sh: does the store's disk write and read at once faster than one after
# the other? (issue 21, item 0: whether overlapping the read-back of one file with the write of
# the next can beat "write everything, then read it back"). O_DIRECT dd's, 4 MiB blocks.
#
#   Benchmarks/disk-overlap.sh [--mb N] [--runs N] [--workdir DIR]
#
# Prints, per run: write alone, read alone (4 MiB and 512 KiB blocks, the ingest's read-back
# size), and a write of N MB beside a read of N MB (both started together; the time until both
# end, and each one's own time). Needs root only for drop_caches (the reads are O_DIRECT anyway).
set -euo pipefail
export LC_ALL=C
MB=2048; RUNS=3; BASE=/var/tmp
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mb) MB=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --workdir) BASE=$2; shift 2 ;;
        -h|--help) sed -n 2,10p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
WORK=$(mktemp -d "$BASE/custody-overlap.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
now() { printf '%s' "$EPOCHREALTIME"; }
el() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
count=$(( MB / 4 ))
w() { dd if=/dev/zero of="$1" bs=4M count="$count" oflag=direct conv=fsync status=none; }
r() { dd if="$1" of=/dev/null bs="${2:-4M}" iflag=direct status=none; }
echo "disk of $WORK: $(findmnt -n -o SOURCE,FSTYPE -T "$WORK"); $MB MB per transfer; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %8s %8s %10s %9s %9s %9s %12s\n' run write read4M read512K both w-in-both r-in-both sequential
for run in $(seq "$RUNS"); do
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    t0=$(now); w "$WORK/a"; t1=$(now); r "$WORK/a"; t2=$(now); r "$WORK/a" 512K; t3=$(now)
    # both at once: write b while reading a
    tw=$WORK/tw; tr=$WORK/tr
    t4=$(now)
    ( w "$WORK/b"; now > "$tw" ) &
    ( r "$WORK/a"; now > "$tr" ) &
    wait
    t5=$(now)
    printf '%-4s %8s %8s %10s %9s %9s %9s %12s\n' "$run" "$(el "$t0" "$t1")" "$(el "$t1" "$t2")" "$(el "$t2" "$t3")" \
        "$(el "$t4" "$t5")" "$(el "$t4" "$(cat "$tw")")" "$(el "$t4" "$(cat "$tr")")" "$(el "$t0" "$t2")"
    rm -f "$WORK/a" "$WORK/b"; sync
done
echo "sequential = write + read4M of the same bytes (the limit, measure (h)); both = write N MB beside reading N MB"
