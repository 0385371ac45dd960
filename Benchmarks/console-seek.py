#!/usr/bin/env python3
"""Seeking in a large clip through the web console's player (issue 20: "seeking to 90 % of a
500 MB clip shows the frame in under 2 s on this machine").

A real station (Tests/Console/station.py): custodyd ingests a ~500 MB H.264/AAC MP4 from a drop
folder, cockpit-ws serves the console, Chromium logs in as a viewer and opens the clip. Each
seek sets the <video>'s currentTime and is timed until the seeked frame is presented
(`requestVideoFrameCallback`), with the stored file's pages dropped from the page cache first
(posix_fadvise DONTNEED on that one file), so the bytes come from the disk through the daemon,
the bridge and cockpit-ws. Also timed: opening the clip (index read to first frame).

Usage: Benchmarks/console-seek.py [--bin .build/debug] [--size-mb 500] [--runs 5]
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests/Console"))

from browser import Browser  # noqa: E402
from camera import SHANGHAI  # noqa: E402
from station import REPO, Station, wait_until  # noqa: E402


def make_clip(path, size_mb):
    """~size_mb of 1080p H.264 at 20 Mbit/s (noise keeps the bitrate up), a key frame every 2 s,
    AAC audio, moov at the end: a 20 s piece encoded once, then repeated with -c copy."""
    piece = path.with_suffix(".piece.mp4")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "20",
                    "-vf", "noise=alls=30:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50",
                    "-b:v", "20M", "-maxrate", "20M", "-bufsize", "40M", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "64k", str(piece)], check=True)
    loops = max(1, round(size_mb * 1_000_000 / piece.stat().st_size))
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-stream_loop", str(loops - 1), "-i", str(piece), "-c", "copy", str(path)], check=True)
    piece.unlink()


def drop_cache(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(REPO / ".build/debug"))
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="console-seek-"))
    try:
        at = datetime.datetime.now(SHANGHAI) - datetime.timedelta(hours=2)
        name = f"010203_A7K2931_{at.strftime('%Y%m%d%H%M%S')}_0001.MP4"
        clip = work / name
        started = time.monotonic()
        make_clip(clip, args.size_mb)
        size = clip.stat().st_size
        print(f"clip: {size / 1e6:.0f} MB, made in {time.monotonic() - started:.0f} s")
        with Station(args.bin) as s:
            s.add_user("viewer")
            s.start_daemon()
            camera = s.drop / "cam1/DCIM/100MEDIA"
            camera.mkdir(parents=True)
            shutil.move(str(clip), camera / name)
            clips = wait_until("the clip to be ingested", lambda: [c for c in s.ctl_json("clips", "list") if c["sizeBytes"] == size], timeout=300)
            sha, duration = clips[0]["sha256"], clips[0]["durationSeconds"]
            stored = s.ctl_json("clips", "show", sha)["storePath"]
            s.start_cockpit()
            b = Browser(s.url)
            try:
                b.login(*s.users["viewer"])
                drop_cache(stored)
                opened = time.monotonic()
                b.go("/clip/" + sha, "clip")
                b.wait(lambda d: b.find("#player").get_attribute("data-state") in ("ready", "error"), 60)
                if b.find("#player").get_attribute("data-state") != "ready":
                    raise SystemExit("the player failed: " + b.text("#player-status"))
                b.wait(lambda d: d.execute_script("return document.getElementById('clip-video').readyState") >= 2, 30)
                open_s = time.monotonic() - opened
                targets = [0.9, 0.1, 0.5, 0.95, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4][: max(1, args.runs * 2)]
                results = []
                for share in targets:
                    drop_cache(stored)
                    target = round(share * duration, 2)
                    r = b.seek(target)
                    results.append((share, target, r["ms"] / 1000, r["mediaTime"]))
                    time.sleep(0.5)
            finally:
                b.quit()
        print(f"opening the clip (index, first group of pictures, first frame): {open_s:.2f} s")
        print("seek (share of the clip)   target s   frame shown after   frame at")
        for share, target, seconds, shown in results:
            print(f"  {share:>5.0%}                   {target:>8.1f}   {seconds:>8.2f} s         {shown:>8.2f} s")
        ninety = [s for share, _, s, _ in results if share == 0.9]
        print(json.dumps({"clipBytes": size, "durationSeconds": duration, "openSeconds": round(open_s, 3),
                          "seekTo90PercentSeconds": round(ninety[0], 3),
                          "seekMedianSeconds": round(statistics.median(s for _, _, s, _ in results), 3),
                          "seekMaxSeconds": round(max(s for _, _, s, _ in results), 3)}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
