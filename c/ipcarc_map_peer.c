/*
 * ipcarc_map_peer - a C process on a map of ipcarc-map whose values are two longs (a, b), for the
 * conformance tests (ForeignMapConformanceTest). A KEY is l:<long> (a map of i64 keys) or
 * s:<text> (a map of utf8[n] keys: the text, NUL-padded).
 *
 *   get NAME KEY                 lock-free, without a reference: prints VALUE a b, or ABSENT
 *   put NAME KEY A B             under the stripe lock: prints PUT replaced=0|1
 *   put-many NAME FROM TO        l:FROM .. l:TO-1 with (k, -k): prints PUT count=N
 *   stop-at POINT NAME KEY A B   a put that stops at a crash point (the Java CrashPoint names),
 *                                prints STOPPED POINT and waits to be killed
 *   loop NAME KEYS SEED          puts (v, -v), v growing, on random keys l:0 .. l:KEYS-1 until killed;
 *                                prints LOOPING after the first
 *   size NAME                    prints SIZE n
 *
 * Exit status 0, or 1 with the error's message on stderr.
 *
 *   gcc -std=c11 -O2 -o ipcarc_map_peer c/ipcarc_map_peer.c -pthread
 */
#include "ipcarc.h"

static const char *stop_point;

static void stop_here(const char *point) {
    if (strcmp(point, stop_point) == 0) {
        printf("STOPPED %s\n", point);
        fflush(stdout);
        for (;;) {
            pause();
        }
    }
}

static void key_of(const ipcarc_map *m, const char *spec, uint8_t *key) {
    memset(key, 0, m->key_size);
    if (spec[0] == 'l' && spec[1] == ':') {
        int64_t v = strtoll(spec + 2, NULL, 10);
        memcpy(key, &v, 8);
    } else if (spec[0] == 's' && spec[1] == ':') {
        size_t n = strlen(spec + 2);
        memcpy(key, spec + 2, n < m->key_size ? n : m->key_size);
    } else {
        fprintf(stderr, "bad key: %s (l:<long> or s:<text>)\n", spec);
        exit(2);
    }
}

static int fail(const ipcarc_error *e) {
    fprintf(stderr, "%s\n", e->message);
    return 1;
}

static int put(ipcarc_map *m, const char *k, int64_t a, int64_t b, ipcarc_error *e) {
    uint8_t key[IPCARC_MAP_MAX_KEY_STRIDE];
    int64_t value[2] = {a, b};
    int replaced = 0;
    key_of(m, k, key);
    if (ipcarc_map_put(m, key, value, &replaced, e) != IPCARC_OK) {
        return -1;
    }
    return replaced;
}

int main(int argc, char **argv) {
    ipcarc_error e;
    ipcarc_map m;
    if (argc < 3) {
        fprintf(stderr, "usage: ipcarc_map_peer get|put|put-many|stop-at|loop|size ...\n");
        return 2;
    }
    const char *cmd = argv[1];
    int stop = strcmp(cmd, "stop-at") == 0;
    const char *name = argv[stop ? 3 : 2];
    if (ipcarc_map_open(&m, name, NULL, NULL, strcmp(cmd, "get") != 0 && strcmp(cmd, "size") != 0, &e) != IPCARC_OK) {
        return fail(&e);
    }
    if (m.value_size != 16) {
        fprintf(stderr, "values are not two longs: valueSize=%u\n", m.value_size);
        return 1;
    }
    if (strcmp(cmd, "get") == 0 && argc == 4) {
        uint8_t key[IPCARC_MAP_MAX_KEY_STRIDE];
        int64_t value[2];
        int found = 0;
        key_of(&m, argv[3], key);
        if (ipcarc_map_get(&m, key, value, &found, &e) != IPCARC_OK) {
            return fail(&e);
        }
        if (found) {
            printf("VALUE %lld %lld\n", (long long)value[0], (long long)value[1]);
        } else {
            printf("ABSENT\n");
        }
    } else if (strcmp(cmd, "put") == 0 && argc == 6) {
        int r = put(&m, argv[3], strtoll(argv[4], NULL, 10), strtoll(argv[5], NULL, 10), &e);
        if (r < 0) {
            return fail(&e);
        }
        printf("PUT replaced=%d\n", r);
    } else if (strcmp(cmd, "put-many") == 0 && argc == 5) {
        long long from = strtoll(argv[3], NULL, 10), to = strtoll(argv[4], NULL, 10);
        char k[32];
        for (long long i = from; i < to; i++) {
            snprintf(k, sizeof k, "l:%lld", i);
            if (put(&m, k, i, -i, &e) < 0) {
                return fail(&e);
            }
        }
        printf("PUT count=%lld\n", to - from);
    } else if (stop && argc == 7) {
        stop_point = argv[2];
        ipcarc_map_crash_point = stop_here;
        if (put(&m, argv[4], strtoll(argv[5], NULL, 10), strtoll(argv[6], NULL, 10), &e) < 0) {
            return fail(&e);
        }
        printf("NOT STOPPED\n");
    } else if (strcmp(cmd, "loop") == 0 && argc == 5) {
        long long keys = strtoll(argv[3], NULL, 10);
        uint64_t x = (uint64_t)strtoll(argv[4], NULL, 10) | 1;
        char k[32];
        for (long long v = 1;; v++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            snprintf(k, sizeof k, "l:%lld", (long long)(x % (uint64_t)keys));
            if (put(&m, k, v, -v, &e) < 0) {
                if (e.code != IPCARC_E_STATE) { /* a stripe a killed writer left: Java repairs it; try another key */
                    return fail(&e);
                }
                ipcarc__sleep_ns(100000);
            }
            if (v == 1) {
                printf("LOOPING\n");
                fflush(stdout);
            }
        }
    } else if (strcmp(cmd, "size") == 0) {
        printf("SIZE %llu\n", (unsigned long long)ipcarc_map_size(&m));
    } else {
        fprintf(stderr, "bad arguments for %s\n", cmd);
        return 2;
    }
    ipcarc_map_close(&m, &e);
    return 0;
}
