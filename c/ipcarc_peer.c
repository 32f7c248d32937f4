/*
 * ipcarc_peer - a C process on an IpcArc<Long> segment made by Java, written against ipcarc.h
 * alone. The conformance tests of the Java build (ipcarc-posix: CPeerConformanceTest,
 * MuslPeerTest) build and run it; it is also the example of docs/interop.md.
 *
 *   gcc -std=c11 -O2 -o ipcarc_peer c/ipcarc_peer.c -pthread
 *   ipcarc_peer increment /counter 100000   # +1 under the lock, 100000 times (--after-go: first wait for a line on stdin)
 *   ipcarc_peer hold /counter 42            # lock, write 42, report, keep the lock until killed
 *   ipcarc_peer register /counter           # hold a reference until killed
 *   ipcarc_peer probe /counter              # what this process may do: register, lock, read lock-free
 *   ipcarc_peer await /counter 5000         # wait (at most 5000 ms) for the next change
 *   ipcarc_peer set /counter 7              # write 7 under the lock
 *
 * One line per event on stdout; exit 0 on success, 1 on an IpcArc error (its message on
 * stderr), 2 on a usage error (one line on stderr).
 */
#include "ipcarc.h"

static int fail(const ipcarc_error *e) {
    fprintf(stderr, "ipcarc_peer: %s\n", e->message);
    return 1;
}

static int usage(const char *why) {
    fprintf(stderr, "ipcarc_peer: %s (usage: ipcarc_peer increment|hold|register|probe|await|set NAME [N])\n", why);
    return 2;
}

static int parse_long(const char *text, long long *out) {
    char *end;
    errno = 0;
    *out = strtoll(text, &end, 10);
    return errno == 0 && end != text && *end == '\0';
}

static void wait_until_killed(void) {
    fflush(stdout);
    for (;;) {
        pause();
    }
}

static int64_t get_long(const void *p) {
    int64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static int increment(ipcarc_segment *s, long long n, int after_go) {
    ipcarc_error e;
    if (after_go) {
        char line[16];
        fflush(stdout);
        if (fgets(line, sizeof line, stdin) == NULL) { /* so that several processes start at once */
            fprintf(stderr, "ipcarc_peer: no go line on stdin\n");
            return 1;
        }
    }
    long long contended = 0; /* locks that found the mutex held by another process */
    for (long long i = 0; i < n; i++) {
        ipcarc_guard g;
        ipcarc_status st = ipcarc_lock(s, &g, 0, &e);
        if (st == IPCARC_E_BUSY) {
            contended++;
            st = ipcarc_lock(s, &g, -1, &e);
        }
        if (st != IPCARC_OK) {
            return fail(&e);
        }
        int64_t v = get_long(ipcarc_guard_view(&g)) + 1;
        ipcarc_guard_set(&g, &v);
        if (ipcarc_unlock(&g, &e) != IPCARC_OK) {
            return fail(&e);
        }
    }
    printf("DONE %lld contended=%lld\n", n, contended);
    return 0;
}

static int set(ipcarc_segment *s, long long value) {
    ipcarc_error e;
    ipcarc_guard g;
    if (ipcarc_lock(s, &g, -1, &e) != IPCARC_OK) {
        return fail(&e);
    }
    int64_t v = value;
    ipcarc_guard_set(&g, &v);
    if (ipcarc_unlock(&g, &e) != IPCARC_OK) {
        return fail(&e);
    }
    printf("SET %lld\n", value);
    return 0;
}

static int hold(ipcarc_segment *s, long long value) {
    ipcarc_error e;
    ipcarc_guard g;
    if (ipcarc_lock(s, &g, -1, &e) != IPCARC_OK) {
        return fail(&e);
    }
    printf("OWNER_DIED %s VALUE %lld\n", g.owner_died ? "true" : "false", (long long)get_long(ipcarc_guard_view(&g)));
    int64_t v = value;
    ipcarc_guard_set(&g, &v);
    printf("LOCKED\n");
    wait_until_killed();
    return 0;
}

/* Everything a process may do with the segment, each step reported: never exits on a refusal. */
static int probe(const char *name) {
    ipcarc_segment s;
    ipcarc_error e;
    char lib[64];
    if (ipcarc_open(&s, name, "i64", &e) != IPCARC_OK) {
        return fail(&e);
    }
    printf("OPENED library=%s lockable=%s mode=%s\n", ipcarc_own_c_library(lib, sizeof lib), s.lockable ? "true" : "false",
           s.crash_atomic ? "crash-atomic" : "raw");
    int registered = ipcarc_register(&s, &e) == IPCARC_OK;
    if (registered) {
        printf("REGISTERED refcount=%llu\n", (unsigned long long)ipcarc_refcount(&s));
    } else {
        printf("REGISTER_REFUSED code=%d %s\n", e.code, e.message);
    }
    ipcarc_guard g;
    if (ipcarc_lock(&s, &g, 1000000000, &e) == IPCARC_OK) {
        printf("LOCKED value=%lld ownerDied=%s\n", (long long)get_long(ipcarc_guard_view(&g)), g.owner_died ? "true" : "false");
        ipcarc_unlock(&g, &e);
    } else {
        printf("LOCK_REFUSED code=%d %s\n", e.code, e.message);
    }
    int64_t v;
    if (ipcarc_read(&s, &v, &e) == IPCARC_OK) {
        printf("READ %lld\n", (long long)v);
    } else {
        printf("READ_FAILED code=%d %s\n", e.code, e.message);
    }
    if (registered && ipcarc_release(&s, &e) != IPCARC_OK) {
        ipcarc_close(&s);
        return fail(&e);
    }
    ipcarc_close(&s);
    return 0;
}

static int await_change(ipcarc_segment *s, long long millis) {
    ipcarc_error e;
    uint64_t v = ipcarc_version(s), now;
    printf("VERSION %llu\n", (unsigned long long)v);
    fflush(stdout);
    if (ipcarc_await_change(s, v, millis * 1000000, &now, &e) != IPCARC_OK) {
        return fail(&e);
    }
    int64_t value;
    if (ipcarc_read(s, &value, &e) != IPCARC_OK) {
        return fail(&e);
    }
    printf("%s %llu VALUE %lld\n", now != v ? "CHANGED" : "TIMEOUT", (unsigned long long)now, (long long)value);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3) {
        return usage("missing arguments");
    }
    const char *cmd = argv[1];
    const char *name = argv[2];
    long long n = 0;
    int needs_n = strcmp(cmd, "increment") == 0 || strcmp(cmd, "hold") == 0 || strcmp(cmd, "await") == 0 || strcmp(cmd, "set") == 0;
    if (needs_n && (argc < 4 || !parse_long(argv[3], &n))) {
        return usage("expected a number after the name");
    }
    if (strcmp(cmd, "probe") == 0) {
        return probe(name);
    }
    if (!needs_n && strcmp(cmd, "register") != 0) {
        return usage("unknown command");
    }
    ipcarc_segment s;
    ipcarc_error e;
    if (ipcarc_load(&s, name, "i64", &e) != IPCARC_OK) {
        return fail(&e);
    }
    printf("LOADED slot=%d holderId=%llu mode=%s refcount=%llu\n", s.slot, (unsigned long long)ipcarc_holder_id(&s),
           s.crash_atomic ? "crash-atomic" : "raw", (unsigned long long)ipcarc_refcount(&s));
    int rc;
    if (strcmp(cmd, "increment") == 0) {
        rc = increment(&s, n, argc > 4 && strcmp(argv[4], "--after-go") == 0);
    } else if (strcmp(cmd, "hold") == 0) {
        rc = hold(&s, n);
    } else if (strcmp(cmd, "await") == 0) {
        rc = await_change(&s, n);
    } else if (strcmp(cmd, "set") == 0) {
        rc = set(&s, n);
    } else {
        printf("REGISTERED\n");
        wait_until_killed();
        rc = 0;
    }
    if (ipcarc_release(&s, &e) != IPCARC_OK) {
        rc = fail(&e);
    } else {
        printf("RELEASED\n");
    }
    ipcarc_close(&s);
    return rc;
}
