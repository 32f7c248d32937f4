/*
 * ipcarc.h - the IpcArc segment (layout version 2) for C11: structs, constants and reference
 * functions to attach to a segment that Java created, hold a reference, lock, write, read
 * lock-free and wait for changes. Header-only; Linux (3.15+), x86_64 or aarch64, little-endian.
 *
 *   #include "ipcarc.h"            // first, or compile with -D_GNU_SOURCE
 *   ipcarc_segment s; ipcarc_error e; ipcarc_guard g;
 *   if (ipcarc_load(&s, "/counter", "i64", &e) != IPCARC_OK) { fprintf(stderr, "%s\n", e.message); return 1; }
 *   if (ipcarc_lock(&s, &g, -1, &e) == IPCARC_OK) {
 *       int64_t v; memcpy(&v, ipcarc_guard_view(&g), 8); v++; ipcarc_guard_set(&g, &v);
 *       ipcarc_unlock(&g, &e);
 *   }
 *   ipcarc_release(&s, &e);        // the last release of all processes unlinks the name
 *   ipcarc_close(&s);
 *
 * Every function returns IPCARC_OK (0) or an ipcarc_status and fills an ipcarc_error whose
 * message names the segment and the cause as key=value pairs, like the Java library's.
 *
 * docs/design.md (byte layout, protocols, crash points) and docs/interop.md (for implementers
 * in other languages: descriptor grammar, fingerprint test vectors, liveness, limits) describe
 * what this file implements. A drift test of the Java build (HeaderDriftTest) compiles
 * c/ipcarc_layout.c and compares every offset and constant with the Java ones.
 *
 * Limits: the two mutexes in a segment are glibc pthread_mutex_t (robust, process-shared,
 * error-checking). A process on another C library (musl, for example) can attach and read
 * lock-free (ipcarc_read, ipcarc_version), but every call that needs a mutex (ipcarc_register,
 * ipcarc_release, ipcarc_lock, and the raw read's lock fallback) is refused with IPCARC_E_CLIB
 * naming both C libraries. This header creates no segments: create them from Java.
 *
 * Memory ordering: shared words are accessed with GCC/Clang __atomic builtins; each access names
 * its ordering, and the comment on each field says which it needs and why.
 */
#ifndef IPCARC_H
#define IPCARC_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* shm_open, F_OFD_*, syscall, confstr: include this header first */
#endif

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ipcarc.h: IpcArc segments are little-endian (x86_64, aarch64)"
#endif
#if !defined(__x86_64__) && !defined(__aarch64__)
#error "ipcarc.h: IpcArc supports x86_64 and aarch64"
#endif

/* ------------------------------------------------------------------------------------------ */
/* Constants                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** "IPCARC.1" read as a little-endian u64: the format family. */
#define IPCARC_MAGIC UINT64_C(0x312E435241435049)
/** The layout version this header reads and writes. Version 1 segments are refused. */
#define IPCARC_LAYOUT_VERSION 2u
#define IPCARC_CACHE_LINE 64u
#define IPCARC_PAGE 4096u

/** Header state word (offset 12). */
#define IPCARC_STATE_INITIALIZING 0u /* the creator is still writing the header */
#define IPCARC_STATE_READY 1u        /* loads may take references */
#define IPCARC_STATE_UNLINKED 2u     /* the last reference was released and the name unlinked */

/** Payload mode word (offset 80). */
#define IPCARC_MODE_RAW 1u          /* one copy, written in place under the seqlock */
#define IPCARC_MODE_CRASH_ATOMIC 2u /* two copies; a guard writes the shadow and publishes it */

/** glibc's kind word of a robust, process-shared, error-checking mutex: ERRORCHECK 2 | ROBUST 16 | PSHARED 128. */
#define IPCARC_MUTEX_KIND 146
/** Inside a glibc pthread_mutex_t (x86_64 and aarch64): the kind word, the owner TID, the robust-list links. */
#define IPCARC_MUTEX_KIND_WORD 16
#define IPCARC_MUTEX_OWNER_WORD 8
#define IPCARC_MUTEX_LIST_PREV 24
#define IPCARC_MUTEX_LIST_NEXT 32
/** Bytes reserved for each pthread_mutex_t: 40 are used on x86_64 glibc, 48 on aarch64 glibc. */
#define IPCARC_MUTEX_SLOT_SIZE 48u
/** sizeof(pthread_mutex_t) of glibc on this architecture, as recorded at offset 92. */
#if defined(__aarch64__)
#define IPCARC_GLIBC_MUTEX_SIZE 48u
#else
#define IPCARC_GLIBC_MUTEX_SIZE 40u
#endif
/** Bytes of the NUL-padded C library name at offset 96. */
#define IPCARC_MUTEX_LIBRARY_BYTES 32u

#define IPCARC_HOLDERS_OFFSET 384u
#define IPCARC_HOLDER_SLOTS 128u
#define IPCARC_HOLDER_SLOT_SIZE 32u
#define IPCARC_DESCRIPTOR_OFFSET 4480u /* = IPCARC_HOLDERS_OFFSET + 128 * 32 = sizeof(ipcarc_header) */

/** Limits. */
#define IPCARC_MAX_DESCRIPTOR_BYTES 16384u
/** Largest size of any layout (array, struct, string, byte region): Integer.MAX_VALUE & ~63. */
#define IPCARC_MAX_LAYOUT_SIZE 2147483584u
#define IPCARC_MAX_SEGMENT_BYTES UINT64_C(2147479552) /* 2^31 - 4096 */
#define IPCARC_MAX_NAME_BYTES 255u                     /* without the leading '/' */

/** Timing constants of the protocols (the Java implementation uses the same). */
#define IPCARC_OPTIMISTIC_READS 128                  /* lock-free attempts before yielding / the lock fallback */
#define IPCARC_AWAIT_SPINS 200                       /* polls of the commit word before sleeping */
#define IPCARC_AWAIT_SLICE_NS INT64_C(50000000)      /* longest single futex sleep */
#define IPCARC_LOCK_SLICE_NS INT64_C(20000000)       /* timed locks wait in slices of this */
#define IPCARC_COLLISION_RETRY_NS INT64_C(200000)    /* EDEADLK from a PID-namespace twin: this peer's poll period (Java sleeps on the futex) */
#define IPCARC_ADMIN_TIMEOUT_NS INT64_C(10000000000) /* longest wait for the admin mutex */
#define IPCARC_READY_TIMEOUT_NS INT64_C(5000000000)  /* longest wait for a creator to finish */
#define IPCARC_ABANDONED_AFTER_MS 2000               /* an empty object without creator older than this is abandoned */
#define IPCARC_UNLOCKED_READ_PATIENCE_NS INT64_C(1000000000) /* raw read without the lock: report BUSY after this */

/** FNV-1a 64 parameters of the type fingerprint (offset 16). */
#define IPCARC_FNV_OFFSET_BASIS UINT64_C(0xcbf29ce484222325)
#define IPCARC_FNV_PRIME UINT64_C(0x100000001b3)

/* ------------------------------------------------------------------------------------------ */
/* Byte layout                                                                                */
/* ------------------------------------------------------------------------------------------ */

/**
 * One slot of the holder table (offset 384 + 32 * i). A holder is alive exactly while some open
 * file description holds an OFD write lock (F_OFD_SETLK) on these 32 bytes of the object; pid and
 * start time are for display only. Every field is written only under the admin mutex, except
 * waiters (atomic read-modify-writes by the holder's own waiting threads and by whoever clears the slot).
 */
typedef struct __attribute__((packed, aligned(8))) ipcarc_holder_slot {
    /** +0 u32: the holder's pid as it sees itself (display only); 0 = free slot.
     *  Stored LAST with release when a slot is claimed, so a slot never shows a pid without a taken
     *  token behind it; stored 0 with release when the slot is cleared. Read with acquire. */
    uint32_t pid;
    /** +4 u32: +1 each time the slot is claimed, skipping 0. Holder id = generation << 32 | slot index. Plain. */
    uint32_t generation;
    /** +8 u64: start time of the holder, clock ticks since boot (field 22 of /proc/PID/stat). Display only. Plain. */
    uint64_t start_ticks;
    /** +16 u64: open handles of that holder (a C peer holds 1 per registration). Plain, under the admin mutex. */
    uint64_t handles;
    /** +24 u32: threads of that holder counted in the change waiters at 328. Atomic RMW (seq_cst);
     *  set to 0 (seq_cst) when claimed; taken to 0 by a compare-and-swap when cleared. */
    uint32_t waiters;
    /** +28: reserved, 0. */
    uint32_t reserved;
} ipcarc_holder_slot;

/**
 * The first 4480 bytes of a segment: header lines 0 to 5 and the holder table. The descriptor
 * (UTF-8, descriptor_length bytes) follows at 4480; payload copy 0 at payload_offset, copy 1 of a
 * crash-atomic payload at payload_offset + copy_stride. All integers little-endian.
 */
typedef struct __attribute__((packed, aligned(64))) ipcarc_header {
    /* ---- line 0 (0..63): immutable, written by the creator before the magic ---- */
    /** 0 u64: IPCARC_MAGIC. Stored with release by the creator once lines 0-1 and the descriptor
     *  are written; read with acquire before any other field. 0 = not written yet. */
    uint64_t magic;
    /** 8 u32: IPCARC_LAYOUT_VERSION. Plain (ordered by the magic). */
    uint32_t version;
    /** 12 u32: IPCARC_STATE_*. Read with acquire, written with release (creator: ready; last
     *  releaser, under the admin mutex: unlinked). */
    uint32_t state;
    /** 16 u64: FNV-1a 64 of the descriptor's UTF-8 bytes (ipcarc_fnv1a64). */
    uint64_t fingerprint;
    /** 24 u64: bytes of the whole object, a multiple of 4096, at most IPCARC_MAX_SEGMENT_BYTES;
     *  must equal fstat's st_size (else truncated or resized by another process). */
    uint64_t segment_size;
    /** 32 u32: offset of payload copy 0, = align64(4480 + descriptor_length). */
    uint32_t payload_offset;
    /** 36 u32: bytes of one payload copy, > 0. */
    uint32_t payload_size;
    /** 40 u32: offset of the descriptor, IPCARC_DESCRIPTOR_OFFSET. */
    uint32_t descriptor_offset;
    /** 44 u32: bytes of the descriptor, 1 to IPCARC_MAX_DESCRIPTOR_BYTES. */
    uint32_t descriptor_length;
    /** 48 u32: IPCARC_HOLDERS_OFFSET. */
    uint32_t holders_offset;
    /** 52 u32: IPCARC_HOLDER_SLOTS. */
    uint32_t holder_slots;
    /** 56 u32: pid of the creator as it saw itself. Display only. */
    uint32_t creator_pid;
    /** 60 u32: file mode given at creation, e.g. 0600. */
    uint32_t mode;

    /* ---- line 1 (64..127): immutable ---- */
    /** 64 u64: creator start time, clock ticks since boot. Display only. */
    uint64_t creator_start_ticks;
    /** 72 u64: creation time, milliseconds since the epoch. */
    uint64_t created_millis;
    /** 80 u32: IPCARC_MODE_RAW or IPCARC_MODE_CRASH_ATOMIC; every process follows it. */
    uint32_t payload_mode;
    /** 84 u32: bytes from copy 0 to copy 1: align64(payload_size) when crash-atomic, 0 when raw. */
    uint32_t copy_stride;
    /** 88 u32: the value glibc stored in both mutexes' kind word at init: IPCARC_MUTEX_KIND. */
    uint32_t mutex_kind;
    /** 92 u32: sizeof(pthread_mutex_t) of the creator's C library (IPCARC_GLIBC_MUTEX_SIZE). */
    uint32_t mutex_size;
    /** 96 ASCII[32]: the creator's C library, NUL-padded, as confstr(_CS_GNU_LIBC_VERSION) says:
     *  "glibc 2.36". Anything not starting with "glibc " cannot be locked by a glibc process. */
    char mutex_library[IPCARC_MUTEX_LIBRARY_BYTES];

    /* ---- line 2 (128..191) ---- */
    /** 128 u64: open handles of all processes = sum of the live holders' handles. Recomputed
     *  (recount) and stored with release under the admin mutex; read with acquire. */
    uint64_t refcount;
    uint8_t reserved_line2[56];

    /* ---- line 3 (192..255) ---- */
    /** 192: the admin pthread_mutex_t (glibc bytes). Guards refcount, the holder table and the
     *  ready -> unlinked step. Never touch its bytes other than through pthread calls (and the checks). */
    uint8_t admin_mutex[IPCARC_MUTEX_SLOT_SIZE];
    uint8_t reserved_line3[16];

    /* ---- line 4 (256..319): the user mutex and what its holder records beside it ---- */
    /** 256: the user pthread_mutex_t: the lock behind Java's acquire() and ipcarc_lock(). */
    uint8_t user_mutex[IPCARC_MUTEX_SLOT_SIZE];
    /** 304 u32: pid of the process holding the user mutex, 0 when free. Advisory; plain stores by the holder. */
    uint32_t owner_pid;
    /** 308 u32: reserved, 0 (no implementation writes it). */
    uint32_t owner_tid;
    /** 312 u32: 1 from the moment anyone recovers the user mutex from a dead holder (EOWNERDEAD)
     *  until a guard that reported owner_died closes normally, else 0. Written only by the user
     *  mutex's holder: set (seq_cst) BEFORE pthread_mutex_consistent, cleared (plain) before unlock. */
    uint32_t owner_died;
    /** 316 u32: the pid at 304 when the death was recorded. Advisory; plain, by the holder. */
    uint32_t dead_owner_pid;

    /* ---- line 5 (320..383): the word read() and awaitChange poll ---- */
    /** 320 u64: the commit word. Raw: the seqlock sequence, odd while a holder may be writing.
     *  Crash-atomic: even, +2 per published guard, bit 1 = index of the committed copy.
     *  Written only by the user mutex's holder (release stores); read by anyone (see ipcarc_read).
     *  Its low 32 bits (this address, little-endian) are the futex word of awaitChange. */
    uint64_t commit;
    /** 328 u32: threads of all processes asleep (or about to sleep) in awaitChange = sum of the
     *  slots' waiters. Atomic RMW (seq_cst); the releaser loads it after a full barrier. */
    uint32_t change_waiters;
    uint8_t reserved_line5[52];

    /* ---- lines 6..69 (384..4479): the holder table ---- */
    ipcarc_holder_slot holders[IPCARC_HOLDER_SLOTS];
} ipcarc_header;

/* Every offset, as docs/design.md gives it. */
_Static_assert(sizeof(ipcarc_holder_slot) == IPCARC_HOLDER_SLOT_SIZE, "holder slot size");
_Static_assert(offsetof(ipcarc_holder_slot, pid) == 0, "slot pid");
_Static_assert(offsetof(ipcarc_holder_slot, generation) == 4, "slot generation");
_Static_assert(offsetof(ipcarc_holder_slot, start_ticks) == 8, "slot start");
_Static_assert(offsetof(ipcarc_holder_slot, handles) == 16, "slot handles");
_Static_assert(offsetof(ipcarc_holder_slot, waiters) == 24, "slot waiters");
_Static_assert(offsetof(ipcarc_holder_slot, reserved) == 28, "slot reserved");
_Static_assert(offsetof(ipcarc_header, magic) == 0, "magic");
_Static_assert(offsetof(ipcarc_header, version) == 8, "version");
_Static_assert(offsetof(ipcarc_header, state) == 12, "state");
_Static_assert(offsetof(ipcarc_header, fingerprint) == 16, "fingerprint");
_Static_assert(offsetof(ipcarc_header, segment_size) == 24, "segment size");
_Static_assert(offsetof(ipcarc_header, payload_offset) == 32, "payload offset");
_Static_assert(offsetof(ipcarc_header, payload_size) == 36, "payload size");
_Static_assert(offsetof(ipcarc_header, descriptor_offset) == 40, "descriptor offset");
_Static_assert(offsetof(ipcarc_header, descriptor_length) == 44, "descriptor length");
_Static_assert(offsetof(ipcarc_header, holders_offset) == 48, "holders offset");
_Static_assert(offsetof(ipcarc_header, holder_slots) == 52, "holder slots");
_Static_assert(offsetof(ipcarc_header, creator_pid) == 56, "creator pid");
_Static_assert(offsetof(ipcarc_header, mode) == 60, "mode");
_Static_assert(offsetof(ipcarc_header, creator_start_ticks) == 64, "creator start");
_Static_assert(offsetof(ipcarc_header, created_millis) == 72, "created");
_Static_assert(offsetof(ipcarc_header, payload_mode) == 80, "payload mode");
_Static_assert(offsetof(ipcarc_header, copy_stride) == 84, "copy stride");
_Static_assert(offsetof(ipcarc_header, mutex_kind) == 88, "mutex kind");
_Static_assert(offsetof(ipcarc_header, mutex_size) == 92, "mutex size");
_Static_assert(offsetof(ipcarc_header, mutex_library) == 96, "mutex library");
_Static_assert(offsetof(ipcarc_header, refcount) == 128, "refcount");
_Static_assert(offsetof(ipcarc_header, reserved_line2) == 136, "line 2 reserved");
_Static_assert(offsetof(ipcarc_header, admin_mutex) == 192, "admin mutex");
_Static_assert(offsetof(ipcarc_header, reserved_line3) == 240, "line 3 reserved");
_Static_assert(offsetof(ipcarc_header, user_mutex) == 256, "user mutex");
_Static_assert(offsetof(ipcarc_header, owner_pid) == 304, "owner pid");
_Static_assert(offsetof(ipcarc_header, owner_tid) == 308, "owner tid");
_Static_assert(offsetof(ipcarc_header, owner_died) == 312, "owner died");
_Static_assert(offsetof(ipcarc_header, dead_owner_pid) == 316, "dead owner pid");
_Static_assert(offsetof(ipcarc_header, commit) == 320, "commit word");
_Static_assert(offsetof(ipcarc_header, change_waiters) == 328, "change waiters");
_Static_assert(offsetof(ipcarc_header, reserved_line5) == 332, "line 5 reserved");
_Static_assert(offsetof(ipcarc_header, holders) == IPCARC_HOLDERS_OFFSET, "holder table");
_Static_assert(sizeof(ipcarc_header) == IPCARC_DESCRIPTOR_OFFSET, "header size = descriptor offset");
_Static_assert(IPCARC_HOLDERS_OFFSET + IPCARC_HOLDER_SLOTS * IPCARC_HOLDER_SLOT_SIZE == IPCARC_DESCRIPTOR_OFFSET, "table");
_Static_assert(sizeof(pthread_mutex_t) <= IPCARC_MUTEX_SLOT_SIZE, "a pthread_mutex_t must fit its 48-byte slot");
#if defined(__GLIBC__) && !defined(__UCLIBC__)
_Static_assert(sizeof(pthread_mutex_t) == IPCARC_GLIBC_MUTEX_SIZE, "glibc pthread_mutex_t: 40 bytes on x86_64, 48 on aarch64");
#endif

/** Bytes of a payload lock's slot (Java's PayloadLock.SLOT_BYTES); slots start at multiples of 64. */
#define IPCARC_PAYLOAD_LOCK_SLOT_BYTES 64u

/**
 * A payload lock's slot (design.md, "Payload locks"): one of the locks a segment created with
 * ArcOptions.withPayloadLocks(offset, count) holds in its raw payload, at a 64-aligned payload
 * offset. Locked and released exactly like the user mutex (ipcarc_lock), with these three words
 * in place of the header's 304, 312 and 316; initialised only by the segment's creator.
 */
typedef struct {
    /** +0: the pthread_mutex_t (robust, process-shared, error-checking: kind 146 at +16). */
    uint8_t mutex[IPCARC_MUTEX_SLOT_SIZE];
    /** +48 u32: pid of the process holding the lock, 0 when free. Advisory; plain stores by the holder. */
    uint32_t owner_pid;
    /** +52 u32: 1 from the moment anyone recovers the lock from a dead holder until a guard that
     *  reported it closes normally. Written only by the holder: set (seq_cst) BEFORE
     *  pthread_mutex_consistent, cleared (plain) before unlock. */
    uint32_t owner_died;
    /** +56 u32: the pid at +48 when the death was recorded. Advisory. */
    uint32_t dead_owner_pid;
    /** +60: reserved, 0. */
    uint32_t reserved;
} ipcarc_payload_lock;

_Static_assert(sizeof(ipcarc_payload_lock) == IPCARC_PAYLOAD_LOCK_SLOT_BYTES, "payload lock slot");
_Static_assert(offsetof(ipcarc_payload_lock, owner_pid) == 48, "payload lock owner pid");
_Static_assert(offsetof(ipcarc_payload_lock, owner_died) == 52, "payload lock owner died");
_Static_assert(offsetof(ipcarc_payload_lock, dead_owner_pid) == 56, "payload lock dead owner pid");

/* ------------------------------------------------------------------------------------------ */
/* Handles and errors                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** What a function reports. */
typedef enum ipcarc_status {
    IPCARC_OK = 0,
    IPCARC_E_NAME = 1,      /* not a valid segment name */
    IPCARC_E_NOT_FOUND = 2, /* no such segment (ENOENT), or unlinked while attaching */
    IPCARC_E_SYSCALL = 3,   /* a system call failed: see sys_errno */
    IPCARC_E_FOREIGN = 4,   /* the object is not an IpcArc segment */
    IPCARC_E_VERSION = 5,   /* an IpcArc segment of another layout version */
    IPCARC_E_CORRUPT = 6,   /* inconsistent header, damaged mutex, truncated, dead creator */
    IPCARC_E_TYPE = 7,      /* the descriptor is not the expected one */
    IPCARC_E_CLIB = 8,      /* the mutexes belong to another C library: only the lock-free read */
    IPCARC_E_TIMEOUT = 9,   /* a lock or a ready wait did not succeed in time */
    IPCARC_E_BUSY = 10,     /* try-lock found the mutex held; a read without the lock found no stable value */
    IPCARC_E_TORN = 11,     /* raw value half-written by a holder that died */
    IPCARC_E_FULL = 12,     /* all 128 holder slots are taken */
    IPCARC_E_STATE = 13     /* call not allowed now (not registered, lock held by this thread, ...) */
} ipcarc_status;

#define IPCARC_MESSAGE_BYTES 1024

typedef struct ipcarc_error {
    ipcarc_status code;
    int sys_errno;                      /* errno or pthread error of IPCARC_E_SYSCALL, else 0 */
    char message[IPCARC_MESSAGE_BYTES]; /* "cause: name=/x, key=value, ..." */
} ipcarc_error;

/** One attachment of this process to one segment: the open file description, the mapping and the holder slot. */
typedef struct ipcarc_segment {
    char name[IPCARC_MAX_NAME_BYTES + 2]; /* normalised, with the leading '/' */
    int fd;                               /* the open file description that holds the liveness token */
    ino_t inode;
    ipcarc_header *h;                     /* the mapping of the whole object */
    uint64_t size;
    uint8_t *copy[2];                     /* payload copies; copy[1] == copy[0] when raw */
    uint32_t payload_size;
    int crash_atomic;
    int lockable;                         /* whether this process's C library owns the segment's mutexes */
    char lock_refusal[IPCARC_MESSAGE_BYTES]; /* why not, when lockable == 0 */
    int slot;                             /* claimed holder slot, -1 if not registered */
    uint32_t generation;                  /* the slot's generation when claimed */
    uint64_t self_start_ticks;
    /** The thread id of this process's thread that holds the user mutex through this attachment, or 0.
     *  Written only by that thread (relaxed), so a thread that reads its own id here wrote it. glibc's
     *  owner word cannot tell: thread ids of other PID namespaces collide with ours. */
    int32_t lock_owner_tid;
} ipcarc_segment;

/** A held user mutex. Unlock it on the thread that locked it. */
typedef struct ipcarc_guard {
    ipcarc_segment *s;
    uint64_t word;        /* the commit word when the mutex was acquired */
    uint64_t writing;     /* raw: the odd value this guard stored or found; crash-atomic: 1 once it wrote */
    int owner_died;       /* the previous holder died and no guard has repaired the value since */
    int acknowledges;     /* whether a normal unlock ends the owner-died state (0 for the read fallback) */
    int held;
    uint8_t *current;     /* the copy the guard reads: committed, or the shadow once it wrote */
    int32_t held_owner;   /* the mutex words glibc wrote at lock, restored before unlock if damaged */
    uint64_t held_prev;
    uint64_t held_next;
} ipcarc_guard;

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */
/* ------------------------------------------------------------------------------------------ */

static inline ipcarc_status ipcarc__fail(ipcarc_error *err, ipcarc_status code, int sys_errno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline ipcarc_status ipcarc__fail(ipcarc_error *err, ipcarc_status code, int sys_errno, const char *fmt, ...) {
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->sys_errno = sys_errno;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

static inline ipcarc_status ipcarc__ok(ipcarc_error *err) {
    if (err != NULL) {
        err->code = IPCARC_OK;
        err->sys_errno = 0;
        err->message[0] = '\0';
    }
    return IPCARC_OK;
}

/** The symbolic name of the errno values these functions report. */
static inline const char *ipcarc_errno_name(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case EDEADLK: return "EDEADLK";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EOWNERDEAD: return "EOWNERDEAD";
    case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
    default: return "errno";
    }
}

static inline int64_t ipcarc__now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static inline void ipcarc__sleep_ns(int64_t ns) {
    struct timespec t = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

static inline void ipcarc__spin_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#else
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

static inline uint64_t ipcarc__align(uint64_t v, uint64_t a) {
    return (v + a - 1) & ~(a - 1);
}

/** FNV-1a, 64 bits, over bytes: the type fingerprint of a descriptor's UTF-8 text (offset 16). */
static inline uint64_t ipcarc_fnv1a64(const void *bytes, size_t length) {
    const unsigned char *p = (const unsigned char *)bytes;
    uint64_t h = IPCARC_FNV_OFFSET_BASIS;
    for (size_t i = 0; i < length; i++) {
        h ^= p[i];
        h *= IPCARC_FNV_PRIME;
    }
    return h;
}

/* ---- payload layouts from the descriptor alone (docs/interop.md, "Payload types") ----------------
 *
 * The C structs of the new kinds, for example the Java records
 *
 *   @ShmName("Side") enum Side { BUY, SELL, HOLD }
 *   record Quote(@ShmString(16) String symbol, Side side, long price, int qty) {}
 *   record Fleet(@ShmString(12) String name, @ShmArray(3) Point[] stops, @ShmArray(2) Quote[] quotes,
 *                @ShmArray(2) Side[] sides, @ShmArray(2) @ShmString(4) String[] tags) {}
 *
 * are
 *
 *   struct Quote { char symbol[16]; uint8_t side; int64_t price; int32_t qty; };   // 0, 16, 24, 32; size 40
 *   struct Fleet { char name[12]; struct Point stops[3]; struct Quote quotes[2];
 *                  uint8_t sides[2]; char tags[2][4]; };                           // 0, 16, 64, 144, 146; size 160
 *
 * A string (utf8[n]) is char[n]: its UTF-8 bytes, then NUL bytes up to n (none when it fills n; read
 * it with strnlen(s, n)); an enum is its constant's ordinal, uint8_t for at most 256 constants, else
 * uint16_t. ipcarc_format decodes any payload to text the way Java's ShmLayout.format does
 * (Quote{symbol="AAPL", side=BUY, price=1, qty=2}); ipcarc_layout_size gives a descriptor's size.
 */

typedef struct ipcarc__fmt {
    const char *d;            /* the descriptor */
    size_t n, pos;            /* its length, the parser's position */
    int depth;                /* structs open */
    int emit;                 /* 1: read the payload and print; 0: measure only */
    const unsigned char *p;   /* the payload */
    size_t psize;
    char *out;                /* the text, NUL-terminated, cut at cap - 1 */
    size_t cap, len;
    char bad[200];            /* what went wrong, "" if nothing */
} ipcarc__fmt;

static inline void ipcarc__fput(ipcarc__fmt *f, const char *s, size_t k) {
    if (!f->emit || f->out == NULL || f->cap == 0) {
        return;
    }
    for (size_t i = 0; i < k && f->len + 1 < f->cap; i++) {
        f->out[f->len++] = s[i];
    }
    f->out[f->len] = '\0';
}

static inline void ipcarc__fputs(ipcarc__fmt *f, const char *s) {
    ipcarc__fput(f, s, strlen(s));
}

static inline int ipcarc__fbad(ipcarc__fmt *f, const char *what) {
    if (f->bad[0] == '\0') {
        snprintf(f->bad, sizeof f->bad, "%s at position %zu", what, f->pos);
    }
    return -1;
}

static inline int ipcarc__fwordchar(unsigned char c) {
    /* letters and digits (any non-ASCII byte: Java takes Unicode letters and digits), _ . $ */
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$' ||
           c >= 0x80;
}

static inline size_t ipcarc__fword(ipcarc__fmt *f) {
    size_t start = f->pos;
    while (f->pos < f->n && ipcarc__fwordchar((unsigned char)f->d[f->pos])) {
        f->pos++;
    }
    return f->pos - start;
}

static inline int ipcarc__fpeek(ipcarc__fmt *f, char c) {
    return f->pos < f->n && f->d[f->pos] == c;
}

static inline int ipcarc__fexpect(ipcarc__fmt *f, char c) {
    if (!ipcarc__fpeek(f, c)) {
        char what[32];
        snprintf(what, sizeof what, "expected '%c'", c);
        return ipcarc__fbad(f, what);
    }
    f->pos++;
    return 0;
}

static inline int ipcarc__flength(ipcarc__fmt *f, uint32_t *n) {
    if (ipcarc__fexpect(f, '[') != 0) {
        return -1;
    }
    size_t start = f->pos;
    uint64_t v = 0;
    while (f->pos < f->n && f->d[f->pos] >= '0' && f->d[f->pos] <= '9') {
        v = v * 10 + (uint64_t)(f->d[f->pos++] - '0');
    }
    if (f->pos == start || f->pos - start > 9 || v < 1) {
        return ipcarc__fbad(f, "expected a length");
    }
    *n = (uint32_t)v;
    return ipcarc__fexpect(f, ']');
}

/* A double as Java's Double.toString shows ordinary values: the shortest text that reads back, with ".0" when integral. */
static inline void ipcarc__fdouble(ipcarc__fmt *f, double v, int single) {
    char b[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(b, sizeof b, "%.*g", prec, v);
        if (single ? (float)strtod(b, NULL) == (float)v : strtod(b, NULL) == v) {
            break;
        }
    }
    if (strpbrk(b, ".eEn") == NULL) {
        strcat(b, ".0");
    }
    ipcarc__fputs(f, b);
}

static inline int ipcarc__flayout(ipcarc__fmt *f, size_t off, uint32_t *size, uint32_t *align);

/* The element a word starts: a scalar, a string, an enum or a struct (whose word is its name). */
static inline int ipcarc__felement(ipcarc__fmt *f, size_t ws, size_t wl, size_t off, uint32_t *size, uint32_t *align) {
    static const char *const tokens[] = {"i8", "i16", "i32", "i64", "f32", "f64", "bool", "char"};
    static const uint32_t sizes[] = {1, 2, 4, 8, 4, 8, 1, 2};
    const char *w = f->d + ws;
    for (int k = 0; k < 8; k++) {
        if (wl == strlen(tokens[k]) && memcmp(w, tokens[k], wl) == 0) {
            *size = *align = sizes[k];
            if (f->emit) {
                const unsigned char *q = f->p + off;
                char b[48];
                int8_t i8; int16_t i16; int32_t i32; int64_t i64; float f32; double f64; uint16_t u16;
                switch (k) {
                case 0: memcpy(&i8, q, 1); snprintf(b, sizeof b, "%d", i8); break;
                case 1: memcpy(&i16, q, 2); snprintf(b, sizeof b, "%d", i16); break;
                case 2: memcpy(&i32, q, 4); snprintf(b, sizeof b, "%d", i32); break;
                case 3: memcpy(&i64, q, 8); snprintf(b, sizeof b, "%lld", (long long)i64); break;
                case 4: memcpy(&f32, q, 4); ipcarc__fdouble(f, f32, 1); return 0;
                case 5: memcpy(&f64, q, 8); ipcarc__fdouble(f, f64, 0); return 0;
                case 6: snprintf(b, sizeof b, "%s", q[0] != 0 ? "true" : "false"); break;
                default:
                    memcpy(&u16, q, 2);
                    if (u16 < 0x80) {
                        snprintf(b, sizeof b, "'%c'", (char)u16);
                    } else if (u16 < 0x800) {
                        snprintf(b, sizeof b, "'%c%c'", (char)(0xc0 | (u16 >> 6)), (char)(0x80 | (u16 & 0x3f)));
                    } else {
                        snprintf(b, sizeof b, "'%c%c%c'", (char)(0xe0 | (u16 >> 12)), (char)(0x80 | ((u16 >> 6) & 0x3f)),
                                 (char)(0x80 | (u16 & 0x3f)));
                    }
                }
                ipcarc__fputs(f, b);
            }
            return 0;
        }
    }
    if (wl == 4 && memcmp(w, "utf8", 4) == 0) {
        uint32_t cap;
        if (ipcarc__flength(f, &cap) != 0) {
            return -1;
        }
        *size = cap;
        *align = 1;
        if (f->emit) {
            const unsigned char *s = f->p + off;
            size_t len = strnlen((const char *)s, cap);
            for (size_t i = 0; i < len;) { /* strict UTF-8, as Java's reader checks it */
                unsigned c = s[i];
                size_t k = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 9;
                uint32_t cp = k == 0 ? c : c & (0x3fu >> k);
                if (k == 9 || (k > 0 && i + k >= len)) {
                    snprintf(f->bad, sizeof f->bad, "stored string is not UTF-8: capacity=%u, index=%zu", cap, i);
                    return -1;
                }
                for (size_t j = 1; j <= k; j++) {
                    if ((s[i + j] & 0xc0) != 0x80) {
                        snprintf(f->bad, sizeof f->bad, "stored string is not UTF-8: capacity=%u, index=%zu", cap, i);
                        return -1;
                    }
                    cp = (cp << 6) | (s[i + j] & 0x3fu);
                }
                if ((k == 1 && cp < 0x80) || (k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
                    (k == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
                    snprintf(f->bad, sizeof f->bad, "stored string is not UTF-8: capacity=%u, index=%zu", cap, i);
                    return -1;
                }
                i += k + 1;
            }
            ipcarc__fputs(f, "\"");
            for (size_t i = 0; i < len; i++) {
                char c = (char)s[i];
                char e[8];
                if (c == '"' || c == '\\') {
                    e[0] = '\\'; e[1] = c; e[2] = '\0';
                } else if (c == '\n' || c == '\t' || c == '\r') {
                    e[0] = '\\'; e[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r'; e[2] = '\0';
                } else if ((unsigned char)c < 0x20) {
                    snprintf(e, sizeof e, "\\u%04x", (unsigned)c);
                } else {
                    e[0] = c; e[1] = '\0';
                }
                ipcarc__fputs(f, e);
            }
            ipcarc__fputs(f, "\"");
        }
        return 0;
    }
    if (ipcarc__fpeek(f, '(')) { /* an enum: Name(A,B,...) */
        f->pos++;
        size_t first = f->pos;
        uint32_t count = 0;
        do {
            if (ipcarc__fword(f) == 0) {
                return ipcarc__fbad(f, "expected an enum constant");
            }
            count++;
        } while (ipcarc__fpeek(f, ',') && ++f->pos);
        if (ipcarc__fexpect(f, ')') != 0) {
            return -1;
        }
        if (count > 65536) {
            return ipcarc__fbad(f, "more than 65536 enum constants");
        }
        *size = *align = count <= 256 ? 1 : 2;
        if (f->emit) {
            uint32_t ordinal = count <= 256 ? f->p[off] : (uint32_t)(f->p[off] | (f->p[off + 1] << 8));
            if (ordinal >= count) {
                snprintf(f->bad, sizeof f->bad, "stored enum ordinal out of range: enum=%.*s, ordinal=%u, constants=%u",
                         (int)wl, w, ordinal, count);
                return -1;
            }
            size_t at = first;
            for (uint32_t i = 0; i < ordinal; i++) {
                at = (size_t)(strchr(f->d + at, ',') - f->d) + 1;
            }
            size_t end = at;
            while (ipcarc__fwordchar((unsigned char)f->d[end])) {
                end++;
            }
            ipcarc__fput(f, f->d + at, end - at);
        }
        return 0;
    }
    if (ipcarc__fexpect(f, '{') != 0) {
        return -1;
    }
    if (++f->depth > 64) {
        return ipcarc__fbad(f, "structs nested deeper than 64");
    }
    if (f->emit) { /* the simple name: after the last '.' and '$' */
        size_t s = wl;
        while (s > 0 && w[s - 1] != '.' && w[s - 1] != '$') {
            s--;
        }
        ipcarc__fput(f, w + s, wl - s);
        ipcarc__fputs(f, "{");
    }
    uint64_t offset = 0;
    uint32_t most = 1;
    int emit = f->emit;
    for (int first = 1;; first = 0) {
        size_t ms = f->pos;
        size_t ml = ipcarc__fword(f);
        if (ml == 0) {
            return ipcarc__fbad(f, "expected a member name");
        }
        if (ipcarc__fexpect(f, ':') != 0) {
            return -1;
        }
        size_t at = f->pos;
        uint32_t s, a;
        f->emit = 0; /* measure it first: its offset depends on its alignment */
        if (ipcarc__flayout(f, 0, &s, &a) != 0) {
            return -1;
        }
        f->emit = emit;
        offset = ipcarc__align(offset, a);
        if (offset + s > IPCARC_MAX_LAYOUT_SIZE) {
            return ipcarc__fbad(f, "struct too large");
        }
        if (emit) {
            f->pos = at;
            ipcarc__fputs(f, first ? "" : ", ");
            ipcarc__fput(f, f->d + ms, ml);
            ipcarc__fputs(f, "=");
            if (ipcarc__flayout(f, off + offset, &s, &a) != 0) {
                return -1;
            }
        }
        offset += s;
        most = a > most ? a : most;
        if (!ipcarc__fpeek(f, ',')) {
            break;
        }
        f->pos++;
    }
    if (ipcarc__fexpect(f, '}') != 0) {
        return -1;
    }
    f->depth--;
    ipcarc__fputs(f, "}");
    *size = (uint32_t)ipcarc__align(offset, most);
    *align = most;
    return 0;
}

/* layout = element ["[" length "]"] | bytes: parses one layout at f->pos; prints the value at off when emitting. */
static inline int ipcarc__flayout(ipcarc__fmt *f, size_t off, uint32_t *size, uint32_t *align) {
    size_t ws = f->pos;
    size_t wl = ipcarc__fword(f);
    if (wl == 0) {
        return ipcarc__fbad(f, "expected a layout");
    }
    if (wl == 5 && memcmp(f->d + ws, "bytes", 5) == 0) {
        if (ipcarc__fpeek(f, '<')) {
            const char *end = memchr(f->d + f->pos, '>', f->n - f->pos);
            if (end == NULL) {
                return ipcarc__fbad(f, "missing '>'");
            }
            f->pos = (size_t)(end - f->d) + 1;
        }
        uint32_t n;
        if (ipcarc__flength(f, &n) != 0) {
            return -1;
        }
        *size = n;
        *align = 8;
        if (f->emit) {
            ipcarc__fput(f, f->d + ws, f->pos - ws);
            ipcarc__fputs(f, " ");
            for (uint32_t i = 0; i < n && i < 32; i++) {
                char b[3];
                snprintf(b, sizeof b, "%02x", f->p[off + i]);
                ipcarc__fputs(f, b);
            }
            ipcarc__fputs(f, n > 32 ? "..." : "");
        }
        return 0;
    }
    size_t after = f->pos;
    int emit = f->emit;
    uint32_t es, ea;
    f->emit = 0;
    if (ipcarc__felement(f, ws, wl, 0, &es, &ea) != 0) {
        return -1;
    }
    f->emit = emit;
    if (!ipcarc__fpeek(f, '[')) {
        *size = es;
        *align = ea;
        if (emit) {
            f->pos = after;
            return ipcarc__felement(f, ws, wl, off, &es, &ea);
        }
        return 0;
    }
    uint32_t count;
    if (ipcarc__flength(f, &count) != 0) {
        return -1;
    }
    if ((uint64_t)es * count > IPCARC_MAX_LAYOUT_SIZE) {
        return ipcarc__fbad(f, "array too large");
    }
    *size = es * count;
    *align = ea;
    if (emit) {
        size_t end = f->pos;
        ipcarc__fputs(f, "[");
        for (uint32_t i = 0; i < count; i++) {
            f->pos = after;
            ipcarc__fputs(f, i == 0 ? "" : ", ");
            if (ipcarc__felement(f, ws, wl, off + (size_t)i * es, &es, &ea) != 0) {
                return -1;
            }
        }
        ipcarc__fputs(f, "]");
        f->pos = end;
    }
    return 0;
}

/** The size and alignment of the layout a descriptor describes (C rules); IPCARC_E_TYPE if it is malformed. */
static inline ipcarc_status ipcarc_layout_size(const char *descriptor, uint32_t *size, uint32_t *alignment, ipcarc_error *err) {
    ipcarc__fmt f;
    memset(&f, 0, sizeof f);
    f.d = descriptor;
    f.n = strlen(descriptor);
    if (f.n > IPCARC_MAX_DESCRIPTOR_BYTES || ipcarc__flayout(&f, 0, size, alignment) != 0 ||
        (f.pos != f.n && ipcarc__fbad(&f, "unexpected text after the layout") != 0)) {
        return ipcarc__fail(err, IPCARC_E_TYPE, 0, "bad descriptor: %s: descriptor=%.200s",
                            f.bad[0] ? f.bad : "longer than 16384 bytes", descriptor);
    }
    return ipcarc__ok(err);
}

/**
 * Decodes a payload of the layout a descriptor describes to text, as Java's ShmLayout.format does
 * (Quote{symbol="AAPL", side=BUY, price=1, qty=2}; floats like Java's for ordinary values), into
 * out (cut to out_size - 1 bytes, always NUL-terminated). A stored enum ordinal out of range or a
 * string that is not UTF-8 (another program's bug) is IPCARC_E_CORRUPT naming it, never a crash.
 */
static inline ipcarc_status ipcarc_format(const char *descriptor, const void *payload, size_t payload_size, char *out,
                                          size_t out_size, ipcarc_error *err) {
    uint32_t size, align;
    ipcarc_status st = ipcarc_layout_size(descriptor, &size, &align, err);
    if (st != IPCARC_OK) {
        return st;
    }
    if (size != payload_size) {
        return ipcarc__fail(err, IPCARC_E_TYPE, 0, "payload size does not match its type: payloadSize=%zu, typeSize=%u",
                            payload_size, size);
    }
    ipcarc__fmt f;
    memset(&f, 0, sizeof f);
    f.d = descriptor;
    f.n = strlen(descriptor);
    f.emit = 1;
    f.p = (const unsigned char *)payload;
    f.psize = payload_size;
    f.out = out;
    f.cap = out_size;
    if (out_size > 0) {
        out[0] = '\0';
    }
    if (ipcarc__flayout(&f, 0, &size, &align) != 0) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "cannot decode the payload: %s", f.bad);
    }
    return ipcarc__ok(err);
}

/**
 * Checks and normalises a segment name: 1 to 255 characters of the POSIX portable filename
 * character set A-Z a-z 0-9 . _ - after an optional leading '/', and neither "." nor "..".
 * "name" and "/name" are the same segment, "/name".
 */
static inline ipcarc_status ipcarc_normalize_name(const char *name, char out[IPCARC_MAX_NAME_BYTES + 2], ipcarc_error *err) {
    if (name == NULL) {
        return ipcarc__fail(err, IPCARC_E_NAME, 0, "bad segment name: name must not be null");
    }
    const char *bare = name[0] == '/' ? name + 1 : name;
    size_t n = strlen(bare);
    if (n == 0) {
        return ipcarc__fail(err, IPCARC_E_NAME, 0, "bad segment name: name must not be empty: name=%s", name);
    }
    if (n > IPCARC_MAX_NAME_BYTES) {
        return ipcarc__fail(err, IPCARC_E_NAME, 0, "bad segment name: longer than %u characters: length=%zu",
                            IPCARC_MAX_NAME_BYTES, n);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)bare[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) {
            return ipcarc__fail(err, IPCARC_E_NAME, 0,
                                "bad segment name: only the POSIX portable filename characters A-Z a-z 0-9 . _ - are allowed"
                                " (after an optional leading '/'): index=%zu, byte=0x%02X",
                                i + (size_t)(bare - name), c);
        }
    }
    if (strcmp(bare, ".") == 0 || strcmp(bare, "..") == 0) {
        return ipcarc__fail(err, IPCARC_E_NAME, 0, "bad segment name: '.' and '..' are not allowed: name=%s", name);
    }
    out[0] = '/';
    memcpy(out + 1, bare, n + 1);
    return ipcarc__ok(err);
}

/**
 * The C library of this process, as IpcArc records it: "glibc 2.36" (confstr), or "musl" for a
 * Linux C library that is neither glibc nor uClibc nor bionic (musl deliberately defines no macro).
 */
static inline const char *ipcarc_own_c_library(char *buf, size_t n) {
#if defined(__GLIBC__) && !defined(__UCLIBC__)
    size_t got = confstr(_CS_GNU_LIBC_VERSION, buf, n);
    if (got > 1 && got <= n) {
        return buf;
    }
    snprintf(buf, n, "glibc %d.%d", __GLIBC__, __GLIBC_MINOR__);
#elif defined(__UCLIBC__)
    snprintf(buf, n, "uclibc");
#elif defined(__BIONIC__)
    snprintf(buf, n, "bionic");
#elif defined(__linux__)
    snprintf(buf, n, "musl");
#else
    snprintf(buf, n, "unknown");
#endif
    return buf;
}

/** Start time of this process in clock ticks since boot (field 22 of /proc/self/stat), 0 if unreadable. */
static inline uint64_t ipcarc__self_start_ticks(void) {
    char buf[1024];
    FILE *f = fopen("/proc/self/stat", "r");
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may contain spaces and parentheses */
    if (p == NULL) {
        return 0;
    }
    for (int field = 2; field < 22 && p != NULL; field++) { /* p: the end of field 2, then the space before field+1 */
        p = strchr(p + 1, ' ');
    }
    return p == NULL ? 0 : strtoull(p + 1, NULL, 10);
}

static inline pthread_mutex_t *ipcarc__admin(const ipcarc_segment *s) {
    return (pthread_mutex_t *)(void *)s->h->admin_mutex;
}

static inline pthread_mutex_t *ipcarc__user(const ipcarc_segment *s) {
    return (pthread_mutex_t *)(void *)s->h->user_mutex;
}

static inline int32_t ipcarc__mutex_int(const uint8_t *mutex, int offset) {
    return __atomic_load_n((const int32_t *)(const void *)(mutex + offset), __ATOMIC_RELAXED);
}

static inline uint64_t ipcarc__mutex_long(const uint8_t *mutex, int offset) {
    return __atomic_load_n((const uint64_t *)(const void *)(mutex + offset), __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------------------------------ */
/* Liveness tokens: OFD write locks on the holder slots                                       */
/* ------------------------------------------------------------------------------------------ */

#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#endif

/** Takes (F_WRLCK) or gives back (F_UNLCK) the token of a slot. Returns 0 or errno (EAGAIN: held by another OFD). */
static inline int ipcarc__token(int fd, unsigned slot, short type) {
    struct flock fl;
    memset(&fl, 0, sizeof fl); /* l_pid must be 0 for OFD locks */
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = (off_t)(IPCARC_HOLDERS_OFFSET + slot * IPCARC_HOLDER_SLOT_SIZE);
    fl.l_len = IPCARC_HOLDER_SLOT_SIZE;
    return fcntl(fd, F_OFD_SETLK, &fl) == 0 ? 0 : errno;
}

/** Whether an open file description other than fd's holds the token of slot (true if the kernel cannot say). */
static inline int ipcarc__token_held(int fd, unsigned slot) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = (off_t)(IPCARC_HOLDERS_OFFSET + slot * IPCARC_HOLDER_SLOT_SIZE);
    fl.l_len = IPCARC_HOLDER_SLOT_SIZE;
    if (fcntl(fd, F_OFD_GETLK, &fl) != 0) {
        return 1; /* never reap a live holder on an error */
    }
    return fl.l_type != F_UNLCK;
}

/* ------------------------------------------------------------------------------------------ */
/* Futex                                                                                      */
/* ------------------------------------------------------------------------------------------ */

#define IPCARC__FUTEX_WAIT 0 /* process-shared: no FUTEX_PRIVATE_FLAG */
#define IPCARC__FUTEX_WAKE 1

/** The futex word of awaitChange: the low 32 bits of the commit word (little-endian). */
static inline uint32_t *ipcarc__futex_word(ipcarc_header *h) {
    return (uint32_t *)(void *)&h->commit;
}

static inline void ipcarc__futex_wait(uint32_t *word, uint32_t expected, int64_t ns) {
    struct timespec t = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    syscall(SYS_futex, word, IPCARC__FUTEX_WAIT, expected, &t, NULL, 0);
}

static inline void ipcarc__futex_wake_all(uint32_t *word) {
    syscall(SYS_futex, word, IPCARC__FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Attach and validate                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** Whether the creator still holds its exclusive flock (alive and not done): a shared probe fails. */
static inline int ipcarc__creator_active(int fd) {
    if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
        flock(fd, LOCK_UN);
        return 0;
    }
    return 1;
}

static inline int64_t ipcarc__age_ms(int fd) {
    struct stat st;
    struct timespec now;
    if (fstat(fd, &st) != 0) {
        return 0;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t ms = ((int64_t)now.tv_sec - st.st_mtim.tv_sec) * 1000 + (now.tv_nsec - st.st_mtim.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms;
}

/** Waits until the object is at least a page long; refuses foreign, truncated and abandoned objects. */
static inline ipcarc_status ipcarc__wait_for_header(ipcarc_segment *s, int64_t deadline, ipcarc_error *err) {
    for (;;) {
        struct stat st;
        if (fstat(s->fd, &st) != 0) {
            return ipcarc__fail(err, IPCARC_E_SYSCALL, errno, "fstat failed: errno=%s, name=%s", ipcarc_errno_name(errno), s->name);
        }
        s->inode = st.st_ino;
        s->size = (uint64_t)st.st_size;
        if (s->size >= IPCARC_PAGE) {
            if (s->size > IPCARC_MAX_SEGMENT_BYTES) {
                return ipcarc__fail(err, IPCARC_E_FOREIGN, 0, "not an IpcArc segment: object too large: name=%s, size=%llu, max=%llu",
                                    s->name, (unsigned long long)s->size, (unsigned long long)IPCARC_MAX_SEGMENT_BYTES);
            }
            return IPCARC_OK;
        }
        if (s->size > 0) {
            return ipcarc__fail(err, IPCARC_E_FOREIGN, 0,
                                "not an IpcArc segment: object too small: name=%s, size=%llu, min=%u (foreign or truncated file)",
                                s->name, (unsigned long long)s->size, IPCARC_PAGE);
        }
        /* Empty: a creator between shm_open and ftruncate, or one that died there. */
        if ((!ipcarc__creator_active(s->fd) && ipcarc__age_ms(s->fd) > IPCARC_ABANDONED_AFTER_MS) || ipcarc__now_ns() > deadline) {
            return ipcarc__fail(err, IPCARC_E_FOREIGN, 0,
                                "not an IpcArc segment: empty object: name=%s, size=0 (foreign file, or its creator died before sizing it)",
                                s->name);
        }
        ipcarc__sleep_ns(1000000);
    }
}

/** Waits for state ready. Returns IPCARC_OK when ready, IPCARC_E_NOT_FOUND when unlinked (open the name again). */
static inline ipcarc_status ipcarc__wait_for_ready(ipcarc_segment *s, int64_t deadline, ipcarc_error *err) {
    ipcarc_header *h = s->h;
    for (;;) {
        uint64_t magic = __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE); /* pairs with the creator's release */
        if (magic != IPCARC_MAGIC && magic != 0) {
            return ipcarc__fail(err, IPCARC_E_FOREIGN, 0,
                                "not an IpcArc segment: bad magic: name=%s, magic=0x%llx, expected=0x%llx (foreign file)", s->name,
                                (unsigned long long)magic, (unsigned long long)IPCARC_MAGIC);
        }
        uint32_t version = h->version;
        if (magic == IPCARC_MAGIC && version != IPCARC_LAYOUT_VERSION) {
            return ipcarc__fail(err, IPCARC_E_VERSION, 0, "unsupported layout version: name=%s, version=%u, supported=%u", s->name,
                                version, IPCARC_LAYOUT_VERSION);
        }
        uint32_t state = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE);
        if (magic == IPCARC_MAGIC && state == IPCARC_STATE_READY) {
            return IPCARC_OK;
        }
        if (magic == IPCARC_MAGIC && state == IPCARC_STATE_UNLINKED) {
            return ipcarc__fail(err, IPCARC_E_NOT_FOUND, 0, "segment not found: it was unlinked while being loaded: name=%s", s->name);
        }
        if (magic == IPCARC_MAGIC && state != IPCARC_STATE_INITIALIZING) {
            return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "bad state in header: name=%s, state=%u", s->name, state);
        }
        if (!ipcarc__creator_active(s->fd)) {
            /* The creator writes the magic only after taking its flock and drops the flock only
             * after READY: magic, no flock, still initializing = the creator died. */
            int gone = magic == IPCARC_MAGIC || ipcarc__age_ms(s->fd) > IPCARC_ABANDONED_AFTER_MS;
            if (gone && __atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == IPCARC_STATE_INITIALIZING) {
                return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "creator died before the segment was ready: name=%s, creatorPid=%u",
                                    s->name, h->creator_pid);
            }
        }
        if (ipcarc__now_ns() > deadline) {
            return ipcarc__fail(err, IPCARC_E_TIMEOUT, 0, "segment not ready in time: name=%s, state=%u, creatorPid=%u", s->name,
                                state, h->creator_pid);
        }
        ipcarc__sleep_ns(1000000);
    }
}

/** The header checks of a ready segment (docs/design.md, Load step 4). */
static inline ipcarc_status ipcarc__validate(ipcarc_segment *s, const char *expected, ipcarc_error *err) {
    const ipcarc_header *h = s->h;
    if (h->segment_size != s->size) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                            "object size does not match its header: name=%s, size=%llu, header=%llu (truncated or resized by another process)",
                            s->name, (unsigned long long)s->size, (unsigned long long)h->segment_size);
    }
    if (h->descriptor_offset != IPCARC_DESCRIPTOR_OFFSET || h->descriptor_length == 0 ||
        h->descriptor_length > IPCARC_MAX_DESCRIPTOR_BYTES ||
        h->payload_offset != ipcarc__align(IPCARC_DESCRIPTOR_OFFSET + (uint64_t)h->descriptor_length, IPCARC_CACHE_LINE) ||
        h->payload_size == 0 || h->holders_offset != IPCARC_HOLDERS_OFFSET || h->holder_slots != IPCARC_HOLDER_SLOTS) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                            "inconsistent header: name=%s, payloadOffset=%u, payloadSize=%u, descriptorOffset=%u, descriptorLength=%u, size=%llu",
                            s->name, h->payload_offset, h->payload_size, h->descriptor_offset, h->descriptor_length,
                            (unsigned long long)s->size);
    }
    int two = h->payload_mode == IPCARC_MODE_CRASH_ATOMIC;
    uint64_t last = two ? ipcarc__align(h->payload_size, IPCARC_CACHE_LINE) + h->payload_size : h->payload_size;
    if ((h->payload_mode != IPCARC_MODE_RAW && !two) ||
        h->copy_stride != (two ? ipcarc__align(h->payload_size, IPCARC_CACHE_LINE) : 0) ||
        ipcarc__align(h->payload_offset + last, IPCARC_PAGE) > s->size) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                            "inconsistent payload copies: name=%s, payloadMode=%u, copyStride=%u, payloadSize=%u, size=%llu", s->name,
                            h->payload_mode, h->copy_stride, h->payload_size, (unsigned long long)s->size);
    }
    const char *descriptor = (const char *)s->h + IPCARC_DESCRIPTOR_OFFSET;
    if (ipcarc_fnv1a64(descriptor, h->descriptor_length) != h->fingerprint) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "descriptor does not match its fingerprint: name=%s, descriptor=%.*s", s->name,
                            (int)(h->descriptor_length > 200 ? 200 : h->descriptor_length), descriptor);
    }
    if (expected != NULL && (strlen(expected) != h->descriptor_length || memcmp(expected, descriptor, h->descriptor_length) != 0 ||
                             ipcarc_fnv1a64(expected, strlen(expected)) != h->fingerprint)) {
        return ipcarc__fail(err, IPCARC_E_TYPE, 0, "type mismatch: name=%s, expected=%s, found=%.*s", s->name, expected,
                            (int)(h->descriptor_length > 200 ? 200 : h->descriptor_length), descriptor);
    }
    s->payload_size = h->payload_size;
    s->crash_atomic = two;
    s->copy[0] = (uint8_t *)s->h + h->payload_offset;
    s->copy[1] = s->copy[0] + h->copy_stride;

    /* One C library per segment: the mutex bytes are the creator's library's. */
    char own[IPCARC_MUTEX_LIBRARY_BYTES + 16];
    char theirs[IPCARC_MUTEX_LIBRARY_BYTES + 1];
    memcpy(theirs, h->mutex_library, IPCARC_MUTEX_LIBRARY_BYTES);
    theirs[IPCARC_MUTEX_LIBRARY_BYTES] = '\0';
    for (char *c = theirs; *c; c++) {
        if (*c < 0x20 || *c > 0x7e) {
            *c = '?';
        }
    }
    ipcarc_own_c_library(own, sizeof own);
    int glibc_segment = strncmp(theirs, "glibc ", 6) == 0;
    int glibc_self = strncmp(own, "glibc ", 6) == 0;
    s->lockable = glibc_segment && glibc_self && h->mutex_kind == IPCARC_MUTEX_KIND && h->mutex_size == sizeof(pthread_mutex_t);
    if (!s->lockable) {
        snprintf(s->lock_refusal, sizeof s->lock_refusal,
                 "mutexes of another C library: name=%s, segment=%s, process=%s, kind=%u, size=%u (this process may only read"
                 " lock-free: the segment's mutexes are pthread_mutex_t of %s, kind %d, %u bytes, and only that library may lock them)",
                 s->name, theirs[0] ? theirs : "?", own, h->mutex_kind, h->mutex_size, theirs[0] ? theirs : "?", IPCARC_MUTEX_KIND,
                 IPCARC_GLIBC_MUTEX_SIZE);
    } else {
        s->lock_refusal[0] = '\0';
    }
    return IPCARC_OK;
}

/**
 * Attaches to a ready segment without taking a reference: shm_open(O_RDWR), fstat, mmap of the
 * whole object, magic/version/state (waiting at most 5 s for a creator at work), size, offsets,
 * payload mode and copies, descriptor fingerprint, and the expected descriptor (NULL: any).
 * Also decides s->lockable (same C library as the creator). Safe for any C library: it touches no mutex.
 * Follow with ipcarc_register to be counted as a holder (glibc only), or use ipcarc_read alone.
 */
static inline ipcarc_status ipcarc_open(ipcarc_segment *s, const char *name, const char *expected, ipcarc_error *err) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->slot = -1;
    ipcarc_status rc = ipcarc_normalize_name(name, s->name, err);
    if (rc != IPCARC_OK) {
        return rc;
    }
    int64_t deadline = ipcarc__now_ns() + IPCARC_READY_TIMEOUT_NS;
    s->fd = shm_open(s->name, O_RDWR, 0); /* glibc and musl set FD_CLOEXEC: a child never inherits the token */
    if (s->fd < 0) {
        int e = errno;
        return ipcarc__fail(err, e == ENOENT ? IPCARC_E_NOT_FOUND : IPCARC_E_SYSCALL, e,
                            "%sshm_open failed: errno=%s, name=%s, flags=O_RDWR", e == ENOENT ? "segment not found: " : "",
                            ipcarc_errno_name(e), s->name);
    }
    rc = ipcarc__wait_for_header(s, deadline, err);
    if (rc == IPCARC_OK) {
        void *m = mmap(NULL, (size_t)s->size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
        if (m == MAP_FAILED) {
            rc = ipcarc__fail(err, IPCARC_E_SYSCALL, errno, "mmap failed: errno=%s, name=%s, size=%llu", ipcarc_errno_name(errno),
                              s->name, (unsigned long long)s->size);
        } else {
            s->h = (ipcarc_header *)m;
            rc = ipcarc__wait_for_ready(s, deadline, err);
            if (rc == IPCARC_OK) {
                rc = ipcarc__validate(s, expected, err);
            }
        }
    }
    if (rc != IPCARC_OK) {
        if (s->h != NULL) {
            munmap(s->h, (size_t)s->size);
            s->h = NULL;
        }
        close(s->fd);
        s->fd = -1;
        return rc;
    }
    s->self_start_ticks = ipcarc__self_start_ticks();
    return ipcarc__ok(err);
}

/** Unmaps and closes. Closing the file gives the liveness token back: call ipcarc_release first. */
static inline void ipcarc_close(ipcarc_segment *s) {
    if (s->h != NULL) {
        munmap(s->h, (size_t)s->size);
        s->h = NULL;
    }
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    s->slot = -1;
}

static inline ipcarc_status ipcarc__check_size(ipcarc_segment *s, ipcarc_error *err) {
    struct stat st;
    if (fstat(s->fd, &st) != 0) {
        return ipcarc__fail(err, IPCARC_E_SYSCALL, errno, "fstat failed: errno=%s, name=%s", ipcarc_errno_name(errno), s->name);
    }
    if ((uint64_t)st.st_size != s->size) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                            "object size does not match its header: name=%s, size=%lld, header=%llu (truncated or resized by another process)",
                            s->name, (long long)st.st_size, (unsigned long long)s->size);
    }
    return IPCARC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Mutex calls, checked                                                                       */
/* ------------------------------------------------------------------------------------------ */

static inline ipcarc_status ipcarc__check_kind(ipcarc_segment *s, const uint8_t *mutex, const char *which, ipcarc_error *err) {
    if (!s->lockable) {
        return ipcarc__fail(err, IPCARC_E_CLIB, 0, "%s", s->lock_refusal);
    }
    int32_t kind = ipcarc__mutex_int(mutex, IPCARC_MUTEX_KIND_WORD);
    if (kind != IPCARC_MUTEX_KIND) {
        /* glibc aborts the process on a kind it did not create: refuse instead of calling it */
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                            "mutex damaged, not called: name=%s, mutex=%s, word=kind, found=%d, expected=%d (a process wrote into the"
                            " segment's mutex; glibc would abort on it)",
                            s->name, which, kind, IPCARC_MUTEX_KIND);
    }
    return IPCARC_OK;
}

/**
 * Locks a robust mutex: trylock, then (timeout_ns < 0) pthread_mutex_lock or (timeout_ns > 0)
 * pthread_mutex_clocklock(CLOCK_MONOTONIC) in 20 ms slices; 0 means try only. EDEADLK is never a
 * relock here (callers check): it is a thread of another PID namespace with this thread's id
 * holding the mutex, treated as contention and polled every 200 us.
 * Returns 0, EOWNERDEAD, EBUSY (try), ETIMEDOUT, ENOTRECOVERABLE or another pthread error.
 */
static inline int ipcarc__mutex_lock(pthread_mutex_t *m, int64_t timeout_ns) {
    int rc = pthread_mutex_trylock(m);
    if ((rc != EBUSY && rc != EDEADLK) || timeout_ns == 0) {
        return rc == EDEADLK ? EBUSY : rc;
    }
    int64_t deadline = timeout_ns < 0 ? INT64_MAX : ipcarc__now_ns() + timeout_ns;
    if (timeout_ns < 0) {
        rc = pthread_mutex_lock(m);
        if (rc != EDEADLK) {
            return rc;
        }
    }
    for (;;) {
        int64_t now = ipcarc__now_ns();
        if (now >= deadline) {
            rc = pthread_mutex_trylock(m);
            return rc == EBUSY || rc == EDEADLK ? ETIMEDOUT : rc;
        }
        int64_t until = deadline - now < IPCARC_LOCK_SLICE_NS ? deadline : now + IPCARC_LOCK_SLICE_NS;
        struct timespec ts = {(time_t)(until / 1000000000), (long)(until % 1000000000)};
#if defined(__GLIBC__) && !defined(__UCLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 30)
        rc = pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &ts);
#else
        (void)ts; /* never reached: only glibc processes lock (s->lockable) */
        rc = pthread_mutex_trylock(m);
        if (rc == EBUSY) {
            ipcarc__sleep_ns(IPCARC_COLLISION_RETRY_NS);
            continue;
        }
#endif
        if (rc == EDEADLK) {
            ipcarc__sleep_ns(IPCARC_COLLISION_RETRY_NS);
            rc = pthread_mutex_trylock(m);
            if (rc == EDEADLK || rc == EBUSY) {
                continue;
            }
        }
        if (rc != ETIMEDOUT && rc != EINTR) {
            return rc;
        }
    }
}

/** Puts back the mutex words this thread's lock wrote if another process changed them; returns which were. */
static inline const char *ipcarc__restore_words(uint8_t *mutex, int32_t owner, uint64_t prev, uint64_t next) {
    const char *damaged = NULL;
    if (ipcarc__mutex_int(mutex, IPCARC_MUTEX_KIND_WORD) != IPCARC_MUTEX_KIND) {
        __atomic_store_n((int32_t *)(void *)(mutex + IPCARC_MUTEX_KIND_WORD), IPCARC_MUTEX_KIND, __ATOMIC_RELAXED);
        damaged = "kind";
    }
    if (ipcarc__mutex_int(mutex, IPCARC_MUTEX_OWNER_WORD) != owner) {
        __atomic_store_n((int32_t *)(void *)(mutex + IPCARC_MUTEX_OWNER_WORD), owner, __ATOMIC_RELAXED);
        damaged = damaged == NULL ? "owner" : "kind,owner";
    }
    if (ipcarc__mutex_long(mutex, IPCARC_MUTEX_LIST_PREV) != prev || ipcarc__mutex_long(mutex, IPCARC_MUTEX_LIST_NEXT) != next) {
        __atomic_store_n((uint64_t *)(void *)(mutex + IPCARC_MUTEX_LIST_PREV), prev, __ATOMIC_RELAXED);
        __atomic_store_n((uint64_t *)(void *)(mutex + IPCARC_MUTEX_LIST_NEXT), next, __ATOMIC_RELAXED);
        damaged = damaged == NULL ? "list" : "kind/owner,list";
    }
    return damaged;
}

/* ------------------------------------------------------------------------------------------ */
/* Holder table (under the admin mutex)                                                       */
/* ------------------------------------------------------------------------------------------ */

/** Frees a slot: its waiter count off the total (atomically, once), pid 0 with release, then start and handles. */
static inline void ipcarc__clear_slot(ipcarc_header *h, ipcarc_holder_slot *slot) {
    uint32_t waiters = __atomic_load_n(&slot->waiters, __ATOMIC_SEQ_CST);
    while (waiters != 0 && !__atomic_compare_exchange_n(&slot->waiters, &waiters, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    if (waiters != 0 && (int32_t)waiters > 0) {
        __atomic_fetch_sub(&h->change_waiters, waiters, __ATOMIC_SEQ_CST);
    }
    __atomic_store_n(&slot->pid, 0, __ATOMIC_RELEASE);
    slot->start_ticks = 0;
    slot->handles = 0;
}

/** Sets the refcount to the sum of the live slots' handles (release) and returns it. */
static inline uint64_t ipcarc__recount(ipcarc_header *h) {
    uint64_t sum = 0;
    for (unsigned i = 0; i < IPCARC_HOLDER_SLOTS; i++) {
        if (h->holders[i].pid != 0 && (int64_t)h->holders[i].handles > 0) {
            sum += h->holders[i].handles;
        }
    }
    __atomic_store_n(&h->refcount, sum, __ATOMIC_RELEASE);
    return sum;
}

/** Whether the holder in slot i is alive: this attachment's own slot, or a token some other OFD holds. */
static inline int ipcarc__slot_alive(const ipcarc_segment *s, unsigned i) {
    /* F_OFD_GETLK does not report this OFD's own lock: never judge the own slot by it. */
    return (s->slot >= 0 && (unsigned)s->slot == i) || ipcarc__token_held(s->fd, i);
}

/** Reaps dead holders: every slot with a pid whose token nobody holds. Under the admin mutex. Returns handles reaped. */
static inline uint64_t ipcarc__reap_dead(ipcarc_segment *s) {
    uint64_t reaped = 0;
    for (unsigned i = 0; i < IPCARC_HOLDER_SLOTS; i++) {
        ipcarc_holder_slot *slot = &s->h->holders[i];
        if (slot->pid == 0 || ipcarc__slot_alive(s, i)) {
            continue;
        }
        uint64_t handles = slot->handles;
        ipcarc__clear_slot(s->h, slot);
        reaped += (int64_t)handles > 0 ? handles : 0;
    }
    if (reaped > 0) {
        ipcarc__recount(s->h);
    }
    return reaped;
}

typedef struct ipcarc__held {
    int32_t owner;
    uint64_t prev, next;
} ipcarc__held;

/** Takes the admin mutex; after EOWNERDEAD: consistent, reap, recount. */
static inline ipcarc_status ipcarc__admin_lock(ipcarc_segment *s, ipcarc__held *held, ipcarc_error *err) {
    ipcarc_status st = ipcarc__check_kind(s, s->h->admin_mutex, "admin", err);
    if (st != IPCARC_OK) {
        return st;
    }
    int rc = ipcarc__mutex_lock(ipcarc__admin(s), IPCARC_ADMIN_TIMEOUT_NS);
    if (rc == 0 || rc == EOWNERDEAD) {
        if (rc == EOWNERDEAD) {
            pthread_mutex_consistent(ipcarc__admin(s));
        }
        held->owner = ipcarc__mutex_int(s->h->admin_mutex, IPCARC_MUTEX_OWNER_WORD);
        held->prev = ipcarc__mutex_long(s->h->admin_mutex, IPCARC_MUTEX_LIST_PREV);
        held->next = ipcarc__mutex_long(s->h->admin_mutex, IPCARC_MUTEX_LIST_NEXT);
        if (rc == EOWNERDEAD) { /* the dead owner may have been half-way through a change of the table */
            ipcarc__reap_dead(s);
            ipcarc__recount(s->h);
        }
        return IPCARC_OK;
    }
    switch (rc) {
    case ETIMEDOUT:
        return ipcarc__fail(err, IPCARC_E_TIMEOUT, 0, "admin lock not acquired: name=%s, timeout=%llds", s->name,
                            (long long)(IPCARC_ADMIN_TIMEOUT_NS / 1000000000));
    case ENOTRECOVERABLE:
        return ipcarc__fail(err, IPCARC_E_CORRUPT, rc, "admin mutex is not recoverable: errno=ENOTRECOVERABLE, name=%s", s->name);
    default:
        return ipcarc__fail(err, IPCARC_E_SYSCALL, rc, "pthread_mutex_lock failed: errno=%s, name=%s, mutex=admin", ipcarc_errno_name(rc),
                            s->name);
    }
}

/** The start of every change of the table: the size check, the admin mutex, then reaping the dead. */
static inline ipcarc_status ipcarc__admin_enter(ipcarc_segment *s, ipcarc__held *held, ipcarc_error *err) {
    ipcarc_status st = ipcarc__check_size(s, err);
    if (st == IPCARC_OK) {
        st = ipcarc__admin_lock(s, held, err);
    }
    if (st == IPCARC_OK) {
        ipcarc__reap_dead(s);
    }
    return st;
}

static inline ipcarc_status ipcarc__admin_unlock(ipcarc_segment *s, const ipcarc__held *held, ipcarc_error *err) {
    const char *damaged = ipcarc__restore_words(s->h->admin_mutex, held->owner, held->prev, held->next);
    int rc = pthread_mutex_unlock(ipcarc__admin(s));
    if (damaged != NULL) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                            "mutex damaged while held, repaired and released: name=%s, mutex=admin, words=%s (a process wrote into the"
                            " segment's mutex)",
                            s->name, damaged);
    }
    if (rc != 0) {
        return ipcarc__fail(err, IPCARC_E_SYSCALL, rc, "pthread_mutex_unlock failed: errno=%s, name=%s, mutex=admin",
                            ipcarc_errno_name(rc), s->name);
    }
    return IPCARC_OK;
}

/**
 * Claims a holder slot under the admin mutex: the first slot whose pid is 0 and whose token this
 * OFD can take (EAGAIN: a process is releasing it right now, try the next); token FIRST, pid LAST:
 * waiters = 0, handles = 1, start time, generation + 1 (skipping 0), then the pid with release.
 */
static inline ipcarc_status ipcarc__claim(ipcarc_segment *s, ipcarc_error *err) {
    for (unsigned i = 0; i < IPCARC_HOLDER_SLOTS; i++) {
        ipcarc_holder_slot *slot = &s->h->holders[i];
        if (slot->pid != 0 || ipcarc__token(s->fd, i, F_WRLCK) != 0) {
            continue;
        }
        uint32_t generation = slot->generation + 1;
        generation = generation == 0 ? 1 : generation;
        __atomic_store_n(&slot->waiters, 0, __ATOMIC_SEQ_CST); /* nothing a late sleeper of the last owner left */
        slot->handles = 1;
        slot->start_ticks = s->self_start_ticks;
        slot->generation = generation;
        __atomic_store_n(&slot->pid, (uint32_t)getpid(), __ATOMIC_RELEASE);
        s->slot = (int)i;
        s->generation = generation;
        ipcarc__recount(s->h);
        return IPCARC_OK;
    }
    return ipcarc__fail(err, IPCARC_E_FULL, 0, "holder table full: name=%s, slots=%u (at most that many processes can hold a segment)",
                        s->name, IPCARC_HOLDER_SLOTS);
}

/**
 * Registers this attachment as a holder (one handle), under the admin mutex: fstat again, lock,
 * reap dead holders, check the state is still ready (IPCARC_E_NOT_FOUND if it was unlinked
 * meanwhile: open the name again), claim a slot, unlock. Refused (IPCARC_E_CLIB) on another C library.
 */
static inline ipcarc_status ipcarc_register(ipcarc_segment *s, ipcarc_error *err) {
    if (s->slot >= 0) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "already registered: name=%s, slot=%d", s->name, s->slot);
    }
    ipcarc__held held;
    ipcarc_status st = ipcarc__admin_enter(s, &held, err);
    if (st != IPCARC_OK) {
        return st;
    }
    if (__atomic_load_n(&s->h->state, __ATOMIC_ACQUIRE) != IPCARC_STATE_READY) {
        st = ipcarc__fail(err, IPCARC_E_NOT_FOUND, 0, "segment not found: it was unlinked while being loaded: name=%s", s->name);
    } else {
        st = ipcarc__claim(s, err);
    }
    ipcarc_status un = ipcarc__admin_unlock(s, &held, err);
    return st != IPCARC_OK ? st : un != IPCARC_OK ? un : ipcarc__ok(err);
}

/** ipcarc_open + ipcarc_register, opening the name again (at most 50 times) if it was unlinked meanwhile. */
static inline ipcarc_status ipcarc_load(ipcarc_segment *s, const char *name, const char *expected, ipcarc_error *err) {
    ipcarc_error local;
    err = err != NULL ? err : &local;
    for (int attempt = 0;; attempt++) {
        ipcarc_status st = ipcarc_open(s, name, expected, err);
        if (st == IPCARC_OK) {
            st = ipcarc_register(s, err);
            if (st == IPCARC_OK) {
                return st;
            }
            ipcarc_close(s);
        }
        if (st != IPCARC_E_NOT_FOUND || attempt >= 50 || err->sys_errno == ENOENT) {
            return st;
        }
    }
}

/**
 * Releases this attachment's handle under the admin mutex: fstat, lock, reap, clear the own slot
 * (waiters off the total, pid 0), give the token back (F_UNLCK), recount; if the refcount is now 0:
 * state = unlinked (release) and shm_unlink if the name still refers to this object. Then unlock.
 */
static inline ipcarc_status ipcarc_release(ipcarc_segment *s, ipcarc_error *err) {
    if (s->slot < 0) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "not registered: name=%s", s->name);
    }
    ipcarc__held held;
    ipcarc_status st = ipcarc__admin_enter(s, &held, err);
    if (st != IPCARC_OK) {
        return st;
    }
    ipcarc__clear_slot(s->h, &s->h->holders[s->slot]);
    ipcarc__token(s->fd, (unsigned)s->slot, F_UNLCK);
    s->slot = -1;
    if (ipcarc__recount(s->h) == 0) {
        __atomic_store_n(&s->h->state, IPCARC_STATE_UNLINKED, __ATOMIC_RELEASE);
        char path[IPCARC_MAX_NAME_BYTES + 16];
        struct stat st_name;
        snprintf(path, sizeof path, "/dev/shm%s", s->name);
        if (stat(path, &st_name) == 0 && st_name.st_ino == s->inode) {
            shm_unlink(s->name);
        }
    }
    st = ipcarc__admin_unlock(s, &held, err);
    return st != IPCARC_OK ? st : ipcarc__ok(err);
}

/** Open handles of all processes (acquire). */
static inline uint64_t ipcarc_refcount(const ipcarc_segment *s) {
    return __atomic_load_n(&s->h->refcount, __ATOMIC_ACQUIRE);
}

/** This attachment's holder id: generation << 32 | slot index; 0 if not registered. */
static inline uint64_t ipcarc_holder_id(const ipcarc_segment *s) {
    return s->slot < 0 ? 0 : (uint64_t)s->generation << 32 | (uint32_t)s->slot;
}

/** Whether a holder id (from any process) is still alive: the slot holds that generation, a pid, and a taken token. */
static inline int ipcarc_is_holder_alive(const ipcarc_segment *s, uint64_t id) {
    uint32_t index = (uint32_t)id;
    uint32_t generation = (uint32_t)(id >> 32);
    if (index >= IPCARC_HOLDER_SLOTS || generation == 0) {
        return 0;
    }
    const ipcarc_holder_slot *slot = &s->h->holders[index];
    return __atomic_load_n(&slot->pid, __ATOMIC_ACQUIRE) != 0 && slot->generation == generation && ipcarc__slot_alive(s, index);
}

/* ------------------------------------------------------------------------------------------ */
/* The user mutex: lock, write, unlock                                                        */
/* ------------------------------------------------------------------------------------------ */

static inline ipcarc_status ipcarc__lock(ipcarc_segment *s, ipcarc_guard *g, int64_t timeout_ns, int acknowledges, ipcarc_error *err) {
    memset(g, 0, sizeof *g);
    ipcarc_status st = ipcarc__check_kind(s, s->h->user_mutex, "user", err);
    if (st != IPCARC_OK) {
        return st;
    }
    ipcarc_header *h = s->h;
    int32_t tid = (int32_t)syscall(SYS_gettid);
    if (__atomic_load_n(&s->lock_owner_tid, __ATOMIC_RELAXED) == tid) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "lock already held by this thread: name=%s (unlock the guard you hold first)",
                            s->name);
    }
    int rc = ipcarc__mutex_lock(ipcarc__user(s), timeout_ns);
    if (rc == EOWNERDEAD) {
        /* Record the death BEFORE making the mutex consistent: whoever recovers it, every later
         * guard reports owner_died until one that saw it closes normally. */
        uint32_t previous = h->owner_pid;
        h->dead_owner_pid = previous;
        __atomic_store_n(&h->owner_died, 1, __ATOMIC_SEQ_CST);
        if (pthread_mutex_consistent(ipcarc__user(s)) != 0) {
            pthread_mutex_unlock(ipcarc__user(s));
            return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "pthread_mutex_consistent failed: name=%s", s->name);
        }
        rc = 0;
    }
    switch (rc) {
    case 0:
        break;
    case EBUSY:
        return ipcarc__fail(err, IPCARC_E_BUSY, 0, "lock busy: name=%s, ownerPid=%u", s->name, h->owner_pid);
    case ETIMEDOUT:
        return ipcarc__fail(err, IPCARC_E_TIMEOUT, 0, "lock not acquired in time: name=%s, timeoutNanos=%lld, ownerPid=%u", s->name,
                            (long long)timeout_ns, h->owner_pid);
    case ENOTRECOVERABLE:
        return ipcarc__fail(err, IPCARC_E_CORRUPT, rc, "mutex is not recoverable: errno=ENOTRECOVERABLE, name=%s", s->name);
    default:
        return ipcarc__fail(err, IPCARC_E_SYSCALL, rc, "pthread_mutex_lock failed: errno=%s, name=%s", ipcarc_errno_name(rc), s->name);
    }
    g->held_owner = ipcarc__mutex_int(h->user_mutex, IPCARC_MUTEX_OWNER_WORD);
    g->held_prev = ipcarc__mutex_long(h->user_mutex, IPCARC_MUTEX_LIST_PREV);
    g->held_next = ipcarc__mutex_long(h->user_mutex, IPCARC_MUTEX_LIST_NEXT);
    __atomic_store_n(&s->lock_owner_tid, tid, __ATOMIC_RELAXED);
    h->owner_pid = (uint32_t)getpid();
    /* Relaxed: only mutex holders store the word, and acquiring the mutex ordered this thread
     * after the previous holder's last store. */
    uint64_t word = __atomic_load_n(&h->commit, __ATOMIC_RELAXED);
    g->s = s;
    g->word = word;
    g->held = 1;
    g->acknowledges = acknowledges;
    g->owner_died = h->owner_died != 0 || (!s->crash_atomic && (word & 1) != 0);
    g->writing = !s->crash_atomic && (word & 1) != 0 ? word : 0; /* a dead raw writer left it odd: made even at unlock */
    g->current = s->copy[s->crash_atomic && (word & 2) != 0 ? 1 : 0];
    return ipcarc__ok(err);
}

/**
 * Locks the user mutex. timeout_ns < 0: wait as long as it takes; 0: try once (IPCARC_E_BUSY);
 * > 0: at most that long (IPCARC_E_TIMEOUT). Checks the kind word first (never hands glibc a
 * damaged mutex). On EOWNERDEAD records the death at 316/312, then pthread_mutex_consistent;
 * g->owner_died is then 1, and stays 1 for every guard until one that saw it unlocks normally.
 */
static inline ipcarc_status ipcarc_lock(ipcarc_segment *s, ipcarc_guard *g, int64_t timeout_ns, ipcarc_error *err) {
    return ipcarc__lock(s, g, timeout_ns, 1, err);
}

/** The copy the guard reads: the committed value, or what this guard wrote so far. payload_size bytes. */
static inline const void *ipcarc_guard_view(const ipcarc_guard *g) {
    return g->current;
}

/**
 * The copy to write, payload_size bytes. The first call of a crash-atomic guard switches to the
 * shadow copy (keep != 0: filled with the committed value first); of a raw guard, it makes the
 * commit word odd (relaxed store, then a release fence: the odd value is visible before any
 * payload store that follows).
 */
static inline void *ipcarc_guard_write(ipcarc_guard *g, int keep) {
    ipcarc_segment *s = g->s;
    if (g->writing == 0) {
        if (s->crash_atomic) {
            uint8_t *shadow = s->copy[(g->word & 2) != 0 ? 0 : 1];
            if (keep) {
                memcpy(shadow, g->current, s->payload_size);
            }
            g->current = shadow;
            g->writing = 1;
        } else {
            uint64_t w = __atomic_load_n(&s->h->commit, __ATOMIC_RELAXED);
            if ((w & 1) == 0) {
                w++;
                __atomic_store_n(&s->h->commit, w, __ATOMIC_RELAXED);
            }
            __atomic_thread_fence(__ATOMIC_RELEASE); /* StoreStore: odd before the payload stores */
            g->writing = w;
        }
    }
    return g->current;
}

/** Writes a whole value (payload_size bytes). */
static inline void ipcarc_guard_set(ipcarc_guard *g, const void *value) {
    memcpy(ipcarc_guard_write(g, 0), value, g->s->payload_size);
}

/**
 * Releases the user mutex (on the locking thread). A guard that wrote publishes: crash-atomic,
 * one release store of the commit word + 2 (bit 1 flips to the shadow); raw, a release store of
 * the odd value + 1. A guard that reported owner_died and acknowledges clears 316 and 312. Then
 * owner pid 0, the mutex words restored if damaged, pthread_mutex_unlock, and, if the guard
 * published and someone waits (328 != 0 after a full barrier), FUTEX_WAKE on the commit word.
 */
static inline ipcarc_status ipcarc_unlock(ipcarc_guard *g, ipcarc_error *err) {
    if (!g->held) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "guard is not held");
    }
    ipcarc_segment *s = g->s;
    ipcarc_header *h = s->h;
    int changed = 0;
    g->held = 0;
    if (g->writing != 0) {
        if (s->crash_atomic) {
            __atomic_store_n(&h->commit, (g->word & ~UINT64_C(1)) + 2, __ATOMIC_RELEASE); /* the shadow's stores before it */
            changed = 1;
        } else if (g->acknowledges || (g->word & 1) == 0) {
            __atomic_store_n(&h->commit, g->writing + 1, __ATOMIC_RELEASE); /* the payload stores before the even value */
            changed = 1;
        }
    }
    if (g->owner_died && g->acknowledges) {
        h->dead_owner_pid = 0;
        h->owner_died = 0;
    }
    __atomic_store_n(&s->lock_owner_tid, 0, __ATOMIC_RELAXED);
    h->owner_pid = 0;
    const char *damaged = ipcarc__restore_words(h->user_mutex, g->held_owner, g->held_prev, g->held_next);
    int rc = pthread_mutex_unlock(ipcarc__user(s));
    if (changed) {
        /* Dekker pair with the waiter: store word; full barrier; load count. glibc's robust
         * unlock is an atomic exchange, a full barrier on x86-64; elsewhere add one. */
#if defined(__x86_64__)
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
#else
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
        if (__atomic_load_n(&h->change_waiters, __ATOMIC_RELAXED) != 0) {
            ipcarc__futex_wake_all(ipcarc__futex_word(h));
        }
    }
    if (damaged != NULL) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                            "mutex damaged while held, repaired and released: name=%s, mutex=user, words=%s (a process wrote into the"
                            " segment's mutex)",
                            s->name, damaged);
    }
    if (rc != 0) {
        return ipcarc__fail(err, IPCARC_E_SYSCALL, rc, "pthread_mutex_unlock failed: errno=%s, name=%s", ipcarc_errno_name(rc), s->name);
    }
    return ipcarc__ok(err);
}

/* ------------------------------------------------------------------------------------------ */
/* Lock-free read                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** Copies a payload that a writer may change meanwhile: relaxed atomic loads (8 bytes at a time; copies are 64-aligned). */
static inline void ipcarc__racy_copy(void *dst, const uint8_t *src, size_t n) {
    uint8_t *d = (uint8_t *)dst;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = __atomic_load_n((const uint64_t *)(const void *)(src + i), __ATOMIC_RELAXED);
        memcpy(d + i, &w, 8);
    }
    for (; i < n; i++) {
        d[i] = __atomic_load_n(src + i, __ATOMIC_RELAXED);
    }
}

/**
 * Reads a consistent copy of the payload (payload_size bytes into dst) without the lock.
 *
 * Crash-atomic: s1 = commit word, acquire fence; copy the copy bit 1 of s1 names; acquire fence
 * (load-load); s2 = commit word; done if s1 == s2, else retry (128 spins, then yielding). Never
 * waits for a holder, dead or alive. Safe on any C library.
 *
 * Raw (a seqlock): the same with s1 even; after 128 failed attempts, a glibc process reads under
 * the lock (an owner death found there is recorded, never acknowledged) and a value half-written
 * by a dead holder is IPCARC_E_TORN; a process of another C library keeps trying for 1 s and
 * then reports IPCARC_E_BUSY (a writer holds on, or died mid-update).
 *
 * After a copy validated, the state word must still say ready (acquire, after the copy): the last
 * close marks the segment unlinked and then punches every page after the first, so the copy of a
 * reader that holds no reference (no ipcarc_register) may be the zeros of punched pages while the
 * commit word, on page one, is unchanged. Such a read is IPCARC_E_NOT_FOUND ("unlinked while
 * reading"), never a value no writer committed.
 */
static inline ipcarc_status ipcarc__still_ready(ipcarc_segment *s, ipcarc_error *err) {
    uint32_t state = __atomic_load_n(&s->h->state, __ATOMIC_ACQUIRE);
    if (state != IPCARC_STATE_READY) {
        return ipcarc__fail(err, IPCARC_E_NOT_FOUND, 0,
                            "segment unlinked while reading: name=%s, state=%u (its last holder closed it and its pages are gone;"
                            " open the name again)", s->name, state);
    }
    return ipcarc__ok(err);
}

static inline ipcarc_status ipcarc_read(ipcarc_segment *s, void *dst, ipcarc_error *err) {
    ipcarc_header *h = s->h;
    if (s->crash_atomic) {
        for (int i = 0;; i++) {
            uint64_t s1 = __atomic_load_n(&h->commit, __ATOMIC_RELAXED);
            __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the copy's loads stay after the load of s1 */
            ipcarc__racy_copy(dst, s->copy[(s1 & 2) != 0 ? 1 : 0], s->payload_size);
            __atomic_thread_fence(__ATOMIC_ACQUIRE); /* ... and before the load of s2 (and of the state) */
            if (__atomic_load_n(&h->commit, __ATOMIC_RELAXED) == s1) {
                return ipcarc__still_ready(s, err);
            }
            if (i < IPCARC_OPTIMISTIC_READS) {
                ipcarc__spin_pause();
            } else {
                sched_yield();
            }
        }
    }
    int64_t give_up = 0;
    for (int i = 0;; i++) {
        uint64_t s1 = __atomic_load_n(&h->commit, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((s1 & 1) == 0) {
            ipcarc__racy_copy(dst, s->copy[0], s->payload_size);
            __atomic_thread_fence(__ATOMIC_ACQUIRE);
            if (__atomic_load_n(&h->commit, __ATOMIC_RELAXED) == s1) {
                return ipcarc__still_ready(s, err);
            }
        }
        if (i < IPCARC_OPTIMISTIC_READS) {
            ipcarc__spin_pause();
            continue;
        }
        if (s->lockable) {
            break;
        }
        if (give_up == 0) {
            give_up = ipcarc__now_ns() + IPCARC_UNLOCKED_READ_PATIENCE_NS;
        } else if (ipcarc__now_ns() > give_up) {
            return ipcarc__fail(err, IPCARC_E_BUSY, 0,
                                "no stable value without the lock: name=%s, word=%llu (a writer holds on, or died mid-update; %s)", s->name,
                                (unsigned long long)s1, s->lock_refusal);
        }
        sched_yield();
    }
    ipcarc_guard g;
    ipcarc_status st = ipcarc__lock(s, &g, -1, 0, err);
    if (st != IPCARC_OK) {
        return st;
    }
    int torn = (g.word & 1) != 0;
    if (!torn) {
        memcpy(dst, g.current, s->payload_size);
    }
    st = ipcarc_unlock(&g, err);
    if (st == IPCARC_OK && !torn) {
        st = ipcarc__still_ready(s, err);
    }
    if (torn) {
        return ipcarc__fail(err, IPCARC_E_TORN, 0,
                            "value half-written by a holder that died: name=%s, deadOwnerPid=%u (repair it under ipcarc_lock, whose guard"
                            " reports owner_died; reads succeed again once that guard unlocks)",
                            s->name, h->dead_owner_pid);
    }
    return st;
}

/* ------------------------------------------------------------------------------------------ */
/* Versions and awaitChange                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** The version: the commit word with its low bit cleared (acquire). +2 per guard that wrote, in any process. */
static inline uint64_t ipcarc_version(const ipcarc_segment *s) {
    return __atomic_load_n(&s->h->commit, __ATOMIC_ACQUIRE) & ~UINT64_C(1);
}

/**
 * Waits until the version differs from version, at most timeout_ns (< 0: without limit); *now is
 * the new version, or version itself at the timeout. Needs a registered holder (the wait counts
 * in its slot, so a waiter killed in its sleep is taken off the total when it is reaped) and a
 * thread that does not hold the lock. Polls 200 times, then: total + 1, slot + 1 (atomic adds),
 * re-check the word, FUTEX_WAIT on its low 32 bits for at most 50 ms, slot - 1 (unless the slot
 * count was taken meanwhile), total - 1; and again.
 */
static inline ipcarc_status ipcarc_await_change(ipcarc_segment *s, uint64_t version, int64_t timeout_ns, uint64_t *now,
                                                ipcarc_error *err) {
    ipcarc_header *h = s->h;
    *now = version;
    if ((version & 1) != 0) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "not a version (versions are even): version=%llu, name=%s",
                            (unsigned long long)version, s->name);
    }
    if (s->slot < 0) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "this process holds no handle of the segment: name=%s (ipcarc_register first)",
                            s->name);
    }
    if (__atomic_load_n(&s->lock_owner_tid, __ATOMIC_RELAXED) == (int32_t)syscall(SYS_gettid)) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0,
                            "awaitChange while this thread holds the lock: name=%s (no other thread could make the change)", s->name);
    }
    int64_t deadline = timeout_ns < 0 ? INT64_MAX : ipcarc__now_ns() + timeout_ns;
    ipcarc_holder_slot *slot = &h->holders[s->slot];
    for (int spins = 0;;) {
        uint64_t word = __atomic_load_n(&h->commit, __ATOMIC_ACQUIRE);
        if ((word & ~UINT64_C(1)) != version) {
            *now = word & ~UINT64_C(1);
            return ipcarc__ok(err);
        }
        if (spins < IPCARC_AWAIT_SPINS) {
            spins++;
            ipcarc__spin_pause();
            continue;
        }
        int64_t left = deadline - ipcarc__now_ns();
        if (left <= 0) {
            return ipcarc__ok(err);
        }
        /* Total first and slot second on the way in, the reverse on the way out: a process killed
         * between the two leaves the total too high (a needless wake), never too low. */
        __atomic_fetch_add(&h->change_waiters, 1, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&slot->waiters, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&h->commit, __ATOMIC_SEQ_CST) == word) {
            ipcarc__futex_wait(ipcarc__futex_word(h), (uint32_t)word, left < IPCARC_AWAIT_SLICE_NS ? left : IPCARC_AWAIT_SLICE_NS);
        }
        uint32_t c = __atomic_load_n(&slot->waiters, __ATOMIC_SEQ_CST);
        for (;;) {
            if ((int32_t)c <= 0 || s->slot < 0) {
                break; /* the slot was cleared meanwhile and took this thread's count off the total */
            }
            if (__atomic_compare_exchange_n(&slot->waiters, &c, c - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
                __atomic_fetch_sub(&h->change_waiters, 1, __ATOMIC_SEQ_CST);
                break;
            }
        }
    }
}

/* ========================================================================================== */
/* The ring (layout version 2): one writer, up to 64 crash-safe readers, fixed-size entries    */
/* ========================================================================================== */
/*
 * A ring is the raw payload of one segment of type bytes<ipcarc.ring/3>[N] (payload mode raw).
 * Offsets below are relative to the payload (copy 0), which starts on a 64-byte boundary.
 * docs/ring.md gives the same layout and the Java protocols; docs/interop.md the steps a foreign
 * reader follows, with their crash points. The Java writer (io.ipcarc.ring.RingWriter) is the
 * only writer: this header reads (claims reader slots, consumes, commits, detaches, releases,
 * reserves, sleeps and wakes) but does not publish.
 *
 *   ipcarc_ring ring; ipcarc_ring_reader r; ipcarc_error e;
 *   ipcarc_ring_load(&ring, "/ticks", TICK_DESCRIPTOR, &e);        // a registered holder
 *   ipcarc_ring_claim_reader(&ring, 0, 0, &r, &e);                 // slot 0, at its stored position
 *   for (int idle = 0; running; ) {
 *       int n = ipcarc_ring_poll(&r, on_entry, on_loss, ctx, 256);  // copies, validated
 *       ... persist what on_entry got ...
 *       ipcarc_ring_commit(&r);                                     // then the position
 *       if (n == 0) ipcarc_ring_idle(&r, idle++, IPCARC_RING_SLEEP_NS); else idle = 0;
 *   }
 *   ipcarc_ring_detach(&r, &e);                                     // slot kept for a restart
 *   ipcarc_ring_close(&ring, &e);
 */

/** "IPCRING3" read as a little-endian u64. */
#define IPCARC_RING_MAGIC UINT64_C(0x33474E4952435049)
/** The ring layout version this header reads. */
#define IPCARC_RING_VERSION 3u
/** The type tag of a ring segment: its descriptor is "bytes<ipcarc.ring/3>[N]", N the payload size. */
#define IPCARC_RING_TYPE_TAG "ipcarc.ring/3"
/** Largest capacity (entries, a power of two from 2). */
#define IPCARC_RING_MAX_CAPACITY (1u << 24)
/** Most reader slots. */
#define IPCARC_RING_MAX_READERS 64u
/** Writer word (ring offset 144) bit 0: the writer is lossless (waits for the slowest registered reader). */
#define IPCARC_RING_WRITER_LOSSLESS 1u
/** Writer word bit 1: the lossless writer may sleep in the kernel until a reader commits, so each commit
 *  must look for it (the reference commit below always looks while the writer is lossless, which is also
 *  correct, only slower); without it a commit is one release store. */
#define IPCARC_RING_WRITER_SLEEPS 2u
/** Writer word: one writer claim (bits 2-31 count claims, so the word changes when the role changes hands). */
#define IPCARC_RING_WRITER_CLAIM 4u

/** Reader slot states (reader slot +16). */
#define IPCARC_READER_FREE 0u     /* nobody: a lossless writer ignores it */
#define IPCARC_READER_ACTIVE 1u   /* claimed by the holder at +24 (alive or not) */
#define IPCARC_READER_DETACHED 2u /* registered without a process (closed cleanly, or reserved): the writer waits for it */

/** Timing constants of the Java ring (RingWriter, RingReader); the reference functions use the same. */
#define IPCARC_RING_REGISTRY_CHECK_INTERVAL 64                 /* publishes between two registry loads by the writer */
#define IPCARC_RING_SPINS_BEFORE_YIELD 64                      /* idle rounds spinning before yielding */
#define IPCARC_RING_YIELDS_BEFORE_SLEEP 16                     /* idle rounds yielding before sleeping */
#define IPCARC_RING_SLEEP_NS INT64_C(100000000)                /* longest sleep on the wake-up word: a safety net */
#define IPCARC_RING_UNACKNOWLEDGED_SLEEP_NS INT64_C(1000000)   /* longest sleep until the writer knows we block */
#define IPCARC_RING_MAX_BATCH 256                              /* most entries copied before one validation */
#define IPCARC_RING_BATCH_BYTES 16384                          /* most bytes copied before one validation */

/**
 * Ring header, payload offsets 0..255 (lines 0 to 3). Who writes what, and with which ordering,
 * is in each comment; "plain" is a relaxed __atomic access of the aligned word.
 */
typedef struct __attribute__((packed, aligned(64))) ipcarc_ring_header {
    /* ---- line 0 (0..63): identity, written once in the creator's initial image (before the
     * segment's magic, so ordered by it); plain loads ---- */
    /** 0 u64: IPCARC_RING_MAGIC. */
    uint64_t magic;
    /** 8 u32: IPCARC_RING_VERSION. */
    uint32_t version;
    /** 12 u32: entries, a power of two from 2 to 2^24. */
    uint32_t capacity;
    /** 16 u32: bytes per slot: 8 (stamp) + entry size, rounded up to a multiple of 8. */
    uint32_t slot_size;
    /** 20 u32: bytes of an entry (the entry type's size). */
    uint32_t entry_size;
    /** 24 u32: reader slots R, 1 to 64. */
    uint32_t reader_slots;
    /** 28 u32: bytes of the entry type's descriptor (UTF-8, 1 to 16384), stored after the slots. */
    uint32_t entry_descriptor_length;
    /** 32 u64: FNV-1a 64 of the entry type's descriptor (ipcarc_fnv1a64). */
    uint64_t entry_fingerprint;
    /** 40 u64: random identity of this ring, never 0 (a ring created again under the same name has another). */
    uint64_t ring_id;
    /** 48 u64: creation time, ms since the epoch. */
    uint64_t created_millis;
    /** 56: reserved, 0. */
    uint8_t reserved_56[8];

    /* ---- line 1 (64..127): the writer's hot word ---- */
    /** 64 u64: write pointer, more than every sequence the writer has started. The writer raises
     *  it in blocks of ipcarc_ring_announce_ahead(capacity) (release store, then a store-store
     *  fence) BEFORE it writes the first entry of the block. Readers load it with acquire after
     *  copying (a load-load fence before): copies of sequences >= pointer - capacity are good. */
    uint64_t write_pointer;
    uint8_t reserved_72[56];

    /* ---- line 2 (128..191): the writer's cold words, written under the user mutex ---- */
    /** 128 u64: holder id (generation << 32 | holder slot) of the process holding the writer role, 0 if none. */
    uint64_t writer_holder;
    /** 136 u32: that process's pid as it sees itself; display only. */
    uint32_t writer_pid;
    /** 140: reserved, 0. */
    uint32_t reserved_140;
    /** 144 u32: writer word: bit 0 lossless, bit 1 may sleep, bits 2-31 claims so far. Release store at a claim;
     *  readers load it (plain, then an acquire fence) at the start of a poll. */
    uint32_t writer_word;
    /** 148 u32: registry version seen: the registry version the writer last acted on (release
     *  store after it read the reader slots); every publish after it respects the slots it read. */
    uint32_t writer_seen;
    uint8_t reserved_152[40];

    /* ---- line 3 (192..255): control words ---- */
    /** 192 u32: registry version: +1 (atomic add, seq_cst) after every change of a reader slot's
     *  state, of a position by a claim or reservation, or of a blocking flag. The writer loads it
     *  with acquire every 64 publishes and when it has no room. */
    uint32_t registry_version;
    /** 196 u32: wake-up futex word: the writer adds 1 (atomic), then FUTEX_WAKEs all sleepers on it. */
    uint32_t wakeup;
    /** 200 u32[2]: sleepers: bit i (word i / 32) set while reader i sleeps or is about to (CAS by
     *  the reader, a full fence; the writer clears the bits it saw, by CAS, before it wakes them). */
    uint32_t sleepers[2];
    /** 208 u32: writer waiting: 1 while a lossless writer sleeps (or is about to) until a reader makes
     *  room (seq_cst store by the writer; a reader that sees it clears it by CAS 1 -> 0). */
    uint32_t writer_waiting;
    /** 212 u32: room futex word: the reader that cleared writer waiting adds 1 and FUTEX_WAKEs. */
    uint32_t room;
    uint8_t reserved_216[40];
} ipcarc_ring_header;

/** Reader slot i, at payload offset 256 + 64 * i: one cache line. */
typedef struct __attribute__((packed, aligned(64))) ipcarc_ring_reader_slot {
    /** +0 u64: the next sequence the reader will consume, as last committed. Release store by the
     *  reader's commit, after it persisted what it consumed; the writer loads it with acquire. */
    uint64_t position;
    /** +8 u64: entries the reader lost to overruns, in total. Release store by the reader. */
    uint64_t lost;
    /** +16 u32: IPCARC_READER_*. Release store under the user mutex; loaded with acquire. */
    uint32_t state;
    /** +20 u32: 1 while the reader may sleep on the wake-up word (release store, then the registry
     *  version +1); cleared under the user mutex by a claim, a detach and a release. */
    uint32_t blocking;
    /** +24 u64: holder id of the process that claimed the slot (under the user mutex; plain). Alive
     *  exactly while ipcarc_is_holder_alive says so (the OFD-lock token of that holder slot). */
    uint64_t holder;
    /** +32 u32: that process's pid as it sees itself; display only (plain, under the user mutex). */
    uint32_t pid;
    /** +36 u32: the registry version the claim produced (plain, under the user mutex). */
    uint32_t claim_version;
    /** +40: reserved, 0. */
    uint8_t reserved_40[24];
} ipcarc_ring_reader_slot;

/** The first 8 bytes of an entry slot, at payload offset 256 + 64 * R + (s mod capacity) * slot_size. */
typedef struct __attribute__((packed, aligned(8))) ipcarc_ring_stamp {
    /** +0 u32: 0 until the slot's first entry is published, then (s / capacity) + 1 mod 2^32 for the
     *  sequence s it holds. The writer stores it (plain 32-bit store) after a release fence; readers
     *  load it (plain 32-bit load) then an acquire fence. Compared as a signed 32-bit difference. */
    uint32_t stamp;
    /** +4: reserved, 0. The entry's bytes follow at +8 (plain stores and loads). */
    uint32_t reserved;
} ipcarc_ring_stamp;

_Static_assert(offsetof(ipcarc_ring_header, magic) == 0, "ring magic");
_Static_assert(offsetof(ipcarc_ring_header, version) == 8, "ring version");
_Static_assert(offsetof(ipcarc_ring_header, capacity) == 12, "ring capacity");
_Static_assert(offsetof(ipcarc_ring_header, slot_size) == 16, "ring slot size");
_Static_assert(offsetof(ipcarc_ring_header, entry_size) == 20, "ring entry size");
_Static_assert(offsetof(ipcarc_ring_header, reader_slots) == 24, "ring reader slots");
_Static_assert(offsetof(ipcarc_ring_header, entry_descriptor_length) == 28, "ring entry descriptor length");
_Static_assert(offsetof(ipcarc_ring_header, entry_fingerprint) == 32, "ring entry fingerprint");
_Static_assert(offsetof(ipcarc_ring_header, ring_id) == 40, "ring id");
_Static_assert(offsetof(ipcarc_ring_header, created_millis) == 48, "ring created");
_Static_assert(offsetof(ipcarc_ring_header, reserved_56) == 56, "ring reserved 56");
_Static_assert(offsetof(ipcarc_ring_header, write_pointer) == 64, "ring write pointer");
_Static_assert(offsetof(ipcarc_ring_header, reserved_72) == 72, "ring reserved 72");
_Static_assert(offsetof(ipcarc_ring_header, writer_holder) == 128, "ring writer holder");
_Static_assert(offsetof(ipcarc_ring_header, writer_pid) == 136, "ring writer pid");
_Static_assert(offsetof(ipcarc_ring_header, reserved_140) == 140, "ring reserved 140");
_Static_assert(offsetof(ipcarc_ring_header, writer_word) == 144, "ring writer word");
_Static_assert(offsetof(ipcarc_ring_header, writer_seen) == 148, "ring writer seen");
_Static_assert(offsetof(ipcarc_ring_header, reserved_152) == 152, "ring reserved 152");
_Static_assert(offsetof(ipcarc_ring_header, registry_version) == 192, "ring registry version");
_Static_assert(offsetof(ipcarc_ring_header, wakeup) == 196, "ring wake-up word");
_Static_assert(offsetof(ipcarc_ring_header, sleepers) == 200, "ring sleepers");
_Static_assert(offsetof(ipcarc_ring_header, writer_waiting) == 208, "ring writer waiting");
_Static_assert(offsetof(ipcarc_ring_header, room) == 212, "ring room word");
_Static_assert(offsetof(ipcarc_ring_header, reserved_216) == 216, "ring reserved 216");
_Static_assert(sizeof(ipcarc_ring_header) == 256, "ring header: lines 0 to 3");
_Static_assert(offsetof(ipcarc_ring_reader_slot, position) == 0, "reader position");
_Static_assert(offsetof(ipcarc_ring_reader_slot, lost) == 8, "reader lost");
_Static_assert(offsetof(ipcarc_ring_reader_slot, state) == 16, "reader state");
_Static_assert(offsetof(ipcarc_ring_reader_slot, blocking) == 20, "reader blocking");
_Static_assert(offsetof(ipcarc_ring_reader_slot, holder) == 24, "reader holder");
_Static_assert(offsetof(ipcarc_ring_reader_slot, pid) == 32, "reader pid");
_Static_assert(offsetof(ipcarc_ring_reader_slot, claim_version) == 36, "reader claim version");
_Static_assert(offsetof(ipcarc_ring_reader_slot, reserved_40) == 40, "reader reserved");
_Static_assert(sizeof(ipcarc_ring_reader_slot) == 64, "reader slot: one line");
_Static_assert(offsetof(ipcarc_ring_stamp, stamp) == 0, "slot stamp");
_Static_assert(sizeof(ipcarc_ring_stamp) == 8, "slot body at +8");

/** Offset of the first entry slot. */
static inline uint64_t ipcarc_ring_entries_offset(uint32_t reader_slots) {
    return sizeof(ipcarc_ring_header) + (uint64_t)reader_slots * sizeof(ipcarc_ring_reader_slot);
}

/** Bytes per slot: the 8-byte stamp plus the entry, rounded up to a multiple of 8. */
static inline uint32_t ipcarc_ring_slot_size(uint32_t entry_size) {
    return (uint32_t)((sizeof(ipcarc_ring_stamp) + entry_size + 7) & ~(uint64_t)7);
}

/** Where the entry type's descriptor is stored: right after the last slot. */
static inline uint64_t ipcarc_ring_descriptor_offset(uint32_t capacity, uint32_t slot_size, uint32_t reader_slots) {
    return ipcarc_ring_entries_offset(reader_slots) + (uint64_t)capacity * slot_size;
}

/** The payload size of a ring (the slots, then the entry descriptor padded to 8): its segment is bytes<ipcarc.ring/3>[that]. */
static inline uint64_t ipcarc_ring_payload_size(uint32_t capacity, uint32_t slot_size, uint32_t reader_slots,
                                                uint32_t descriptor_length) {
    return ipcarc_ring_descriptor_offset(capacity, slot_size, reader_slots) + (((uint64_t)descriptor_length + 7) & ~(uint64_t)7);
}

/** How far ahead the writer raises the write pointer at once: min(64, capacity / 8), at least 1. */
static inline uint32_t ipcarc_ring_announce_ahead(uint32_t capacity) {
    uint32_t a = capacity / 8 < 64 ? capacity / 8 : 64;
    return a < 1 ? 1 : a;
}

/** An attached ring: a registered holder of its segment, and the ring header checked. */
typedef struct ipcarc_ring {
    ipcarc_segment seg;
    ipcarc_ring_header *h;
    ipcarc_ring_reader_slot *readers;
    uint8_t *entries;
    uint32_t capacity;
    uint32_t capacity_shift;
    uint32_t slot_size;
    uint32_t entry_size;
    uint32_t reader_slots;
    uint32_t ahead;
    uint64_t ring_id;
} ipcarc_ring;

/** A claimed reader slot. One thread at a time. */
typedef struct ipcarc_ring_reader {
    ipcarc_ring *ring;
    uint32_t id;
    ipcarc_ring_reader_slot *slot;
    uint64_t position;        /* the next sequence to consume */
    uint64_t committed;       /* the position last stored */
    uint64_t lost;
    uint32_t blocking_version; /* the registry version this reader's blocking flag produced */
    int blocking;
    int open;
    uint8_t *batch;           /* private copies of up to batch_entries entries */
    uint32_t batch_entries;
    int gone;                 /* 1 once a poll found the segment unlinked (only a reader without a reference can) */
} ipcarc_ring_reader;

/** Called for each entry, in order: seq and a copy of its entry_size bytes, valid until the call returns. */
typedef void (*ipcarc_ring_entry_fn)(void *ctx, uint64_t seq, const uint8_t *entry);
/** Called for each range [from, to) the writer overwrote before this reader copied it. */
typedef void (*ipcarc_ring_loss_fn)(void *ctx, uint64_t from, uint64_t to);

/** The stamp a slot holds once sequence seq is published in it. */
static inline uint32_t ipcarc_ring_stamp_of(const ipcarc_ring *r, uint64_t seq) {
    return (uint32_t)(seq >> r->capacity_shift) + 1;
}

static inline uint8_t *ipcarc_ring__slot(const ipcarc_ring *r, uint64_t seq) {
    return r->entries + (seq & (r->capacity - 1)) * (uint64_t)r->slot_size;
}

/** Signed distance of the slot's stamp from seq's: 0 published, < 0 not yet, > 0 a later lap. Plain load, acquire fence. */
static inline int32_t ipcarc_ring__stamp_ahead(const ipcarc_ring *r, uint64_t seq) {
    uint32_t stamp = __atomic_load_n((const uint32_t *)(const void *)ipcarc_ring__slot(r, seq), __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the entry's loads after the stamp's */
    return (int32_t)(stamp - ipcarc_ring_stamp_of(r, seq));
}

/**
 * Attaches to the ring NAME and registers as a holder (glibc only: ipcarc_load). Checks the
 * segment's descriptor (bytes<ipcarc.ring/3>[N]), payload mode raw, the ring magic and version,
 * capacity, slot size, reader slots and entry descriptor length against the payload size, the
 * stored entry descriptor against its fingerprint, and the entry type: the stored descriptor
 * equals entry_descriptor (NULL: any) and the size (entry_size 0: any size). A mismatch names
 * the stored descriptor.
 */
static inline ipcarc_status ipcarc_ring_load(ipcarc_ring *r, const char *name, const char *entry_descriptor, uint32_t entry_size,
                                             ipcarc_error *err) {
    memset(r, 0, sizeof *r);
    ipcarc_status st = ipcarc_load(&r->seg, name, NULL, err);
    if (st != IPCARC_OK) {
        return st;
    }
    ipcarc_segment *s = &r->seg;
    const char *d = (const char *)s->h + IPCARC_DESCRIPTOR_OFFSET;
    uint32_t n = s->h->descriptor_length;
    static const char prefix[] = "bytes<" IPCARC_RING_TYPE_TAG ">[";
    static const char v1[] = "bytes<ipcarc.ring/1>[";
    static const char v2[] = "bytes<ipcarc.ring/2>[";
    if (n < sizeof prefix || memcmp(d, prefix, sizeof prefix - 1) != 0) {
        int old = n >= sizeof v1 && (memcmp(d, v1, sizeof v1 - 1) == 0 || memcmp(d, v2, sizeof v2 - 1) == 0);
        st = ipcarc__fail(err, IPCARC_E_TYPE, 0, "%s: name=%s, found=%.*s, expected=%s...]",
                          old ? "ring of an older layout version, which this header does not read" : "not a ring", s->name,
                          (int)(n > 200 ? 200 : n), d, prefix);
    } else if (s->crash_atomic) {
        st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "ring segment is not raw: name=%s, payloadMode=%u", s->name, s->h->payload_mode);
    } else {
        ipcarc_ring_header *h = (ipcarc_ring_header *)(void *)s->copy[0];
        uint64_t magic = __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE);
        uint32_t cap = h->capacity;
        uint32_t readers = h->reader_slots;
        uint32_t d_len = h->entry_descriptor_length;
        const char *stored = NULL;
        if (s->payload_size < sizeof(ipcarc_ring_header) || magic != IPCARC_RING_MAGIC || h->version != IPCARC_RING_VERSION) {
            st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "not a ring of layout version %u: name=%s, magic=0x%llx, version=%u",
                              IPCARC_RING_VERSION, s->name, (unsigned long long)magic, h->version);
        } else if (cap < 2 || (cap & (cap - 1)) != 0 || cap > IPCARC_RING_MAX_CAPACITY || readers < 1 ||
                   readers > IPCARC_RING_MAX_READERS || h->entry_size < 1 || h->slot_size != ipcarc_ring_slot_size(h->entry_size) ||
                   d_len < 1 || d_len > IPCARC_MAX_DESCRIPTOR_BYTES ||
                   ipcarc_ring_payload_size(cap, h->slot_size, readers, d_len) != s->payload_size) {
            st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0,
                              "inconsistent ring header: name=%s, capacity=%u, slotSize=%u, entrySize=%u, readerSlots=%u, "
                              "entryDescriptorLength=%u, payload=%u",
                              s->name, cap, h->slot_size, h->entry_size, readers, d_len, s->payload_size);
        } else if ((stored = (const char *)s->copy[0] + ipcarc_ring_descriptor_offset(cap, h->slot_size, readers)),
                   ipcarc_fnv1a64(stored, d_len) != h->entry_fingerprint) {
            st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "ring entry descriptor does not match its fingerprint: name=%s", s->name);
        } else if ((entry_descriptor != NULL && (strlen(entry_descriptor) != d_len || memcmp(entry_descriptor, stored, d_len) != 0)) ||
                   (entry_size != 0 && h->entry_size != entry_size)) {
            st = ipcarc__fail(err, IPCARC_E_TYPE, 0,
                              "ring entries are of another type: name=%s, expected=%s (size %u), found size=%u, stored=%.*s",
                              s->name, entry_descriptor == NULL ? "?" : entry_descriptor, entry_size, h->entry_size,
                              (int)(d_len > 200 ? 200 : d_len), stored);
        } else {
            r->h = h;
            r->readers = (ipcarc_ring_reader_slot *)(void *)(s->copy[0] + sizeof(ipcarc_ring_header));
            r->entries = s->copy[0] + ipcarc_ring_entries_offset(readers);
            r->capacity = cap;
            r->capacity_shift = (uint32_t)__builtin_ctz(cap);
            r->slot_size = h->slot_size;
            r->entry_size = h->entry_size;
            r->reader_slots = readers;
            r->ahead = ipcarc_ring_announce_ahead(cap);
            r->ring_id = h->ring_id;
            return ipcarc__ok(err);
        }
    }
    ipcarc_error ignored;
    ipcarc_release(s, &ignored);
    ipcarc_close(s);
    return st;
}

/** Gives the holder reference back (the last one of all processes unlinks the segment) and unmaps. Detach readers first. */
static inline ipcarc_status ipcarc_ring_close(ipcarc_ring *r, ipcarc_error *err) {
    ipcarc_status st = ipcarc_release(&r->seg, err);
    ipcarc_close(&r->seg);
    return st;
}

/**
 * The next sequence the writer will publish: the write pointer (acquire), lowered to the first
 * unpublished sequence of the block below it (the writer raises the pointer a block ahead).
 */
static inline uint64_t ipcarc_ring_write_position(const ipcarc_ring *r) {
    uint64_t w = __atomic_load_n(&r->h->write_pointer, __ATOMIC_ACQUIRE);
    for (uint64_t q = w > r->ahead ? w - r->ahead : 0; q < w; q++) {
        if (ipcarc_ring__stamp_ahead(r, q) != 0) {
            return q;
        }
    }
    return w;
}

/** Registry version + 1 (atomic add, seq_cst: the slot's stores before it). Returns the new version. */
static inline uint32_t ipcarc_ring__bump_registry(ipcarc_ring *r) {
    return __atomic_add_fetch(&r->h->registry_version, 1, __ATOMIC_SEQ_CST);
}

/** Sets or clears reader id's sleeper bit (CAS loop, seq_cst: a full fence). */
static inline void ipcarc_ring__mark_sleeping(ipcarc_ring *r, uint32_t id, int asleep) {
    uint32_t *word = &r->h->sleepers[id >> 5];
    uint32_t bit = UINT32_C(1) << (id & 31);
    uint32_t v = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    for (;;) {
        if (((v & bit) != 0) == (asleep != 0)) {
            return;
        }
        if (__atomic_compare_exchange_n(word, &v, v ^ bit, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            return;
        }
    }
}

/**
 * Wakes a lossless writer that sleeps until a reader makes room: a full fence (the caller stored
 * a position or a slot state; the writer stored its flag before loading them: Dekker), load the
 * flag; if set and this CAS clears it, room + 1 and FUTEX_WAKE all on the room word.
 */
static inline void ipcarc_ring__wake_waiting_writer(ipcarc_ring *r) {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    uint32_t one = 1;
    if (__atomic_load_n(&r->h->writer_waiting, __ATOMIC_SEQ_CST) != 0 &&
        __atomic_compare_exchange_n(&r->h->writer_waiting, &one, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        __atomic_fetch_add(&r->h->room, 1, __ATOMIC_SEQ_CST);
        ipcarc__futex_wake_all(&r->h->room);
    }
}

/** Whether a slot's recorded holder is a live process other than this attachment (this one counts as not live: see claim). */
static inline int ipcarc_ring__live_elsewhere(const ipcarc_ring *r, uint64_t holder) {
    return holder != 0 && holder != ipcarc_holder_id(&r->seg) && ipcarc_is_holder_alive(&r->seg, holder);
}

/**
 * Claims reader slot id (docs/interop.md, "Reader slots"), under the user mutex (ipcarc_lock; the
 * guard writes nothing, so the commit word does not move):
 *   1. state ACTIVE and holder alive (another process): refuse, IPCARC_E_BUSY naming its pid.
 *   2. state FREE: position = from_latest ? write position : max(0, write pointer - capacity);
 *      lost = 0 (release stores). ACTIVE with a dead holder, DETACHED (or reserved): keep the position.
 *   3. holder = this attachment's holder id, pid = getpid() (plain).
 *   4. clear the sleeper bit (CAS), blocking = 0 (release), state = ACTIVE (release).
 *   5. registry version + 1 (seq_cst), stored as the claim version.
 * The holder id of THIS attachment counts as not alive: a process must not claim a slot it
 * already has open (keep your own record, as Java's LocalClaims does).
 * Crash points: killed before step 4, the slot is as it was (its holder field may name this dead
 * process: not alive, so the next claim takes it over); after it, ACTIVE with a dead holder:
 * taken over at its position by the next claim; the writer waits for it meanwhile (lossless).
 */
static inline ipcarc_status ipcarc_ring_claim_reader(ipcarc_ring *r, uint32_t id, int from_latest, ipcarc_ring_reader *out,
                                                     ipcarc_error *err) {
    memset(out, 0, sizeof *out);
    if (id >= r->reader_slots) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "reader id out of range: name=%s, reader=%u, readerSlots=%u", r->seg.name, id,
                            r->reader_slots);
    }
    uint32_t per_batch = IPCARC_RING_BATCH_BYTES / r->entry_size;
    per_batch = per_batch < 1 ? 1 : per_batch > IPCARC_RING_MAX_BATCH ? IPCARC_RING_MAX_BATCH : per_batch;
    out->batch = (uint8_t *)malloc((size_t)per_batch * r->entry_size);
    if (out->batch == NULL) {
        return ipcarc__fail(err, IPCARC_E_SYSCALL, ENOMEM, "out of memory: name=%s", r->seg.name);
    }
    out->batch_entries = per_batch;
    ipcarc_ring_reader_slot *slot = &r->readers[id];
    ipcarc_guard g;
    ipcarc_status st = ipcarc_lock(&r->seg, &g, -1, err);
    if (st != IPCARC_OK) {
        free(out->batch);
        out->batch = NULL;
        return st;
    }
    uint32_t state = __atomic_load_n(&slot->state, __ATOMIC_RELAXED); /* under the mutex: plain */
    uint64_t holder = __atomic_load_n(&slot->holder, __ATOMIC_RELAXED);
    if (state == IPCARC_READER_ACTIVE && ipcarc_ring__live_elsewhere(r, holder)) {
        uint32_t pid = slot->pid;
        ipcarc_unlock(&g, err);
        free(out->batch);
        out->batch = NULL;
        return ipcarc__fail(err, IPCARC_E_BUSY, 0, "reader id already in use: name=%s, reader=%u, pid=%u", r->seg.name, id, pid);
    }
    if (state == IPCARC_READER_FREE) {
        uint64_t start;
        if (from_latest) {
            start = ipcarc_ring_write_position(r);
        } else {
            uint64_t w = __atomic_load_n(&r->h->write_pointer, __ATOMIC_ACQUIRE);
            start = w > r->capacity ? w - r->capacity : 0;
        }
        __atomic_store_n(&slot->position, start, __ATOMIC_RELEASE);
        __atomic_store_n(&slot->lost, 0, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&slot->holder, ipcarc_holder_id(&r->seg), __ATOMIC_RELAXED);
    __atomic_store_n(&slot->pid, (uint32_t)getpid(), __ATOMIC_RELAXED);
    ipcarc_ring__mark_sleeping(r, id, 0); /* a previous holder killed asleep must not be woken for ever */
    __atomic_store_n(&slot->blocking, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&slot->state, IPCARC_READER_ACTIVE, __ATOMIC_RELEASE);
    uint32_t version = ipcarc_ring__bump_registry(r);
    __atomic_store_n(&slot->claim_version, version, __ATOMIC_RELAXED);
    out->position = __atomic_load_n(&slot->position, __ATOMIC_ACQUIRE);
    out->committed = out->position;
    out->lost = __atomic_load_n(&slot->lost, __ATOMIC_ACQUIRE);
    st = ipcarc_unlock(&g, err);
    out->ring = r;
    out->id = id;
    out->slot = slot;
    out->open = 1;
    return st;
}

/**
 * Registers free reader slots as DETACHED at the oldest entry still in the ring (sequence 0 for a
 * ring nothing was written to), so that a lossless writer waits for them before any process
 * claims them. Registered slots are left as they are. Under the user mutex; one registry bump.
 */
static inline ipcarc_status ipcarc_ring_reserve_readers(ipcarc_ring *r, const uint32_t *ids, size_t n, ipcarc_error *err) {
    for (size_t i = 0; i < n; i++) {
        if (ids[i] >= r->reader_slots) {
            return ipcarc__fail(err, IPCARC_E_STATE, 0, "reader id out of range: name=%s, reader=%u, readerSlots=%u", r->seg.name,
                                ids[i], r->reader_slots);
        }
    }
    ipcarc_guard g;
    ipcarc_status st = ipcarc_lock(&r->seg, &g, -1, err);
    if (st != IPCARC_OK) {
        return st;
    }
    uint64_t w = ipcarc_ring_write_position(r);
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
        ipcarc_ring_reader_slot *slot = &r->readers[ids[i]];
        if (__atomic_load_n(&slot->state, __ATOMIC_RELAXED) == IPCARC_READER_FREE) {
            __atomic_store_n(&slot->position, w > r->capacity ? w - r->capacity : 0, __ATOMIC_RELEASE);
            __atomic_store_n(&slot->lost, 0, __ATOMIC_RELEASE);
            __atomic_store_n(&slot->state, IPCARC_READER_DETACHED, __ATOMIC_RELEASE);
            changed = 1;
        }
    }
    if (changed) {
        ipcarc_ring__bump_registry(r);
    }
    return ipcarc_unlock(&g, err);
}

/**
 * Consumes up to max published entries from copies (docs/interop.md, "Consume"): for each
 * sequence p from the position, the stamp (plain load, acquire fence) equal to p's: copy the
 * entry into the private batch; smaller: not published, stop; larger: lapped, stop. Then a
 * load-load fence and the write pointer w (acquire): copies of sequences >= w - capacity are
 * good (the writer raises w before it overwrites a slot) and are handed to on_entry in order.
 * Lapped, or the first copy older than w - capacity: [position, max(position + 1, w - ahead))
 * is reported to on_loss (may be NULL), added to lost (release store), and reading goes on from
 * there: the copies this batch already made of sequences from there on are valid (they are at or
 * after w - capacity) and are handed out. Works with lossless and lossy writers alike, registered
 * or not; never hands out a torn entry. After w, the segment's state (acquire) must still be
 * ready: else the last holder closed it and punched its pages (stamps, entries and w then read 0),
 * so nothing of this batch is handed out and rd->gone is set (only a process without a reference
 * can see it). The position moves in memory only: ipcarc_ring_commit stores it.
 * Returns the number of entries handed to on_entry.
 */
static inline int ipcarc_ring_poll(ipcarc_ring_reader *rd, ipcarc_ring_entry_fn on_entry, ipcarc_ring_loss_fn on_loss, void *ctx,
                                   int max) {
    ipcarc_ring *r = rd->ring;
    int n = 0;
    while (n < max) {
        uint64_t start = rd->position;
        uint64_t p = start;
        uint32_t limit = (uint32_t)(max - n) < rd->batch_entries ? (uint32_t)(max - n) : rd->batch_entries;
        uint32_t k = 0;
        int lapped = 0;
        while (k < limit) {
            int32_t ahead = ipcarc_ring__stamp_ahead(r, p);
            if (ahead != 0) {
                lapped = ahead > 0;
                break;
            }
            ipcarc__racy_copy(rd->batch + (size_t)k * r->entry_size, ipcarc_ring__slot(r, p) + sizeof(ipcarc_ring_stamp),
                              r->entry_size);
            k++;
            p++;
        }
        if (k == 0 && !lapped) {
            /* nothing published; a ring whose last holder closed it publishes nothing again */
            rd->gone = __atomic_load_n(&r->seg.h->state, __ATOMIC_ACQUIRE) != IPCARC_STATE_READY;
            break;
        }
        __atomic_thread_fence(__ATOMIC_ACQUIRE); /* load-load: the copies before the pointer's load */
        uint64_t w = __atomic_load_n(&r->h->write_pointer, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&r->seg.h->state, __ATOMIC_ACQUIRE) != IPCARC_STATE_READY) {
            rd->gone = 1;
            break;
        }
        uint64_t from = start;
        if (lapped || (w > r->capacity && start < w - r->capacity)) {
            uint64_t newest = w > r->ahead ? w - r->ahead : 0;
            from = newest > start + 1 ? newest : start + 1;
            rd->position = from;
            rd->lost += from - start;
            __atomic_store_n(&rd->slot->lost, rd->lost, __ATOMIC_RELEASE);
            if (on_loss != NULL) {
                on_loss(ctx, start, from);
            }
        }
        for (uint64_t q = from; q < p; q++) {
            on_entry(ctx, q, rd->batch + (size_t)(q - start) * r->entry_size);
            rd->position = q + 1;
            n++;
        }
        if (k < limit && !lapped) {
            break; /* caught up */
        }
    }
    return n;
}

/**
 * Moves the reader's position to seq, forwards or backwards, in memory (ipcarc_ring_commit stores
 * it). Forwards skips entries without counting them lost (a reporter resuming after the last line
 * its output already holds); backwards consumes entries again, if they are still in the ring.
 */
static inline void ipcarc_ring_seek(ipcarc_ring_reader *rd, uint64_t seq) {
    rd->position = seq;
}

/**
 * Stores the position (release), after the caller persisted every entry before it: the writer
 * may now overwrite them. Then, if the writer is lossless, wakes it if it waits for room
 * (ipcarc_ring__wake_waiting_writer). A position moved backwards (the caller set rd->position
 * below the committed one) also bumps the registry version, so a lossless writer re-reads it.
 */
static inline void ipcarc_ring_commit(ipcarc_ring_reader *rd) {
    if (rd->position == rd->committed) {
        return;
    }
    ipcarc_ring *r = rd->ring;
    __atomic_store_n(&rd->slot->position, rd->position, __ATOMIC_RELEASE);
    int backwards = rd->position < rd->committed;
    rd->committed = rd->position;
    uint32_t word = __atomic_load_n(&r->h->writer_word, __ATOMIC_RELAXED);
    if ((word & IPCARC_RING_WRITER_LOSSLESS) != 0) {
        ipcarc_ring__wake_waiting_writer(r);
    }
    if (backwards) {
        ipcarc_ring__bump_registry(r);
    }
}

/**
 * Sleeps until the writer publishes the entry at the position, for at most timeout_ns (the
 * reader's side of the wake protocol, docs/ring.md "Blocking wait"):
 *   0. first time: blocking = 1 (release), registry version + 1 (seq_cst) = the blocking version.
 *      Until the writer's registry version seen reaches it (acquire; or no writer holds the role),
 *      sleep at most 1 ms: the writer does not know yet that it must wake this reader.
 *   1. e = wake-up word (seq_cst); set the sleeper bit (CAS, a full fence); load the stamp of the
 *      position's slot (seq_cst): published or lapped: clear the bit, return 0.
 *   2. FUTEX_WAIT(wake-up word, e, timeout); clear the bit if still set. Returns 1.
 * The writer stores the stamp, fences, loads the sleepers words: one side sees the other.
 */
static inline int ipcarc_ring_sleep(ipcarc_ring_reader *rd, int64_t timeout_ns) {
    ipcarc_ring *r = rd->ring;
    if (!rd->blocking) {
        __atomic_store_n(&rd->slot->blocking, 1, __ATOMIC_RELEASE);
        rd->blocking_version = ipcarc_ring__bump_registry(r);
        rd->blocking = 1;
    }
    int known = (int32_t)(__atomic_load_n(&r->h->writer_seen, __ATOMIC_ACQUIRE) - rd->blocking_version) >= 0 ||
                __atomic_load_n(&r->h->writer_holder, __ATOMIC_ACQUIRE) == 0;
    int64_t cap = known ? IPCARC_RING_SLEEP_NS : IPCARC_RING_UNACKNOWLEDGED_SLEEP_NS;
    int64_t ns = timeout_ns < cap ? timeout_ns : cap;
    if (ns <= 0) {
        return 0;
    }
    uint32_t epoch = __atomic_load_n(&r->h->wakeup, __ATOMIC_SEQ_CST);
    ipcarc_ring__mark_sleeping(r, rd->id, 1);
    const uint32_t *stamp = (const uint32_t *)(const void *)ipcarc_ring__slot(r, rd->position);
    int slept = 0;
    if ((int32_t)(__atomic_load_n(stamp, __ATOMIC_SEQ_CST) - ipcarc_ring_stamp_of(r, rd->position)) < 0) {
        ipcarc__futex_wait(&r->h->wakeup, epoch, ns);
        slept = 1;
    }
    ipcarc_ring__mark_sleeping(r, rd->id, 0); /* the writer cleared it already if it woke us */
    return slept;
}

/**
 * One idle round of the BLOCK strategy, as the Java reader's: rounds 0..63 spin, 64..79 yield,
 * then ipcarc_ring_sleep for at most max_sleep_ns (at most 100 ms). rounds: consecutive idle rounds before this one.
 */
static inline void ipcarc_ring_idle(ipcarc_ring_reader *rd, int rounds, int64_t max_sleep_ns) {
    if (rounds < IPCARC_RING_SPINS_BEFORE_YIELD) {
        ipcarc__spin_pause();
    } else if (rounds < IPCARC_RING_SPINS_BEFORE_YIELD + IPCARC_RING_YIELDS_BEFORE_SLEEP) {
        sched_yield();
    } else {
        ipcarc_ring_sleep(rd, max_sleep_ns < IPCARC_RING_SLEEP_NS ? max_sleep_ns : IPCARC_RING_SLEEP_NS);
    }
}

/**
 * Closes the reader here and locks the user mutex; *own tells whether this attachment still holds
 * the slot (then the caller changes it and unlocks g; else g is already unlocked).
 */
static inline ipcarc_status ipcarc_ring__lock_own_slot(ipcarc_ring_reader *rd, ipcarc_guard *g, int *own, ipcarc_error *err) {
    *own = 0;
    if (!rd->open) {
        return ipcarc__ok(err);
    }
    rd->open = 0;
    free(rd->batch);
    rd->batch = NULL;
    ipcarc_status st = ipcarc_lock(&rd->ring->seg, g, -1, err);
    if (st != IPCARC_OK) {
        return st;
    }
    if (__atomic_load_n(&rd->slot->holder, __ATOMIC_RELAXED) != ipcarc_holder_id(&rd->ring->seg)) {
        return ipcarc_unlock(g, err); /* taken over meanwhile (this process was thought dead): leave it */
    }
    *own = 1;
    return IPCARC_OK;
}

/**
 * Leaves the slot registered (DETACHED) at its committed position, for a restart: under the user
 * mutex, if this attachment still holds it and it is ACTIVE: clear the sleeper bit, blocking = 0,
 * state = DETACHED (release), registry + 1. A lossless writer keeps waiting for it. Entries
 * consumed since the last commit will be consumed again.
 */
static inline ipcarc_status ipcarc_ring_detach(ipcarc_ring_reader *rd, ipcarc_error *err) {
    ipcarc_ring *r = rd->ring;
    ipcarc_guard g;
    int own = 0;
    ipcarc_status st = ipcarc_ring__lock_own_slot(rd, &g, &own, err);
    if (st != IPCARC_OK || !own) {
        return st;
    }
    if (__atomic_load_n(&rd->slot->state, __ATOMIC_RELAXED) == IPCARC_READER_ACTIVE) {
        ipcarc_ring__mark_sleeping(r, rd->id, 0);
        __atomic_store_n(&rd->slot->blocking, 0, __ATOMIC_RELEASE);
        __atomic_store_n(&rd->slot->state, IPCARC_READER_DETACHED, __ATOMIC_RELEASE);
        ipcarc_ring__bump_registry(r);
    }
    return ipcarc_unlock(&g, err);
}

/**
 * Frees the slot for good (a lossless writer stops waiting for it): under the user mutex, if this
 * attachment still holds it: pid = 0, holder = 0, blocking = 0 (release), state = FREE (release),
 * registry + 1, then wake a writer waiting for room.
 */
static inline ipcarc_status ipcarc_ring_release_reader(ipcarc_ring_reader *rd, ipcarc_error *err) {
    ipcarc_ring *r = rd->ring;
    ipcarc_guard g;
    int own = 0;
    ipcarc_status st = ipcarc_ring__lock_own_slot(rd, &g, &own, err);
    if (st != IPCARC_OK || !own) {
        return st;
    }
    __atomic_store_n(&rd->slot->pid, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&rd->slot->holder, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&rd->slot->blocking, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&rd->slot->state, IPCARC_READER_FREE, __ATOMIC_RELEASE);
    ipcarc_ring__bump_registry(r);
    ipcarc_ring__wake_waiting_writer(r);
    return ipcarc_unlock(&g, err);
}

/* ------------------------------------------------------------------------------------------ */
/* The map (layout version 1): a lock-free get by key, a put under the stripe locks           */
/* ------------------------------------------------------------------------------------------ */
/*
 * A map (module ipcarc-map, docs/map.md) is the raw payload of a segment of type
 * bytes<ipcarc.map/1>[N]. Keys and values are passed in their stored form: key_size bytes of the
 * key type's layout (a long: 8 bytes little-endian; a utf8[n] string: its bytes, NUL-padded to n),
 * value_size bytes of the value type's. ipcarc_map_get follows docs/map.md "Lookup" and never
 * waits; ipcarc_map_put follows "Locking", "Insert" and "Update" (glibc processes only). A C put
 * that takes a stripe (or the allocator) whose holder died, or that another writer left
 * mid-operation, records the death, makes the lock consistent and gives it back without writing
 * (IPCARC_E_STATE, "needs repair"): the next Java writer of the stripe repairs it. The repair
 * protocols are Java's. Constants mirror io.ipcarc.map.MapDescriptor (MapHeaderDriftTest).
 */
#define IPCARC_MAP_TYPE_TAG "ipcarc.map/1"
#define IPCARC_MAP_MAGIC UINT64_C(0x312E50414D435049) /* "IPCMAP.1" */
#define IPCARC_MAP_VERSION 1u
#define IPCARC_MAP_HASH_FUNCTION 1u
#define IPCARC_MAP_MAX_CAPACITY (1u << 26)
#define IPCARC_MAP_MAX_STRIPES 1024u
#define IPCARC_MAP_MIN_TAG_BITS 4u
/* line 0: geometry */
#define IPCARC_MAP_MAGIC_OFFSET 0u
#define IPCARC_MAP_VERSION_OFFSET 8u
#define IPCARC_MAP_CAPACITY_OFFSET 12u
#define IPCARC_MAP_ENTRY_COUNT_OFFSET 16u
#define IPCARC_MAP_STRIPES_OFFSET 20u
#define IPCARC_MAP_INDEX_SLOTS_OFFSET 24u
#define IPCARC_MAP_STRIPE_SLOTS_OFFSET 28u
#define IPCARC_MAP_INDEX_BITS_OFFSET 32u
#define IPCARC_MAP_ENTRY_SIZE_OFFSET 36u
#define IPCARC_MAP_KEY_SIZE_OFFSET 40u
#define IPCARC_MAP_VALUE_SIZE_OFFSET 44u
#define IPCARC_MAP_VALUE_OFFSET_OFFSET 48u
#define IPCARC_MAP_KEY_DESCRIPTOR_LENGTH_OFFSET 52u
#define IPCARC_MAP_VALUE_DESCRIPTOR_LENGTH_OFFSET 56u
#define IPCARC_MAP_HASH_FUNCTION_OFFSET 60u
/* line 1: identity */
#define IPCARC_MAP_KEY_FINGERPRINT_OFFSET 64u
#define IPCARC_MAP_VALUE_FINGERPRINT_OFFSET 72u
#define IPCARC_MAP_MAP_ID_OFFSET 80u
#define IPCARC_MAP_CREATED_OFFSET 88u
/* line 2: changes */
#define IPCARC_MAP_CHANGE_COUNTER_OFFSET 128u
#define IPCARC_MAP_CHANGE_WAITERS_OFFSET 136u
/* line 3: the entry allocator */
#define IPCARC_MAP_FREE_HEAD_OFFSET 192u
#define IPCARC_MAP_BUMP_OFFSET 196u
#define IPCARC_MAP_ALLOC_OP_OFFSET 200u
#define IPCARC_MAP_ALLOC_STRIPE_OFFSET 204u
#define IPCARC_MAP_ALLOC_ENTRY_OFFSET 208u
#define IPCARC_MAP_ALLOC_HEAD_BEFORE_OFFSET 212u
#define IPCARC_MAP_ALLOC_BUMP_BEFORE_OFFSET 216u
#define IPCARC_MAP_ALLOC_NONE 0u
#define IPCARC_MAP_ALLOC_POP 1u
#define IPCARC_MAP_ALLOC_PUSH 2u
/* payload locks: stripe i's at LOCKS + 64i, the allocator's at LOCKS + 64S */
#define IPCARC_MAP_LOCKS_OFFSET 256u
#define IPCARC_MAP_LOCK_SLOT 64u
#define IPCARC_MAP_LOCK_OWNER_PID 48u
#define IPCARC_MAP_LOCK_OWNER_DIED 52u
#define IPCARC_MAP_LOCK_DEAD_OWNER_PID 56u
/* stripes: 128 bytes each, a reader line and a writer line */
#define IPCARC_MAP_STRIPE_SIZE 128u
#define IPCARC_MAP_STRIPE_VERSION 0u
#define IPCARC_MAP_STRIPE_COUNT 64u
#define IPCARC_MAP_STRIPE_SPARE 68u
#define IPCARC_MAP_STRIPE_PENDING 72u
#define IPCARC_MAP_STRIPE_OP 76u
#define IPCARC_MAP_STRIPE_POS 80u
#define IPCARC_MAP_STRIPE_ENTRY 84u
#define IPCARC_MAP_STRIPE_OTHER 88u
#define IPCARC_MAP_STRIPE_COUNT_BEFORE 92u
#define IPCARC_MAP_STRIPE_HOLE 96u
#define IPCARC_MAP_STRIPE_REPAIRS 100u
#define IPCARC_MAP_OP_NONE 0u
#define IPCARC_MAP_OP_INSERT 1u
#define IPCARC_MAP_OP_UPDATE 2u
#define IPCARC_MAP_OP_REMOVE 3u
/* index words */
#define IPCARC_MAP_EMPTY 0u
#define IPCARC_MAP_TOMBSTONE UINT32_C(0xFFFFFFFF)
/* entries */
#define IPCARC_MAP_ENTRY_STATE 0u
#define IPCARC_MAP_ENTRY_HASH 4u
#define IPCARC_MAP_ENTRY_KEY 8u
#define IPCARC_MAP_KIND_FREE 0u
#define IPCARC_MAP_KIND_LIVE 1u
#define IPCARC_MAP_KIND_HELD 2u
#define IPCARC_MAP_KIND_MASK 3u
#define IPCARC_MAP_GEN_ONE 4u
/* the key hash (docs/map.md, "The key hash") */
#define IPCARC_MAP_SEED UINT64_C(0x9E3779B97F4A7C15)
#define IPCARC_MAP_M1 UINT64_C(0xBF58476D1CE4E5B9)
#define IPCARC_MAP_M2 UINT64_C(0x94D049BB133111EB)
/* the largest key this header hashes on the stack */
#define IPCARC_MAP_MAX_KEY_STRIDE 4096u

static inline uint32_t ipcarc_map_stripe_lock(uint32_t stripe) { return IPCARC_MAP_LOCKS_OFFSET + stripe * IPCARC_MAP_LOCK_SLOT; }
static inline uint32_t ipcarc_map_allocator_lock(uint32_t stripes) { return ipcarc_map_stripe_lock(stripes); }
static inline uint32_t ipcarc_map_stripes_offset(uint32_t stripes) { return ipcarc_map_allocator_lock(stripes) + IPCARC_MAP_LOCK_SLOT; }
static inline uint32_t ipcarc_map_stripe(uint32_t stripes, uint32_t i) { return ipcarc_map_stripes_offset(stripes) + i * IPCARC_MAP_STRIPE_SIZE; }
static inline uint32_t ipcarc_map_index_offset(uint32_t stripes) { return ipcarc_map_stripes_offset(stripes) + stripes * IPCARC_MAP_STRIPE_SIZE; }
static inline uint64_t ipcarc_map_entries_offset(uint32_t stripes, uint32_t index_slots) {
    return ipcarc_map_index_offset(stripes) + ipcarc__align((uint64_t)index_slots * 4, IPCARC_CACHE_LINE);
}
static inline uint32_t ipcarc_map_value_offset(uint32_t key_size) { return IPCARC_MAP_ENTRY_KEY + (uint32_t)ipcarc__align(key_size, 8); }
static inline uint32_t ipcarc_map_entry_size(uint32_t key_size, uint32_t value_size) {
    return (uint32_t)ipcarc__align(ipcarc_map_value_offset(key_size) + value_size, 8);
}
static inline uint32_t ipcarc_map_index_bits(uint32_t entries) { return 32u - (uint32_t)__builtin_clz(entries + 1); }

/** The key hash over stride bytes (a multiple of 8, zero-padded). */
static inline uint64_t ipcarc_map_hash(const void *key, uint32_t stride) {
    const uint8_t *b = (const uint8_t *)key;
    uint64_t h = IPCARC_MAP_SEED;
    for (uint32_t i = 0; i < stride; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h ^= w;
        h *= IPCARC_MAP_M1;
        h ^= h >> 31;
    }
    h ^= h >> 30;
    h *= IPCARC_MAP_M1;
    h ^= h >> 27;
    h *= IPCARC_MAP_M2;
    return h ^ (h >> 31);
}

/** An attachment to a map. */
typedef struct ipcarc_map {
    ipcarc_segment seg;
    int registered;       /* whether seg holds a reference (ipcarc_load) or only a mapping (ipcarc_open) */
    uint8_t *p;           /* the payload */
    uint32_t capacity, entries, stripes, index_slots, stripe_slots, index_bits, index_mask;
    uint32_t entry_size, key_size, key_stride, value_size, value_offset;
    uint32_t *index;      /* T words */
    uint8_t *entry0;      /* entry 0 */
} ipcarc_map;

/**
 * A test hook: called with the name of each crash point a C put passes (the names of the Java
 * map's CrashPoint: "UPDATE_JOURNALED", "INSERT_LIVE", ...), NULL by default. The conformance test's
 * C peer stops there to be killed.
 */
static void (*ipcarc_map_crash_point)(const char *point) = NULL;

static inline uint32_t *ipcarc_map__u32(const ipcarc_map *m, uint64_t off) { return (uint32_t *)(void *)(m->p + off); }
static inline uint64_t *ipcarc_map__u64(const ipcarc_map *m, uint64_t off) { return (uint64_t *)(void *)(m->p + off); }
static inline uint8_t *ipcarc_map__entry(const ipcarc_map *m, uint32_t e) { return m->entry0 + (uint64_t)e * m->entry_size; }
static inline uint32_t ipcarc_map__home(const ipcarc_map *m, uint32_t hash32) {
    return (uint32_t)(((uint64_t)hash32 * m->index_slots) >> 32);
}
static inline void ipcarc_map__at(const char *point) {
    if (ipcarc_map_crash_point != NULL) {
        ipcarc_map_crash_point(point);
    }
}

/**
 * Attaches to a map: with a reference (register != 0, needed to put) or only a mapping (a
 * lock-free reader). Checks the tag, the header's figures against the plan of layout version 1,
 * the stored descriptors against their fingerprints and, if given, against key_descriptor and
 * value_descriptor (IPCARC_E_TYPE).
 */
static inline ipcarc_status ipcarc_map_open(ipcarc_map *m, const char *name, const char *key_descriptor,
                                            const char *value_descriptor, int register_, ipcarc_error *err) {
    memset(m, 0, sizeof *m);
    ipcarc_status st = register_ ? ipcarc_load(&m->seg, name, NULL, err) : ipcarc_open(&m->seg, name, NULL, err);
    if (st != IPCARC_OK) {
        return st;
    }
    m->registered = register_;
    ipcarc_segment *s = &m->seg;
    const char *d = (const char *)s->h + IPCARC_DESCRIPTOR_OFFSET;
    uint32_t n = s->h->descriptor_length;
    static const char prefix[] = "bytes<" IPCARC_MAP_TYPE_TAG ">[";
    const uint8_t *p = s->copy[0];
    if (n < sizeof prefix || memcmp(d, prefix, sizeof prefix - 1) != 0) {
        st = ipcarc__fail(err, IPCARC_E_TYPE, 0, "not a map: name=%s, found=%.*s, expected=%s...]", s->name, (int)(n > 200 ? 200 : n),
                          d, prefix);
    } else if (s->crash_atomic) {
        st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "map segment is not raw: name=%s", s->name);
    } else if (s->payload_size < IPCARC_MAP_LOCKS_OFFSET || __atomic_load_n((const uint64_t *)(const void *)p, __ATOMIC_ACQUIRE) !=
               IPCARC_MAP_MAGIC || *(const uint32_t *)(const void *)(p + IPCARC_MAP_VERSION_OFFSET) != IPCARC_MAP_VERSION) {
        st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "not a map of layout version %u: name=%s", IPCARC_MAP_VERSION, s->name);
    } else {
#define IPCARC_MAP__H(off) (*(const uint32_t *)(const void *)(p + (off)))
        uint32_t cap = IPCARC_MAP__H(IPCARC_MAP_CAPACITY_OFFSET), stripes = IPCARC_MAP__H(IPCARC_MAP_STRIPES_OFFSET);
        uint32_t ks = IPCARC_MAP__H(IPCARC_MAP_KEY_SIZE_OFFSET), vs = IPCARC_MAP__H(IPCARC_MAP_VALUE_SIZE_OFFSET);
        uint32_t kd = IPCARC_MAP__H(IPCARC_MAP_KEY_DESCRIPTOR_LENGTH_OFFSET), vd = IPCARC_MAP__H(IPCARC_MAP_VALUE_DESCRIPTOR_LENGTH_OFFSET);
        uint64_t r = 0;
        if (cap >= 1 && cap <= IPCARC_MAP_MAX_CAPACITY && stripes >= 1 && stripes <= IPCARC_MAP_MAX_STRIPES &&
            (stripes & (stripes - 1)) == 0) {
            r = ((uint64_t)cap * 4 + 3 * (uint64_t)stripes - 1) / (3 * (uint64_t)stripes); /* ceil(4C / 3S) */
            r = r < 8 ? 8 : r;
        }
        uint32_t entries = cap + stripes, t = (uint32_t)(stripes * r), esize = ipcarc_map_entry_size(ks, vs);
        uint64_t descriptors = ipcarc_map_entries_offset(stripes, t) + (uint64_t)entries * esize;
        if (r == 0 || ks < 1 || vs < 1 || kd < 1 || vd < 1 || IPCARC_MAP__H(IPCARC_MAP_ENTRY_COUNT_OFFSET) != entries ||
            IPCARC_MAP__H(IPCARC_MAP_INDEX_SLOTS_OFFSET) != t || IPCARC_MAP__H(IPCARC_MAP_STRIPE_SLOTS_OFFSET) != r ||
            IPCARC_MAP__H(IPCARC_MAP_INDEX_BITS_OFFSET) != ipcarc_map_index_bits(entries) ||
            IPCARC_MAP__H(IPCARC_MAP_ENTRY_SIZE_OFFSET) != esize || IPCARC_MAP__H(IPCARC_MAP_VALUE_OFFSET_OFFSET) != ipcarc_map_value_offset(ks) ||
            IPCARC_MAP__H(IPCARC_MAP_HASH_FUNCTION_OFFSET) != IPCARC_MAP_HASH_FUNCTION ||
            descriptors + ipcarc__align(kd, 8) + ipcarc__align(vd, 8) != s->payload_size) {
            st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "inconsistent map header: name=%s, capacity=%u, stripes=%u, payload=%u", s->name, cap,
                              stripes, s->payload_size);
        } else {
            const char *kstored = (const char *)p + descriptors, *vstored = kstored + ipcarc__align(kd, 8);
            if (ipcarc_fnv1a64(kstored, kd) != *(const uint64_t *)(const void *)(p + IPCARC_MAP_KEY_FINGERPRINT_OFFSET) ||
                ipcarc_fnv1a64(vstored, vd) != *(const uint64_t *)(const void *)(p + IPCARC_MAP_VALUE_FINGERPRINT_OFFSET)) {
                st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "map descriptors do not match their fingerprints: name=%s", s->name);
            } else if ((key_descriptor != NULL && (strlen(key_descriptor) != kd || memcmp(key_descriptor, kstored, kd) != 0)) ||
                       (value_descriptor != NULL && (strlen(value_descriptor) != vd || memcmp(value_descriptor, vstored, vd) != 0))) {
                st = ipcarc__fail(err, IPCARC_E_TYPE, 0, "map of other types: name=%s, expected=%s -> %s, stored=%.*s -> %.*s", s->name,
                                  key_descriptor == NULL ? "?" : key_descriptor, value_descriptor == NULL ? "?" : value_descriptor,
                                  (int)kd, kstored, (int)vd, vstored);
            } else if (ipcarc__align(ks, 8) > IPCARC_MAP_MAX_KEY_STRIDE) {
                st = ipcarc__fail(err, IPCARC_E_STATE, 0, "map keys too large for this header: name=%s, keySize=%u", s->name, ks);
            } else {
                m->p = (uint8_t *)s->copy[0];
                m->capacity = cap;
                m->entries = entries;
                m->stripes = stripes;
                m->index_slots = t;
                m->stripe_slots = (uint32_t)r;
                m->index_bits = ipcarc_map_index_bits(entries);
                m->index_mask = (uint32_t)((UINT64_C(1) << m->index_bits) - 1);
                m->entry_size = esize;
                m->key_size = ks;
                m->key_stride = (uint32_t)ipcarc__align(ks, 8);
                m->value_size = vs;
                m->value_offset = ipcarc_map_value_offset(ks);
                m->index = ipcarc_map__u32(m, ipcarc_map_index_offset(stripes));
                m->entry0 = m->p + ipcarc_map_entries_offset(stripes, t);
                return ipcarc__ok(err);
            }
        }
#undef IPCARC_MAP__H
    }
    ipcarc_error ignored;
    if (register_) {
        ipcarc_release(s, &ignored);
    }
    ipcarc_close(s);
    return st;
}

/** Gives back the map's reference (if it holds one) and its mapping. */
static inline ipcarc_status ipcarc_map_close(ipcarc_map *m, ipcarc_error *err) {
    ipcarc_status st = m->registered ? ipcarc_release(&m->seg, err) : ipcarc__ok(err);
    ipcarc_close(&m->seg);
    return st;
}

/** The sum of the stripes' counts. */
static inline uint64_t ipcarc_map_size(const ipcarc_map *m) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < m->stripes; i++) {
        n += __atomic_load_n(ipcarc_map__u32(m, ipcarc_map_stripe(m->stripes, i) + IPCARC_MAP_STRIPE_COUNT), __ATOMIC_RELAXED);
    }
    return n;
}

/** A key's stored bytes, zero-padded to its stride, and its hash32. */
static inline uint32_t ipcarc_map__key(const ipcarc_map *m, const void *key, uint8_t *kb) {
    memset(kb, 0, m->key_stride);
    memcpy(kb, key, m->key_size);
    return (uint32_t)(ipcarc_map_hash(kb, m->key_stride) >> 32);
}

static inline int ipcarc_map__key_is(const ipcarc_map *m, const uint8_t *eo, const uint8_t *kb) {
    for (uint32_t i = 0; i < m->key_stride; i += 8) {
        uint64_t w = __atomic_load_n((const uint64_t *)(const void *)(eo + IPCARC_MAP_ENTRY_KEY + i), __ATOMIC_RELAXED);
        if (memcmp(&w, kb + i, 8) != 0) {
            return 0;
        }
    }
    return 1;
}

static inline uint64_t ipcarc_map__version(const ipcarc_map *m, uint32_t stripe) {
    return __atomic_load_n(ipcarc_map__u64(m, ipcarc_map_stripe(m->stripes, stripe) + IPCARC_MAP_STRIPE_VERSION), __ATOMIC_ACQUIRE);
}

/** One probe of docs/map.md "Lookup", steps 2 to 6: 1 found (value copied), 0 missing, -1 probe again, -2 damage. */
static inline int ipcarc_map__probe(const ipcarc_map *m, const uint8_t *kb, uint32_t hash32, void *value, int versioned) {
    uint32_t pos = ipcarc_map__home(m, hash32), tagged = hash32 << m->index_bits, mask = m->index_mask;
    uint32_t stripe = pos / m->stripe_slots, end = (stripe + 1) * m->stripe_slots, first = stripe, seen = 1;
    uint64_t versions = versioned ? ipcarc_map__version(m, stripe) : 0;
    for (uint32_t n = 0; n < m->index_slots;) {
        uint32_t *wp = m->index + pos;
        uint32_t w = __atomic_load_n(wp, __ATOMIC_ACQUIRE), idx = w & mask;
        if (idx == 0) {
            break;
        }
        if (idx != mask && (w & ~mask) == tagged) {
            if (idx - 1 >= m->entries) {
                return -2;
            }
            const uint8_t *eo = ipcarc_map__entry(m, idx - 1);
            const uint32_t *state = (const uint32_t *)(const void *)(eo + IPCARC_MAP_ENTRY_STATE);
            uint32_t s1 = __atomic_load_n(state, __ATOMIC_ACQUIRE);
            int match = (s1 & IPCARC_MAP_KIND_MASK) == IPCARC_MAP_KIND_LIVE &&
                        __atomic_load_n((const uint32_t *)(const void *)(eo + IPCARC_MAP_ENTRY_HASH), __ATOMIC_RELAXED) == hash32 &&
                        ipcarc_map__key_is(m, eo, kb);
            if (match && value != NULL) {
                ipcarc__racy_copy(value, eo + m->value_offset, m->value_size);
            }
            __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the copy's loads before the re-reads */
            /* The word first (acquire), then the state: a word that left and came back shows as a changed state. */
            if (__atomic_load_n(wp, __ATOMIC_ACQUIRE) != w || __atomic_load_n(state, __ATOMIC_RELAXED) != s1) {
                continue; /* the entry or the word changed while we looked: the same slot again */
            }
            if (match) {
                return 1;
            }
        }
        n++;
        if (++pos == end) {
            stripe = (stripe + 1) & (m->stripes - 1);
            pos = stripe * m->stripe_slots;
            end = pos + m->stripe_slots;
            if (versioned) {
                versions += ipcarc_map__version(m, stripe);
                seen++;
            }
        }
    }
    if (!versioned) {
        return 0;
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    uint64_t again = 0;
    for (uint32_t i = 0; i < seen; i++) {
        again += ipcarc_map__version(m, (first + i) & (m->stripes - 1));
    }
    return again == versions ? 0 : -1;
}

/**
 * Looks up a key (key_size bytes, stored form) without a lock and copies its value (value_size
 * bytes) into value; *found tells whether the map holds it. Never waits; any C library.
 */
static inline ipcarc_status ipcarc_map_get(const ipcarc_map *m, const void *key, void *value, int *found, ipcarc_error *err) {
    uint8_t kb[IPCARC_MAP_MAX_KEY_STRIDE];
    uint32_t hash32 = ipcarc_map__key(m, key, kb);
    int r = ipcarc_map__probe(m, kb, hash32, value, 0);
    while (r == 0 || r == -1) {
        r = ipcarc_map__probe(m, kb, hash32, value, 1); /* a miss counts only if no stripe it crossed moved a word */
        if (r == 0) {
            break;
        }
    }
    if (r == -2) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "map damaged: name=%s, an index word names no entry", m->seg.name);
    }
    *found = r == 1;
    return ipcarc__ok(err);
}

/** One payload lock this thread holds, and the mutex words its lock wrote (restored before the unlock if damaged). */
typedef struct ipcarc_map__held {
    uint32_t offset;
    int32_t owner;
    uint64_t prev, next;
} ipcarc_map__held;

typedef struct ipcarc_map__locks {
    ipcarc_map__held held[IPCARC_MAP_MAX_STRIPES + 1];
    uint32_t n;
} ipcarc_map__locks;

static inline void ipcarc_map__unlock(ipcarc_map *m, ipcarc_map__held *l) {
    uint8_t *slot = m->p + l->offset;
    *ipcarc_map__u32(m, l->offset + IPCARC_MAP_LOCK_OWNER_PID) = 0;
    ipcarc__restore_words(slot, l->owner, l->prev, l->next);
    pthread_mutex_unlock((pthread_mutex_t *)(void *)slot);
}

static inline void ipcarc_map__unlock_all(ipcarc_map *m, ipcarc_map__locks *ls) {
    while (ls->n > 0) {
        ipcarc_map__unlock(m, &ls->held[--ls->n]);
    }
}

/**
 * Locks the payload lock at offset (waiting: timeout_ns < 0; or trying: 0). A lock whose holder
 * died is recorded (dead owner pid, owner-died flag) and made consistent, then given back with
 * IPCARC_E_STATE: this header does not repair maps, the next Java holder does. So is a stripe
 * whose journal is open or whose repair is pending.
 */
static inline ipcarc_status ipcarc_map__lock(ipcarc_map *m, ipcarc_map__locks *ls, uint32_t offset, int stripe, int64_t timeout_ns,
                                             ipcarc_error *err) {
    ipcarc_segment *s = &m->seg;
    uint8_t *slot = m->p + offset;
    ipcarc_status st = ipcarc__check_kind(s, slot, stripe < 0 ? "map allocator" : "map stripe", err);
    if (st != IPCARC_OK) {
        return st;
    }
    int rc = ipcarc__mutex_lock((pthread_mutex_t *)(void *)slot, timeout_ns);
    uint32_t *died = ipcarc_map__u32(m, offset + IPCARC_MAP_LOCK_OWNER_DIED);
    if (rc == EOWNERDEAD) {
        *ipcarc_map__u32(m, offset + IPCARC_MAP_LOCK_DEAD_OWNER_PID) = *ipcarc_map__u32(m, offset + IPCARC_MAP_LOCK_OWNER_PID);
        __atomic_store_n(died, 1, __ATOMIC_SEQ_CST);
        if (pthread_mutex_consistent((pthread_mutex_t *)(void *)slot) != 0) {
            pthread_mutex_unlock((pthread_mutex_t *)(void *)slot);
            return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "pthread_mutex_consistent failed: name=%s, stripe=%d", s->name, stripe);
        }
        rc = 0;
    }
    if (rc == EBUSY) {
        return IPCARC_E_BUSY; /* a try: no message, the caller takes every lock again in order */
    }
    if (rc != 0) {
        return ipcarc__fail(err, rc == ENOTRECOVERABLE ? IPCARC_E_CORRUPT : IPCARC_E_SYSCALL, rc, "map lock failed: errno=%s, name=%s, stripe=%d",
                            ipcarc_errno_name(rc), s->name, stripe);
    }
    ipcarc_map__held *l = &ls->held[ls->n++];
    l->offset = offset;
    l->owner = ipcarc__mutex_int(slot, IPCARC_MUTEX_OWNER_WORD);
    l->prev = ipcarc__mutex_long(slot, IPCARC_MUTEX_LIST_PREV);
    l->next = ipcarc__mutex_long(slot, IPCARC_MUTEX_LIST_NEXT);
    *ipcarc_map__u32(m, offset + IPCARC_MAP_LOCK_OWNER_PID) = (uint32_t)getpid();
    uint32_t open = stripe < 0 ? *ipcarc_map__u32(m, IPCARC_MAP_ALLOC_OP_OFFSET)
                               : *ipcarc_map__u32(m, ipcarc_map_stripe(m->stripes, (uint32_t)stripe) + IPCARC_MAP_STRIPE_OP) |
                                     *ipcarc_map__u32(m, ipcarc_map_stripe(m->stripes, (uint32_t)stripe) + IPCARC_MAP_STRIPE_PENDING);
    if (__atomic_load_n(died, __ATOMIC_RELAXED) != 0 || open != 0) {
        uint32_t dead = *ipcarc_map__u32(m, offset + IPCARC_MAP_LOCK_DEAD_OWNER_PID);
        ipcarc_map__unlock_all(m, ls);
        return ipcarc__fail(err, IPCARC_E_STATE, 0,
                            "map stripe needs repair, which a Java writer makes: name=%s, stripe=%d, deadOwnerPid=%u (nothing written)",
                            s->name, stripe, dead);
    }
    return IPCARC_OK;
}

static inline void ipcarc_map__set_kind(ipcarc_map *m, uint32_t e, uint32_t kind) {
    uint32_t *state = (uint32_t *)(void *)(ipcarc_map__entry(m, e) + IPCARC_MAP_ENTRY_STATE);
    uint32_t st = *state;
    __atomic_store_n(state, ((st & ~IPCARC_MAP_KIND_MASK) + IPCARC_MAP_GEN_ONE) | kind, __ATOMIC_RELEASE);
}

/** Takes an entry for stripe s's insert (docs/map.md "Allocating entries", pop); the allocator lock comes after every stripe's. */
static inline ipcarc_status ipcarc_map__pop(ipcarc_map *m, ipcarc_map__locks *ls, uint32_t s, uint32_t *out, ipcarc_error *err) {
    ipcarc_status st = ipcarc_map__lock(m, ls, ipcarc_map_allocator_lock(m->stripes), -1, -1, err);
    if (st != IPCARC_OK) {
        return st;
    }
    uint32_t head = *ipcarc_map__u32(m, IPCARC_MAP_FREE_HEAD_OFFSET), bump = *ipcarc_map__u32(m, IPCARC_MAP_BUMP_OFFSET), e, next = 0;
    if (head != 0) {
        e = head - 1;
        next = e < m->entries ? *(uint32_t *)(void *)(ipcarc_map__entry(m, e) + IPCARC_MAP_ENTRY_KEY) : m->entries + 1;
        if (e >= m->entries || next > m->entries) {
            ipcarc_map__unlock(m, &ls->held[--ls->n]);
            return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "map damaged: name=%s, free list names no entry: head=%u", m->seg.name, head);
        }
    } else if (bump < m->entries) {
        e = bump;
    } else {
        ipcarc_map__unlock(m, &ls->held[--ls->n]);
        return ipcarc__fail(err, IPCARC_E_FULL, 0, "map full: name=%s, capacity=%u, size=%llu", m->seg.name, m->capacity,
                            (unsigned long long)ipcarc_map_size(m));
    }
    *ipcarc_map__u32(m, IPCARC_MAP_ALLOC_STRIPE_OFFSET) = s;
    *ipcarc_map__u32(m, IPCARC_MAP_ALLOC_ENTRY_OFFSET) = e;
    *ipcarc_map__u32(m, IPCARC_MAP_ALLOC_HEAD_BEFORE_OFFSET) = head;
    *ipcarc_map__u32(m, IPCARC_MAP_ALLOC_BUMP_BEFORE_OFFSET) = bump;
    __atomic_store_n(ipcarc_map__u32(m, IPCARC_MAP_ALLOC_OP_OFFSET), IPCARC_MAP_ALLOC_POP, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    ipcarc_map__at("POP_JOURNALED");
    __atomic_store_n(ipcarc_map__u32(m, ipcarc_map_stripe(m->stripes, s) + IPCARC_MAP_STRIPE_PENDING), e + 1, __ATOMIC_RELAXED);
    ipcarc_map__at("POP_PENDING");
    if (head != 0) {
        __atomic_store_n(ipcarc_map__u32(m, IPCARC_MAP_FREE_HEAD_OFFSET), next, __ATOMIC_RELEASE);
    } else {
        __atomic_store_n(ipcarc_map__u32(m, IPCARC_MAP_BUMP_OFFSET), bump + 1, __ATOMIC_RELEASE);
    }
    ipcarc_map__set_kind(m, e, IPCARC_MAP_KIND_HELD);
    ipcarc_map__at("POP_TAKEN");
    __atomic_store_n(ipcarc_map__u32(m, IPCARC_MAP_ALLOC_OP_OFFSET), IPCARC_MAP_ALLOC_NONE, __ATOMIC_RELEASE);
    ipcarc_map__unlock(m, &ls->held[--ls->n]);
    *out = e;
    return IPCARC_OK;
}

/** docs/map.md "Insert", steps 2 to 6, at free slot pos. */
static inline void ipcarc_map__insert(ipcarc_map *m, uint32_t pos, uint32_t e, const uint8_t *kb, uint32_t hash32, const void *value) {
    uint32_t so = ipcarc_map_stripe(m->stripes, pos / m->stripe_slots);
    uint8_t *eo = ipcarc_map__entry(m, e);
    memcpy(eo + m->value_offset, value, m->value_size);
    *(uint32_t *)(void *)(eo + IPCARC_MAP_ENTRY_HASH) = hash32;
    memcpy(eo + IPCARC_MAP_ENTRY_KEY, kb, m->key_stride);
    ipcarc_map__at("INSERT_ENTRY_WRITTEN");
    uint32_t count = *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_COUNT);
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_POS) = pos;
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_ENTRY) = e;
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_COUNT_BEFORE) = count;
    __atomic_store_n(ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_OP), IPCARC_MAP_OP_INSERT, __ATOMIC_RELEASE);
    ipcarc_map__at("INSERT_JOURNALED");
    ipcarc_map__set_kind(m, e, IPCARC_MAP_KIND_LIVE);
    ipcarc_map__at("INSERT_LIVE");
    __atomic_store_n(m->index + pos, (hash32 << m->index_bits) | (e + 1), __ATOMIC_RELEASE); /* commit */
    ipcarc_map__at("INSERT_COMMITTED");
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_COUNT) = count + 1;
    ipcarc_map__at("INSERT_COUNTED");
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_PENDING) = 0;
    __atomic_store_n(ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_OP), IPCARC_MAP_OP_NONE, __ATOMIC_RELEASE);
}

/** docs/map.md "Update": copy on write into the stripe's spare, swapped in by one store of the word at pos. */
static inline ipcarc_status ipcarc_map__update(ipcarc_map *m, uint32_t pos, uint32_t old, const uint8_t *kb, uint32_t hash32,
                                               const void *value, ipcarc_error *err) {
    uint32_t so = ipcarc_map_stripe(m->stripes, pos / m->stripe_slots);
    uint32_t spare = *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_SPARE);
    if (spare >= m->entries) {
        return ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "map damaged: name=%s, stripe's spare names no entry: spare=%u", m->seg.name, spare);
    }
    uint8_t *xo = ipcarc_map__entry(m, spare);
    memcpy(xo + m->value_offset, value, m->value_size);
    *(uint32_t *)(void *)(xo + IPCARC_MAP_ENTRY_HASH) = hash32;
    memcpy(xo + IPCARC_MAP_ENTRY_KEY, kb, m->key_stride);
    ipcarc_map__at("UPDATE_SPARE_WRITTEN");
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_POS) = pos;
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_ENTRY) = old;
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_OTHER) = spare;
    __atomic_store_n(ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_OP), IPCARC_MAP_OP_UPDATE, __ATOMIC_RELEASE);
    ipcarc_map__at("UPDATE_JOURNALED");
    ipcarc_map__set_kind(m, spare, IPCARC_MAP_KIND_LIVE);
    ipcarc_map__at("UPDATE_LIVE");
    __atomic_store_n(m->index + pos, (hash32 << m->index_bits) | (spare + 1), __ATOMIC_RELEASE); /* commit */
    ipcarc_map__at("UPDATE_COMMITTED");
    ipcarc_map__set_kind(m, old, IPCARC_MAP_KIND_HELD);
    ipcarc_map__at("UPDATE_OLD_HELD");
    *ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_SPARE) = old;
    __atomic_store_n(ipcarc_map__u32(m, so + IPCARC_MAP_STRIPE_OP), IPCARC_MAP_OP_NONE, __ATOMIC_RELEASE);
    return IPCARC_OK;
}

/** +1 on the change counter (a full fence); wakes the awaitChange sleepers if the flag says there are some. */
static inline void ipcarc_map__changed(ipcarc_map *m) {
    __atomic_fetch_add(ipcarc_map__u64(m, IPCARC_MAP_CHANGE_COUNTER_OFFSET), 1, __ATOMIC_SEQ_CST);
    uint32_t *waiters = ipcarc_map__u32(m, IPCARC_MAP_CHANGE_WAITERS_OFFSET);
    uint32_t one = 1;
    if (__atomic_load_n(waiters, __ATOMIC_SEQ_CST) != 0 &&
        __atomic_compare_exchange_n(waiters, &one, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        ipcarc__futex_wake_all(ipcarc_map__u32(m, IPCARC_MAP_CHANGE_COUNTER_OFFSET));
    }
}

/**
 * Sets a key's value (stored forms) under the locks of the stripes its probe crosses, taken in
 * ascending order (docs/map.md "Locking"); *replaced tells whether the key was there. glibc
 * processes only, attached with register = 1. IPCARC_E_FULL: the key is new and the map full;
 * IPCARC_E_STATE: a stripe (or the allocator) needs a repair that only Java makes.
 */
static inline ipcarc_status ipcarc_map_put(ipcarc_map *m, const void *key, const void *value, int *replaced, ipcarc_error *err) {
    if (!m->registered) {
        return ipcarc__fail(err, IPCARC_E_STATE, 0, "map attached without a reference: name=%s (ipcarc_map_open with register=1)",
                            m->seg.name);
    }
    static __thread ipcarc_map__locks ls; /* 16 KiB: not on the stack */
    uint8_t kb[IPCARC_MAP_MAX_KEY_STRIDE];
    uint32_t hash32 = ipcarc_map__key(m, key, kb), home = ipcarc_map__home(m, hash32);
    uint32_t mask = m->index_mask, tagged = hash32 << m->index_bits;
    uint8_t want[IPCARC_MAP_MAX_STRIPES];
    memset(want, 0, m->stripes);
    want[home / m->stripe_slots] = 1;
    ls.n = 0;
    for (;;) {
        ipcarc_status st = IPCARC_OK;
        for (uint32_t i = 0; i < m->stripes && st == IPCARC_OK; i++) { /* every lock wanted so far, in ascending order */
            if (want[i]) {
                st = ipcarc_map__lock(m, &ls, ipcarc_map_stripe_lock(i), (int)i, -1, err);
            }
        }
        if (st != IPCARC_OK) {
            ipcarc_map__unlock_all(m, &ls);
            return st;
        }
        int64_t found = -1, free_slot = -1;
        int restart = 0;
        uint32_t pos = home;
        for (uint32_t n = 0; n < m->index_slots; n++) {
            uint32_t s = pos / m->stripe_slots;
            if (!want[s]) {
                uint32_t max = 0;
                for (uint32_t i = 0; i < m->stripes; i++) {
                    max = want[i] ? i : max;
                }
                want[s] = 1;
                st = ipcarc_map__lock(m, &ls, ipcarc_map_stripe_lock(s), (int)s, s > max ? -1 : 0, err);
                if (st == IPCARC_E_BUSY) { /* out of order and busy: every lock again, in order */
                    restart = 1;
                    break;
                }
                if (st != IPCARC_OK) {
                    ipcarc_map__unlock_all(m, &ls);
                    return st;
                }
            }
            uint32_t w = m->index[pos], idx = w & mask;
            if (idx == 0) {
                free_slot = free_slot < 0 ? pos : free_slot;
                break;
            }
            if (idx == mask) {
                free_slot = free_slot < 0 ? pos : free_slot;
            } else if ((w & ~mask) == tagged && idx - 1 < m->entries) {
                const uint8_t *eo = ipcarc_map__entry(m, idx - 1);
                if (*(const uint32_t *)(const void *)(eo + IPCARC_MAP_ENTRY_HASH) == hash32 &&
                    memcmp(eo + IPCARC_MAP_ENTRY_KEY, kb, m->key_stride) == 0) {
                    found = pos;
                    break;
                }
            }
            pos = pos + 1 == m->index_slots ? 0 : pos + 1;
        }
        if (restart) {
            ipcarc_map__unlock_all(m, &ls);
            continue;
        }
        if (found >= 0) {
            st = ipcarc_map__update(m, (uint32_t)found, (m->index[found] & mask) - 1, kb, hash32, value, err);
        } else if (free_slot >= 0) {
            uint32_t e = 0;
            st = ipcarc_map__pop(m, &ls, (uint32_t)free_slot / m->stripe_slots, &e, err);
            if (st == IPCARC_OK) {
                ipcarc_map__insert(m, (uint32_t)free_slot, e, kb, hash32, value);
            }
        } else {
            st = ipcarc__fail(err, IPCARC_E_CORRUPT, 0, "map damaged: name=%s, the index has no free slot", m->seg.name);
        }
        ipcarc_map__unlock_all(m, &ls);
        if (st != IPCARC_OK) {
            return st;
        }
        ipcarc_map__changed(m);
        *replaced = found >= 0;
        return ipcarc__ok(err);
    }
}

#endif /* IPCARC_H */
