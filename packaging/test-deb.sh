#!/usr/bin/env bash
# Builds the Debian package from BIN_DIR (default .build/debug, so no release build is needed)
# and tests it: its file list, control fields and conffiles; then installs it with dpkg into an
# empty scratch root (dpkg's chrootless mode: maintainer scripts run the host's systemd-sysusers,
# systemd-tmpfiles and deb-systemd-helper against $DPKG_ROOT) and checks what the postinst made:
# the user and groups, /var/lib/custody and /run/custody with their modes, the config's owner,
# the enabled unit, `systemd-analyze verify` and `security` of the installed unit, the man pages;
# then an upgrade that keeps an edited config, and a purge that keeps the evidence.
# `make deb-test` runs it. Last line: "deb test: PASS", or it exits non-zero.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
BIN_DIR=${BIN_DIR:-$repo/.build/debug}
case $BIN_DIR in /*) ;; *) BIN_DIR=$PWD/$BIN_DIR ;; esac
MAX_EXPOSURE=${MAX_EXPOSURE:-2.0}

# Tools: dpkg-dev (dpkg-shlibdeps), systemd (systemd-analyze, -sysusers, -tmpfiles),
# init-system-helpers (deb-systemd-helper), man-db and groff-base (man -l), binutils (strip).
need=""
for pair in dpkg-shlibdeps:dpkg-dev systemd-analyze:systemd systemd-sysusers:systemd \
            systemd-tmpfiles:systemd deb-systemd-helper:init-system-helpers man:man-db \
            groff:groff-base strip:binutils; do
  command -v "${pair%%:*}" >/dev/null || need="$need ${pair#*:}"
done
if [ -n "$need" ]; then
  need=$(tr ' ' '\n' <<<"$need" | sort -u | tr '\n' ' ')
  echo "deb test: installing $need"
  # shellcheck disable=SC2086  # a list of package names
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
ok()   { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

echo "== build (BIN_DIR=$BIN_DIR)"
start=$(date +%s)
BIN_DIR=$BIN_DIR OUT=$tmp/dist COMPRESS="gzip -z1" "$here/build-deb.sh" 2>&1 | sed 's/^/  /'
deb=$(ls "$tmp"/dist/custody_*.deb)
version=$("$BIN_DIR/custodyd" --version)
arch=$(dpkg --print-architecture)

echo "== dpkg-deb -c: contents"
dpkg-deb -c "$deb" > "$tmp/contents"
has() { grep -qE "^$1 +root/root +[0-9]+ [0-9-]+ [0-9:]+ \./${2#/}( |$)" "$tmp/contents"; }
for f in /usr/bin/custodyd /usr/bin/custodyctl; do check "$f (0755 root)" has -rwxr-xr-x "$f"; done
check "/etc/custody/custodyd.toml (0640 root)" has -rw-r----- /etc/custody/custodyd.toml
for f in /usr/lib/systemd/system/custodyd.service /usr/lib/sysusers.d/custody.conf \
         /usr/lib/tmpfiles.d/custody.conf /usr/share/bash-completion/completions/custodyctl \
         /usr/share/zsh/vendor-completions/_custodyctl /usr/share/fish/vendor_completions.d/custodyctl.fish \
         /usr/share/man/man1/custodyd.1.gz /usr/share/man/man1/custodyctl.1.gz; do
  check "$f (0644 root)" has -rw-r--r-- "$f"
done
# Present in the package exactly when present in the source tree.
shopt -s nullglob
for rule in "$repo"/systemd/*.rules; do check "/usr/lib/udev/rules.d/${rule##*/} (0644 root)" has -rw-r--r-- "/usr/lib/udev/rules.d/${rule##*/}"; done
for unit in "$repo"/systemd/*.service; do check "/usr/lib/systemd/system/${unit##*/} (0644 root)" has -rw-r--r-- "/usr/lib/systemd/system/${unit##*/}"; done
for f in "$repo"/etc/custody/*; do [ "${f##*/}" = custodyd.toml ] || check "/etc/custody/${f##*/} (0644 root)" has -rw-r--r-- "/etc/custody/${f##*/}"; done
[ ! -f "$repo/scripts/custody-mount" ] || check "/usr/lib/custody/custody-mount (0755 root)" has -rwxr-xr-x /usr/lib/custody/custody-mount
for f in $(cd "$repo/cockpit/custody" && find . -type f | sort); do
  check "/usr/share/cockpit/custody/${f#./} (0644 root)" has -rw-r--r-- "/usr/share/cockpit/custody/${f#./}"
done
shopt -u nullglob
check "nothing under /var/lib/custody or /run in the package (the evidence is never dpkg's)" \
  bash -c "! grep -qE ' \./(var|run)/' '$tmp/contents'"

echo "== dpkg-deb -f: control fields"
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: custody" test "$(field Package)" = custody
check "Version: $version" test "$(field Version)" = "$version"
check "Architecture: $arch" test "$(field Architecture)" = "$arch"
depends=$(field Depends)
echo "  Depends: $depends"
echo "  Recommends: $(field Recommends)"
check "Depends has systemd" grep -qE '(^|, )systemd($|,)' <<<"$depends"
check "Depends has libc6 (from dpkg-shlibdeps)" grep -qE '(^|, )libc6 \(>= [0-9.]+\)' <<<"$depends"
if readelf -d "$BIN_DIR/custodyd" | grep -q 'libsqlite3'; then
  check "Depends has libsqlite3-0" grep -qE '(^|, )libsqlite3-0' <<<"$depends"
fi
check "Depends has cockpit-ws and cockpit-bridge (the web console)" grep -qE '(^|, )cockpit-ws, cockpit-bridge($|,)' <<<"$depends"
check "Recommends fusefat, exfat-fuse" grep -qE '(^|, )fusefat, exfat-fuse(,|$)' <<<"$(field Recommends)"
check "md5sums: every file but the conffiles" \
  test "$(dpkg-deb -I "$deb" md5sums | awk '{ print "/" $2 }' | sort)" = "$(grep -E '^-' "$tmp/contents" | awk '{ sub(/^\./, "", $6); print $6 }' | grep -v '^/etc/' | sort)"
check "Installed-Size set" grep -qE '^[0-9]+$' <<<"$(field Installed-Size)"

echo "== dpkg-deb -I: conffiles and maintainer scripts"
dpkg-deb -I "$deb" > "$tmp/info"
check "conffiles is listed" grep -qE '^ +[0-9]+ bytes, +[0-9]+ lines +conffiles' "$tmp/info"
check "conffiles = every file of etc/custody/ (custodyd.toml among them)" \
  test "$(dpkg-deb -I "$deb" conffiles)" = "$(cd "$repo" && find etc/custody -type f -printf '/%p\n' | sort)"
check "conffiles has /etc/custody/custodyd.toml" grep -qx /etc/custody/custodyd.toml <(dpkg-deb -I "$deb" conffiles)
for s in postinst prerm postrm; do check "$s is executable" grep -qE "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$s " "$tmp/info"; done
check "the installed config sets socket_group = custody-admin" \
  bash -c "dpkg-deb --fsys-tarfile '$deb' | tar -xO ./etc/custody/custodyd.toml | grep -q '^socket_group = \"custody-admin\"'"

echo "== dpkg -i into an empty scratch root (chrootless)"
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log" "$root/etc"
touch "$root/var/lib/dpkg/status"
# What base-passwd gives a real system before any package's postinst runs.
printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
dpkgr() {
  dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-script-chrootless --force-depends "$@"
}
if dpkgr -i "$deb" > "$tmp/install.log" 2>&1; then ok "dpkg -i"; else fail "dpkg -i"; fi
sed 's/^/  | /' "$tmp/install.log"
check "dpkg status: install ok installed" \
  test "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Status}' custody)" = "install ok installed"
check "dpkg --verify: files match md5sums" dpkg --root="$root" --verify custody
check "/usr/bin/custodyd runs and says $version" test "$("$root/usr/bin/custodyd" --version)" = "$version"
check "/usr/bin/custodyctl runs and says $version" test "$("$root/usr/bin/custodyctl" --version)" = "$version"

echo "== what the postinst made"
passwd_line=$(grep '^custody:' "$root/etc/passwd" || true)
echo "  passwd: $passwd_line"
echo "  group:  $(grep -E '^custody(-admin)?:' "$root/etc/group" | tr '\n' ' ')"
uid=$(cut -d: -f3 <<<"$passwd_line")
gid=$(awk -F: '$1 == "custody" { print $3 }' "$root/etc/group")
admin_gid=$(awk -F: '$1 == "custody-admin" { print $3 }' "$root/etc/group")
system_id() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ] && [ "$1" -lt 1000 ]; }
user_ok() { system_id "$uid" && [ "$(cut -d: -f4,6,7 <<<"$passwd_line")" = "$gid:/var/lib/custody:/usr/sbin/nologin" ]; }
check "user custody: system uid, primary group custody, home /var/lib/custody, no login" user_ok
check "group custody (system gid)" system_id "$gid"
check "group custody-admin (system gid)" system_id "$admin_gid"
check "shadow entry for custody (locked)" grep -qE '^custody:!' "$root/etc/shadow"
mode_is() { [ "$(stat -c '%a %u:%g' "$root$2")" = "$1" ]; }
check "/var/lib/custody 750 custody:custody" mode_is "750 $uid:$gid" /var/lib/custody
check "/var/lib/custody/store 750 custody:custody" mode_is "750 $uid:$gid" /var/lib/custody/store
check "/var/lib/custody/spool 750 custody:custody" mode_is "750 $uid:$gid" /var/lib/custody/spool
check "/var/lib/custody/drop 2770 custody:custody-admin" mode_is "2770 $uid:$admin_gid" /var/lib/custody/drop
check "/run/custody 750 custody:custody-admin" mode_is "750 $uid:$admin_gid" /run/custody
check "/run/custody/media 755 root:root" mode_is "755 0:0" /run/custody/media
check "/etc/custody/custodyd.toml 640 root:custody" mode_is "640 0:$gid" /etc/custody/custodyd.toml
check "custodyd.service enabled (multi-user.target.wants)" \
  test "$(readlink "$root/etc/systemd/system/multi-user.target.wants/custodyd.service")" = /usr/lib/systemd/system/custodyd.service
check "man -l renders custodyctl(1)" bash -c "MANWIDTH=80 man -l '$root/usr/share/man/man1/custodyctl.1.gz' 2>&1 | grep -q 'custodyctl subcommand'"
check "man -l renders custodyd(1)" bash -c "MANWIDTH=80 man -l '$root/usr/share/man/man1/custodyd.1.gz' 2>&1 | grep -q -- '--config config'"
for page in custodyd custodyctl; do
  check "groff: no warnings in $page.1" bash -c "[ -z \"\$(zcat '$root/usr/share/man/man1/$page.1.gz' | groff -mandoc -Tascii -ww -z 2>&1)\" ]"
done
check "bash completion parses and defines _custodyctl" \
  bash -c "source '$root/usr/share/bash-completion/completions/custodyctl' && complete -p custodyctl | grep -q _custodyctl"

echo "== systemd-analyze on the installed unit"
# verify needs systemd's own units (sysinit.target), which the scratch root lacks: verify a copy
# of each installed unit whose paths point into the scratch root, against the host's units.
mkdir -p "$tmp/verify"
for unit in "$root"/usr/lib/systemd/system/*.service; do
  name=${unit##*/}; name=${name/@.service/@test.service}
  sed -e "s|/usr/bin/custody|$root/usr/bin/custody|g" -e "s|/usr/lib/custody/|$root/usr/lib/custody/|g" "$unit" > "$tmp/verify/$name"
done
if (cd "$tmp/verify" && systemd-analyze verify --man=no ./*.service) > "$tmp/verify.log" 2>&1 && [ ! -s "$tmp/verify.log" ]; then
  ok "systemd-analyze verify: $(cd "$tmp/verify" && echo ./*.service | sed 's|\./||g')"
else
  fail "systemd-analyze verify"; sed 's/^/  | /' "$tmp/verify.log"
fi
exposure=$(systemd-analyze security --offline=true --root="$root" custodyd.service 2>&1 \
  | sed -n 's/.*Overall exposure level for custodyd.service: \([0-9.]*\).*/\1/p')
echo "  exposure (systemd-analyze security --offline=true --root=ROOT custodyd.service): ${exposure:-none}"
check "exposure ${exposure:-?} <= $MAX_EXPOSURE" awk -v e="${exposure:-99}" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(e + 0 <= m + 0) }'

echo "== upgrade (dpkg -i again) keeps an edited config"
sed -i 's/^unit = .*/unit = "edited by the admin"/' "$root/etc/custody/custodyd.toml"
if dpkgr -i "$deb" > "$tmp/upgrade.log" 2>&1; then ok "dpkg -i over the installed package"; else fail "dpkg -i (upgrade)"; sed 's/^/  | /' "$tmp/upgrade.log"; fi
check "edited config kept" grep -q '^unit = "edited by the admin"' "$root/etc/custody/custodyd.toml"
check "config still 640 root:custody" mode_is "640 0:$gid" /etc/custody/custodyd.toml
check "user custody not duplicated" test "$(grep -c '^custody:' "$root/etc/passwd")" = 1

echo "== purge keeps the evidence"
echo "evidence" > "$root/var/lib/custody/store/clip"
if dpkgr --purge custody > "$tmp/purge.log" 2>&1; then ok "dpkg --purge"; else fail "dpkg --purge"; fi
sed 's/^/  | /' "$tmp/purge.log"
check "binaries removed" test ! -e "$root/usr/bin/custodyd" -a ! -e "$root/usr/bin/custodyctl"
check "/etc/custody removed" test ! -e "$root/etc/custody"
check "unit enablement removed" test ! -e "$root/etc/systemd/system/multi-user.target.wants/custodyd.service"
check "evidence in /var/lib/custody kept" grep -qx evidence "$root/var/lib/custody/store/clip"
check "purge says the evidence was kept" grep -q 'evidence in /var/lib/custody .* was kept' "$tmp/purge.log"
check "not installed any more" bash -c "! dpkg-query --admindir='$root/var/lib/dpkg' -W -f '\${Status}' custody 2>/dev/null | grep -q 'ok installed'"

echo "== $(( $(date +%s) - start )) s"
if [ "$failures" -ne 0 ]; then
  echo "deb test: FAIL ($failures failed)"
  exit 1
fi
echo "deb test: PASS"
