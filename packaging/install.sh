#!/usr/bin/env bash
# Installs Custody: the binaries, the config (/etc/custody/custodyd.toml), the systemd units,
# sysusers.d and tmpfiles.d files, the udev rule and camera mount helper (when present), the web
# console (Cockpit package "custody"), man pages and shell completions. `make install` and packaging/build-deb.sh call it.
#
#   PREFIX=/usr DESTDIR= BIN_DIR=.build/release FORCE=0 packaging/install.sh
#
# PREFIX   where binaries, units, sysusers/tmpfiles/udev files, man pages and completions go
#          (default /usr). The config always goes to $DESTDIR/etc/custody.
# DESTDIR  staging root prepended to every path (default: empty, i.e. the real system).
# BIN_DIR  folder holding the built custodyd and custodyctl (default .build/release).
# FORCE=1  overwrite an existing /etc/custody/custodyd.toml (the old one is kept as .bak).
# SWIFT, SCRATCH_PATH, GENERATE_MANUAL  see "Man pages" below.
#
# It only copies files. On a real system (DESTDIR empty) apply them afterwards as it prints
# (systemd-sysusers, systemd-tmpfiles, systemctl); the Debian package's postinst does that itself.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

PREFIX=${PREFIX:-/usr}
DESTDIR=${DESTDIR:-}
BIN_DIR=${BIN_DIR:-$repo/.build/release}
FORCE=${FORCE:-0}
SWIFT=${SWIFT:-swift}

abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }
BIN_DIR=$(abspath "$BIN_DIR")
[ -z "$DESTDIR" ] || DESTDIR=$(abspath "$DESTDIR")
PREFIX=${PREFIX%/}
case $PREFIX in /*) ;; *) echo "install.sh: PREFIX must be absolute (got '$PREFIX')" >&2; exit 2 ;; esac

for b in custodyd custodyctl; do
  if [ ! -x "$BIN_DIR/$b" ]; then
    echo "install.sh: $BIN_DIR/$b is missing: build first (swift build -c release) or set BIN_DIR" >&2
    exit 1
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { printf 'install: %s\n' "$*"; }
# put MODE SRC DEST: copies SRC to DEST (creating folders), prints the installed path.
put() { install -D -m "$1" "$2" "$3"; say "${3#"$DESTDIR"}"; }
# Files that name /usr/bin/custody* or /usr/lib/custody/ get the real prefix.
relocate() {
  sed -e "s|/usr/bin/custody|$PREFIX/bin/custody|g" -e "s|/usr/lib/custody/|$PREFIX/lib/custody/|g" "$1"
}

# --- Binaries ---------------------------------------------------------------------------
for b in custodyd custodyctl; do
  put 0755 "$BIN_DIR/$b" "$DESTDIR$PREFIX/bin/$b"
done

# --- Configuration ----------------------------------------------------------------------
# The documented default, with the socket group and viewer group set to custody-admin as in
# README "Install as a service": members of custody-admin can then use custodyctl.
conf=$DESTDIR/etc/custody/custodyd.toml
sed -e 's/^# socket_group = "custody-admin"/socket_group = "custody-admin"/' \
    -e 's/^# viewer_groups = \[\]/viewer_groups = ["custody-admin"]/' \
    "$repo/etc/custody/custodyd.toml" > "$work/custodyd.toml"
grep -q '^socket_group = "custody-admin"' "$work/custodyd.toml" \
  || echo "install.sh: warning: could not set [api] socket_group in the installed config" >&2
if [ -e "$conf" ] && [ "$FORCE" != 1 ]; then
  say "/etc/custody/custodyd.toml exists, kept (FORCE=1 replaces it)"
else
  if [ -e "$conf" ]; then cp -p "$conf" "$conf.bak"; say "old config saved as /etc/custody/custodyd.toml.bak"; fi
  install -d -m 0755 "$DESTDIR/etc/custody"
  put 0640 "$work/custodyd.toml" "$conf"
  # The daemon runs as user custody: it reads the config through its group.
  if [ -z "$DESTDIR" ] && [ "$(id -u)" = 0 ]; then
    if getent group custody >/dev/null; then chgrp custody "$conf"
    else echo "install.sh: group custody does not exist yet: after systemd-sysusers run: chgrp custody $conf" >&2
    fi
  fi
fi

# Any other file of etc/custody (e.g. the camera allow-list cameras.conf), same rule.
shopt -s nullglob
for f in "$repo"/etc/custody/*; do
  name=${f##*/}
  if [ "$name" = custodyd.toml ] || [ ! -f "$f" ]; then continue; fi
  if [ -e "$DESTDIR/etc/custody/$name" ] && [ "$FORCE" != 1 ]; then
    say "/etc/custody/$name exists, kept (FORCE=1 replaces it)"
  else
    put 0644 "$f" "$DESTDIR/etc/custody/$name"
  fi
done

# --- systemd, sysusers, tmpfiles, udev, camera mount helper ---------------------------------
for unit in "$repo"/systemd/*.service "$repo"/systemd/*.socket "$repo"/systemd/*.path "$repo"/systemd/*.timer; do
  relocate "$unit" > "$work/unit"
  put 0644 "$work/unit" "$DESTDIR$PREFIX/lib/systemd/system/$(basename "$unit")"
done
put 0644 "$repo/systemd/custody.sysusers" "$DESTDIR$PREFIX/lib/sysusers.d/custody.conf"
put 0644 "$repo/systemd/custody.tmpfiles" "$DESTDIR$PREFIX/lib/tmpfiles.d/custody.conf"
for rule in "$repo"/systemd/*.rules; do
  relocate "$rule" > "$work/rule"
  put 0644 "$work/rule" "$DESTDIR$PREFIX/lib/udev/rules.d/$(basename "$rule")"
done
if [ -f "$repo/scripts/custody-mount" ]; then
  relocate "$repo/scripts/custody-mount" > "$work/custody-mount"
  put 0755 "$work/custody-mount" "$DESTDIR$PREFIX/lib/custody/custody-mount"
fi
shopt -u nullglob

# --- The web console (a Cockpit package) -----------------------------------------------------
# cockpit/custody: HTML, CSS and JS served by cockpit-ws and run as the logged-in user, who reaches
# the socket as themselves. Cockpit finds packages under $PREFIX/share/cockpit (/usr/local/share
# is searched too). The socket path is the manifest's config.socket; /etc/cockpit/custody.override.json
# changes it (README "The web console").
while IFS= read -r -d '' f; do
  put 0644 "$f" "$DESTDIR$PREFIX/share/cockpit/custody/${f#"$repo/cockpit/custody/"}"
done < <(find "$repo/cockpit/custody" -type f -print0 | sort -z)

# --- Shell completions (swift-argument-parser writes them) -----------------------------------
"$BIN_DIR/custodyctl" --generate-completion-script bash > "$work/custodyctl.bash"
"$BIN_DIR/custodyctl" --generate-completion-script zsh > "$work/_custodyctl"
"$BIN_DIR/custodyctl" --generate-completion-script fish > "$work/custodyctl.fish"
put 0644 "$work/custodyctl.bash" "$DESTDIR$PREFIX/share/bash-completion/completions/custodyctl"
# Debian's zsh reads packaged completions from /usr/share/zsh/vendor-completions and local ones
# from /usr/local/share/zsh/site-functions.
if [ "$PREFIX" = /usr ]; then zshdir=$PREFIX/share/zsh/vendor-completions; else zshdir=$PREFIX/share/zsh/site-functions; fi
put 0644 "$work/_custodyctl" "$DESTDIR$zshdir/_custodyctl"
put 0644 "$work/custodyctl.fish" "$DESTDIR$PREFIX/share/fish/vendor_completions.d/custodyctl.fish"

# --- Man pages ---------------------------------------------------------------------------
# Written by swift-argument-parser's generate-manual tool (the tool behind
# `swift package plugin generate-manual`) from the binaries' own help: one page per binary,
# every subcommand of custodyctl in it. GENERATE_MANUAL names the tool; else a copy built in
# SCRATCH_PATH (default: the build folder BIN_DIR is in, e.g. .build) is used, and when there is
# none it is built there by running the plugin once (offline, from the resolved checkout).
SCRATCH_PATH=${SCRATCH_PATH:-$(dirname "$BIN_DIR")}
[ -f "$SCRATCH_PATH/workspace-state.json" ] || SCRATCH_PATH=$repo/.build
find_generate_manual() {
  local c
  for c in "$SCRATCH_PATH"/*/debug/generate-manual-tool "$SCRATCH_PATH"/*/release/generate-manual-tool; do
    if [ -x "$c" ]; then printf '%s\n' "$c"; return 0; fi
  done
  return 1
}
genman=${GENERATE_MANUAL:-}
if [ -z "$genman" ] && ! genman=$(find_generate_manual); then
  say "building swift-argument-parser's generate-manual in $SCRATCH_PATH"
  if ! (cd "$repo" && "$SWIFT" package --scratch-path "$SCRATCH_PATH" plugin generate-manual --help) > "$work/genman.log" 2>&1 \
     || ! genman=$(find_generate_manual); then
    cat "$work/genman.log" >&2
    echo "install.sh: could not build generate-manual (set GENERATE_MANUAL=/path/to/generate-manual-tool)" >&2
    exit 1
  fi
fi
# Reproducible date: SOURCE_DATE_EPOCH, else the last commit, else today.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then mandate=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
elif ! mandate=$(git -C "$repo" log -1 --format=%cs 2>/dev/null) || [ -z "$mandate" ]; then mandate=$(date -u +%F)
fi
mkdir -p "$work/man"
for b in custodyd custodyctl; do
  "$genman" "$BIN_DIR/$b" --date "$mandate" --section 1 --output-directory "$work/man"
  [ -s "$work/man/$b.1" ] || { echo "install.sh: generate-manual wrote no $b.1" >&2; exit 1; }
  gzip -9n < "$work/man/$b.1" > "$work/man/$b.1.gz"
  put 0644 "$work/man/$b.1.gz" "$DESTDIR$PREFIX/share/man/man1/$b.1.gz"
done

if [ -z "$DESTDIR" ]; then
  cat <<EOF
install: done. To apply it (as root):
  systemd-sysusers custody.conf && systemd-tmpfiles --create custody.conf
  chgrp custody /etc/custody/custodyd.toml
  systemctl daemon-reload && systemctl enable --now custodyd
  udevadm control --reload          # when a udev rule was installed
  usermod -aG custody-admin CLERK   # lets a clerk use custodyctl
EOF
fi
