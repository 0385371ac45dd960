// clockshift: an LD_PRELOAD library that moves the wall clock (CLOCK_REALTIME and what is built
// on it: gettimeofday, time) by CLOCKSHIFT_SECONDS, and nothing else. The date-sensitive suites
// run under it at awkward instants (scripts/faketime-suites.sh).
//
// Why not Debian's libfaketime 0.9.10: it also rewrites timerfd_settime deadlines, which are
// on the monotonic and boot clocks that Swift's Task.sleep and Dispatch timers use, into
// negative or far-future values (seen with strace: EINVAL, or a wait of decades), so every
// Task.sleep and Process.waitUntilExit in the daemon, the CLI and the test runner hangs. Here the
// monotonic clocks, timers and sleeps stay real; only "what time is it" moves, as it would on
// a station whose clock reads that date.
//
// Waits with an absolute wall-clock deadline (sem_timedwait: Dispatch semaphores;
// pthread_cond_timedwait: NSCondition; their clockwait forms and clock_nanosleep on the wall
// clock) take a deadline computed from the moved clock and handed to the kernel, which keeps the
// real one: the shift is taken off before the call, or a wait in the past would end at once.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long long shift_seconds(void) {
    static long long cached = 0;
    static int ready = 0;
    if (!ready) {
        const char *text = getenv("CLOCKSHIFT_SECONDS");
        cached = text ? strtoll(text, NULL, 10) : 0;
        ready = 1;
    }
    return cached;
}

static int is_wall_clock(clockid_t id) {
    return id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE || id == CLOCK_TAI;
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    static int (*real)(clockid_t, struct timespec *) = NULL;
    if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int result = real(id, ts);
    if (result == 0 && ts && is_wall_clock(id)) ts->tv_sec += shift_seconds();
    return result;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    static int (*real)(struct timeval *restrict, void *restrict) = NULL;
    if (!real) real = (int (*)(struct timeval *restrict, void *restrict))dlsym(RTLD_NEXT, "gettimeofday");
    int result = real(tv, tz);
    if (result == 0 && tv) tv->tv_sec += shift_seconds();
    return result;
}

time_t time(time_t *out) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (out) *out = ts.tv_sec;
    return ts.tv_sec;
}

/// The real instant of a deadline read off the moved clock.
static struct timespec unshifted(const struct timespec *abstime) {
    struct timespec real = *abstime;
    real.tv_sec -= shift_seconds();
    return real;
}

int sem_timedwait(sem_t *restrict sem, const struct timespec *restrict abstime) {
    static int (*real)(sem_t *restrict, const struct timespec *restrict) = NULL;
    if (!real) real = (int (*)(sem_t *restrict, const struct timespec *restrict))dlsym(RTLD_NEXT, "sem_timedwait");
    if (!abstime) return real(sem, abstime);
    struct timespec deadline = unshifted(abstime);
    return real(sem, &deadline);
}

int sem_clockwait(sem_t *restrict sem, clockid_t clock, const struct timespec *restrict abstime) {
    static int (*real)(sem_t *restrict, clockid_t, const struct timespec *restrict) = NULL;
    if (!real) real = (int (*)(sem_t *restrict, clockid_t, const struct timespec *restrict))dlsym(RTLD_NEXT, "sem_clockwait");
    if (!abstime || !is_wall_clock(clock)) return real(sem, clock, abstime);
    struct timespec deadline = unshifted(abstime);
    return real(sem, clock, &deadline);
}

// Condition variables here use the default (wall) clock; one set to the monotonic clock with
// pthread_condattr_setclock would be shifted wrongly, and none of the programs under test has one.
int pthread_cond_timedwait(pthread_cond_t *restrict cond, pthread_mutex_t *restrict mutex, const struct timespec *restrict abstime) {
    static int (*real)(pthread_cond_t *restrict, pthread_mutex_t *restrict, const struct timespec *restrict) = NULL;
    if (!real) real = (int (*)(pthread_cond_t *restrict, pthread_mutex_t *restrict, const struct timespec *restrict))
                   dlvsym(RTLD_NEXT, "pthread_cond_timedwait", "GLIBC_2.3.2");
    if (!abstime) return real(cond, mutex, abstime);
    struct timespec deadline = unshifted(abstime);
    return real(cond, mutex, &deadline);
}

int pthread_cond_clockwait(pthread_cond_t *restrict cond, pthread_mutex_t *restrict mutex, clockid_t clock,
                           const struct timespec *restrict abstime) {
    static int (*real)(pthread_cond_t *restrict, pthread_mutex_t *restrict, clockid_t, const struct timespec *restrict) = NULL;
    if (!real) real = (int (*)(pthread_cond_t *restrict, pthread_mutex_t *restrict, clockid_t, const struct timespec *restrict))
                   dlsym(RTLD_NEXT, "pthread_cond_clockwait");
    if (!abstime || !is_wall_clock(clock)) return real(cond, mutex, clock, abstime);
    struct timespec deadline = unshifted(abstime);
    return real(cond, mutex, clock, &deadline);
}

int pthread_mutex_timedlock(pthread_mutex_t *restrict mutex, const struct timespec *restrict abstime) {
    static int (*real)(pthread_mutex_t *restrict, const struct timespec *restrict) = NULL;
    if (!real) real = (int (*)(pthread_mutex_t *restrict, const struct timespec *restrict))dlsym(RTLD_NEXT, "pthread_mutex_timedlock");
    if (!abstime) return real(mutex, abstime);
    struct timespec deadline = unshifted(abstime);
    return real(mutex, &deadline);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remain) {
    static int (*real)(clockid_t, int, const struct timespec *, struct timespec *) = NULL;
    if (!real) real = (int (*)(clockid_t, int, const struct timespec *, struct timespec *))dlsym(RTLD_NEXT, "clock_nanosleep");
    if (!(flags & TIMER_ABSTIME) || !is_wall_clock(clock) || !request) return real(clock, flags, request, remain);
    struct timespec deadline = unshifted(request);
    return real(clock, flags, &deadline, remain);
}
