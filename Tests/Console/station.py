"""A real evidence-room station for the web console's browser tests and the seek benchmark.

Everything is real and everything is undone: Unix users with real passwords and login shells
(unique names, removed with `userdel -r`), a custodyd process on its own catalog, store and socket
(mode 0660, group of the test users), a FAT32 camera image mounted with fusefat, cockpit-ws on a
free loopback port with the console installed per user, and Chromium driven by selenium through
Debian's chromedriver (nothing downloaded). Cockpit's logins leave a dbus-daemon and an ssh-agent
behind without logind; `close()` ends every process of the test users, by pid.
"""

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COCKPIT_WS = "/usr/lib/cockpit/cockpit-ws"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, check, timeout=30.0, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


class Station:
    """Users, daemon, cockpit-ws; `with Station(bin_dir) as s:` cleans up whatever happens."""

    def __init__(self, bin_dir, extra_config=""):
        self.bin_dir = Path(bin_dir).resolve()
        self.suffix = secrets.token_hex(3)
        self.dir = Path(tempfile.mkdtemp(prefix="custody-console-"))
        os.chmod(self.dir, 0o711)  # the users reach the socket inside; nothing else is readable
        self.group = f"cconsole{self.suffix}"
        self.users = {}
        self.processes = []
        self.mounts = []
        self.extra_config = extra_config
        self.socket = str(self.dir / "custodyd.sock")
        self.media = self.dir / "media"
        self.drop = self.dir / "drop"
        self.url = None

    # --- users -------------------------------------------------------------------------------
    def add_user(self, role):
        """A Unix user with a real password and a login shell (Cockpit's PAM login needs both)."""
        name = f"c{role[:5]}{self.suffix}"
        password = "Pw-" + secrets.token_urlsafe(12)
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--groups", self.group, name], check=True)
        subprocess.run(["chpasswd"], input=f"{name}:{password}", text=True, check=True)
        self.users[role] = (name, password)
        self.install_console(name)
        return name, password

    def install_console(self, name):
        """The console package in the user's ~/.local/share/cockpit, pointed at this daemon's
        socket by ~/.config/cockpit/custody.override.json (what /etc/cockpit holds in production)."""
        entry = pwd.getpwnam(name)
        home = Path(entry.pw_dir)
        target = home / ".local/share/cockpit/custody"
        shutil.copytree(REPO / "cockpit/custody", target)
        config = home / ".config/cockpit"
        config.mkdir(parents=True)
        (config / "custody.override.json").write_text(json.dumps({"config": {"socket": self.socket}}))
        subprocess.run(["chown", "-R", f"{name}:", str(home / ".local"), str(home / ".config")], check=True)

    # --- daemon ------------------------------------------------------------------------------
    def start_daemon(self, clerks=(), approvers=(), admins=()):
        self.media.mkdir()
        self.drop.mkdir()
        names = lambda roles: json.dumps([self.users[r][0] for r in roles if r in self.users])
        config = f"""
[paths]
store = "store"
catalog = "catalog.sqlite"
socket = "custodyd.sock"
spool = "spool"
[watch]
mount_roots = ["{self.media}"]
drop_dirs = ["{self.drop}"]
filesystem_types = ["fuse.fusefat", "fuse.vfat", "ext4", "tmpfs", "overlay"]
settle_seconds = 1
[policy]
upload_deadline_hours = 24
retention_months = 12
[station]
unit = "测试市公安局测试分局"
time_zone = "Asia/Shanghai"
[ingest]
reserve_mb = 1
[capacity]
# The store is a temp folder on the host's disk, which may be nearly full: no storage alert.
warning_free_percent = 0
critical_free_percent = 0
warning_days = 0
critical_days = 0
[limits]
# Two rows a page: every list the console shows (officers, devices, requests, discs…) spans
# pages, so a page that forgets to follow the daemon's Link header shows rows missing.
page_default = 2
[api]
socket_group = "{self.group}"
clerk_users = {names(clerks)}
approver_users = {names(approvers)}
admin_users = {names(admins)}
{self.extra_config}
"""
        (self.dir / "custodyd.toml").write_text(config)
        shutil.copy(REPO / "etc/custody/calendar.txt", self.dir / "calendar.txt")  # working days, as installed
        log = open(self.dir / "custodyd.log", "ab")
        daemon = subprocess.Popen([str(self.bin_dir / "custodyd"), "--config", str(self.dir / "custodyd.toml")],
                                  stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        self.processes.append(daemon)
        wait_until("custodyd's socket", lambda: self.ctl("status", check=False).returncode == 0)

    def ctl(self, *args, check=True, user=None):
        """custodyctl as root (or as `user` through setpriv with the user's groups)."""
        command = [str(self.bin_dir / "custodyctl"), "--socket", self.socket, *args]
        if user:
            entry = pwd.getpwnam(user)
            command = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups", *command]
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8"})
        if check and result.returncode != 0:
            raise RuntimeError(f"custodyctl {' '.join(args)} failed: {result.stderr}")
        return result

    def ctl_json(self, *args):
        return json.loads(self.ctl(*args, "--json").stdout)

    def api_json(self, path):
        """A GET route of the daemon as root, through its socket (curl), parsed."""
        result = subprocess.run(["curl", "-sSf", "--unix-socket", self.socket, "http://custody" + path],
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout)

    # --- camera ------------------------------------------------------------------------------
    def dock(self, image, name="cam1"):
        """Mounts a FAT32 image read-only under the watched root, as a docked camera."""
        point = self.media / name
        point.mkdir()
        subprocess.run(["fusefat", "-o", "ro", str(image), str(point)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.mounts.append(point)
        return point

    # --- cockpit -----------------------------------------------------------------------------
    def start_cockpit(self):
        """cockpit-ws without TLS on a free loopback port; kiosk mode shows the console alone."""
        config = self.dir / "cockpit-config/cockpit"
        config.mkdir(parents=True)
        (config / "cockpit.conf").write_text("[WebService]\nShell = /custody/index.html\nLoginTitle = 证据室\n")
        port = free_port()
        log = open(self.dir / "cockpit-ws.log", "ab")
        ws = subprocess.Popen([COCKPIT_WS, "--no-tls", "--port", str(port), "--address", "127.0.0.1"],
                              env={**os.environ, "XDG_CONFIG_DIRS": str(self.dir / "cockpit-config")},
                              stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        self.processes.append(ws)
        self.url = f"http://127.0.0.1:{port}/"

        def answers():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                return False
        wait_until("cockpit-ws", answers, timeout=10)
        return self.url

    # --- cleanup -----------------------------------------------------------------------------
    def user_pids(self):
        uids = {pwd.getpwnam(name).pw_uid for name, _ in self.users.values()}
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status") as status:
                    for line in status:
                        if line.startswith("Uid:") and int(line.split()[1]) in uids:
                            pids.append(int(entry))
                            break
            except OSError:
                pass
        return pids

    def close(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        # Cockpit's session leftovers (bridge, dbus-daemon, ssh-agent) run as the test users.
        for _ in range(20):
            pids = self.user_pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        for point in self.mounts:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)
        for name, _ in self.users.values():
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        subprocess.run(["groupdel", self.group], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        subprocess.run(["groupadd", self.group], check=True)
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            for name in ("custodyd.log", "cockpit-ws.log"):
                path = self.dir / name
                if path.exists():
                    print(f"--- {name} (last 3000 bytes)\n" + path.read_text(errors="replace")[-3000:])
        self.close()
        return False
