#!/usr/bin/env bash
# Benchmarks/run-all.sh: what `make bench` runs. Every measure of the performance issue, each
# side by side with the plain tools in the same run, then one table of results against targets.
#
#   Benchmarks/run-all.sh [--runs N] [--skip-catalog] [--skip-cold] [--skip-usb]
#
# Needs root (bind mounts, drop_caches) and release binaries in $CUSTODY_BIN (default
# .build/release). Writes each part's full output to $BENCH_LOGS (default a temp folder) and
# prints where. See Benchmarks/README.md.
set -euo pipefail
export LC_ALL=C

RUNS=3
SKIP_CATALOG=0
SKIP_COLD=0
SKIP_USB=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --skip-catalog) SKIP_CATALOG=1; shift ;;
        --skip-cold) SKIP_COLD=1; shift ;;
        --skip-usb) SKIP_USB=1; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CUSTODY_BIN=${CUSTODY_BIN:-$REPO/.build/release}
LOGS=${BENCH_LOGS:-$(mktemp -d /var/tmp/custody-bench-logs.XXXXXX)}
mkdir -p "$LOGS"
for b in custodyd custodyctl HashBench DiscPlanBench; do
    [[ -x "$CUSTODY_BIN/$b" ]] || { echo "run-all: $CUSTODY_BIN/$b missing; run swift build -c release" >&2; exit 1; }
done

field() { # file key: value of "key=value" from the last line that has it
    grep -o "$2=[^ ]*" "$1" | tail -n 1 | cut -d= -f2
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "met" : "MISSED" }'; }

# The issue measured with the page cache warm: the source is read into it before every measure
# (as a camera on its own USB port, whose reads do not compete with the store disk's).
echo "== 1/6 verified ingest of the issue tree (200 x 10 MB + 4 x 500 MB), source warm, $RUNS runs"
"$REPO/Benchmarks/ingest-vs-cp.sh" --tree issue --source warm --runs "$RUNS" | tee "$LOGS/ingest-issue.txt"
echo
echo "== 2/6 verified ingest of 10,000 photos x 200 KB, source warm, $RUNS runs"
"$REPO/Benchmarks/ingest-vs-cp.sh" --tree photos --source warm --runs "$RUNS" | tee "$LOGS/ingest-photos.txt"
if [[ $SKIP_COLD -eq 0 ]]; then
    # No target: the source read cold from the disk the store writes to, so the ingest's read-back
    # competes with it (cp reads 1x and writes 1x; the ingest reads 2x and writes 1x).
    echo
    echo "== 1b, 2b the same trees with the source cold on the store's own disk, 1 run each"
    "$REPO/Benchmarks/ingest-vs-cp.sh" --tree issue --source cold --runs 1 | tee "$LOGS/ingest-issue-cold.txt"
    "$REPO/Benchmarks/ingest-vs-cp.sh" --tree photos --source cold --runs 1 | tee "$LOGS/ingest-photos-cold.txt"
fi

echo
echo "== 3/6 SHA-256 throughput: the copier's hashing ring vs openssl dgst -sha256 vs sha256sum (2 GiB, page cache warm)"
HASHDIR=$(mktemp -d /var/tmp/custody-hash.XXXXXX)
trap 'rm -rf "$HASHDIR"' EXIT
KEY=$(printf 'custody-bench hash' | sha256sum | cut -c1-32)
head -c $((2 << 30)) /dev/zero | openssl enc -aes-128-ctr -nosalt -K "$KEY" -iv "$KEY" -out "$HASHDIR/blob"
cat "$HASHDIR/blob" > /dev/null
BYTES=$(stat -c %s "$HASHDIR/blob")
rate() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.0f", b / 1048576 / s }'; }
timed() { local t0 t1; t0=$EPOCHREALTIME; "$@" > /dev/null; t1=$EPOCHREALTIME; awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }
OURS=(); OPENSSL=(); COREUTILS=(); XXH=()
for _ in $(seq "$RUNS"); do
    OURS+=("$("$CUSTODY_BIN/HashBench" "$HASHDIR/blob" 1 | awk '{ print $6 }')")
    OPENSSL+=("$(timed openssl dgst -sha256 "$HASHDIR/blob")")
    XXH+=("$("$CUSTODY_BIN/HashBench" "$HASHDIR/blob" 1 xxh3-128 | awk '{ print $6 }')")
done
COREUTILS+=("$(timed sha256sum "$HASHDIR/blob")")
SHA_OURS=$(rate "$(median "${OURS[@]}")"); SHA_OPENSSL=$(rate "$(median "${OPENSSL[@]}")"); SHA_CORE=$(rate "${COREUTILS[0]}")
XXH_OURS=$(rate "$(median "${XXH[@]}")")
printf '%-44s %8s MiB/s   runs (s): %s\n' "custody (swift-crypto, hashing ring)" "$SHA_OURS" "${OURS[*]}" \
    "openssl dgst -sha256" "$SHA_OPENSSL" "${OPENSSL[*]}" "sha256sum (coreutils)" "$SHA_CORE" "${COREUTILS[*]}" \
    "custody XXH3-128 (the read-back check's ring)" "$XXH_OURS" "${XXH[*]}" | tee "$LOGS/sha256.txt"
rm -rf "$HASHDIR"

echo
echo "== 4/6 disc planning of 100,000 queued clips (16.9 TiB)"
"$CUSTODY_BIN/DiscPlanBench" | tee "$LOGS/discplan.txt"

CATALOG_DONE=0
if [[ $SKIP_CATALOG -eq 0 && -x "$REPO/Benchmarks/catalog-bench.sh" ]]; then
    echo
    echo "== 5/6 catalog at 1,000,000 clips through the real daemon and socket"
    "$REPO/Benchmarks/catalog-bench.sh" | tee "$LOGS/catalog.txt"
    CATALOG_DONE=1
fi

USB_DONE=0
if [[ $SKIP_USB -eq 0 ]]; then
    echo
    echo "== 6/6 twelve cameras docked at once at USB 2.0/3.0 speed, then unthrottled against 12 x cp -a"
    # The camera images in memory when there is room, so the cameras do not share the store's
    # disk (real cameras are on their own USB ports); else on the disk.
    "$REPO/Benchmarks/usb-cameras.sh" --images-tmpfs=if-room | tee "$LOGS/usb-cameras.txt"
    USB_DONE=1
fi

# ---------------------------------------------------------------------------------------------
ISSUE_RATIO=$(field "$LOGS/ingest-issue.txt" ratio_ingest_vs_cp)
ISSUE_RSS=$(awk -v k="$(field "$LOGS/ingest-issue.txt" peak_rss_kib)" 'BEGIN { printf "%.1f", k / 1024 }')
PHOTO_RATIO=$(field "$LOGS/ingest-photos.txt" ratio_ingest_vs_cp)
PHOTO_THROUGHPUT=$(awk -v r="$PHOTO_RATIO" 'BEGIN { printf "%.2f", 1 / r }')
SHA_RATIO=$(awk -v a="$SHA_OURS" -v b="$SHA_OPENSSL" 'BEGIN { printf "%.2f", a / b }')
DVD=$(grep '^dvd requireFull=false' "$LOGS/discplan.txt")
DVD_MS=$(awk '{ print $4 }' <<<"$DVD")
DVD_MIN=$(grep -o 'min fill (all but last) [0-9.]*' <<<"$DVD" | awk '{ print $NF * 100 }')
echo
echo "== summary ($(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); logs in $LOGS)"
printf '%-58s %14s %12s %s\n' "measure" "result" "target" ""
printf '%-58s %13s× %11s× %s\n' "verified ingest / (cp -a && sync), 200 x 10 MB + 4 x 500 MB" "$ISSUE_RATIO" "<= 1.3" "$(verdict "$ISSUE_RATIO" "<=" 1.3)"
ISSUE_LIMIT=$(field "$LOGS/ingest-issue.txt" ratio_ingest_vs_limit)
printf '%-58s %13s× %11s× %s\n' "verified ingest / disk limit (dd O_DIRECT write + read back)" "$ISSUE_LIMIT" "<= 1.05" "$(verdict "$ISSUE_LIMIT" "<=" 1.05)"
printf '%-58s %13s× %11s× %s\n' "10,000 photos: ingest throughput / cp -a && sync" "$PHOTO_THROUGHPUT" ">= 1.0" "$(verdict "$PHOTO_THROUGHPUT" ">=" 1.0)"
if [[ $SKIP_COLD -eq 0 ]]; then
    printf '%-58s %13s× %12s %s\n' "  issue tree / cp, source cold on the store's disk, 1 run" "$(field "$LOGS/ingest-issue-cold.txt" ratio_ingest_vs_cp)" "-" "no target"
    printf '%-58s %13s× %12s %s\n' "  photos throughput / cp, source cold on the store's disk" \
        "$(awk -v r="$(field "$LOGS/ingest-photos-cold.txt" ratio_ingest_vs_cp)" 'BEGIN { printf "%.2f", 1 / r }')" "-" "no target"
fi
printf '%-58s %13s× %11s× %s\n' "SHA-256: custody / openssl dgst -sha256" "$SHA_RATIO" ">= 0.9" "$(verdict "$SHA_RATIO" ">=" 0.9)"
printf '%-58s %10s MiB %8s MiB %s\n' "custodyd peak RSS during the 4 x 500 MB ingest" "$ISSUE_RSS" "< 64" "$(verdict "$ISSUE_RSS" "<=" 64)"
printf '%-58s %11s ms %9s ms %s\n' "disc planning, 100,000 clips on DVD" "$DVD_MS" "< 1000" "$(verdict "$DVD_MS" "<=" 1000)"
printf '%-58s %12s %% %10s %% %s\n' "disc fill, every DVD set but the last" "$DVD_MIN" ">= 98" "$(verdict "$DVD_MIN" ">=" 98)"
if [[ $CATALOG_DONE -eq 1 ]]; then
    # Rows of CatalogBench's table that carry a target: | name | n | p50 | p99 | max | answer | target | verdict |
    grep '| p99 < ' "$LOGS/catalog.txt" | while IFS='|' read -r _ name _ _ p99 _ _ target verdict _; do
        name=$(xargs <<<"$name"); target=$(xargs <<<"$target"); verdict=$(xargs <<<"$verdict")
        printf '%-58s %11s ms %12s %s\n' "1 M clips: $name, p99" "$(xargs <<<"$p99")" "${target#p99 }" \
            "$([[ $verdict == pass ]] && echo met || echo "MISSED ($verdict)")"
    done
fi
if [[ $USB_DONE -eq 1 ]]; then
    U=$LOGS/usb-cameras.txt
    printf '%-58s %13s× %11s× %s\n' "12 USB cameras at once: wall time / slowest camera's own" "$(field "$U" ratio_wall_vs_slowest)" "<= 1.1" "$(verdict "$(field "$U" ratio_wall_vs_slowest)" "<=" 1.1)"
    printf '%-58s %11s ms %9s ms %s\n' "12 USB cameras at once: API p99 (status, clip page)" "$(field "$U" api_p99_ms)" "< 50" "$(verdict "$(field "$U" api_p99_ms)" "<=" 50)"
    printf '%-58s %13s× %11s× %s\n' "12 cameras unthrottled: (12 x cp -a && sync) / ingest" "$(field "$U" ratio_cp_vs_ingest)" ">= 0.9" "$(verdict "$(field "$U" ratio_cp_vs_ingest)" ">=" 0.9)"
    printf '%-58s %13s× %12s %s\n' "  12 cameras unthrottled: ingest / disk limit (write + read)" "$(field "$U" ratio_ingest_vs_limit)" "-" \
        "no target; camera images on $(field "$U" images_on)"
fi
