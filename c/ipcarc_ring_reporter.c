/*
 * ipcarc_ring_reporter - the example apps' reporter in C, written against ipcarc.h and
 * ipcarc_tick.h alone: follows the Java writer's ring of ticks as reader ID and appends every
 * entry to DIR/output_ID.csv exactly once across SIGKILLs and restarts, byte for byte what the
 * Java reporter (java -jar ipcarc-examples.jar reporter ID) writes. The conformance test
 * (ipcarc-examples: ForeignRingReportersTest) builds it with gcc and runs it beside a Java reporter.
 *
 *   gcc -std=c11 -O2 -o ipcarc_ring_reporter c/ipcarc_ring_reporter.c -pthread
 *   ipcarc_ring_reporter ID [--name /rpt_sys_shm] [--out DIR] [--from oldest|latest]
 *
 * Exactly once: the file is written (write(2)) before the position is committed; on start a
 * partial last line is cut off and reading resumes right after the last complete line's seq.
 * DIR/output_ID.ring records the ring's id; a CSV of another ring is renamed aside, never deleted.
 * SIGINT/SIGTERM: writes what it has, commits, detaches (slot kept for a restart), exit 0.
 * Exit 1 on an error (one line on stderr), 2 on bad usage.
 */
#include "ipcarc.h"
#include "ipcarc_tick.h"

#include <signal.h>
#include <sys/time.h>

#define BATCH 4096
#define FLUSH_NS INT64_C(10000000)
#define BUFFER (1 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

typedef struct output {
    int fd;
    char path[4096];
    char buf[BUFFER];
    size_t used;
    long long bad;
    int id;
} output;

static int usage(const char *why) {
    fprintf(stderr, "usage error: %s (usage: ipcarc_ring_reporter ID [--name NAME] [--out DIR] [--from oldest|latest])\n", why);
    return 2;
}

static void die(const char *what, const char *path) {
    fprintf(stderr, "ipcarc_ring_reporter: %s failed: errno=%s, file=%s\n", what, ipcarc_errno_name(errno), path);
    exit(1);
}

static void write_all(int fd, const char *p, size_t n, const char *path) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("write", path);
        }
        p += w;
        n -= (size_t)w;
    }
}

static void flush_out(output *o) {
    write_all(o->fd, o->buf, o->used, o->path);
    o->used = 0;
}

static void on_entry(void *ctx, uint64_t seq, const uint8_t *entry) {
    output *o = (output *)ctx;
    if (BUFFER - o->used < IPCARC_TICK_MAX_LINE) {
        flush_out(o);
    }
    o->used += (size_t)ipcarc_tick_csv(entry, seq, o->buf + o->used);
    if (!ipcarc_tick_check(entry, seq)) {
        o->bad++;
        fprintf(stderr, "reporter %d: BAD ENTRY seq=%llu\n", o->id, (unsigned long long)seq);
    }
}

static void on_loss(void *ctx, uint64_t from, uint64_t to) {
    output *o = (output *)ctx;
    fprintf(stderr, "reporter %d: LOST seq %llu..%llu (%llu entries): the writer overwrote them\n", o->id, (unsigned long long)from,
            (unsigned long long)(to - 1), (unsigned long long)(to - from));
}

/** The ring id recorded beside the CSV ("ring=<16 hex digits> segment=NAME"), or "" if none. */
static void read_ring_file(const char *path, char hex[17]) {
    hex[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return;
    }
    char line[512];
    if (fgets(line, sizeof line, f) != NULL && strncmp(line, "ring=", 5) == 0) {
        size_t n = strcspn(line + 5, " \n");
        if (n > 16) {
            n = 16;
        }
        memcpy(hex, line + 5, n);
        hex[n] = '\0';
    }
    fclose(f);
}

/** mkdir -p: creates dir and its missing parents. */
static void make_dirs(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        die("mkdir", dir);
    }
}

/**
 * Opens (and reconciles) or creates DIR/output_ID.csv for ring ring_hex, as the Java CsvOutput does.
 * Returns the last complete line's seq, or -1.
 */
static long long open_output(output *o, const char *dir, int id, const char *ring_hex, const char *segment) {
    char meta[4096];
    char previous[17];
    make_dirs(dir);
    snprintf(o->path, sizeof o->path, "%s/output_%d.csv", dir, id);
    snprintf(meta, sizeof meta, "%s/output_%d.ring", dir, id);
    if (access(o->path, F_OK) == 0) {
        read_ring_file(meta, previous);
        if (strcmp(previous, ring_hex) != 0) {
            struct timeval tv;
            gettimeofday(&tv, NULL);
            long long ms = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
            char aside[4200];
            snprintf(aside, sizeof aside, "%s/output_%d.ring-%s-%lld.csv", dir, id, previous[0] ? previous : "unknown", ms);
            if (rename(o->path, aside) != 0) {
                die("rename", o->path);
            }
            char aside_meta[4200];
            snprintf(aside_meta, sizeof aside_meta, "%s/output_%d.ring-%s-%lld.ring", dir, id, previous[0] ? previous : "unknown", ms);
            rename(meta, aside_meta);
            fprintf(stderr, "reporter %d: output came from another ring; moved it aside to %s\n", id, aside);
        }
    }
    if (access(o->path, F_OK) != 0) {
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s/output_%d.ring.tmp", dir, id);
        FILE *f = fopen(tmp, "w");
        if (f == NULL || fprintf(f, "ring=%s segment=%s\n", ring_hex, segment) < 0 || fclose(f) != 0 || rename(tmp, meta) != 0) {
            die("write ring file", meta);
        }
        o->fd = open(o->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (o->fd < 0) {
            die("open", o->path);
        }
        write_all(o->fd, IPCARC_TICK_CSV_HEADER "\n", strlen(IPCARC_TICK_CSV_HEADER) + 1, o->path);
        return -1;
    }
    o->fd = open(o->path, O_RDWR | O_CLOEXEC);
    if (o->fd < 0) {
        die("open", o->path);
    }
    struct stat st;
    if (fstat(o->fd, &st) != 0) {
        die("fstat", o->path);
    }
    off_t size = st.st_size;
    if (size == 0) {
        write_all(o->fd, IPCARC_TICK_CSV_HEADER "\n", strlen(IPCARC_TICK_CSV_HEADER) + 1, o->path);
        return -1;
    }
    char t[4096];
    size_t tail = size < 4096 ? (size_t)size : 4096;
    if (pread(o->fd, t, tail, size - (off_t)tail) != (ssize_t)tail) {
        die("pread", o->path);
    }
    long last_nl = -1;
    for (long i = (long)tail - 1; i >= 0; i--) {
        if (t[i] == '\n') {
            last_nl = i;
            break;
        }
    }
    if (last_nl < 0) {
        if ((size_t)size > tail) {
            fprintf(stderr, "ipcarc_ring_reporter: no line end in the last 4096 bytes: file=%s\n", o->path);
            exit(1);
        }
        if (ftruncate(o->fd, 0) != 0) {
            die("ftruncate", o->path);
        }
        lseek(o->fd, 0, SEEK_SET);
        write_all(o->fd, IPCARC_TICK_CSV_HEADER "\n", strlen(IPCARC_TICK_CSV_HEADER) + 1, o->path);
        return -1;
    }
    off_t complete = size - (off_t)tail + last_nl + 1;
    if (complete < size) {
        if (ftruncate(o->fd, complete) != 0) {
            die("ftruncate", o->path);
        }
        fprintf(stderr, "output: cut a partial last line: file=%s, bytes=%lld\n", o->path, (long long)(size - complete));
    }
    lseek(o->fd, 0, SEEK_END);
    long start = last_nl - 1;
    while (start >= 0 && t[start] != '\n') {
        start--;
    }
    char line[4096];
    size_t len = (size_t)(last_nl - start - 1);
    memcpy(line, t + start + 1, len);
    line[len] = '\0';
    if (strcmp(line, IPCARC_TICK_CSV_HEADER) == 0) {
        return -1;
    }
    char *end;
    long long seq = strtoll(line, &end, 10);
    if (end == line || (*end != ',' && *end != '\0')) {
        fprintf(stderr, "ipcarc_ring_reporter: last line does not start with a sequence: file=%s, line=%s\n", o->path, line);
        exit(1);
    }
    return seq;
}

static int64_t now_ns(void) {
    return ipcarc__now_ns();
}

int main(int argc, char **argv) {
    const char *name = "/rpt_sys_shm";
    const char *dir = ".";
    int from_latest = 0;
    if (argc < 2) {
        return usage("missing ID");
    }
    char *end;
    long id = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || id < 0 || id >= (long)IPCARC_RING_MAX_READERS) {
        return usage("reporter ID must be from 0 to 63");
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
            name = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "latest") == 0) {
                from_latest = 1;
            } else if (strcmp(argv[i], "oldest") != 0) {
                return usage("--from must be oldest or latest");
            }
        } else {
            return usage("unknown option");
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a futex wait returns at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A closed stderr (a parent that closed the pipe after SIGTERM, as java.lang.Process.destroy
     * does) must not kill the reporter before it commits and detaches: EPIPE instead of SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);

    ipcarc_ring ring;
    ipcarc_error e;
    int waited = 0;
    for (;;) {
        ipcarc_status st = ipcarc_ring_load(&ring, name, IPCARC_TICK_DESCRIPTOR, IPCARC_TICK_SIZE, &e);
        if (st == IPCARC_OK) {
            break;
        }
        if (st != IPCARC_E_NOT_FOUND) {
            fprintf(stderr, "reporter %ld: error: %s\n", id, e.message);
            return 1;
        }
        if (!waited) {
            fprintf(stderr, "reporter %ld: waiting for the writer's segment %s ...\n", id, name);
            waited = 1;
        }
        if (stop) {
            return 0;
        }
        ipcarc__sleep_ns(20000000);
    }
    if ((uint32_t)id >= ring.reader_slots) {
        fprintf(stderr, "usage error: reporter ID must be from 0 to %u for this ring: ID=%ld, name=%s\n", ring.reader_slots - 1, id,
                ring.seg.name);
        ipcarc_ring_close(&ring, &e);
        return 2;
    }
    ipcarc_ring_reader rd;
    if (ipcarc_ring_claim_reader(&ring, (uint32_t)id, from_latest, &rd, &e) != IPCARC_OK) {
        fprintf(stderr, "reporter %ld: error: %s\n", id, e.message);
        ipcarc_ring_close(&ring, &e);
        return 1;
    }
    static output o;
    o.id = (int)id;
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)ring.ring_id);
    long long last = open_output(&o, dir, (int)id, hex, ring.seg.name);
    unsigned long long stored = rd.position;
    if (last >= 0) {
        ipcarc_ring_seek(&rd, (uint64_t)last + 1); /* resume right after the last complete line, forwards or back */
    }
    ipcarc_ring_commit(&rd);
    fprintf(stderr, "reporter %ld: ring=%s name=%s resuming at seq=%llu (stored=%llu, file ends at %lld), output=%s\n", id, hex,
            ring.seg.name, (unsigned long long)rd.position, stored, last, o.path);

    uint64_t flush_at = ring.capacity / 4 > 0 ? ring.capacity / 4 : 1;
    int64_t pending_since = 0;
    int idle = 0;
    while (!stop) {
        uint64_t before = rd.position;
        ipcarc_ring_poll(&rd, on_entry, on_loss, &o, BATCH);
        int64_t now = now_ns();
        int progress = rd.position != before;
        if (progress && rd.position - rd.committed == rd.position - before) {
            pending_since = now; /* the first uncommitted entries */
        }
        uint64_t pending = rd.position - rd.committed;
        /* Write and commit in batches (a quarter ring, or what came in the last 10 ms): exactly
         * once either way, the file is written before the position is stored. */
        if (pending > 0 && (pending >= flush_at || now - pending_since >= FLUSH_NS)) {
            flush_out(&o);
            ipcarc_ring_commit(&rd);
            pending = 0;
        }
        if (progress) {
            idle = 0;
        } else {
            ipcarc_ring_idle(&rd, idle++, pending > 0 ? FLUSH_NS - (now - pending_since) : FLUSH_NS * 10);
        }
    }
    flush_out(&o);
    ipcarc_ring_commit(&rd);
    fprintf(stderr, "reporter %ld: stopped at seq=%llu, lost=%llu, bad=%lld; slot kept (detached) for a restart\n", id,
            (unsigned long long)rd.position, (unsigned long long)rd.lost, o.bad);
    close(o.fd);
    int rc = o.bad == 0 ? 0 : 1;
    if (ipcarc_ring_detach(&rd, &e) != IPCARC_OK) {
        fprintf(stderr, "reporter %ld: error: %s\n", id, e.message);
        rc = 1;
    }
    if (ipcarc_ring_close(&ring, &e) != IPCARC_OK) {
        fprintf(stderr, "reporter %ld: error: %s\n", id, e.message);
        rc = 1;
    }
    return rc;
}
