#!/bin/bash
# lossyfs correctness tests. Usage: ./test.sh [--quick]   (exit 0 = all passed)
# --quick skips the 300 MB test and runs fewer SQLite crash rounds.
set -u
cd "$(dirname "$0")"
HERE=$PWD
make -s lossyfs || { echo "build failed"; exit 1; }
QUICK=0; [ "${1:-}" = --quick ] && QUICK=1
T=$(mktemp -d /tmp/lossyfs-test.XXXXXX)
PASS=0; FAIL=0; PID=""; M=""; B=""
OPS="python3 $HERE/lfs_ops.py"

cleanup() { [ -n "$M" ] && mountpoint -q "$M" && fusermount3 -u "$M" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

ok()   { PASS=$((PASS+1)); echo "  ok   $*"; }
bad()  { FAIL=$((FAIL+1)); echo "  FAIL $*"; }
check(){ local desc=$1; shift; if "$@"; then ok "$desc"; else bad "$desc"; fi; }

# mount NAME [extra lossyfs args]: fresh BACKING=$B, MOUNT=$M
mnt() {
  B=$T/$1/backing; M=$T/$1/mnt; LOG=$T/$1/log; shift
  mkdir -p "$B" "$M"
  if [ -n "${SEED:-}" ]; then cp -a "$SEED"/. "$B"/; fi
  "$HERE/lossyfs" "$B" "$M" -f "$@" 2>"$LOG" & PID=$!
  for _ in $(seq 100); do mountpoint -q "$M" && return 0; sleep 0.05; done
  echo "mount failed"; cat "$LOG"; exit 1
}
remount() {  # mount existing BACKING $B again at $M
  "$HERE/lossyfs" "$B" "$M" -f "$@" 2>>"$LOG" & PID=$!
  for _ in $(seq 100); do mountpoint -q "$M" && return 0; sleep 0.05; done
  echo "remount failed"; exit 1
}
crash() { echo crash > "$M/.lossyfs-ctl"; }
umnt()  { fusermount3 -u "$M" || umount -l "$M"; wait "$PID" 2>/dev/null; PID=""; }
crash_umnt() { crash; umnt; }
content_is() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
absent()     { [ ! -e "$1" ] && [ ! -L "$1" ]; }
no_litter()  { [ -z "$(ls -A "$B" | grep -E '^\.lossyfs')" ]; }

echo "== 1. write, no fsync, crash -> file absent"
mnt t1
$OPS write "$M/a" hello
check "read-your-writes before crash" content_is "$M/a" hello
check "BACKING untouched before sync" absent "$B/a"
crash
check "operations fail with EIO after crash" bash -c "! cat '$M/a' 2>/dev/null && ! ls '$M' 2>/dev/null && ! touch '$M/new' 2>/dev/null"
umnt
check "file absent after crash" absent "$B/a"
check "no staging litter" no_litter

echo "== 1b. write + fsync(file) but no fsync(dir) -> new name absent (strict rule)"
mnt t1b
$OPS write "$M/a" hello -- fsync "$M/a"
crash_umnt
check "fsynced-but-unlinked new file absent" absent "$B/a"

echo "== 1c. create + fsyncdir but no fsync(file) -> name durable, data not"
mnt t1c
$OPS write "$M/a" hello -- fsyncdir "$M"
crash_umnt
check "file present and empty" bash -c "[ -f '$B/a' ] && [ ! -s '$B/a' ]"

echo "== 2. write + fsync(file) + fsync(dir) -> intact"
mnt t2
mkdir "$M/sub"
$OPS write "$M/sub/a" hello -- fsync "$M/sub/a" -- fsyncdir "$M/sub" -- fsyncdir "$M"
$OPS write "$M/b" world -- fdatasync "$M/b" -- fsyncdir "$M"
crash_umnt
check "sub/a intact" content_is "$B/sub/a" hello
check "b intact (fdatasync)" content_is "$B/b" world

echo "== 2b. new subdir: fsync of file+subdir but not parent -> whole subdir absent"
mnt t2b
mkdir "$M/sub"
$OPS write "$M/sub/a" hello -- fsync "$M/sub/a" -- fsyncdir "$M/sub"
crash_umnt
check "sub absent" absent "$B/sub"

echo "== 3. atomic replace: write tmp, fsync, rename over final"
SEEDD=$T/seed3; mkdir -p $SEEDD; echo -n old > $SEEDD/final; SEED=$SEEDD
mnt t3a
$OPS write "$M/tmp" new -- fsync "$M/tmp" -- rename "$M/tmp" "$M/final"
check "mount shows new content" content_is "$M/final" new
crash_umnt
check "no fsyncdir: final keeps OLD content" content_is "$B/final" old
check "no fsyncdir: tmp absent" absent "$B/tmp"
mnt t3b
$OPS write "$M/tmp" new -- fsync "$M/tmp" -- rename "$M/tmp" "$M/final" -- fsyncdir "$M"
crash_umnt
check "with fsyncdir: final has new content" content_is "$B/final" new
check "with fsyncdir: tmp absent" absent "$B/tmp"
SEED=
mnt t3c
$OPS write "$M/tmp" new -- fsync "$M/tmp" -- rename "$M/tmp" "$M/final"
crash_umnt
check "fresh name, no fsyncdir: final absent" absent "$B/final"
mnt t3d
$OPS write "$M/tmp" new -- fsync "$M/tmp" -- rename "$M/tmp" "$M/final" -- fsyncdir "$M"
crash_umnt
check "fresh name, fsyncdir: final present" content_is "$B/final" new
check "no staging litter" no_litter

echo "== 4. overwrite / truncate synced file without fsync -> old content"
SEEDD=$T/seed4; mkdir -p $SEEDD; python3 -c "open('$SEEDD/f','wb').write(bytes(range(256))*64)"; SEED=$SEEDD
sha_old=$(sha256sum < $SEEDD/f)
mnt t4
$OPS pwrite "$M/f" 5000 XXXXXXXXXXXXXXXXXXXX -- append "$M/f" tail
python3 - "$M/f" <<'PY' || bad "read-your-writes pattern"
import sys
p = sys.argv[1]
exp = bytearray(bytes(range(256)) * 64); exp[5000:5020] = b"X" * 20; exp += b"tail"
assert open(p, "rb").read() == exp, "overlay read mismatch"
PY
truncate -s 100 "$M/f"; truncate -s 9000 "$M/f"
check "truncate+extend reads zeros past cut" python3 -c "
d=open('$M/f','rb').read(); import sys
sys.exit(0 if len(d)==9000 and d[:100]==bytes(range(100)) and d[100:]==bytes(8900) else 1)"
crash_umnt
check "old content after crash" bash -c "[ \"\$(sha256sum < '$B/f')\" = '$sha_old' ]"

echo "== 4b. same changes with fsync -> new content durable"
mnt t4b
$OPS pwrite "$M/f" 5000 XXXX -- truncate "$M/f" 6000 -- fsync "$M/f"
crash_umnt
check "size 6000 and overwrite durable" python3 -c "
d=open('$B/f','rb').read(); import sys
e=bytearray((bytes(range(256))*64)[:6000]); e[5000:5004]=b'XXXX'; sys.exit(0 if d==e else 1)"
SEED=

echo "== 7. namespace: unlink/rmdir/rename/link/symlink/chmod need fsyncdir"
SEEDD=$T/seed7; mkdir -p $SEEDD/d1/d2; echo -n one > $SEEDD/one; echo -n two > $SEEDD/d1/two; chmod 644 $SEEDD/one; SEED=$SEEDD
mnt t7a
rm "$M/one"; mv "$M/d1/two" "$M/two"; rmdir "$M/d1/d2"; ln -s one "$M/sl"; mkdir "$M/nd"; chmod 600 "$M/d1"
crash_umnt
check "unsynced unlink undone" content_is "$B/one" one
check "unsynced rename undone" bash -c "[ -f '$B/d1/two' ] && [ ! -e '$B/two' ]"
check "unsynced rmdir undone" test -d "$B/d1/d2"
check "unsynced symlink/mkdir lost" bash -c "[ ! -L '$B/sl' ] && [ ! -e '$B/nd' ]"
check "unsynced chmod lost" bash -c "[ \$(stat -c %a '$B/d1') = 755 ]"
mnt t7b
rm "$M/one"; mv "$M/d1/two" "$M/two"; rmdir "$M/d1/d2"; ln -s two "$M/sl"; mkdir "$M/nd"; ln "$M/two" "$M/hl"
$OPS fsyncdir "$M" -- fsyncdir "$M/d1"
crash_umnt
check "synced unlink" absent "$B/one"
check "synced cross-dir rename" bash -c "[ ! -e '$B/d1/two' ] && [ \"\$(cat '$B/two')\" = two ]"
check "synced rmdir" absent "$B/d1/d2"
check "synced symlink/mkdir/hardlink" bash -c "[ \"\$(readlink '$B/sl')\" = two ] && [ -d '$B/nd' ] && [ '$B/hl' -ef '$B/two' ]"
mnt t7c
mv "$M/d1" "$M/renamed"; $OPS fsyncdir "$M"
mv "$M/renamed" "$M/again"
crash_umnt
check "synced dir rename kept, later one lost" bash -c "[ -f '$B/renamed/two' ] && [ ! -e '$B/d1' ] && [ ! -e '$B/again' ]"
check "no staging litter" no_litter
SEED=

echo "== 8. unlinked-but-open file, sync command, SIGUSR1"
mnt t8
$OPS write "$M/x" data -- fsyncdir "$M"
echo -n abc > "$M/keep"
echo sync > "$M/.lossyfs-ctl"
check "sync command persisted data+names" bash -c "[ \"\$(cat '$B/keep')\" = abc ] && [ \"\$(cat '$B/x')\" = data ]"
echo -n lost > "$M/keep2"
check "unlinked-but-open file stays usable, fsync ok" python3 -c "
import os
fd=os.open('$M/ul', os.O_RDWR|os.O_CREAT, 0o644); os.unlink('$M/ul')
os.pwrite(fd, b'z'*10000, 0); os.fsync(fd)
assert os.pread(fd, 10000, 0) == b'z'*10000 and not os.path.exists('$M/ul'); os.close(fd)"
kill -USR1 $PID
for _ in $(seq 100); do grep -q "POWER CUT" "$LOG" && break; sleep 0.05; done
check "SIGUSR1 crash -> EIO" bash -c "! cat '$M/keep' 2>/dev/null"
umnt
check "post-sync write lost" absent "$B/keep2"

echo "== 8b. unmount without crash discards; -o sync_on_unmount keeps"
mnt t8b
echo -n v > "$M/f"; umnt
check "plain unmount discards unsynced" absent "$B/f"
remount -o sync_on_unmount
echo -n v > "$M/f"; umnt
check "sync_on_unmount keeps" content_is "$B/f" v

echo "== 5. SQLite WAL, synchronous=FULL, crash at random moments (same BACKING, remounted each round)"
ROUNDS=9; [ $QUICK = 1 ] && ROUNDS=3
mnt sq; SQB=$B; CNT=$T/sq/count; : > "$CNT"; umnt
for r in $(seq $ROUNDS); do
  B=$SQB; M=$T/sq/mnt; LOG=$T/sq/log; remount
  # each round reopens the db left by the previous crash (WAL recovery runs on lossyfs)
  before=$(wc -l < "$CNT" 2>/dev/null || echo 0)
  python3 $HERE/sqlite_writer.py "$M/evidence.db" "$CNT" 2>$T/sq/writer.err & W=$!
  for _ in $(seq 200); do [ "$(wc -l < "$CNT" 2>/dev/null || echo 0)" -gt "$before" ] && break; sleep 0.05; done
  sleep 0.$((RANDOM % 10)); sleep $((RANDOM % 2))
  case $((r % 3)) in
    1) how="crash while app running"; crash;;
    2) how="SIGKILL app, then crash"; kill -9 $W; crash;;
    0) kill -9 $W; wait $W 2>/dev/null; echo crash-partial > "$M/.lossyfs-ctl"
       how="SIGKILL app, then crash-partial: $(grep -o 'wrote back.*' "$LOG" | tail -n1)";;
  esac
  wait $W 2>/dev/null
  umnt
  N=$(tail -n1 "$CNT" 2>/dev/null || echo 0); N=${N:-0}
  res=$(sqlite3 "$B/evidence.db" "PRAGMA integrity_check; SELECT count(*), coalesce(max(id),0) FROM t;" 2>&1 | tr '\n' ' ')
  ic=$(echo "$res" | awk '{print $1}'); c=$(echo "$res" | awk '{print $2}' | cut -d'|' -f1); mx=$(echo "$res" | awk '{print $2}' | cut -d'|' -f2)
  if [ "$ic" = ok ] && [ "$c" = "$mx" ] && [ "${c:-0}" -ge "$N" ] && [ "${c:-0}" -le $((N+1)) ]; then
    ok "round $r ($how): last acknowledged commit=$N, rows in BACKING=$c, integrity ok"
  else
    bad "round $r ($how): last acknowledged commit=$N, got: $res; writer: $(tail -c 300 $T/sq/writer.err)"
  fi
  # keep the count file consistent with what survived (an unacknowledged commit may have survived)
  echo "${c:-0}" >> "$CNT"
done

echo "== 5c. SQLite: concurrent writer + reader processes (shared mmap'd -shm), then crash"
mnt sqc; CNT=$T/sqc/count
python3 $HERE/sqlite_writer.py "$M/evidence.db" "$CNT" 2>$T/sqc/writer.err & W=$!
for _ in $(seq 200); do [ -s "$CNT" ] && break; sleep 0.05; done
check "reader process sees growing, consistent db while writer runs" python3 -c "
import sqlite3, time
con = sqlite3.connect('file:$M/evidence.db?mode=ro', uri=True, timeout=10)
last = 0
for _ in range(40):
    c, m = con.execute('SELECT count(*), max(id) FROM t').fetchone()
    assert c == m and c >= last, (c, m, last); last = c; time.sleep(0.02)
assert con.execute('PRAGMA quick_check').fetchone()[0] == 'ok'
assert last > 0"
crash; wait $W 2>/dev/null; umnt
N=$(tail -n1 "$CNT"); c=$(sqlite3 "$B/evidence.db" "PRAGMA integrity_check; SELECT count(*) FROM t" | tr '\n' ' ')
check "after crash: acknowledged=$N, BACKING: $c" bash -c "set -- $c; [ \$1 = ok ] && [ \$2 -ge $N ] && [ \$2 -le $((N+1)) ]"

echo "== 5d. SQLite rollback journal (journal_mode=DELETE): FULL may lose the last commit, EXTRA must not"
# SQLite documents this: in DELETE mode only synchronous=EXTRA fsyncs the directory after
# unlinking the journal, so with FULL a power cut right after COMMIT can roll it back.
for mode in FULL EXTRA; do for r in 1 2; do
  mnt jd$mode$r; CNT=$T/jd$mode$r/count
  python3 $HERE/sqlite_writer.py "$M/e.db" "$CNT" "PRAGMA journal_mode=DELETE" "PRAGMA synchronous=$mode" 2>/dev/null & W=$!
  for _ in $(seq 200); do [ -s "$CNT" ] && break; sleep 0.05; done
  sleep 0.$((RANDOM % 10)); kill -9 $W; wait $W 2>/dev/null; crash; umnt
  N=$(tail -n1 "$CNT"); set -- $(sqlite3 "$B/e.db" "PRAGMA integrity_check; SELECT count(*) FROM t" | tr '\n' ' ')
  lo=$N; [ $mode = FULL ] && lo=$((N-1))
  check "DELETE+$mode: acknowledged=$N, survived=$2 (allowed $lo..$((N+1))), integrity $1" bash -c "[ '$1' = ok ] && [ $2 -ge $lo ] && [ $2 -le $((N+1)) ]"
done; done

echo "== 5e. SQLite WAL + synchronous=NORMAL: consistent, may lose recent commits (documented SQLite behaviour)"
mnt wn; CNT=$T/wn/count
python3 $HERE/sqlite_writer.py "$M/e.db" "$CNT" "PRAGMA synchronous=NORMAL" 2>/dev/null & W=$!
for _ in $(seq 200); do [ -s "$CNT" ] && break; sleep 0.05; done
sleep 0.$((RANDOM % 10)); kill -9 $W; wait $W 2>/dev/null; crash; umnt
N=$(tail -n1 "$CNT"); set -- $(sqlite3 "$B/e.db" "PRAGMA integrity_check; SELECT count(*) FROM t" | tr '\n' ' ')
check "WAL+NORMAL: acknowledged=$N, survived=$2, integrity $1" bash -c "[ '$1' = ok ] && [ $2 -le $((N+1)) ]"

echo "== 5b. negative control: PRAGMA synchronous=OFF must lose acknowledged commits"
mnt sqoff; CNT=$T/sqoff/count
python3 $HERE/sqlite_writer.py "$M/evidence.db" "$CNT" "PRAGMA synchronous=OFF" 2>/dev/null & W=$!
for _ in $(seq 200); do [ -s "$CNT" ] && break; sleep 0.05; done
sleep 0.5; kill -9 $W; wait $W 2>/dev/null; crash; umnt
N=$(tail -n1 "$CNT"); c=$(sqlite3 "$B/evidence.db" "SELECT count(*) FROM t" 2>/dev/null || echo 0)
check "synchronous=OFF: acknowledged=$N, survived=${c:-0} (loss detected)" [ "${c:-0}" -lt "$N" ]

echo "== 9. namespace fuzz: random ops; after each 'sync' BACKING == mount view; then crash + remount"
for seed in 1 2 3; do
  mnt fz$seed
  check "fuzz seed $seed" timeout 300 python3 $HERE/fuzz_ns.py "$M" "$B" $seed 600
  python3 $HERE/lfs_ops.py write "$M/unsynced-tail" x >/dev/null 2>&1
  crash_umnt
  check "fuzz seed $seed: no litter, durable tree remounts and reads" bash -c "
    [ -z \"\$(ls -A '$B' | grep -E '^\\.lossyfs')\" ] && [ ! -e '$B/unsynced-tail' ]"
  remount
  check "fuzz seed $seed: remounted view == BACKING" python3 -c "
import sys; sys.argv=['x','$M','$B','0','0']
exec(open('$HERE/fuzz_ns.py').read().split('names = ')[0])
sys.exit(0 if snapshot('$M') == snapshot('$B') else 1)"
  umnt
done

if [ $QUICK = 0 ]; then
echo "== 6. 300 MB file written + fsynced reads back identical"
mnt big
dd if=/dev/urandom of=$T/big.src bs=1M count=300 status=none
want=$(sha256sum < $T/big.src)
s=$(date +%s.%N)
dd if=$T/big.src of="$M/big" bs=1M conv=fsync status=none && $OPS fsyncdir "$M"
e=$(date +%s.%N)
echo "  (300 MB write+fsync through lossyfs: $(python3 -c "print('%.2f s, %.0f MB/s' % ($e-$s, 300/($e-$s)))"))"
check "sha256 through mount" bash -c "[ \"\$(sha256sum < '$M/big')\" = '$want' ]"
crash_umnt
check "sha256 in BACKING after crash" bash -c "[ \"\$(sha256sum < '$B/big')\" = '$want' ]"
rm -f $T/big.src
fi

echo
echo "$PASS passed, $FAIL failed"
[ $FAIL = 0 ]
