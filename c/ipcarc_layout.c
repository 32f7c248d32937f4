/*
 * ipcarc_layout - prints every offset and constant of ipcarc.h as KEY=VALUE lines, each KEY
 * naming the Java constant it must equal (Class.FIELD); then, for each argument, the FNV-1a 64
 * fingerprint of that descriptor as fingerprint(DESCRIPTOR)=0x.... HeaderDriftTest (ipcarc-posix)
 * builds it with gcc and compares every line with the Java constants.
 *
 *   gcc -std=c11 -o ipcarc_layout c/ipcarc_layout.c -pthread && ./ipcarc_layout 'i64[4]'
 */
#include "ipcarc.h"

#define U(key, value) printf("%s=%llu\n", key, (unsigned long long)(value))
#define HDR(key, field) U("SegmentDescriptor." key, offsetof(ipcarc_header, field))
#define SLOT(key, field) U("SegmentDescriptor." key, offsetof(ipcarc_holder_slot, field))

int main(int argc, char **argv) {
    U("SegmentDescriptor.MAGIC", IPCARC_MAGIC);
    U("SegmentDescriptor.LAYOUT_VERSION", IPCARC_LAYOUT_VERSION);
    U("SegmentDescriptor.CACHE_LINE", IPCARC_CACHE_LINE);
    U("SegmentDescriptor.PAGE", IPCARC_PAGE);
    HDR("MAGIC_OFFSET", magic);
    HDR("VERSION_OFFSET", version);
    HDR("STATE_OFFSET", state);
    HDR("FINGERPRINT_OFFSET", fingerprint);
    HDR("SEGMENT_SIZE_OFFSET", segment_size);
    HDR("PAYLOAD_OFFSET_OFFSET", payload_offset);
    HDR("PAYLOAD_SIZE_OFFSET", payload_size);
    HDR("DESCRIPTOR_OFFSET_OFFSET", descriptor_offset);
    HDR("DESCRIPTOR_LENGTH_OFFSET", descriptor_length);
    HDR("HOLDERS_OFFSET_OFFSET", holders_offset);
    HDR("HOLDER_SLOTS_OFFSET", holder_slots);
    HDR("CREATOR_PID_OFFSET", creator_pid);
    HDR("MODE_OFFSET", mode);
    HDR("CREATOR_START_OFFSET", creator_start_ticks);
    HDR("CREATED_MILLIS_OFFSET", created_millis);
    HDR("PAYLOAD_MODE_OFFSET", payload_mode);
    HDR("COPY_STRIDE_OFFSET", copy_stride);
    HDR("MUTEX_KIND_OFFSET", mutex_kind);
    HDR("MUTEX_SIZE_OFFSET", mutex_size);
    HDR("MUTEX_LIBRARY_OFFSET", mutex_library);
    U("SegmentDescriptor.MUTEX_LIBRARY_BYTES", sizeof(((ipcarc_header *)0)->mutex_library));
    HDR("REFCOUNT_OFFSET", refcount);
    U("SegmentDescriptor.MUTEX_SLOT_SIZE", sizeof(((ipcarc_header *)0)->user_mutex));
    HDR("ADMIN_MUTEX_OFFSET", admin_mutex);
    HDR("USER_MUTEX_OFFSET", user_mutex);
    HDR("OWNER_PID_OFFSET", owner_pid);
    HDR("OWNER_TID_OFFSET", owner_tid);
    HDR("OWNER_DIED_OFFSET", owner_died);
    HDR("DEAD_OWNER_PID_OFFSET", dead_owner_pid);
    HDR("SEQUENCE_OFFSET", commit);
    HDR("WAITERS_OFFSET", change_waiters);
    HDR("HOLDERS_OFFSET", holders);
    U("SegmentDescriptor.HOLDER_SLOTS", sizeof(((ipcarc_header *)0)->holders) / sizeof(ipcarc_holder_slot));
    U("SegmentDescriptor.HOLDER_SLOT_SIZE", sizeof(ipcarc_holder_slot));
    SLOT("HOLDER_PID", pid);
    SLOT("HOLDER_GENERATION", generation);
    SLOT("HOLDER_START", start_ticks);
    SLOT("HOLDER_HANDLES", handles);
    SLOT("HOLDER_WAITERS", waiters);
    U("SegmentDescriptor.DESCRIPTOR_OFFSET", sizeof(ipcarc_header));
    U("SegmentDescriptor.STATE_INITIALIZING", IPCARC_STATE_INITIALIZING);
    U("SegmentDescriptor.STATE_READY", IPCARC_STATE_READY);
    U("SegmentDescriptor.STATE_UNLINKED", IPCARC_STATE_UNLINKED);
    U("SegmentDescriptor.MODE_RAW", IPCARC_MODE_RAW);
    U("SegmentDescriptor.MODE_CRASH_ATOMIC", IPCARC_MODE_CRASH_ATOMIC);
    U("SegmentDescriptor.PAYLOAD_LOCK_OWNER_PID", offsetof(ipcarc_payload_lock, owner_pid));
    U("SegmentDescriptor.PAYLOAD_LOCK_OWNER_DIED", offsetof(ipcarc_payload_lock, owner_died));
    U("SegmentDescriptor.PAYLOAD_LOCK_DEAD_OWNER_PID", offsetof(ipcarc_payload_lock, dead_owner_pid));
    U("SegmentDescriptor.MUTEX_KIND", IPCARC_MUTEX_KIND);
    U("SegmentDescriptor.MUTEX_KIND_WORD", IPCARC_MUTEX_KIND_WORD);
    U("SegmentDescriptor.MUTEX_SIZE", sizeof(pthread_mutex_t));
    U("SegmentDescriptor.MAX_SEGMENT_BYTES", IPCARC_MAX_SEGMENT_BYTES);
    U("MutexIntegrity.OWNER_WORD", IPCARC_MUTEX_OWNER_WORD);
    U("MutexIntegrity.LIST_PREV", IPCARC_MUTEX_LIST_PREV);
    U("MutexIntegrity.LIST_NEXT", IPCARC_MUTEX_LIST_NEXT);
    U("ShmLayout.MAX_DESCRIPTOR_BYTES", IPCARC_MAX_DESCRIPTOR_BYTES);
    U("SegmentNames.MAX_NAME_BYTES", IPCARC_MAX_NAME_BYTES);
    U("PosixIpcArc.OPTIMISTIC_READS", IPCARC_OPTIMISTIC_READS);
    U("ChangeSignal.SPINS", IPCARC_AWAIT_SPINS);
    U("ChangeSignal.SLICE_NANOS", IPCARC_AWAIT_SLICE_NS);
    U("MutexWait.SLICE_NANOS", IPCARC_LOCK_SLICE_NS);
    U("SegmentAdmin.ADMIN_TIMEOUT", IPCARC_ADMIN_TIMEOUT_NS);
    U("ArcOptions.READY_TIMEOUT", IPCARC_READY_TIMEOUT_NS);
    U("SegmentOpener.ABANDONED_AFTER_MILLIS", IPCARC_ABANDONED_AFTER_MS);
    /* The system's values of what the Java side hard-codes (io.ipcarc.posix.sys.Linux). */
    U("Linux.F_OFD_GETLK", F_OFD_GETLK);
    U("Linux.F_OFD_SETLK", F_OFD_SETLK);
    U("Linux.F_WRLCK", F_WRLCK);
    U("Linux.F_UNLCK", F_UNLCK);
    U("Linux.SEEK_SET", SEEK_SET);
    U("Linux.FLOCK_TYPE", offsetof(struct flock, l_type));
    U("Linux.FLOCK_WHENCE", offsetof(struct flock, l_whence));
    U("Linux.FLOCK_START", offsetof(struct flock, l_start));
    U("Linux.FLOCK_LEN", offsetof(struct flock, l_len));
    U("Linux.FLOCK_PID", offsetof(struct flock, l_pid));
    U("Linux.FLOCK_SIZE", sizeof(struct flock));
    U("Linux.FUTEX_WAIT", IPCARC__FUTEX_WAIT);
    U("Linux.FUTEX_WAKE", IPCARC__FUTEX_WAKE);
    U("Linux.SYS_FUTEX", SYS_futex);
    U("Linux.LOCK_SH", LOCK_SH);
    U("Linux.LOCK_EX", LOCK_EX);
    U("Linux.LOCK_NB", LOCK_NB);
    U("Linux.LOCK_UN", LOCK_UN);
    U("Linux.PTHREAD_PROCESS_SHARED", PTHREAD_PROCESS_SHARED);
    U("Linux.PTHREAD_MUTEX_ROBUST", PTHREAD_MUTEX_ROBUST);
    U("Linux.PTHREAD_MUTEX_ERRORCHECK", PTHREAD_MUTEX_ERRORCHECK);
    U("Linux.EBUSY", EBUSY);
    U("Linux.EDEADLK", EDEADLK);
    U("Linux.ETIMEDOUT", ETIMEDOUT);
    U("Linux.EOWNERDEAD", EOWNERDEAD);
    U("Linux.ENOTRECOVERABLE", ENOTRECOVERABLE);
    char lib[64];
    printf("CLibrary.NAME=%s\n", ipcarc_own_c_library(lib, sizeof lib));
    U("ShmLayout.MAX_SIZE", IPCARC_MAX_LAYOUT_SIZE);
    for (int i = 1; i < argc; i++) {
        printf("fingerprint(%s)=0x%016llx\n", argv[i], (unsigned long long)ipcarc_fnv1a64(argv[i], strlen(argv[i])));
        uint32_t size = 0, alignment = 0;
        ipcarc_error e;
        if (ipcarc_layout_size(argv[i], &size, &alignment, &e) == IPCARC_OK) {
            printf("size(%s)=%u\n", argv[i], size);
        } else {
            printf("size(%s)=error %s\n", argv[i], e.message);
        }
    }
    return 0;
}
