#pragma once
#include <stdint.h>
#include <sys/types.h>

/// Mirror of the kernel's `struct ucred` (needs _GNU_SOURCE in C, which Swift's Glibc does not set).
typedef struct custody_ucred {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
} custody_ucred;

/// SOL_SOCKET / SO_PEERCRED as plain ints, so Swift need not know the macros.
int custody_sol_socket(void);
int custody_so_peercred(void);

/// Reads the peer credentials of a connected Unix socket. Returns 0 or -1 with errno set.
int custody_peer_credentials(int fd, custody_ucred *out);

/// Opens `name` relative to directory `dirfd` for reading, never following a symlink and never
/// blocking on a FIFO or taking a controlling terminal.
int custody_open_nofollow(int dirfd, const char *name);

/// Opens a directory relative to `dirfd` without following a symlink.
int custody_open_dir_nofollow(int dirfd, const char *name);

/// syncfs(2) on the filesystem holding `fd` (needs _GNU_SOURCE). Returns 0 or -1 with errno set.
int custody_syncfs(int fd);

/// setpriority(PRIO_PROCESS, gettid(), nice): the calling thread's nice value alone (Linux keeps
/// it per thread; threads it creates afterwards inherit it). Returns 0 or -1 with errno set.
int custody_set_thread_nice(int nice);

/// The calling thread's nice value, or -100 with errno set.
int custody_thread_nice(void);

/// pthread_setname_np(pthread_self(), name): the calling thread's name as /proc, `top -H` and
/// `ps -L` show it (at most 15 bytes). Returns 0 or an error number.
int custody_set_thread_name(const char *name);

/// mallopt(M_ARENA_MAX, arenas): how many malloc arenas the process's threads share. 1 on success.
int custody_malloc_arena_max(int arenas);

/// statfs(2) f_type (the filesystem's magic number) of `path`, or -1 with errno set.
int64_t custody_fs_type(const char *path);

/// XXH3-128 over a stream of chunks (libxxhash's header, inlined here: nothing to link at run
/// time). The read-back check `[ingest] read_back = "xxh3-128"` compares a stored copy's bytes
/// with the bytes that were hashed while copying. NULL when out of memory.
void *custody_xxh3_create(void);
void custody_xxh3_update(void *state, const void *bytes, size_t count);
/// The digest, most significant half first (as `xxhsum -H2` prints it).
void custody_xxh3_digest(const void *state, uint64_t *high, uint64_t *low);
void custody_xxh3_free(void *state);
