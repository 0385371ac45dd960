#!/usr/bin/env bash
# Builds the Debian package custody_<version>_<arch>.deb from built binaries:
# packaging/install.sh (PREFIX=/usr) fills a staging root, packaging/deb/ gives the control
# template and maintainer scripts, dpkg-deb --root-owner-group packs it. `make deb` calls it.
#
#   BIN_DIR=.build/release OUT=dist packaging/build-deb.sh
#
# BIN_DIR      folder with custodyd and custodyctl (default .build/release)
# OUT          where the .deb goes (default ./dist)
# VERSION      package version (default: `custodyd --version`)
# MAINTAINER   Maintainer field (default "Custody maintainers <root@localhost>")
# STRIP=0      keep symbols (default: strip --strip-unneeded, as dh_strip does)
# COMPRESS     dpkg-deb compressor and level, e.g. "gzip -z1" (default "xz -z6")
# STRICT_LIBS=1  fail, instead of warning, when a binary needs a library that no Debian
#              package provides (the Swift runtime in /opt/swift; see below)
#
# The binaries link the Swift runtime from the toolchain (/opt/swift), which no Debian package
# provides, unless they were built with `swift build -c release --static-swift-stdlib` (what
# `make deb` does). Such libraries cannot become Depends; this script names them and warns.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }
BIN_DIR=$(abspath "${BIN_DIR:-$repo/.build/release}")
OUT=$(abspath "${OUT:-dist}")
MAINTAINER=${MAINTAINER:-Custody maintainers <root@localhost>}
STRIP=${STRIP:-1}
COMPRESS=${COMPRESS:-xz -z6}
STRICT_LIBS=${STRICT_LIBS:-0}

for tool in dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing (apt-get install dpkg-dev)" >&2; exit 1; }
done
[ -x "$BIN_DIR/custodyd" ] || { echo "build-deb.sh: no $BIN_DIR/custodyd: build first or set BIN_DIR" >&2; exit 1; }

VERSION=${VERSION:-$("$BIN_DIR/custodyd" --version)}
ARCH=$(dpkg --print-architecture)
case $VERSION in [0-9]*) ;; *) echo "build-deb.sh: bad version '$VERSION'" >&2; exit 1 ;; esac

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root

PREFIX=/usr DESTDIR=$root BIN_DIR=$BIN_DIR FORCE=1 "$here/install.sh"

if [ "$STRIP" = 1 ]; then
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/custodyd" "$root/usr/bin/custodyctl"
fi

# --- Depends --------------------------------------------------------------------------------
# Libraries no package owns (the Swift runtime in /opt/swift) cannot be depended on.
unpackaged=""
for b in custodyd custodyctl; do
  while read -r lib; do
    real=$(readlink -f "$lib")
    if ! dpkg -S "$lib" >/dev/null 2>&1 && ! dpkg -S "$real" >/dev/null 2>&1; then
      case " $unpackaged " in *" $lib "*) ;; *) unpackaged="$unpackaged $lib" ;; esac
    fi
  done < <(ldd "$root/usr/bin/$b" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
  if ldd "$root/usr/bin/$b" | grep -q 'not found'; then
    echo "build-deb.sh: $b needs libraries that are not found here:" >&2
    ldd "$root/usr/bin/$b" | grep 'not found' >&2
    exit 1
  fi
done
if [ -n "$unpackaged" ]; then
  {
    echo "build-deb.sh: WARNING: the binaries in $BIN_DIR need libraries that no Debian package provides:"
    for lib in $unpackaged; do echo "build-deb.sh:   $lib"; done
    echo "build-deb.sh: the package runs only where they exist at the same path. For a package that"
    echo "build-deb.sh: installs on a clean Debian, build with: swift build -c release --static-swift-stdlib (make deb)"
  } >&2
  [ "$STRICT_LIBS" != 1 ] || exit 1
fi
# dpkg-shlibdeps maps every packaged library to its package and minimum version; it wants a
# debian/control to read, and the staging root's DEBIAN folder to resolve $ORIGIN.
mkdir -p "$stage/src/debian" "$root/DEBIAN"
printf 'Source: custody\n\nPackage: custody\nArchitecture: any\n' > "$stage/src/debian/control"
if ! shlibs=$(cd "$stage/src" && dpkg-shlibdeps -O --ignore-missing-info \
      "$root/usr/bin/custodyd" "$root/usr/bin/custodyctl" 2> "$stage/shlibdeps.log"); then
  cat "$stage/shlibdeps.log" >&2
  exit 1
fi
shlibs=${shlibs#shlibs:Depends=}
# systemd: systemd-sysusers, systemd-tmpfiles and the unit (init-system-helpers comes with it).
# cockpit-ws and cockpit-bridge: the web console in /usr/share/cockpit/custody (cockpit-ws logs the
# clerk in through PAM; cockpit-bridge, run as the clerk, reaches the daemon's socket).
depends="${shlibs:+$shlibs, }systemd, cockpit-ws, cockpit-bridge"

# --- DEBIAN/ ----------------------------------------------------------------------------------
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$VERSION|" -e "s|@ARCH@|$ARCH|" -e "s|@MAINTAINER@|$MAINTAINER|" \
    -e "s|@INSTALLED_SIZE@|$installed_size|" -e "s|@DEPENDS@|$depends|" \
    "$here/deb/control.in" > "$root/DEBIAN/control"
# Every file under /etc is a conffile (as dh_installdeb does): dpkg keeps an admin's edits.
(cd "$root" && find etc -type f -printf '/%p\n' | sort) > "$root/DEBIAN/conffiles"
for s in postinst prerm postrm; do
  install -m 0755 "$here/deb/$s" "$root/DEBIAN/$s"
done
# md5sums of every file but the conffiles (dpkg tracks those itself), as dh_md5sums does.
(cd "$root" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

mkdir -p "$OUT"
deb=$OUT/custody_${VERSION}_${ARCH}.deb
# shellcheck disable=SC2086  # COMPRESS is "tool -zlevel"
set -- $COMPRESS
dpkg-deb --root-owner-group -Z"$1" ${2:+"$2"} --build "$root" "$deb" >/dev/null
echo "build-deb.sh: $deb ($(du -h "$deb" | cut -f1), Depends: $depends)"
