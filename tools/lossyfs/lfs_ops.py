#!/usr/bin/env python3
"""Tiny op runner for lossyfs tests.
usage: lfs_ops.py OP ARGS... [-- OP ARGS...]...
ops: write PATH TEXT | pwrite PATH OFF TEXT | append PATH TEXT | fsync PATH |
     fdatasync PATH | fsyncdir DIR | rename A B | truncate PATH N | unlink P |
     mkdir D | rmdir D | link A B | symlink TARGET P | chmod P OCTAL | cat P
Each op opens/closes the file itself (close = flush + release, never persists).
"""
import os, sys

def run(op, a):
    if op == "write":
        fd = os.open(a[0], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644); os.write(fd, a[1].encode()); os.close(fd)
    elif op == "pwrite":
        fd = os.open(a[0], os.O_WRONLY | os.O_CREAT, 0o644); os.pwrite(fd, a[2].encode(), int(a[1])); os.close(fd)
    elif op == "append":
        fd = os.open(a[0], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644); os.write(fd, a[1].encode()); os.close(fd)
    elif op in ("fsync", "fdatasync"):
        fd = os.open(a[0], os.O_RDONLY); (os.fsync if op == "fsync" else os.fdatasync)(fd); os.close(fd)
    elif op == "fsyncdir":
        fd = os.open(a[0], os.O_RDONLY | os.O_DIRECTORY); os.fsync(fd); os.close(fd)
    elif op == "rename": os.rename(a[0], a[1])
    elif op == "truncate": os.truncate(a[0], int(a[1]))
    elif op == "unlink": os.unlink(a[0])
    elif op == "mkdir": os.mkdir(a[0])
    elif op == "rmdir": os.rmdir(a[0])
    elif op == "link": os.link(a[0], a[1])
    elif op == "symlink": os.symlink(a[0], a[1])
    elif op == "chmod": os.chmod(a[0], int(a[1], 8))
    elif op == "cat": sys.stdout.write(open(a[0]).read())
    else: sys.exit("unknown op " + op)

args = sys.argv[1:]
while args:
    try: i = args.index("--")
    except ValueError: i = len(args)
    run(args[0], args[1:i]); args = args[i + 1:]
