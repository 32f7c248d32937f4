/*
 * ipcarc_ring_layout - prints every offset and constant of the ring part of ipcarc.h and of
 * ipcarc_tick.h as KEY=VALUE lines, each KEY naming the Java constant it must equal
 * (Class.FIELD, or Class.method(args) for the layout's functions); then the tick vectors:
 * mix(seq) and the CSV line of the good tick of seq with a timestamp. RingHeaderDriftTest
 * (ipcarc-examples) builds it with gcc and compares every line with the Java side.
 *
 *   gcc -std=c11 -o ipcarc_ring_layout c/ipcarc_ring_layout.c -pthread && ./ipcarc_ring_layout
 */
#include "ipcarc.h"
#include "ipcarc_tick.h"

#define U(key, value) printf("%s=%llu\n", key, (unsigned long long)(value))
#define S(key, value) printf("%s=%s\n", key, value)
#define RH(key, field) U("RingDescriptor." key, offsetof(ipcarc_ring_header, field))
#define RS(key, field) U("RingDescriptor." key, offsetof(ipcarc_ring_reader_slot, field))

int main(void) {
    S("RingDescriptor.TYPE_TAG", IPCARC_RING_TYPE_TAG);
    U("RingDescriptor.MAGIC", IPCARC_RING_MAGIC);
    U("RingDescriptor.VERSION", IPCARC_RING_VERSION);
    U("RingDescriptor.CACHE_LINE", IPCARC_CACHE_LINE);
    U("RingDescriptor.MAX_CAPACITY", IPCARC_RING_MAX_CAPACITY);
    U("RingDescriptor.MAX_READERS", IPCARC_RING_MAX_READERS);
    RH("MAGIC_OFFSET", magic);
    RH("VERSION_OFFSET", version);
    RH("CAPACITY_OFFSET", capacity);
    RH("SLOT_SIZE_OFFSET", slot_size);
    RH("ENTRY_SIZE_OFFSET", entry_size);
    RH("READER_SLOTS_OFFSET", reader_slots);
    RH("ENTRY_DESCRIPTOR_LENGTH_OFFSET", entry_descriptor_length);
    RH("ENTRY_FINGERPRINT_OFFSET", entry_fingerprint);
    RH("RING_ID_OFFSET", ring_id);
    RH("CREATED_OFFSET", created_millis);
    RH("WRITE_POINTER_OFFSET", write_pointer);
    RH("WRITER_HOLDER_OFFSET", writer_holder);
    RH("WRITER_PID_OFFSET", writer_pid);
    RH("WRITER_WORD_OFFSET", writer_word);
    RH("WRITER_SEEN_OFFSET", writer_seen);
    U("RingDescriptor.WRITER_LOSSLESS", IPCARC_RING_WRITER_LOSSLESS);
    U("RingDescriptor.WRITER_SLEEPS", IPCARC_RING_WRITER_SLEEPS);
    U("RingDescriptor.WRITER_CLAIM", IPCARC_RING_WRITER_CLAIM);
    RH("REGISTRY_VERSION_OFFSET", registry_version);
    RH("WAKEUP_OFFSET", wakeup);
    RH("SLEEPERS_OFFSET", sleepers);
    U("RingDescriptor.SLEEPERS_HIGH_OFFSET", offsetof(ipcarc_ring_header, sleepers) + sizeof(uint32_t));
    RH("WRITER_WAITING_OFFSET", writer_waiting);
    RH("ROOM_OFFSET", room);
    U("RingDescriptor.READERS_OFFSET", sizeof(ipcarc_ring_header));
    U("RingDescriptor.READER_SLOT_SIZE", sizeof(ipcarc_ring_reader_slot));
    RS("READER_POSITION", position);
    RS("READER_LOST", lost);
    RS("READER_STATE", state);
    RS("READER_BLOCKING", blocking);
    RS("READER_HOLDER", holder);
    RS("READER_PID", pid);
    RS("READER_CLAIM_VERSION", claim_version);
    U("RingDescriptor.SLOT_STAMP", offsetof(ipcarc_ring_stamp, stamp));
    U("RingDescriptor.SLOT_BODY", sizeof(ipcarc_ring_stamp));
    U("ReaderState.FREE", IPCARC_READER_FREE);
    U("ReaderState.ACTIVE", IPCARC_READER_ACTIVE);
    U("ReaderState.DETACHED", IPCARC_READER_DETACHED);
    U("RingWriter.REGISTRY_CHECK_INTERVAL", IPCARC_RING_REGISTRY_CHECK_INTERVAL);
    U("RingReader.SPINS_BEFORE_YIELD", IPCARC_RING_SPINS_BEFORE_YIELD);
    U("RingReader.YIELDS_BEFORE_SLEEP", IPCARC_RING_YIELDS_BEFORE_SLEEP);
    U("RingReader.SLEEP_NANOS", IPCARC_RING_SLEEP_NS);
    U("RingReader.UNACKNOWLEDGED_SLEEP_NANOS", IPCARC_RING_UNACKNOWLEDGED_SLEEP_NS);
    U("RingReader.MAX_BATCH", IPCARC_RING_MAX_BATCH);
    U("RingReader.BATCH_BYTES", IPCARC_RING_BATCH_BYTES);
    static const uint32_t capacities[] = {2, 8, 16, 64, 512, 1024, 1u << 24};
    for (size_t i = 0; i < sizeof capacities / sizeof capacities[0]; i++) {
        printf("RingDescriptor.announceAhead(%u)=%u\n", capacities[i], ipcarc_ring_announce_ahead(capacities[i]));
    }
    static const uint32_t sizes[] = {1, 8, 24, 56, 57};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        printf("RingDescriptor.slotSize(%u)=%u\n", sizes[i], ipcarc_ring_slot_size(sizes[i]));
    }
    printf("RingDescriptor.payloadSize(1024,64,8,100)=%llu\n", (unsigned long long)ipcarc_ring_payload_size(1024, 64, 8, 100));
    printf("RingDescriptor.descriptorOffset(1024,64,8)=%llu\n", (unsigned long long)ipcarc_ring_descriptor_offset(1024, 64, 8));
    printf("RingDescriptor.entriesOffset(64)=%llu\n", (unsigned long long)ipcarc_ring_entries_offset(64));

    S("Tick.DESCRIPTOR", IPCARC_TICK_DESCRIPTOR);
    printf("Tick.FINGERPRINT=0x%016llx\n", (unsigned long long)ipcarc_fnv1a64(IPCARC_TICK_DESCRIPTOR, strlen(IPCARC_TICK_DESCRIPTOR)));
    U("Tick.SIZE", IPCARC_TICK_SIZE);
    U("Tick.SEQ", IPCARC_TICK_SEQ);
    U("Tick.TIMESTAMP", IPCARC_TICK_TIMESTAMP);
    U("Tick.SYMBOL", IPCARC_TICK_SYMBOL);
    U("Tick.PRICE", IPCARC_TICK_PRICE);
    U("Tick.QUANTITY", IPCARC_TICK_QUANTITY);
    U("Tick.CHECKSUM", IPCARC_TICK_CHECKSUM);
    U("Tick.RESERVED", IPCARC_TICK_RESERVED);
    S("Tick.CSV_HEADER", IPCARC_TICK_CSV_HEADER);
    static const uint64_t seqs[] = {0, 1, 2, 63, 1000, 123456789, UINT64_C(1) << 40};
    static const int64_t timestamps[] = {0, 1, 1764547200000000000LL, 42};
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        uint64_t seq = seqs[i];
        uint64_t h = ipcarc_tick_mix(seq);
        int64_t ts = timestamps[i % (sizeof timestamps / sizeof timestamps[0])];
        uint8_t e[IPCARC_TICK_SIZE];
        int64_t f[7];
        f[0] = (int64_t)seq;
        f[1] = ts;
        f[2] = (int64_t)ipcarc_tick_symbol_word(ipcarc_tick_symbol_index(h));
        f[3] = ipcarc_tick_price(h);
        f[4] = ipcarc_tick_quantity(h);
        f[5] = (int64_t)ipcarc_tick_checksum(seq, (uint64_t)ts, (uint64_t)f[2], (uint64_t)f[3], (uint64_t)f[4]);
        f[6] = 0;
        memcpy(e, f, sizeof e);
        char line[IPCARC_TICK_MAX_LINE];
        int n = ipcarc_tick_csv(e, seq, line);
        line[n - 1] = '\0'; /* without the newline */
        printf("mix(%llu)=0x%016llx\n", (unsigned long long)seq, (unsigned long long)h);
        printf("tick(%llu,%lld)=%s check=%d\n", (unsigned long long)seq, (long long)ts, line, ipcarc_tick_check(e, seq));
    }
    return 0;
}
