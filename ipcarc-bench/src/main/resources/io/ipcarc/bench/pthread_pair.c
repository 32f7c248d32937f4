/*
 * The hardware floor for IpcArc's lock: lock + unlock of a robust, process-shared,
 * error-checking pthread mutex (the attributes IpcArc uses) in MAP_SHARED memory, timed with
 * clock_gettime(CLOCK_MONOTONIC). Usage: pthread_pair ITERATIONS RUNS
 * Prints one line "ns_per_op X" per run, after a warm-up of ITERATIONS/10 pairs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static void check(int rc, const char *what) {
    if (rc != 0) {
        fprintf(stderr, "%s failed: rc=%d\n", what, rc);
        exit(2);
    }
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s ITERATIONS RUNS\n", argv[0]);
        return 1;
    }
    long iterations = atol(argv[1]);
    int runs = atoi(argv[2]);
    pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    pthread_mutexattr_t attr;
    check(pthread_mutexattr_init(&attr), "pthread_mutexattr_init");
    check(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK), "pthread_mutexattr_settype");
    check(pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED), "pthread_mutexattr_setpshared");
    check(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust");
    check(pthread_mutex_init(m, &attr), "pthread_mutex_init");
    pthread_mutexattr_destroy(&attr);

    for (long i = 0; i < iterations / 10; i++) {
        check(pthread_mutex_lock(m), "pthread_mutex_lock");
        check(pthread_mutex_unlock(m), "pthread_mutex_unlock");
    }
    for (int r = 0; r < runs; r++) {
        double t0 = now_ns();
        for (long i = 0; i < iterations; i++) {
            if (__builtin_expect(pthread_mutex_lock(m) != 0, 0)) check(1, "pthread_mutex_lock");
            if (__builtin_expect(pthread_mutex_unlock(m) != 0, 0)) check(1, "pthread_mutex_unlock");
        }
        double t1 = now_ns();
        printf("ns_per_op %.3f\n", (t1 - t0) / (double) iterations);
        fflush(stdout);
    }
    return 0;
}
