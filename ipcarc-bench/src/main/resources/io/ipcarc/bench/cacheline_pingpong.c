/*
 * The physical floor for a ping-pong between two processes: one 64-byte cache line in
 * MAP_SHARED memory, bounced between a parent and a forked child. The parent stores i in the
 * line's first word and spins until the child has copied it into the second word; the child
 * spins on the first word and copies each new value. A round trip is two transfers of the line
 * between the cores. Usage: cacheline_pingpong WARMUP ROUNDS
 * Prints "RESULT count p50 p90 p99 p99.9 max mean" in nanoseconds (CLOCK_MONOTONIC), like the
 * Java ping-pong roles.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct line {
    volatile int64_t ping;
    volatile int64_t pong;
    char pad[48];
} __attribute__((aligned(64)));

static inline void spin_hint(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

static int64_t percentile(const int64_t *sorted, long n, double p) {
    long i = (long) (p / 100.0 * (double) n);
    return sorted[i >= n ? n - 1 : i];
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s WARMUP ROUNDS\n", argv[0]);
        return 1;
    }
    long warm = atol(argv[1]);
    long total = atol(argv[2]);
    if (warm < 0 || total <= warm) {
        fprintf(stderr, "need 0 <= WARMUP < ROUNDS\n");
        return 1;
    }
    struct line *l = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (l == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    l->ping = -1;
    l->pong = -1;
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 2;
    }
    if (child == 0) {
        for (int64_t seen = -1; seen < total - 1;) {
            int64_t v = l->ping;
            if (v != seen) {
                l->pong = v;
                seen = v;
            } else {
                spin_hint();
            }
        }
        _exit(0);
    }
    int64_t *rtt = malloc(sizeof(int64_t) * (size_t) (total - warm));
    if (rtt == NULL) {
        perror("malloc");
        return 2;
    }
    for (int64_t i = 0; i < total; i++) {
        int64_t t0 = now_ns();
        l->ping = i;
        while (l->pong != i) {
            spin_hint();
        }
        int64_t t1 = now_ns();
        if (i >= warm) {
            rtt[i - warm] = t1 - t0;
        }
    }
    waitpid(child, NULL, 0);
    long n = total - warm;
    double sum = 0;
    for (long i = 0; i < n; i++) {
        sum += (double) rtt[i];
    }
    qsort(rtt, (size_t) n, sizeof(int64_t), compare);
    printf("RESULT %ld %lld %lld %lld %lld %lld %.0f\n", n, (long long) percentile(rtt, n, 50),
           (long long) percentile(rtt, n, 90), (long long) percentile(rtt, n, 99), (long long) percentile(rtt, n, 99.9),
           (long long) rtt[n - 1], sum / (double) n);
    return 0;
}
