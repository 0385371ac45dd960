/*
 * lossyfs - a FUSE passthrough filesystem that simulates power loss.
 *
 * Volatile state (what the mount shows) lives in memory; BACKING only ever
 * holds the durable state:
 *   - file data/size/mode become durable on fsync/fdatasync of that file;
 *   - a directory entry (create, mkdir, symlink, link, rename, unlink, rmdir)
 *     becomes durable on fsync of the directory that contains it (fsyncdir).
 * "crash\n" written to MOUNT/.lossyfs-ctl (or SIGUSR1) discards all unsynced
 * state and makes every later operation fail with EIO until unmount.
 * "sync\n" (or SIGUSR2) makes everything durable.
 *
 * Build: gcc -std=c11 -O2 -Wall -Wextra lossyfs.c $(pkg-config --cflags --libs fuse3) -o lossyfs
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <fuse.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define PGSZ 4096
#define STAGE ".lossyfs-staging"
#define CTL "/.lossyfs-ctl"
#define TMPPFX ".lossyfs-tmp."

/* ---------------- uint64 -> pointer hash map (linear probing) ---------- */
struct u64map { uint64_t *k; void **v; size_t cap, n; };

static size_t hh(uint64_t x) {
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL; x ^= x >> 33; return (size_t)x;
}
static void *um_get(struct u64map *m, uint64_t key) {
    if (!m->cap) return NULL;
    size_t mask = m->cap - 1, i = hh(key) & mask;
    while (m->v[i]) { if (m->k[i] == key) return m->v[i]; i = (i + 1) & mask; }
    return NULL;
}
static void um_put(struct u64map *m, uint64_t key, void *val);
static void um_grow(struct u64map *m) {
    struct u64map o = *m;
    m->cap = o.cap ? o.cap * 2 : 64; m->n = 0;
    m->k = calloc(m->cap, sizeof *m->k); m->v = calloc(m->cap, sizeof *m->v);
    if (!m->k || !m->v) { perror("lossyfs: out of memory"); abort(); }
    for (size_t i = 0; i < o.cap; i++) if (o.v[i]) um_put(m, o.k[i], o.v[i]);
    free(o.k); free(o.v);
}
static void um_put(struct u64map *m, uint64_t key, void *val) {
    if ((m->n + 1) * 4 > m->cap * 3) um_grow(m);
    size_t mask = m->cap - 1, i = hh(key) & mask;
    while (m->v[i]) { if (m->k[i] == key) { m->v[i] = val; return; } i = (i + 1) & mask; }
    m->k[i] = key; m->v[i] = val; m->n++;
}
static void um_del(struct u64map *m, uint64_t key) {
    if (!m->cap) return;
    size_t mask = m->cap - 1, i = hh(key) & mask;
    while (m->v[i] && m->k[i] != key) i = (i + 1) & mask;
    if (!m->v[i]) return;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->v[j]) break;
        size_t h = hh(m->k[j]) & mask;
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
            m->k[i] = m->k[j]; m->v[i] = m->v[j]; i = j;
        }
    }
    m->v[i] = NULL; m->n--;
}
static void um_free(struct u64map *m) { free(m->k); free(m->v); memset(m, 0, sizeof *m); }

/* ---------------- name -> inode map ------------------------------------ */
struct inode;
struct dent { char *name; struct inode *ino; struct dent *next; };
struct dmap { struct dent **b; size_t nb, n; };

static size_t shash(const char *s) { size_t h = 1469598103934665603ULL; while (*s) { h ^= (unsigned char)*s++; h *= 1099511628211ULL; } return h; }
static struct inode *dm_get(struct dmap *m, const char *name) {
    if (!m->nb) return NULL;
    for (struct dent *d = m->b[shash(name) % m->nb]; d; d = d->next) if (!strcmp(d->name, name)) return d->ino;
    return NULL;
}
static void dm_put(struct dmap *m, const char *name, struct inode *ino) {
    if (m->n + 1 > m->nb) {
        size_t nb = m->nb ? m->nb * 2 : 16;
        struct dent **b = calloc(nb, sizeof *b);
        if (!b) abort();
        for (size_t i = 0; i < m->nb; i++)
            for (struct dent *d = m->b[i], *nx; d; d = nx) { nx = d->next; size_t h = shash(d->name) % nb; d->next = b[h]; b[h] = d; }
        free(m->b); m->b = b; m->nb = nb;
    }
    size_t h = shash(name) % m->nb;
    for (struct dent *d = m->b[h]; d; d = d->next) if (!strcmp(d->name, name)) { d->ino = ino; return; }
    struct dent *d = malloc(sizeof *d);
    if (!d || !(d->name = strdup(name))) abort();
    d->ino = ino; d->next = m->b[h]; m->b[h] = d; m->n++;
}
static void dm_clear(struct dmap *m) {
    for (size_t i = 0; i < m->nb; i++)
        for (struct dent *d = m->b[i], *nx; d; d = nx) { nx = d->next; free(d->name); free(d); }
    free(m->b); memset(m, 0, sizeof *m);
}
static void dm_del(struct dmap *m, const char *name) {
    if (!m->nb) return;
    for (struct dent **pp = &m->b[shash(name) % m->nb]; *pp; pp = &(*pp)->next)
        if (!strcmp((*pp)->name, name)) { struct dent *d = *pp; *pp = d->next; free(d->name); free(d); m->n--; return; }
}
/* snapshot of names (caller frees each and the array) */
static char **dm_names(struct dmap *m, size_t *cnt) {
    char **v = malloc((m->n + 1) * sizeof *v); size_t k = 0;
    if (!v) abort();
    for (size_t i = 0; i < m->nb; i++) for (struct dent *d = m->b[i]; d; d = d->next) v[k++] = strdup(d->name);
    *cnt = k; return v;
}

/* ---------------- inodes ----------------------------------------------- */
struct blink { struct inode *dir; char *name; };

struct inode {
    uint64_t id;
    mode_t mode; uid_t uid; gid_t gid;
    struct timespec atime, mtime, ctime;
    nlink_t nlink;          /* volatile links (non-dirs) */
    int opens;
    int dead;               /* dirs: removed (rmdir) */
    int meta_dirty;
    /* backing object */
    int has_backing, staged; ino_t bino;
    struct blink *links; int nlinks, caplinks;   /* durable names of a file/symlink */
    /* directories */
    int loaded; struct dmap vol, dur, chg; struct inode *vparent;   /* chg: names changed since last fsyncdir */
    struct inode *bparent; char *bname; int nsubdirs;
    /* regular files */
    off_t size, dsize, trunc_lo;
    struct u64map pages;
    int fd;
    char *target;           /* symlinks */
};

static struct {
    int rootfd;
    char *backing;
    int crashed;
    int real_fsync, sync_on_unmount;
    pthread_mutex_t lk;
    struct inode **all; size_t nall, capall;
    struct u64map bymap;     /* backing st_ino -> inode */
    struct inode *root;
    struct inode ctl;
    unsigned long long n_fsync, n_fsyncdir;
    struct fuse *fuse;
} G = { .rootfd = -1, .lk = PTHREAD_MUTEX_INITIALIZER };


static void now(struct timespec *t) { clock_gettime(CLOCK_REALTIME, t); }

static struct inode *new_inode(mode_t mode) {
    struct inode *i = calloc(1, sizeof *i);
    if (!i) abort();
    if (G.nall == G.capall) {
        G.capall = G.capall ? G.capall * 2 : 1024;
        G.all = realloc(G.all, G.capall * sizeof *G.all);
        if (!G.all) abort();
    }
    i->id = G.nall + 1;        /* 1 == root */
    G.all[G.nall++] = i;
    i->mode = mode; i->fd = -1;
    now(&i->atime); i->mtime = i->ctime = i->atime;
    return i;
}
static struct inode *inode_from_stat(const struct stat *st) {
    struct inode *i = new_inode(st->st_mode);
    i->uid = st->st_uid; i->gid = st->st_gid;
    i->atime = st->st_atim; i->mtime = st->st_mtim; i->ctime = st->st_ctim;
    i->nlink = S_ISDIR(st->st_mode) ? 1 : st->st_nlink;
    i->has_backing = 1; i->bino = st->st_ino;
    i->size = i->dsize = i->trunc_lo = st->st_size;
    um_put(&G.bymap, st->st_ino, i);
    return i;
}
static int alive(struct inode *i) {
    if (S_ISDIR(i->mode)) return !i->dead;
    return i->nlink > 0 || i->opens > 0;
}
static void add_link(struct inode *i, struct inode *d, const char *name) {
    if (i->nlinks == i->caplinks) {
        i->caplinks = i->caplinks ? i->caplinks * 2 : 2;
        i->links = realloc(i->links, i->caplinks * sizeof *i->links);
        if (!i->links) abort();
    }
    i->links[i->nlinks].dir = d; i->links[i->nlinks].name = strdup(name); i->nlinks++;
}
static void del_link(struct inode *i, struct inode *d, const char *name) {
    for (int k = 0; k < i->nlinks; k++)
        if (i->links[k].dir == d && !strcmp(i->links[k].name, name)) {
            free(i->links[k].name); i->links[k] = i->links[--i->nlinks]; return;
        }
}
static void free_pages(struct inode *i) {
    for (size_t k = 0; k < i->pages.cap; k++) if (i->pages.v[k]) free(i->pages.v[k]);
    um_free(&i->pages);
}

/* ---------------- backing paths (relative to G.rootfd) ------------------ */
static int dpath(struct inode *d, char *buf, size_t sz) {
    if (d == G.root) return snprintf(buf, sz, ".") >= (int)sz ? -ENAMETOOLONG : 0;
    if (!d->has_backing) return -EIO;
    if (d->staged) return snprintf(buf, sz, STAGE "/d%llu", (unsigned long long)d->id) >= (int)sz ? -ENAMETOOLONG : 0;
    int r = dpath(d->bparent, buf, sz);
    if (r) return r;
    size_t l = strlen(buf);
    return snprintf(buf + l, sz - l, "/%s", d->bname) >= (int)(sz - l) ? -ENAMETOOLONG : 0;
}
static int join(char *out, size_t sz, const char *a, const char *b) {
    return snprintf(out, sz, "%s/%s", a, b) >= (int)sz ? -ENAMETOOLONG : 0;
}
static int objpath(struct inode *i, char *buf, size_t sz) {
    if (S_ISDIR(i->mode)) return dpath(i, buf, sz);
    if (!i->has_backing) return -EIO;
    if (i->staged) return snprintf(buf, sz, STAGE "/f%llu", (unsigned long long)i->id) >= (int)sz ? -ENAMETOOLONG : 0;
    if (!i->nlinks) return -EIO;
    char d[PATH_MAX];
    int r = dpath(i->links[0].dir, d, sizeof d);
    return r ? r : join(buf, sz, d, i->links[0].name);
}
static int ensure_fd(struct inode *i) {
    if (i->fd >= 0 || !i->has_backing || !S_ISREG(i->mode)) return 0;
    char p[PATH_MAX];
    int r = objpath(i, p, sizeof p);
    if (r) return r;
    i->fd = openat(G.rootfd, p, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (i->fd < 0) i->fd = openat(G.rootfd, p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    return i->fd < 0 ? -errno : 0;
}

/* backing object vanished for good */
static void maybe_gone(struct inode *i) {
    if (S_ISDIR(i->mode)) return;
    if (!alive(i) && i->nlinks == 0 && !i->staged && i->has_backing) {
        if (i->fd >= 0) { close(i->fd); i->fd = -1; }
        if (um_get(&G.bymap, i->bino) == i) um_del(&G.bymap, i->bino);
        i->has_backing = 0;
    }
}
/* volatile death of a non-directory: forget cached data and staging link */
static void maybe_dead(struct inode *i) {
    if (S_ISDIR(i->mode) || alive(i)) return;
    free_pages(i);
    if (i->fd >= 0) { close(i->fd); i->fd = -1; }
    if (i->staged) {
        char p[64]; snprintf(p, sizeof p, STAGE "/f%llu", (unsigned long long)i->id);
        unlinkat(G.rootfd, p, 0);
        i->staged = 0;
    }
    maybe_gone(i);
}

/* ---------------- lazy directory loading -------------------------------- */
static int load(struct inode *d) {
    if (d->loaded) return 0;
    if (!d->has_backing) { d->loaded = 1; return 0; }
    char p[PATH_MAX];
    int r = dpath(d, p, sizeof p);
    if (r) return r;
    int fd = openat(G.rootfd, p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -errno;
    DIR *dp = fdopendir(fd);
    if (!dp) { close(fd); return -errno; }
    struct dirent *de;
    while ((de = readdir(dp))) {
        const char *n = de->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..")) continue;
        if (d == G.root && (!strcmp(n, STAGE) || !strcmp(n, CTL + 1))) continue;
        if (!strncmp(n, TMPPFX, strlen(TMPPFX))) continue;
        struct stat st;
        if (fstatat(dirfd(dp), n, &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) continue; /* unsupported types hidden */
        struct inode *c = S_ISDIR(st.st_mode) ? NULL : um_get(&G.bymap, st.st_ino);
        if (!c) {
            c = inode_from_stat(&st);
            if (S_ISLNK(st.st_mode)) {
                char t[PATH_MAX]; ssize_t l = readlinkat(dirfd(dp), n, t, sizeof t - 1);
                t[l < 0 ? 0 : l] = 0; c->target = strdup(t);
            }
            if (S_ISDIR(st.st_mode)) { c->bparent = d; c->bname = strdup(n); }
        }
        dm_put(&d->vol, n, c); dm_put(&d->dur, n, c);
        if (S_ISDIR(c->mode)) { c->vparent = d; d->nsubdirs++; }
        else add_link(c, d, n);
    }
    closedir(dp);
    d->loaded = 1;
    return 0;
}

/* ---------------- path resolution (volatile view) ----------------------- */
static struct inode *resolve(const char *path, int *err) {
    struct inode *cur = G.root;
    char buf[PATH_MAX];
    if (strlen(path) >= sizeof buf) { *err = -ENAMETOOLONG; return NULL; }
    strcpy(buf, path);
    char *save = NULL;
    for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!S_ISDIR(cur->mode)) { *err = -ENOTDIR; return NULL; }
        int r = load(cur);
        if (r) { *err = r; return NULL; }
        struct inode *n = dm_get(&cur->vol, c);
        if (!n) { *err = -ENOENT; return NULL; }
        cur = n;
    }
    return cur;
}
/* parent dir + last component; name points into a static-per-call buffer */
static struct inode *resolve_parent(const char *path, char *name, size_t nsz, int *err) {
    char buf[PATH_MAX];
    if (strlen(path) >= sizeof buf) { *err = -ENAMETOOLONG; return NULL; }
    strcpy(buf, path);
    char *s = strrchr(buf, '/');
    if (!s || !s[1]) { *err = -EINVAL; return NULL; }
    if (strlen(s + 1) >= nsz) { *err = -ENAMETOOLONG; return NULL; }
    strcpy(name, s + 1);
    *s = 0;
    struct inode *p = resolve(buf[0] ? buf : "/", err);
    if (!p) return NULL;
    if (!S_ISDIR(p->mode)) { *err = -ENOTDIR; return NULL; }
    if (p->dead) { *err = -ENOENT; return NULL; }
    int r = load(p);
    if (r) { *err = r; return NULL; }
    if (p == G.root && (!strcmp(name, STAGE) || !strcmp(name, CTL + 1))) { *err = -EPERM; return NULL; }
    if (!strncmp(name, TMPPFX, strlen(TMPPFX))) { *err = -EPERM; return NULL; }
    return p;
}
static void vadd(struct inode *p, const char *name, struct inode *c) {
    dm_put(&p->vol, name, c); dm_put(&p->chg, name, p);
    if (S_ISDIR(c->mode)) { c->vparent = p; p->nsubdirs++; }
    else c->nlink++;
    now(&p->mtime); p->ctime = p->mtime;
}
static void vdel(struct inode *p, const char *name, struct inode *c) {
    dm_del(&p->vol, name); dm_put(&p->chg, name, p);
    if (S_ISDIR(c->mode)) { p->nsubdirs--; }
    else { c->nlink--; now(&c->ctime); }
    now(&p->mtime); p->ctime = p->mtime;
}

/* ---------------- file data cache --------------------------------------- */
static int backing_read(struct inode *f, char *dst, off_t pos, size_t len) {
    memset(dst, 0, len);
    if (!f->has_backing) return 0;
    off_t valid = f->dsize < f->trunc_lo ? f->dsize : f->trunc_lo;
    if (pos >= valid) return 0;
    size_t n = (size_t)(valid - pos) < len ? (size_t)(valid - pos) : len;
    int r = ensure_fd(f);
    if (r) return r;
    size_t done = 0;
    while (done < n) {
        ssize_t k = pread(f->fd, dst + done, n - done, pos + done);
        if (k < 0) { if (errno == EINTR) continue; return -errno; }
        if (k == 0) break;
        done += k;
    }
    return 0;
}
static int do_read(struct inode *f, char *buf, size_t size, off_t off) {
    if (off >= f->size) return 0;
    if ((off_t)size > f->size - off) size = f->size - off;
    off_t pos = off, end = off + size;
    while (pos < end) {
        uint64_t pg = pos / PGSZ; off_t po = pos % PGSZ;
        off_t n = PGSZ - po < end - pos ? PGSZ - po : end - pos;
        char *p = um_get(&f->pages, pg);
        if (p) { memcpy(buf + (pos - off), p + po, n); pos += n; continue; }
        off_t re = pos + n;
        while (re < end && !um_get(&f->pages, re / PGSZ)) re = re + PGSZ < end ? re + PGSZ : end;
        int r = backing_read(f, buf + (pos - off), pos, re - pos);
        if (r) return r;
        pos = re;
    }
    return (int)size;
}
static int do_write(struct inode *f, const char *buf, size_t size, off_t off) {
    off_t pos = off, end = off + size;
    while (pos < end) {
        uint64_t pg = pos / PGSZ; off_t po = pos % PGSZ;
        off_t n = PGSZ - po < end - pos ? PGSZ - po : end - pos;
        char *p = um_get(&f->pages, pg);
        if (!p) {
            p = malloc(PGSZ);
            if (!p) return -ENOMEM;
            if (n < PGSZ) {
                int r = backing_read(f, p, (off_t)pg * PGSZ, PGSZ);
                if (r) { free(p); return r; }
            }
            um_put(&f->pages, pg, p);
        }
        memcpy(p + po, buf + (pos - off), n);
        pos += n;
    }
    if (end > f->size) f->size = end;
    now(&f->mtime); f->ctime = f->mtime;
    return (int)size;
}
static void do_truncate(struct inode *f, off_t ns) {
    if (ns < f->size) {
        uint64_t first_drop = (ns + PGSZ - 1) / PGSZ;
        struct u64map old = f->pages, nw = {0};
        for (size_t k = 0; k < old.cap; k++) {
            if (!old.v[k]) continue;
            if (old.k[k] >= first_drop) free(old.v[k]); else um_put(&nw, old.k[k], old.v[k]);
        }
        um_free(&old);
        f->pages = nw;
        if (ns % PGSZ) {
            char *p = um_get(&f->pages, ns / PGSZ);
            if (p) memset(p + ns % PGSZ, 0, PGSZ - ns % PGSZ);
        }
        if (ns < f->trunc_lo) f->trunc_lo = ns;
    }
    f->size = ns;
    now(&f->mtime); f->ctime = f->mtime;
}

/* ---------------- persistence ------------------------------------------- */
static int create_object(struct inode *f) {   /* empty staged regular file */
    char p[64]; snprintf(p, sizeof p, STAGE "/f%llu", (unsigned long long)f->id);
    int fd = openat(G.rootfd, p, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, f->mode & 07777);
    if (fd < 0) return -errno;
    struct stat st; fstat(fd, &st);
    if (fchown(fd, f->uid, f->gid) < 0) { /* ignore */ }
    f->has_backing = 1; f->staged = 1; f->bino = st.st_ino; f->fd = fd;
    f->dsize = 0; f->trunc_lo = 0;   /* none of the cached data is in the object yet */
    um_put(&G.bymap, st.st_ino, f);
    return 0;
}
static int cmpu64(const void *a, const void *b) { uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b; return x < y ? -1 : x > y; }

static int persist_meta_path(struct inode *i) {
    char p[PATH_MAX];
    int r = objpath(i, p, sizeof p);
    if (r) return r;
    if (!S_ISLNK(i->mode)) fchmodat(G.rootfd, p, i->mode & 07777, 0);
    if (fchownat(G.rootfd, p, i->uid, i->gid, AT_SYMLINK_NOFOLLOW) < 0) { /* ignore */ }
    struct timespec ts[2] = { i->atime, i->mtime };
    utimensat(G.rootfd, p, ts, AT_SYMLINK_NOFOLLOW);
    i->meta_dirty = 0;
    return 0;
}

static int persist_file(struct inode *f) {
    int r;
    if (!S_ISREG(f->mode)) return f->has_backing && f->meta_dirty ? persist_meta_path(f) : 0;
    if (!f->has_backing && (r = create_object(f))) return r;
    if ((r = ensure_fd(f))) return r;
    if (f->trunc_lo < f->dsize && ftruncate(f->fd, f->trunc_lo) < 0) return -errno;
    size_t np = f->pages.n, k = 0;
    uint64_t *idx = malloc((np + 1) * sizeof *idx);
    if (!idx) return -ENOMEM;
    for (size_t s = 0; s < f->pages.cap; s++) if (f->pages.v[s]) idx[k++] = f->pages.k[s];
    qsort(idx, np, sizeof *idx, cmpu64);
    struct iovec iov[256];
    for (size_t a = 0; a < np;) {
        size_t b = a, cnt = 0;
        off_t start = (off_t)idx[a] * PGSZ, len = 0;
        while (b < np && cnt < 256 && idx[b] == idx[a] + (b - a)) {
            off_t ps = (off_t)idx[b] * PGSZ;
            if (ps >= f->size) { b++; continue; }
            size_t l = f->size - ps < PGSZ ? (size_t)(f->size - ps) : PGSZ;
            iov[cnt].iov_base = um_get(&f->pages, idx[b]); iov[cnt].iov_len = l; cnt++; len += l; b++;
        }
        off_t done = 0; int vi = 0;
        while (done < len) {
            ssize_t w = pwritev(f->fd, iov + vi, (int)cnt - vi, start + done);
            if (w < 0) { if (errno == EINTR) continue; free(idx); return -errno; }
            done += w;
            while (vi < (int)cnt && (size_t)w >= iov[vi].iov_len) { w -= iov[vi].iov_len; vi++; }
            if (vi < (int)cnt && w) { iov[vi].iov_base = (char *)iov[vi].iov_base + w; iov[vi].iov_len -= w; }
        }
        a = b;
    }
    free(idx);
    struct stat st;
    if (fstat(f->fd, &st) == 0 && st.st_size != f->size && ftruncate(f->fd, f->size) < 0) return -errno;
    free_pages(f);
    f->dsize = f->trunc_lo = f->size;
    fchmod(f->fd, f->mode & 07777);
    if (fchown(f->fd, f->uid, f->gid) < 0) { /* ignore */ }
    struct timespec ts[2] = { f->atime, f->mtime };
    futimens(f->fd, ts);
    f->meta_dirty = 0;
    if (G.real_fsync && fsync(f->fd) < 0) return -errno;
    return 0;
}

/* stage a file so its object survives losing its durable names */
static int stage_file(struct inode *e) {
    if (e->staged || !e->has_backing) return 0;
    char from[PATH_MAX], to[64];
    int r = objpath(e, from, sizeof from);
    if (r) return r;
    snprintf(to, sizeof to, STAGE "/f%llu", (unsigned long long)e->id);
    if (linkat(G.rootfd, from, G.rootfd, to, 0) < 0) return -errno;
    e->staged = 1;
    return 0;
}

static int remove_durable(struct inode *d, const char *dp, const char *name) {
    struct inode *e = dm_get(&d->dur, name);
    char p[PATH_MAX];
    int r = join(p, sizeof p, dp, name);
    if (!e || r) return r;
    if (S_ISDIR(e->mode)) {
        if (!e->dead) {
            char to[64]; snprintf(to, sizeof to, STAGE "/d%llu", (unsigned long long)e->id);
            if (renameat(G.rootfd, p, G.rootfd, to) < 0) return -errno;
            e->staged = 1; e->bparent = NULL; free(e->bname); e->bname = NULL;
        } else {
            if ((r = load(e))) return r;
            size_t cnt; char **nm = dm_names(&e->dur, &cnt);
            for (size_t k = 0; k < cnt; k++) { if (!r) r = remove_durable(e, p, nm[k]); free(nm[k]); }
            free(nm);
            if (r) return r;
            if (unlinkat(G.rootfd, p, AT_REMOVEDIR) < 0) return -errno;
            e->has_backing = 0; e->bparent = NULL;
        }
    } else {
        if (alive(e) && (r = stage_file(e))) return r;
        if (unlinkat(G.rootfd, p, 0) < 0) return -errno;
        del_link(e, d, name);
        maybe_gone(e);
    }
    dm_del(&d->dur, name);
    return 0;
}

static int persist_dir(struct inode *d) {
    int r;
    if (d->dead) return 0;
    if ((r = load(d))) return r;
    if (!d->has_backing) {
        char p[64]; snprintf(p, sizeof p, STAGE "/d%llu", (unsigned long long)d->id);
        if (mkdirat(G.rootfd, p, d->mode & 07777) < 0) return -errno;
        struct stat st; fstatat(G.rootfd, p, &st, 0);
        d->has_backing = 1; d->staged = 1; d->bino = st.st_ino;
    }
    char dp[PATH_MAX];
    if ((r = dpath(d, dp, sizeof dp))) return r;
    /* 1. additions / replacements (only names changed since the last fsyncdir) */
    size_t cnt; char **nm = dm_names(&d->chg, &cnt);
    for (size_t k = 0; k < cnt && !r; k++) {
        const char *name = nm[k];
        struct inode *c = dm_get(&d->vol, name), *e = dm_get(&d->dur, name);
        if (!c || e == c) continue;
        char path[PATH_MAX], tmp[PATH_MAX], tn[64];
        if ((r = join(path, sizeof path, dp, name))) break;
        snprintf(tn, sizeof tn, TMPPFX "%llu", (unsigned long long)c->id);
        if ((r = join(tmp, sizeof tmp, dp, tn))) break;
        if (e && (S_ISDIR(e->mode) || S_ISDIR(c->mode))) {
            if ((r = remove_durable(d, dp, name))) break;
            e = NULL;
        } else if (e && alive(e) && (r = stage_file(e))) break;
        if (S_ISDIR(c->mode)) {
            if (!c->has_backing) {
                if (mkdirat(G.rootfd, path, c->mode & 07777) < 0) { r = -errno; break; }
                struct stat st; fstatat(G.rootfd, path, &st, 0);
                c->has_backing = 1; c->bino = st.st_ino;
            } else {
                char old[PATH_MAX];
                if ((r = dpath(c, old, sizeof old))) break;
                if (renameat(G.rootfd, old, G.rootfd, path) < 0) { r = -errno; break; }
                if (!c->staged && c->bparent) dm_del(&c->bparent->dur, c->bname);
            }
            c->staged = 0; c->bparent = d; free(c->bname); c->bname = strdup(name);
        } else {
            if (S_ISLNK(c->mode) && !c->has_backing) {
                if (symlinkat(c->target, G.rootfd, tmp) < 0) { r = -errno; break; }
                struct stat st; fstatat(G.rootfd, tmp, &st, AT_SYMLINK_NOFOLLOW);
                c->has_backing = 1; c->bino = st.st_ino;
                um_put(&G.bymap, st.st_ino, c);
                if (fchownat(G.rootfd, tmp, c->uid, c->gid, AT_SYMLINK_NOFOLLOW) < 0) { /* ignore */ }
            } else {
                char op[PATH_MAX];
                if (!c->has_backing && (r = create_object(c))) break;
                if ((r = objpath(c, op, sizeof op))) break;
                unlinkat(G.rootfd, tmp, 0);
                if (linkat(G.rootfd, op, G.rootfd, tmp, 0) < 0) { r = -errno; break; }
            }
            if (renameat(G.rootfd, tmp, G.rootfd, path) < 0) { r = -errno; unlinkat(G.rootfd, tmp, 0); break; }
            add_link(c, d, name);
            if (e) { del_link(e, d, name); maybe_gone(e); }
        }
        dm_put(&d->dur, name, c);
    }
    /* 2. removals */
    for (size_t k = 0; k < cnt && !r; k++)
        if (!dm_get(&d->vol, nm[k]) && dm_get(&d->dur, nm[k])) r = remove_durable(d, dp, nm[k]);
    for (size_t k = 0; k < cnt; k++) free(nm[k]);
    free(nm);
    if (r) return r;
    dm_clear(&d->chg);
    if (d->meta_dirty && d != G.root) persist_meta_path(d);
    return 0;
}

static int sync_all(void) {
    int r = 0, r2;
    size_t n = G.nall;
    for (size_t k = 0; k < n; k++) {
        struct inode *i = G.all[k];
        if (!S_ISDIR(i->mode) && alive(i) && (r2 = persist_file(i))) r = r2;
    }
    for (size_t k = 0; k < n; k++) {
        struct inode *i = G.all[k];
        if (S_ISDIR(i->mode) && !i->dead) {
            if (i->loaded && (r2 = persist_dir(i))) r = r2;
            else if (!i->loaded && i->meta_dirty && i->has_backing) persist_meta_path(i);
        }
    }
    return r;
}

static int rmtree_at(int dfd, const char *name) {
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
    DIR *dp = fdopendir(fd);
    if (!dp) { close(fd); return -errno; }
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (de->d_type == DT_DIR) rmtree_at(dirfd(dp), de->d_name);
        else if (unlinkat(dirfd(dp), de->d_name, 0) < 0 && errno == EISDIR) rmtree_at(dirfd(dp), de->d_name);
    }
    closedir(dp);
    return unlinkat(dfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

/* discard all volatile state (power cut) */
static void drop_volatile(void) {
    for (size_t k = 0; k < G.nall; k++) {
        struct inode *i = G.all[k];
        free_pages(i);
        if (i->fd >= 0) { close(i->fd); i->fd = -1; }
    }
    rmtree_at(G.rootfd, STAGE);
}
/* After a crash, best effort: drop the kernel's page cache of files that are
 * still open, so that already-open fds cannot keep reading cached data. Runs in
 * its own thread without G.lk (notifications must not be sent from a handler). */
struct pathlist { char **p; size_t n, cap; };
static void collect_open(struct inode *d, const char *prefix, struct pathlist *pl, int depth) {
    if (!d->loaded || depth > 64) return;
    for (size_t k = 0; k < d->vol.nb; k++)
        for (struct dent *e = d->vol.b[k]; e; e = e->next) {
            char p[PATH_MAX];
            if (snprintf(p, sizeof p, "%s/%s", prefix, e->name) >= (int)sizeof p) continue;
            if (S_ISDIR(e->ino->mode)) collect_open(e->ino, p, pl, depth + 1);
            else if (S_ISREG(e->ino->mode) && e->ino->opens > 0) {
                if (pl->n == pl->cap) { pl->cap = pl->cap ? 2 * pl->cap : 64; pl->p = realloc(pl->p, pl->cap * sizeof *pl->p); if (!pl->p) abort(); }
                pl->p[pl->n++] = strdup(p);
            }
        }
}
static void *inval_thread(void *arg) {
    struct pathlist *pl = arg;
    for (size_t k = 0; k < pl->n; k++) { if (G.fuse) fuse_invalidate_path(G.fuse, pl->p[k]); free(pl->p[k]); }
    free(pl->p); free(pl);
    return NULL;
}
/* "crash-partial": before losing power, the kernel may already have written
 * back some unsynced pages. Persist a random half of the dirty pages of files
 * that already have a backing object (whole 4 KiB pages, no torn sectors; no
 * truncates, no namespace operations). */
static void writeback_random(void) {
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    unsigned long long done = 0, total = 0;
    for (size_t k = 0; k < G.nall; k++) {
        struct inode *f = G.all[k];
        if (!S_ISREG(f->mode) || !f->has_backing || !f->pages.n || ensure_fd(f)) continue;
        for (size_t s = 0; s < f->pages.cap; s++) {
            if (!f->pages.v[s]) continue;
            total++;
            if (rand_r(&seed) & 1) continue;
            off_t ps = (off_t)f->pages.k[s] * PGSZ;
            if (ps >= f->size) continue;
            size_t l = f->size - ps < PGSZ ? (size_t)(f->size - ps) : PGSZ;
            if (pwrite(f->fd, f->pages.v[s], l, ps) == (ssize_t)l) done++;
        }
    }
    fprintf(stderr, "lossyfs: crash-partial: wrote back %llu of %llu unsynced pages\n", done, total);
}
static void do_crash(const char *why) {
    if (G.crashed) return;
    if (!strcmp(why, "crash-partial")) writeback_random();
    G.crashed = 1;
    struct pathlist *pl = calloc(1, sizeof *pl);
    if (pl) {
        collect_open(G.root, "", pl, 0);
        pthread_t t;
        if (pthread_create(&t, NULL, inval_thread, pl) == 0) pthread_detach(t);
    }
    drop_volatile();
    fprintf(stderr, "lossyfs: POWER CUT (%s): unsynced state discarded, all further I/O fails with EIO\n", why);
}

/* ---------------- FUSE operations --------------------------------------- */
#define ENTER() pthread_mutex_lock(&G.lk); if (G.crashed) { pthread_mutex_unlock(&G.lk); return -EIO; }
#define LEAVE(v) do { int _v = (v); pthread_mutex_unlock(&G.lk); return _v; } while (0)
#define FH(fi) ((struct inode *)(uintptr_t)(fi)->fh)

static int is_ctl(const char *path) { return path && !strcmp(path, CTL); }

static struct inode *getino(const char *path, struct fuse_file_info *fi, int *err) {
    if (fi && fi->fh) return FH(fi);
    if (!path) { *err = -ENOENT; return NULL; }
    return resolve(path, err);
}
static void fill_stat(struct inode *i, struct stat *st) {
    memset(st, 0, sizeof *st);
    st->st_ino = i->id; st->st_mode = i->mode; st->st_uid = i->uid; st->st_gid = i->gid;
    st->st_nlink = S_ISDIR(i->mode) ? (nlink_t)(2 + i->nsubdirs) : i->nlink;
    st->st_size = S_ISREG(i->mode) ? i->size : S_ISLNK(i->mode) ? (off_t)strlen(i->target ? i->target : "") : 4096;
    st->st_blksize = PGSZ; st->st_blocks = (st->st_size + 511) / 512;
    st->st_atim = i->atime; st->st_mtim = i->mtime; st->st_ctim = i->ctime;
}

static void *lf_init(struct fuse_conn_info *conn, struct fuse_config *cfg);
static void lf_destroy(void *p);

static int lf_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    ENTER();
    if (is_ctl(path) || (fi && FH(fi) == &G.ctl)) { fill_stat(&G.ctl, st); LEAVE(0); }
    int err = 0; struct inode *i = getino(path, fi, &err);
    if (!i) LEAVE(err);
    fill_stat(i, st);
    LEAVE(0);
}
static int lf_access(const char *path, int mask) {
    (void)mask; ENTER();
    if (is_ctl(path)) LEAVE(0);
    int err = 0; LEAVE(resolve(path, &err) ? 0 : err);
}
static int lf_readlink(const char *path, char *buf, size_t sz) {
    ENTER();
    int err = 0; struct inode *i = resolve(path, &err);
    if (!i) LEAVE(err);
    if (!S_ISLNK(i->mode)) LEAVE(-EINVAL);
    snprintf(buf, sz, "%s", i->target ? i->target : "");
    LEAVE(0);
}
static struct inode *mk(const char *path, mode_t mode, int *err, struct inode **parent, char *name) {
    struct inode *p = resolve_parent(path, name, NAME_MAX + 1, err);
    if (!p) return NULL;
    if (dm_get(&p->vol, name)) { *err = -EEXIST; return NULL; }
    struct inode *c = new_inode(mode);
    struct fuse_context *cx = fuse_get_context();
    c->uid = cx->uid; c->gid = cx->gid;
    if (p->mode & S_ISGID) { c->gid = p->gid; if (S_ISDIR(mode)) c->mode |= S_ISGID; }
    if (S_ISDIR(mode)) c->loaded = 1;
    vadd(p, name, c);
    *parent = p;
    return c;
}
static int lf_mknod(const char *path, mode_t mode, dev_t rdev) {
    (void)rdev; ENTER();
    if (!S_ISREG(mode)) LEAVE(-EPERM);
    int err = 0; struct inode *p; char name[NAME_MAX + 1];
    LEAVE(mk(path, mode, &err, &p, name) ? 0 : err);
}
static int lf_mkdir(const char *path, mode_t mode) {
    ENTER();
    int err = 0; struct inode *p; char name[NAME_MAX + 1];
    LEAVE(mk(path, S_IFDIR | (mode & 07777), &err, &p, name) ? 0 : err);
}
static int lf_symlink(const char *target, const char *path) {
    ENTER();
    int err = 0; struct inode *p; char name[NAME_MAX + 1];
    struct inode *c = mk(path, S_IFLNK | 0777, &err, &p, name);
    if (!c) LEAVE(err);
    c->target = strdup(target);
    LEAVE(0);
}
static int lf_unlink(const char *path) {
    ENTER();
    int err = 0; char name[NAME_MAX + 1];
    struct inode *p = resolve_parent(path, name, sizeof name, &err);
    if (!p) LEAVE(err);
    struct inode *c = dm_get(&p->vol, name);
    if (!c) LEAVE(-ENOENT);
    if (S_ISDIR(c->mode)) LEAVE(-EISDIR);
    vdel(p, name, c);
    maybe_dead(c);
    LEAVE(0);
}
static int lf_rmdir(const char *path) {
    ENTER();
    int err = 0; char name[NAME_MAX + 1];
    struct inode *p = resolve_parent(path, name, sizeof name, &err);
    if (!p) LEAVE(err);
    struct inode *c = dm_get(&p->vol, name);
    if (!c) LEAVE(-ENOENT);
    if (!S_ISDIR(c->mode)) LEAVE(-ENOTDIR);
    if ((err = load(c))) LEAVE(err);
    if (c->vol.n) LEAVE(-ENOTEMPTY);
    vdel(p, name, c);
    c->dead = 1; c->vparent = NULL;
    LEAVE(0);
}
static int lf_rename(const char *from, const char *to, unsigned int flags) {
    ENTER();
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) LEAVE(-EINVAL);
    int err = 0; char fn[NAME_MAX + 1], tn[NAME_MAX + 1];
    struct inode *fp = resolve_parent(from, fn, sizeof fn, &err);
    if (!fp) LEAVE(err);
    struct inode *tp = resolve_parent(to, tn, sizeof tn, &err);
    if (!tp) LEAVE(err);
    struct inode *c = dm_get(&fp->vol, fn);
    if (!c) LEAVE(-ENOENT);
    struct inode *t = dm_get(&tp->vol, tn);
    if (t == c) LEAVE(0);
    if (S_ISDIR(c->mode)) /* no moving a dir into itself */
        for (struct inode *a = tp; a; a = a->vparent) if (a == c) LEAVE(-EINVAL);
    if (flags & RENAME_EXCHANGE) {
        if (!t) LEAVE(-ENOENT);
        if (S_ISDIR(t->mode)) for (struct inode *a = fp; a; a = a->vparent) if (a == t) LEAVE(-EINVAL);
        vdel(fp, fn, c); vdel(tp, tn, t);
        vadd(fp, fn, t); vadd(tp, tn, c);
        LEAVE(0);
    }
    if (t) {
        if (flags & RENAME_NOREPLACE) LEAVE(-EEXIST);
        if (S_ISDIR(t->mode)) {
            if (!S_ISDIR(c->mode)) LEAVE(-EISDIR);
            if ((err = load(t))) LEAVE(err);
            if (t->vol.n) LEAVE(-ENOTEMPTY);
        } else if (S_ISDIR(c->mode)) LEAVE(-ENOTDIR);
        vdel(tp, tn, t);
        if (S_ISDIR(t->mode)) { t->dead = 1; t->vparent = NULL; } else maybe_dead(t);
    }
    vdel(fp, fn, c);
    vadd(tp, tn, c);
    now(&c->ctime);
    LEAVE(0);
}
static int lf_link(const char *from, const char *to) {
    ENTER();
    int err = 0; char name[NAME_MAX + 1];
    struct inode *c = resolve(from, &err);
    if (!c) LEAVE(err);
    if (S_ISDIR(c->mode)) LEAVE(-EPERM);
    struct inode *p = resolve_parent(to, name, sizeof name, &err);
    if (!p) LEAVE(err);
    if (dm_get(&p->vol, name)) LEAVE(-EEXIST);
    vadd(p, name, c);
    now(&c->ctime);
    LEAVE(0);
}
static int lf_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
    ENTER();
    int err = 0; struct inode *i = getino(path, fi, &err);
    if (!i) LEAVE(err);
    if (i == &G.ctl) LEAVE(0);
    i->mode = (i->mode & S_IFMT) | (mode & 07777); i->meta_dirty = 1; now(&i->ctime);
    LEAVE(0);
}
static int lf_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
    ENTER();
    int err = 0; struct inode *i = getino(path, fi, &err);
    if (!i) LEAVE(err);
    if (i == &G.ctl) LEAVE(0);
    if (uid != (uid_t)-1) i->uid = uid;
    if (gid != (gid_t)-1) i->gid = gid;
    i->meta_dirty = 1; now(&i->ctime);
    LEAVE(0);
}
static int lf_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
    ENTER();
    if (is_ctl(path) || (fi && FH(fi) == &G.ctl)) LEAVE(0);
    int err = 0; struct inode *i = getino(path, fi, &err);
    if (!i) LEAVE(err);
    if (S_ISDIR(i->mode)) LEAVE(-EISDIR);
    if (!S_ISREG(i->mode)) LEAVE(-EINVAL);
    if (size < 0) LEAVE(-EINVAL);
    do_truncate(i, size);
    LEAVE(0);
}
static int lf_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
    ENTER();
    int err = 0; struct inode *i = getino(path, fi, &err);
    if (!i) LEAVE(err);
    if (i == &G.ctl) LEAVE(0);
    struct timespec n; now(&n);
    if (tv[0].tv_nsec == UTIME_NOW) i->atime = n; else if (tv[0].tv_nsec != UTIME_OMIT) i->atime = tv[0];
    if (tv[1].tv_nsec == UTIME_NOW) i->mtime = n; else if (tv[1].tv_nsec != UTIME_OMIT) i->mtime = tv[1];
    i->ctime = n; i->meta_dirty = 1;
    LEAVE(0);
}
static int lf_open(const char *path, struct fuse_file_info *fi) {
    ENTER();
    if (is_ctl(path)) { fi->fh = (uintptr_t)&G.ctl; fi->direct_io = 1; LEAVE(0); }
    int err = 0; struct inode *i = resolve(path, &err);
    if (!i) LEAVE(err);
    if (S_ISDIR(i->mode)) LEAVE(-EISDIR);
    if (!S_ISREG(i->mode)) LEAVE(-EINVAL);
    if (fi->flags & O_TRUNC) do_truncate(i, 0);
    i->opens++;
    fi->fh = (uintptr_t)i;
    LEAVE(0);
}
static int lf_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
    ENTER();
    if (is_ctl(path)) { fi->fh = (uintptr_t)&G.ctl; fi->direct_io = 1; LEAVE(0); }
    int err = 0; struct inode *p; char name[NAME_MAX + 1];
    struct inode *i = resolve(path, &err);
    if (i) {
        if (fi->flags & O_EXCL) LEAVE(-EEXIST);
        if (!S_ISREG(i->mode)) LEAVE(-EISDIR);
        if (fi->flags & O_TRUNC) do_truncate(i, 0);
    } else {
        i = mk(path, S_IFREG | (mode & 07777), &err, &p, name);
        if (!i) LEAVE(err);
    }
    i->opens++;
    fi->fh = (uintptr_t)i;
    LEAVE(0);
}
static int lf_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void)path; ENTER();
    struct inode *i = FH(fi);
    if (i == &G.ctl) LEAVE(0);
    now(&i->atime);
    LEAVE(do_read(i, buf, size, off));
}
static int lf_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void)path; ENTER();
    struct inode *i = FH(fi);
    if (i == &G.ctl) {
        char cmd[32]; size_t n = size < sizeof cmd - 1 ? size : sizeof cmd - 1;
        memcpy(cmd, buf, n); cmd[n] = 0;
        while (n && (cmd[n - 1] == '\n' || cmd[n - 1] == ' ' || cmd[n - 1] == '\r')) cmd[--n] = 0;
        if (!strcmp(cmd, "crash")) { do_crash("ctl file"); LEAVE((int)size); }
        if (!strcmp(cmd, "crash-partial")) { do_crash("crash-partial"); LEAVE((int)size); }
        if (!strcmp(cmd, "sync")) { int r = sync_all(); LEAVE(r ? r : (int)size); }
        LEAVE(-EINVAL);
    }
    if (fi->flags & O_APPEND) off = i->size;
    LEAVE(do_write(i, buf, size, off));
}
static int lf_statfs(const char *path, struct statvfs *st) {
    (void)path; ENTER();
    LEAVE(fstatvfs(G.rootfd, st) < 0 ? -errno : 0);
}
static int lf_flush(const char *path, struct fuse_file_info *fi) { (void)path; (void)fi; ENTER(); LEAVE(0); }
static int lf_release(const char *path, struct fuse_file_info *fi) {
    (void)path;
    pthread_mutex_lock(&G.lk);           /* release must work even after a crash */
    struct inode *i = FH(fi);
    if (i && i != &G.ctl) {
        i->opens--;
        if (!G.crashed) maybe_dead(i);
        if (!G.crashed && i->opens == 0 && i->fd >= 0 && !i->pages.n) { close(i->fd); i->fd = -1; }
    }
    pthread_mutex_unlock(&G.lk);
    return 0;
}
static int lf_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void)path; (void)datasync; ENTER();
    struct inode *i = FH(fi);
    if (i == &G.ctl) LEAVE(0);
    G.n_fsync++;
    LEAVE(persist_file(i));
}
static int lf_opendir(const char *path, struct fuse_file_info *fi) {
    ENTER();
    int err = 0; struct inode *i = resolve(path, &err);
    if (!i) LEAVE(err);
    if (!S_ISDIR(i->mode)) LEAVE(-ENOTDIR);
    fi->fh = (uintptr_t)i;
    LEAVE(0);
}
static int lf_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags) {
    (void)path; (void)off; (void)flags; ENTER();
    struct inode *d = FH(fi);
    int r = load(d);
    if (r) LEAVE(r);
    struct stat st;
    fill_stat(d, &st); filler(buf, ".", &st, 0, 0);
    fill_stat(d->vparent ? d->vparent : d, &st); filler(buf, "..", &st, 0, 0);
    for (size_t k = 0; k < d->vol.nb; k++)
        for (struct dent *e = d->vol.b[k]; e; e = e->next) {
            fill_stat(e->ino, &st);
            if (filler(buf, e->name, &st, 0, 0)) LEAVE(0);
        }
    LEAVE(0);
}
static int lf_releasedir(const char *path, struct fuse_file_info *fi) { (void)path; (void)fi; return 0; }
static int lf_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
    (void)path; (void)datasync; ENTER();
    G.n_fsyncdir++;
    LEAVE(persist_dir(FH(fi)));
}
static int lf_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi) {
    (void)path; ENTER();
    struct inode *i = FH(fi);
    if (mode & ~FALLOC_FL_KEEP_SIZE) LEAVE(-EOPNOTSUPP);
    if (i == &G.ctl || !S_ISREG(i->mode)) LEAVE(-ENODEV);
    if (!(mode & FALLOC_FL_KEEP_SIZE) && off + len > i->size) do_truncate(i, off + len);
    LEAVE(0);
}

static const struct fuse_operations ops = {
    .init = lf_init, .destroy = lf_destroy,
    .getattr = lf_getattr, .access = lf_access, .readlink = lf_readlink,
    .mknod = lf_mknod, .mkdir = lf_mkdir, .symlink = lf_symlink,
    .unlink = lf_unlink, .rmdir = lf_rmdir, .rename = lf_rename, .link = lf_link,
    .chmod = lf_chmod, .chown = lf_chown, .truncate = lf_truncate, .utimens = lf_utimens,
    .open = lf_open, .create = lf_create, .read = lf_read, .write = lf_write,
    .statfs = lf_statfs, .flush = lf_flush, .release = lf_release, .fsync = lf_fsync,
    .opendir = lf_opendir, .readdir = lf_readdir, .releasedir = lf_releasedir,
    .fsyncdir = lf_fsyncdir, .fallocate = lf_fallocate,
};

/* ---------------- signals, init, main ----------------------------------- */
static void *sig_thread(void *arg) {
    sigset_t *set = arg; int sig;
    for (;;) {
        if (sigwait(set, &sig)) continue;
        pthread_mutex_lock(&G.lk);
        if (sig == SIGUSR1) do_crash("SIGUSR1");
        else if (sig == SIGUSR2 && !G.crashed) {
            int r = sync_all();
            fprintf(stderr, "lossyfs: SIGUSR2 sync -> %s\n", r ? strerror(-r) : "ok");
        }
        pthread_mutex_unlock(&G.lk);
    }
    return NULL;
}
static sigset_t sigs;

static void *lf_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
    (void)conn;
    cfg->use_ino = 1; cfg->readdir_ino = 1;
    cfg->hard_remove = 1; cfg->nullpath_ok = 1;
    cfg->entry_timeout = 1.0; cfg->attr_timeout = 0; /* 0: hard-link aliases are separate kernel inodes in the high-level API */ cfg->negative_timeout = 0;
    cfg->kernel_cache = 0; cfg->direct_io = 0;
    conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
    G.fuse = fuse_get_context()->fuse;
    pthread_t t;
    pthread_create(&t, NULL, sig_thread, &sigs);
    pthread_detach(t);
    return NULL;
}
static void lf_destroy(void *p) {
    (void)p;
    pthread_mutex_lock(&G.lk);
    if (!G.crashed) {
        if (G.sync_on_unmount) { int r = sync_all(); fprintf(stderr, "lossyfs: sync on unmount -> %s\n", r ? strerror(-r) : "ok"); }
        else fprintf(stderr, "lossyfs: unmount without crash: unsynced state discarded (use -o sync_on_unmount to keep it)\n");
        G.crashed = 1;
        drop_volatile();
    }
    fprintf(stderr, "lossyfs: unmounted (fsync calls: %llu, fsyncdir calls: %llu)\n", G.n_fsync, G.n_fsyncdir);
    pthread_mutex_unlock(&G.lk);
}

struct opts { int real_fsync, sync_on_unmount; };
static const struct fuse_opt optspec[] = {
    { "real_fsync", offsetof(struct opts, real_fsync), 1 },
    { "sync_on_unmount", offsetof(struct opts, sync_on_unmount), 1 },
    FUSE_OPT_END
};
static int opt_proc(void *data, const char *arg, int key, struct fuse_args *out) {
    (void)data; (void)out;
    if (key == FUSE_OPT_KEY_NONOPT && !G.backing) { G.backing = realpath(arg, NULL); if (!G.backing) { perror(arg); exit(1); } return 0; }
    return 1;
}

int main(int argc, char **argv) {
    struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
    struct opts o = {0};
    if (fuse_opt_parse(&args, &o, optspec, opt_proc) < 0) return 1;
    if (!G.backing) {
        fprintf(stderr, "usage: %s BACKING MOUNTPOINT [-f] [-o real_fsync,sync_on_unmount,allow_other,...]\n"
                        "  write 'crash', 'crash-partial' or 'sync' to MOUNTPOINT" CTL ", or send SIGUSR1 (crash) / SIGUSR2 (sync)\n", argv[0]);
        return 1;
    }
    G.real_fsync = o.real_fsync; G.sync_on_unmount = o.sync_on_unmount;
    G.rootfd = open(G.backing, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (G.rootfd < 0) { perror(G.backing); return 1; }
    rmtree_at(G.rootfd, STAGE);            /* leftovers of a killed instance are not durable */
    if (mkdirat(G.rootfd, STAGE, 0700) < 0) { perror("mkdir " STAGE); return 1; }
    /* stray temp names from a killed instance */
    {
        DIR *dp = opendir(G.backing); struct dirent *de;
        while (dp && (de = readdir(dp))) if (!strncmp(de->d_name, TMPPFX, strlen(TMPPFX))) unlinkat(G.rootfd, de->d_name, 0);
        if (dp) closedir(dp);
    }
    struct stat st;
    fstat(G.rootfd, &st);
    G.root = inode_from_stat(&st);
    G.ctl.mode = S_IFREG | 0666; G.ctl.id = (uint64_t)1 << 62; G.ctl.nlink = 1; G.ctl.fd = -1;
    now(&G.ctl.mtime); G.ctl.atime = G.ctl.ctime = G.ctl.mtime;
    char fsn[128]; snprintf(fsn, sizeof fsn, "-ofsname=lossyfs,subtype=lossyfs%s", geteuid() == 0 ? ",allow_other,default_permissions" : ",default_permissions");
    fuse_opt_add_arg(&args, fsn);
    sigemptyset(&sigs); sigaddset(&sigs, SIGUSR1); sigaddset(&sigs, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    int r = fuse_main(args.argc, args.argv, &ops, NULL);
    fuse_opt_free_args(&args);
    return r;
}
