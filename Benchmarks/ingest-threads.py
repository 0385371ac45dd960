#!/usr/bin/env python3
# Benchmarks/ingest-threads.py: while an ingest runs, how often does the store disk have nothing
# in flight, and what are the daemon's threads doing then? (issue 21, item 0). For BENCH_ATTACH:
#
#   BENCH_ATTACH='Benchmarks/ingest-threads.py {pid} /tmp/threads{run}.txt vda' \
#       Benchmarks/ingest-vs-cp.sh --tree issue --runs 1 --only ingest
#
# Every ~5 ms: /sys/block/DEV/inflight (reads, writes in flight) and each thread's state, kernel
# wait channel and system call (/proc/PID/task/*/{stat,wchan,syscall}; threads idle in futex,
# poll or epoll are left out). On SIGINT or SIGTERM it writes the distribution of requests in
# flight, the threads' states, and the same states counted only while the disk had nothing in
# flight: threads running then mean the disk waits on the CPU; threads asleep on each other mean
# the pipeline waits on itself.
import collections, os, signal, sys, time

if len(sys.argv) < 3:
    sys.exit("usage: ingest-threads.py PID OUT [DEVICE (default vda)]")
pid, out = sys.argv[1], sys.argv[2]
dev = sys.argv[3] if len(sys.argv) > 3 else "vda"
CALLS = {"0": "read", "1": "write", "3": "close", "17": "pread", "18": "pwrite", "74": "fsync", "75": "fdatasync",
         "82": "rename", "83": "mkdir", "87": "unlink", "202": "futex", "221": "fadvise", "257": "openat",
         "258": "mkdirat", "263": "unlinkat", "264": "renameat", "277": "sync_file_range", "306": "syncfs",
         "316": "renameat2", "running": "-"}
# Threads asleep here wait for requests or timers, not for the pipeline (futex waits are kept:
# the pipeline's semaphores, and idle pool threads, show there).
IDLE = {"do_epoll_wait", "do_sys_poll", "poll_schedule_timeout.constprop.0",
        "hrtimer_nanosleep", "sigsuspend.isra.0", "inotify_read"}
states, when_idle, inflight = collections.Counter(), collections.Counter(), collections.Counter()
samples = idle = 0


def read(path):
    with open(path) as f:
        return f.read()


def finish(*_):
    with open(out, "w") as o:
        o.write(f"{samples} samples; the disk had nothing in flight in {idle / max(samples, 1):.2f} of them\n")
        o.write("requests in flight (reads, writes): share of samples\n")
        for key, n in inflight.most_common(8):
            o.write(f"  {key}: {n / max(samples, 1):.3f}\n")
        o.write("threads (name, state, wait channel, system call): average number in that state\n")
        for key, n in states.most_common(20):
            o.write(f"  {n / max(samples, 1):.3f}  {key}\n")
        o.write("the same, only while the disk had nothing in flight\n")
        for key, n in when_idle.most_common(12):
            o.write(f"  {n / max(idle, 1):.3f}  {key}\n")
    sys.exit(0)


signal.signal(signal.SIGINT, finish)
signal.signal(signal.SIGTERM, finish)
while True:
    time.sleep(0.004)
    try:
        now = tuple(int(x) for x in read(f"/sys/block/{dev}/inflight").split())
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        finish()
    samples += 1
    inflight[now] += 1
    disk_idle = now == (0, 0)
    idle += disk_idle
    for tid in tasks:
        base = f"/proc/{pid}/task/{tid}"
        try:
            stat = read(f"{base}/stat")
            state = stat[stat.rindex(")") + 2]
            wchan = read(f"{base}/wchan") if state in "SD" else ""
            if state == "S" and wchan in IDLE:
                continue
            call = read(f"{base}/syscall").split()[0]
        except (OSError, ValueError, IndexError):
            continue
        key = f"{stat[stat.index('(') + 1:stat.rindex(')')]} {state} {wchan or '-'} {CALLS.get(call, call)}"
        states[key] += 1
        if disk_idle:
            when_idle[key] += 1
