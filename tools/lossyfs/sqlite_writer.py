#!/usr/bin/env python3
"""Commit transactions into DB (WAL, synchronous=FULL) forever; after each
COMMIT returns, append the committed id to COUNTFILE (outside the mount).
usage: sqlite_writer.py DB COUNTFILE [extra PRAGMA statements...]"""
import os, sqlite3, sys
db, countfile = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db, isolation_level=None, timeout=10)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=FULL")
for p in sys.argv[3:]:
    con.execute(p)
con.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, payload BLOB)")
n = con.execute("SELECT coalesce(max(id),0) FROM t").fetchone()[0]
cf = os.open(countfile, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
while True:
    n += 1
    con.execute("BEGIN")
    con.execute("INSERT INTO t VALUES(?, randomblob(?))", (n, 100 + (n * 7919) % 6000))
    if n % 5 == 0:
        con.execute("UPDATE t SET payload=randomblob(300) WHERE id=?", (n // 2,))
    con.execute("COMMIT")
    os.write(cf, b"%d\n" % n)
