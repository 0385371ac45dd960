"""A body camera's FAT32 storage with real, playable footage (ffmpeg: H.264 + AAC in MP4, moov
at the end as cameras write it), named by the `{badge}_{serial}_{yyyyMMddHHmmss}_{seq}` grammar,
packed with mkfs.vfat + mcopy without mounting (the kernel here has no vfat driver)."""

import datetime
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def record(path, seconds, pattern="testsrc2", size="640x360", gop=25, bitrate=None, audio=True):
    """A real recording: H.264 (a key frame every `gop` frames at 25 fps) and AAC audio."""
    command = ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"{pattern}=size={size}:rate=25"]
    if audio:
        command += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
    command += ["-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-g", str(gop), "-pix_fmt", "yuv420p"]
    if bitrate:
        command += ["-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate]
    if audio:
        command += ["-c:a", "aac", "-b:a", "64k"]
    subprocess.run(command + [str(path)], check=True)


def photo(path):
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x480", "-frames:v", "1", str(path)], check=True)


def camera_tree(root, badge, serial, start, clips):
    """Writes sn.txt and `clips` ([(seconds, kind)]; kind "important" is a video the officer
    marked, IMP in its name) under DCIM/100MEDIA; returns the paths."""
    media = Path(root) / "DCIM/100MEDIA"
    media.mkdir(parents=True)
    (Path(root) / "sn.txt").write_bytes(f"{badge}\r\n{serial}\r\n".encode())
    at = start.astimezone(SHANGHAI)
    written = []
    patterns = ["testsrc2", "smptebars", "rgbtestsrc", "testsrc"]
    for seq, (seconds, kind) in enumerate(clips, start=1):
        stamp = at.strftime("%Y%m%d%H%M%S")
        if kind == "photo":
            path = media / f"{badge}_{serial}_{stamp}_{seq:04d}.JPG"
            photo(path)
        else:
            path = media / f"{badge}_{serial}_{stamp}_{seq:04d}{'IMP' if kind == 'important' else ''}.MP4"
            record(path, seconds, pattern=patterns[seq % len(patterns)])
        written.append(path)
        at += datetime.timedelta(seconds=seconds + 60)
    return written


def fat32_image(tree, image, size_mb=64):
    """Packs `tree` into a fresh FAT32 image without mounting it."""
    subprocess.run(["truncate", "-s", f"{size_mb}M", str(image)], check=True)
    subprocess.run(["mkfs.vfat", "-F", "32", "-n", "CAMERA", str(image)], check=True, capture_output=True)
    entries = [str(p) for p in sorted(Path(tree).iterdir())]
    subprocess.run(["mcopy", "-s", "-m", "-Q", "-i", str(image), *entries, "::/"], check=True,
                   env={"MTOOLS_SKIP_CHECK": "1", "TZ": "Asia/Shanghai", "PATH": "/usr/bin:/bin"})
