/*
 * ipcarc_kinds_peer - a C process reading and writing the payload kinds of docs/interop.md
 * (strings, enums, arrays of records) in segments made by Java, and racing the last close with
 * lock-free reads. The conformance tests of the Java build (ipcarc-posix: CPeerConformanceTest)
 * build and run it.
 *
 *   gcc -std=c11 -O2 -o ipcarc_kinds_peer c/ipcarc_kinds_peer.c -pthread
 *   ipcarc_kinds_peer show NAME                            # lock-free read, decoded from the descriptor (any C library)
 *   ipcarc_kinds_peer set-quote NAME SYMBOL SIDE PRICE QTY # write a Records.Quote under the lock (glibc)
 *   ipcarc_kinds_peer race PREFIX                          # for each line "GO r" on stdin: attach PREFIX-r without a
 *                                                          # reference, read until it is unlinked, count values not
 *                                                          # written by its creator (a Records.Triple a, 2a, 3a with a = r + 1)
 *
 * One line per event on stdout; exit 0 on success, 1 on an IpcArc error (its message on stderr),
 * 2 on a usage error.
 */
#include "ipcarc.h"

/* Records.Quote: struct { char symbol[16]; uint8_t side; int64_t price; int32_t qty; } = 0, 16, 24, 32; size 40. */
#define QUOTE_DESCRIPTOR "io.ipcarc.testing.Records$Quote{symbol:utf8[16],side:Side(BUY,SELL,HOLD),price:i64,qty:i32}"
typedef struct quote {
    char symbol[16];
    uint8_t side;
    int64_t price;
    int32_t qty;
} quote;
_Static_assert(offsetof(quote, side) == 16 && offsetof(quote, price) == 24 && offsetof(quote, qty) == 32 && sizeof(quote) == 40,
               "Records.Quote layout");

#define TRIPLE_DESCRIPTOR "io.ipcarc.testing.Records$Triple{a:i64,b:i64,c:i64}"

static int fail(const ipcarc_error *e) {
    fprintf(stderr, "ipcarc_kinds_peer: %s\n", e->message);
    return 1;
}

static int usage(const char *why) {
    fprintf(stderr, "ipcarc_kinds_peer: %s (usage: ipcarc_kinds_peer show NAME | set-quote NAME SYMBOL SIDE PRICE QTY"
                    " | race PREFIX)\n", why);
    return 2;
}

static int show(const char *name) {
    ipcarc_segment s;
    ipcarc_error e;
    if (ipcarc_open(&s, name, NULL, &e) != IPCARC_OK) {
        return fail(&e);
    }
    unsigned char *value = malloc(s.payload_size);
    char text[4096];
    const char *descriptor = (const char *)s.h + IPCARC_DESCRIPTOR_OFFSET;
    char *d = strndup(descriptor, s.h->descriptor_length);
    int rc = 0;
    if (value == NULL || d == NULL) {
        fprintf(stderr, "ipcarc_kinds_peer: out of memory\n");
        rc = 1;
    } else if (ipcarc_read(&s, value, &e) != IPCARC_OK || ipcarc_format(d, value, s.payload_size, text, sizeof text, &e) != IPCARC_OK) {
        rc = fail(&e);
    } else {
        printf("VALUE %s\n", text);
    }
    free(d);
    free(value);
    ipcarc_close(&s);
    return rc;
}

static int set_quote(const char *name, const char *symbol, const char *side, long long price, long long qty) {
    static const char *const sides[] = {"BUY", "SELL", "HOLD"};
    quote q;
    memset(&q, 0, sizeof q);
    size_t len = strlen(symbol);
    if (len > sizeof q.symbol) { /* as Java refuses it: never truncated */
        fprintf(stderr, "ipcarc_kinds_peer: string too long for its capacity: component=symbol, capacity=16, length=%zu\n", len);
        return 2;
    }
    memcpy(q.symbol, symbol, len); /* NUL padding: memset above */
    int found = -1;
    for (int i = 0; i < 3; i++) {
        found = strcmp(side, sides[i]) == 0 ? i : found;
    }
    if (found < 0) {
        return usage("SIDE must be BUY, SELL or HOLD");
    }
    q.side = (uint8_t)found;
    q.price = price;
    q.qty = (int32_t)qty;
    ipcarc_segment s;
    ipcarc_error e;
    if (ipcarc_load(&s, name, QUOTE_DESCRIPTOR, &e) != IPCARC_OK) {
        return fail(&e);
    }
    ipcarc_guard g;
    int rc = 0;
    if (ipcarc_lock(&s, &g, -1, &e) != IPCARC_OK) {
        rc = fail(&e);
    } else {
        ipcarc_guard_set(&g, &q);
        if (ipcarc_unlock(&g, &e) != IPCARC_OK) {
            rc = fail(&e);
        } else {
            printf("SET\n");
        }
    }
    if (ipcarc_release(&s, &e) != IPCARC_OK && rc == 0) {
        rc = fail(&e);
    }
    ipcarc_close(&s);
    return rc;
}

/* For each "GO r": attach PREFIX-r (no reference), read until unlinked; report values its creator did not write. */
static int race(const char *prefix) {
    char line[64];
    while (fgets(line, sizeof line, stdin) != NULL) {
        long long r;
        if (sscanf(line, "GO %lld", &r) != 1) {
            continue;
        }
        char name[300];
        snprintf(name, sizeof name, "%s-%lld", prefix, r);
        ipcarc_segment s;
        ipcarc_error e;
        if (ipcarc_open(&s, name, TRIPLE_DESCRIPTOR, &e) != IPCARC_OK) {
            printf("GONE %lld reads=0 bad=0 open=%d\n", r, (int)e.code);
            fflush(stdout);
            continue;
        }
        long long reads = 0, bad = 0;
        int64_t v[3];
        int announced = 0;
        for (;;) {
            ipcarc_status st = ipcarc_read(&s, v, &e);
            if (st == IPCARC_E_NOT_FOUND) {
                break;
            }
            if (st != IPCARC_OK) {
                ipcarc_close(&s);
                return fail(&e);
            }
            reads++;
            if (v[0] != r + 1 || v[1] != 2 * (r + 1) || v[2] != 3 * (r + 1)) {
                if (++bad <= 5) {
                    fprintf(stderr, "BAD round %lld returned %lld %lld %lld\n", r, (long long)v[0], (long long)v[1],
                            (long long)v[2]);
                }
            }
            if (!announced) {
                printf("READING %lld go\n", r);
                fflush(stdout);
                announced = 1;
            }
        }
        ipcarc_close(&s);
        printf("GONE %lld reads=%lld bad=%lld\n", r, reads, bad);
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        return usage("missing arguments");
    }
    if (strcmp(argv[1], "show") == 0 && argc == 3) {
        return show(argv[2]);
    }
    if (strcmp(argv[1], "set-quote") == 0 && argc == 7) {
        return set_quote(argv[2], argv[3], argv[4], strtoll(argv[5], NULL, 10), strtoll(argv[6], NULL, 10));
    }
    if (strcmp(argv[1], "race") == 0 && argc == 3) {
        return race(argv[2]);
    }
    return usage("unknown command");
}
