#!/usr/bin/env python3
# Benchmarks/ingest-load.py: is an ingest bound by the disk, the CPU, or neither? (issue 21, item 0)
# Every 0.1 s: the store disk's MB/s read and written and its busy fraction (/sys/block/DEV/stat,
# io_ticks), and the daemon's CPU in cores; on SIGINT or SIGTERM, the averages. For BENCH_ATTACH:
#
#   BENCH_ATTACH='Benchmarks/ingest-load.py {pid} /tmp/load{run}.txt vda' \
#       Benchmarks/ingest-vs-cp.sh --tree issue --runs 1 --only ingest
#
# A disk busy well below 1.0 while the daemon uses well under its cores (2 here) means the
# pipeline waits on itself: neither the disk nor the CPU is the bound.
import os, signal, sys, time

if len(sys.argv) < 3:
    sys.exit("usage: ingest-load.py PID OUT [DEVICE (default vda)]")
pid, out = sys.argv[1], sys.argv[2]
dev = sys.argv[3] if len(sys.argv) > 3 else "vda"
hz = os.sysconf("SC_CLK_TCK")


def sample():
    disk = open(f"/sys/block/{dev}/stat").read().split()
    proc = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return time.time(), int(disk[2]), int(disk[6]), int(disk[9]), (int(proc[11]) + int(proc[12])) / hz


rows = []
o = open(out, "w")
first = last = sample()


def finish(*_):
    now = sample()
    span = now[0] - first[0]
    if span > 0:
        o.write(f"average over {span:.1f} s: read {(now[1] - first[1]) * 512 / span / 1e6:.0f} MB/s, "
                f"written {(now[2] - first[2]) * 512 / span / 1e6:.0f} MB/s, disk busy {(now[3] - first[3]) / 1000 / span:.2f}, "
                f"daemon CPU {(now[4] - first[4]) / span:.2f} cores\n")
    o.close()
    sys.exit(0)


signal.signal(signal.SIGINT, finish)
signal.signal(signal.SIGTERM, finish)
while True:
    time.sleep(0.1)
    s = sample()
    dt = s[0] - last[0]
    o.write(f"{s[0] - first[0]:6.2f} s  read {(s[1] - last[1]) * 512 / dt / 1e6:5.0f} MB/s  written {(s[2] - last[2]) * 512 / dt / 1e6:5.0f} MB/s"
            f"  busy {(s[3] - last[3]) / 1000 / dt:4.2f}  cpu {(s[4] - last[4]) / dt:4.2f}\n")
    last = s
