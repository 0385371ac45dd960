#!/usr/bin/env python3
"""Random namespace/data ops on MOUNT; every K ops issue 'sync' through the ctl
file and check that BACKING equals the mounted view exactly (names, types,
file contents, symlink targets, hard-link groups).
usage: fuzz_ns.py MOUNT BACKING SEED NOPS"""
import os, random, sys

mnt, back, seed, nops = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)

def snapshot(root):
    out, inos = {}, {}
    for dp, dns, fns in os.walk(root):
        rel = os.path.relpath(dp, root)
        for n in dns + fns:
            if rel == "." and n.startswith(".lossyfs"):
                continue
            p = os.path.join(dp, n); r = os.path.normpath(os.path.join(rel, n))
            st = os.lstat(p)
            if os.path.islink(p): out[r] = ("L", os.readlink(p))
            elif os.path.isdir(p): out[r] = ("D",)
            else:
                out[r] = ("F", open(p, "rb").read())
                inos.setdefault(st.st_ino, []).append(r)
        dns[:] = [d for d in dns if not (rel == "." and d.startswith(".lossyfs"))]
    groups = sorted(sorted(v) for v in inos.values() if len(v) > 1)
    return out, groups

def alldirs():
    ds = ["."]
    for dp, dns, _ in os.walk(mnt):
        for d in dns:
            ds.append(os.path.relpath(os.path.join(dp, d), mnt))
    return ds

def allfiles():
    fs = []
    for dp, _, fns in os.walk(mnt):
        for f in fns:
            if f != ".lossyfs-ctl":
                fs.append(os.path.relpath(os.path.join(dp, f), mnt))
    return fs

def P(r): return os.path.join(mnt, r)
names = ["a", "b", "c", "d", "e"]
fails = 0
for i in range(nops):
    op = rng.choice(["write", "write", "pwrite", "trunc", "mkdir", "rename", "rename", "unlink",
                     "rmdir", "link", "symlink", "fsync", "fsyncdir", "fsyncdir"])
    d = rng.choice(alldirs()); fs = allfiles()
    tgt = os.path.normpath(os.path.join(d, rng.choice(names)))
    try:
        if op == "write":
            with open(P(tgt), "wb") as f: f.write(os.urandom(rng.choice([0, 10, 5000, 70000])))
        elif op == "pwrite" and fs:
            fd = os.open(P(rng.choice(fs)), os.O_WRONLY); os.pwrite(fd, os.urandom(rng.randint(1, 9000)), rng.randint(0, 20000)); os.close(fd)
        elif op == "trunc" and fs:
            os.truncate(P(rng.choice(fs)), rng.randint(0, 30000))
        elif op == "mkdir": os.mkdir(P(tgt))
        elif op == "rename":
            src = rng.choice(fs + alldirs()[1:]) if fs else None
            if src: os.rename(P(src), P(tgt))
        elif op == "unlink" and fs: os.unlink(P(rng.choice(fs)))
        elif op == "rmdir": os.rmdir(P(rng.choice(alldirs()[1:] or ["nonexistent"])))
        elif op == "link" and fs: os.link(P(rng.choice(fs)), P(tgt))
        elif op == "symlink": os.symlink(rng.choice(names), P(tgt))
        elif op == "fsync" and fs:
            fd = os.open(P(rng.choice(fs)), os.O_RDONLY); os.fsync(fd); os.close(fd)
        elif op == "fsyncdir":
            fd = os.open(P(d), os.O_RDONLY | os.O_DIRECTORY); os.fsync(fd); os.close(fd)
    except OSError as e:
        import errno as E
        if e.errno == E.EIO or (op in ("fsync", "fsyncdir") and e.errno not in (E.ENOENT, E.ELOOP, E.ENOTDIR)):
            print("op %d %s failed: %s" % (i, op, e)); fails += 1; break
    if i % 50 == 49 or i == nops - 1:
        try:
            with open(P(".lossyfs-ctl"), "w") as f: f.write("sync\n")
        except OSError as e:
            print("sync failed after op", i, e); fails += 1; break
        a, b = snapshot(mnt), snapshot(back)
        if a != b:
            fails += 1
            ka, kb = set(a[0]), set(b[0])
            print("MISMATCH after op", i, "only-mount:", sorted(ka - kb)[:5], "only-backing:", sorted(kb - ka)[:5],
                  "differ:", [(k, len(a[0][k][1]), len(b[0][k][1])) for k in ka & kb if a[0][k] != b[0][k]][:5], "links:", a[1], b[1])
            break
print("fuzz seed %d: %d ops, %s" % (seed, nops, "FAILED" if fails else "backing == mount after every sync"))
sys.exit(1 if fails else 0)
