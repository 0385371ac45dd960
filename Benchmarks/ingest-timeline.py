#!/usr/bin/env python3
# Benchmarks/ingest-timeline.py: a per-file timeline of one ingest (issue 21, item 0): when each
# temp file's write starts and ends, when its read-back starts, when it is renamed, how long the
# staging thread waited between files, and the syncfs barriers. Reads an strace of the daemon:
#
#   BENCH_ATTACH='strace -f -ttt -o /tmp/s{run}.txt -e trace=openat,close,rename,syncfs,fsync,sync_file_range -p {pid}' \
#       Benchmarks/ingest-vs-cp.sh --tree issue --runs 1 --only ingest
#   Benchmarks/ingest-timeline.py /tmp/s1.txt [FIRST_ROWS]
#
# A file's write starts when its temp file is created and ends when the staging thread closes
# it; the read-back starts at the temp file's second open (read-only).
import re, sys
ev = []
pending = {}
for l in open(sys.argv[1]):
    m = re.match(r'(\d+)\s+([\d.]+)\s+(.*)', l)
    if not m: continue
    pid, t, rest = m.group(1), float(m.group(2)), m.group(3)
    if '<unfinished ...>' in rest:
        pending[pid] = (t, rest); continue
    if 'resumed>' in rest and pid in pending:
        t0, r0 = pending.pop(pid); ev.append((t0, t, pid, r0 + rest)); continue
    ev.append((t, t, pid, rest))
ev.sort()
T0 = ev[0][0]
files = {}; order = []; open_fds = {}
syncfs = []
for t0, t1, pid, rest in ev:
    m = re.search(r'openat\(AT_FDCWD, "[^"]*/(ingest-[^"]*\.part)", (\S+).*= (\d+)', rest)
    if m:
        f = m.group(1)
        if 'O_CREAT' in m.group(2):
            files[f] = {'w0': t0, 'wpid': pid, 'wend': None}; order.append(f)
            open_fds[(pid, m.group(3))] = f
        else:
            files.setdefault(f, {})['r0'] = t0
        continue
    m = re.match(r'close\((\d+)\)', rest)
    if m and (pid, m.group(1)) in open_fds:
        files[open_fds.pop((pid, m.group(1)))]['wend'] = t1
        continue
    m = re.search(r'rename\("[^"]*/(ingest-[^"]*\.part)"', rest)
    if m: files.setdefault(m.group(1), {})['ren'] = t1; continue
    if rest.startswith('syncfs('): syncfs.append((t0, t1, pid))
end = max(v.get('ren', 0) for v in files.values())
print(f"{len(order)} files; first write {files[order[0]]['w0']-T0:.3f} s after attach, last rename {end-T0:.3f}")
print(f"syncfs calls {len(syncfs)}, total {sum(b-a for a,b,_ in syncfs):.3f} s, longest {max(b-a for a,b,_ in syncfs):.3f} s")
idle = 0.0; wsum = 0.0
rows = []
for i, f in enumerate(order):
    d = files[f]; wend = d.get('wend') or d['w0']
    wsum += wend - d['w0']
    if i + 1 < len(order):
        gap = files[order[i + 1]]['w0'] - wend
        if files[order[i+1]].get('wpid') == d.get('wpid'): idle += max(0, gap)
    rows.append((d['w0'] - T0, wend - T0, d.get('r0', 0) - T0, d.get('ren', 0) - T0))
print(f"staging: writes {wsum:.3f} s in all, the staging thread waited {idle:.3f} s between files (single staging thread only)")
print("file   write-start write-end readback-start renamed   write  readback+rename")
sel = list(range(min(len(rows), int(sys.argv[2]) if len(sys.argv) > 2 else 10))) + list(range(max(0, len(rows) - 8), len(rows)))
for i in sorted(set(sel)):
    a, b, c, d = rows[i]
    print(f"{i:4d} {a:10.3f} {b:9.3f} {c:12.3f} {d:9.3f} {b-a:8.3f} {d-c:8.3f}")
