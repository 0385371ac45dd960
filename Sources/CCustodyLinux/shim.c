#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "CCustodyLinux.h"

int custody_sol_socket(void) { return SOL_SOCKET; }
int custody_so_peercred(void) { return SO_PEERCRED; }

int custody_peer_credentials(int fd, custody_ucred *out) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    out->pid = cred.pid;
    out->uid = cred.uid;
    out->gid = cred.gid;
    return 0;
}

int custody_open_nofollow(int dirfd, const char *name) {
    return openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

int custody_open_dir_nofollow(int dirfd, const char *name) {
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int custody_syncfs(int fd) { return syncfs(fd); }

int custody_set_thread_nice(int nice) { return setpriority(PRIO_PROCESS, (id_t)gettid(), nice); }

int custody_set_thread_name(const char *name) { return pthread_setname_np(pthread_self(), name); }

int custody_thread_nice(void) {
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, (id_t)gettid());
    return (nice == -1 && errno != 0) ? -100 : nice;
}

int custody_malloc_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }

int64_t custody_fs_type(const char *path) {
    struct statfs fs;
    if (statfs(path, &fs) != 0) return -1;
    return (int64_t)(uint64_t)(unsigned long)fs.f_type;
}

#define XXH_INLINE_ALL
#include <xxhash.h>

void *custody_xxh3_create(void) {
    XXH3_state_t *state = XXH3_createState();
    if (state != NULL) XXH3_128bits_reset(state);
    return state;
}

void custody_xxh3_update(void *state, const void *bytes, size_t count) {
    XXH3_128bits_update((XXH3_state_t *)state, bytes, count);
}

void custody_xxh3_digest(const void *state, uint64_t *high, uint64_t *low) {
    XXH128_hash_t hash = XXH3_128bits_digest((const XXH3_state_t *)state);
    *high = hash.high64;
    *low = hash.low64;
}

void custody_xxh3_free(void *state) { XXH3_freeState((XXH3_state_t *)state); }
