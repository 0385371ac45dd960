# Benchmarks/lib.sh: what the benchmark scripts share. Sourced (`. "$(dirname "$0")/lib.sh"`),
# never run. Nothing here exits the calling script: a function that fails prints why on stderr
# and returns non-zero, and the caller decides (`|| die ...`).
#
# - the daemon: where its binaries are, a private config, waiting until its socket answers;
# - time: now / elapsed from $EPOCHREALTIME;
# - throttled media (performance issue, items 1 and 4): a loop device over an image file with
#   --direct-io=on (every read reaches the image, none is answered from the image's page cache),
#   a blkio cgroup with a read-bytes-per-second limit per device (cgroup v1
#   blkio.throttle.read_bps_device, or v2 io.max), dropping the page cache, and the bytes a block
#   device has read or written (its /sys/class/block/NAME/stat counters);
# - the disk's limit for a verified copy: bytes written with O_DIRECT + fsync, then read back with
#   O_DIRECT (performance issue, item 0).

# ---------------------------------------------------------------------------------------------
# The daemon.

# Sets CUSTODY_BIN (unless set), CUSTODYD and CUSTODYCTL. $1: the repository; the default is
# $1/.build-bench/release when it holds custodyd (and $2, another binary a script needs, if
# given), else $1/.build/release.
bench_binaries() {
    local repo=$1 also=${2:-custodyd}
    if [[ -z "${CUSTODY_BIN:-}" ]]; then
        if [[ -x "$repo/.build-bench/release/custodyd" && -x "$repo/.build-bench/release/$also" ]]; then
            CUSTODY_BIN=$repo/.build-bench/release
        else CUSTODY_BIN=$repo/.build/release; fi
    fi
    CUSTODYD=$CUSTODY_BIN/custodyd
    CUSTODYCTL=$CUSTODY_BIN/custodyctl
}

# The filesystem types a bench daemon accepts, as a TOML list body: the type given (a bind mount
# shows its filesystem's type: findmnt -n -o FSTYPE -T FOLDER), the usual camera types, then any more.
bench_fstypes_toml() { # type [more types...]
    local first=$1; shift
    printf '%s\n' "$first" vfat exfat fuse.fusefat "$@" | awk '!seen[$0]++ { printf "%s\"%s\"", (NR > 1 ? ", " : ""), $0 }'
}

# Writes a daemon config: the store, one watched mount root, no drop folder, the station and
# policy every bench uses; catalog, socket and spool beside the config. $4: the
# filesystem_types list body (bench_fstypes_toml), or "" for the daemon's default; $5: more
# TOML sections, appended as they are.
bench_write_config() { # file store media-root fstypes-toml extra-toml
    {
        cat <<EOF
[paths]
store = "$2"
catalog = "catalog.sqlite"
socket = "custodyd.sock"
spool = "spool"
[watch]
mount_roots = ["$3"]
drop_dirs = []
EOF
        [[ -z "$4" ]] || echo "filesystem_types = [$4]"
        cat <<EOF
[policy]
upload_deadline_hours = 24
retention_months = 12
[station]
unit = "基准测试站"
time_zone = "Asia/Shanghai"
EOF
        [[ -z "$5" ]] || printf '%s\n' "$5"
    } > "$1"
}

# Waits until the daemon answers `status` on its socket. Fails (with the end of its log) when the
# process exits first or the timeout passes.
bench_wait_socket() { # pid socket timeout-seconds log
    local deadline=$((SECONDS + $3))
    until "$CUSTODYCTL" --socket "$2" status --json > /dev/null 2>&1; do
        if ! kill -0 "$1" 2>/dev/null; then
            tail -n 40 "$4" >&2; echo "custodyd exited during start-up (log above)" >&2; return 1
        fi
        if [[ $SECONDS -ge $deadline ]]; then
            tail -n 40 "$4" >&2; echo "custodyd did not answer on $2 within $3 s" >&2; return 1
        fi
        sleep 0.1
    done
}

# Stops a daemon with SIGTERM, then SIGKILL after 10 s.
bench_stop_daemon() { # pid
    kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1"
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$1" 2>/dev/null && kill -KILL "$1"
    wait "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Time.
bench_now() { printf '%s' "$EPOCHREALTIME"; }
bench_elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; } # start end

# ---------------------------------------------------------------------------------------------
# The page cache and block devices.

# sync, then drop the page cache (and dentries, inodes): the next read of anything comes from its
# device. Fails when /proc/sys/vm/drop_caches cannot be written (not root, a container).
bench_drop_caches() {
    sync
    { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null
}

# The kernel's name of a block device (loop3, vda, vda1) from /dev/NAME or a file on it.
bench_dev_name() { # /dev/NAME | path on a mounted filesystem
    local dev=$1
    [[ -b "$dev" ]] || dev=$(findmnt -n -o SOURCE -T "$dev" | tail -n 1)
    basename "$(realpath "$dev")"
}

# Bytes a block device has read (field 3 of its stat: sectors of 512 bytes) since it appeared.
# Take it before and after: the difference is what was read meanwhile (by anyone).
bench_dev_read_bytes() { # /dev/NAME | NAME
    local stat
    read -r -a stat < "/sys/class/block/$(basename "$1")/stat"
    echo $(( stat[2] * 512 ))
}

# Bytes a block device has written (field 7, sectors of 512 bytes).
bench_dev_write_bytes() { # /dev/NAME | NAME
    local stat
    read -r -a stat < "/sys/class/block/$(basename "$1")/stat"
    echo $(( stat[6] * 512 ))
}

# "major:minor" of a block device.
bench_dev_majmin() { # /dev/NAME
    cat "/sys/class/block/$(basename "$1")/dev"
}

# Attaches an image file to a free loop device with direct I/O (reads reach the image file's
# disk, not its page cache: a device of its own, as a camera is) and prints /dev/loopN. The
# caller keeps the name and detaches it (bench_loop_detach) on exit. Where the image's
# filesystem has no O_DIRECT (tmpfs) losetup falls back to buffered I/O and says so.
bench_loop_attach() { # image [losetup options...]
    local img=$1; shift
    losetup --find --show --direct-io=on "$@" "$img"
}
bench_loop_detach() { # /dev/loopN
    losetup -d "$1"
}

# ---------------------------------------------------------------------------------------------
# A cgroup whose members read each throttled device at most N bytes per second (the block
# layer's throttle: a real limit on the device's queue, readahead included, as a USB port's).
# cgroup v1 uses the blkio controller (blkio.throttle.read_bps_device); v2 uses io.max, which
# needs the io controller enabled in the parent's cgroup.subtree_control (done here). Buffered
# writes are not throttled on v1; only reads are asked for here.
#
#   cg=$(bench_cgroup_create custody-usb-$$)    # prints the cgroup's folder
#   bench_cgroup_throttle "$cg" /dev/loop3 35000000
#   bench_cgroup_join "$cg" "$pid"             # every thread of pid, and all it starts later
#   bench_cgroup_remove "$cg"                  # members go back to the parent; on exit, always
bench_cgroup_version() { # prints 1 or 2
    if [[ -d /sys/fs/cgroup/blkio && -f /sys/fs/cgroup/blkio/cgroup.procs ]]; then echo 1
    elif [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw io /sys/fs/cgroup/cgroup.controllers; then echo 2
    else echo "no blkio (cgroup v1) or io (cgroup v2) controller is mounted" >&2; return 1; fi
}
bench_cgroup_create() { # name
    local v
    v=$(bench_cgroup_version) || return 1
    if [[ $v == 1 ]]; then
        mkdir -p "/sys/fs/cgroup/blkio/$1" && echo "/sys/fs/cgroup/blkio/$1"
    else
        grep -qw io /sys/fs/cgroup/cgroup.subtree_control || echo +io > /sys/fs/cgroup/cgroup.subtree_control || return 1
        mkdir -p "/sys/fs/cgroup/$1" && echo "/sys/fs/cgroup/$1"
    fi
}
bench_cgroup_throttle() { # cgroup-folder /dev/NAME bytes-per-second (0: no limit)
    local mm
    mm=$(bench_dev_majmin "$2") || return 1
    if [[ -f "$1/blkio.throttle.read_bps_device" ]]; then
        echo "$mm $3" > "$1/blkio.throttle.read_bps_device"
    else
        local v=$3; [[ $v -gt 0 ]] || v=max
        echo "$mm rbps=$v" > "$1/io.max"
    fi
}
bench_cgroup_join() { # cgroup-folder pid
    echo "$2" > "$1/cgroup.procs"
}
# Runs a command inside the cgroup (a child shell joins it, then execs the command).
bench_cgroup_run() { # cgroup-folder command...
    local cg=$1; shift
    bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$cg" "$@"
}
bench_cgroup_remove() { # cgroup-folder
    [[ -d "$1" ]] || return 0
    local parent pid
    parent=$(dirname "$1")
    while read -r pid; do echo "$pid" > "$parent/cgroup.procs" 2>/dev/null || true; done < "$1/cgroup.procs"
    rmdir "$1"
}

# ---------------------------------------------------------------------------------------------
# The disk's limit for a verified copy: $2 bytes written to $1 with O_DIRECT and fsync, then read
# back with O_DIRECT, in 4 MiB blocks; the file is removed. Prints "write-seconds read-seconds".
bench_disk_limit() { # file bytes
    local t0 t1 t2 count=$(( ($2 + 4194303) / 4194304 ))
    t0=$(bench_now)
    dd if=/dev/zero of="$1" bs=4M count="$count" oflag=direct conv=fsync status=none || return 1
    t1=$(bench_now)
    dd if="$1" of=/dev/null bs=4M iflag=direct status=none || return 1
    t2=$(bench_now)
    rm -f "$1"; sync
    echo "$(bench_elapsed "$t0" "$t1") $(bench_elapsed "$t1" "$t2")"
}
