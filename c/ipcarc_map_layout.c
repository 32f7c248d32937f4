/*
 * ipcarc_map_layout - prints every offset and constant of the map part of ipcarc.h as KEY=VALUE
 * lines, each KEY naming the Java constant it must equal (MapDescriptor.FIELD, MapHash.FIELD, or
 * MapDescriptor.method(args) for the layout's functions), then the hash of each key given as hex
 * bytes: hash(HEX)=0x... MapHeaderDriftTest (ipcarc-map) builds it with gcc and compares every
 * line with the Java side, and the test vectors with docs/map.md.
 *
 *   gcc -std=c11 -o ipcarc_map_layout c/ipcarc_map_layout.c -pthread && ./ipcarc_map_layout 0100000000000000
 */
#include "ipcarc.h"

#define U(key, value) printf("%s=%llu\n", key, (unsigned long long)(value))
#define D(name) U("MapDescriptor." #name, IPCARC_MAP_##name)

int main(int argc, char **argv) {
    printf("MapDescriptor.TYPE_TAG=%s\n", IPCARC_MAP_TYPE_TAG);
    D(MAGIC);
    D(VERSION);
    U("MapDescriptor.CACHE_LINE", IPCARC_CACHE_LINE);
    D(HASH_FUNCTION);
    D(MAX_CAPACITY);
    D(MAX_STRIPES);
    D(MIN_TAG_BITS);
    D(MAGIC_OFFSET);
    D(VERSION_OFFSET);
    D(CAPACITY_OFFSET);
    D(ENTRY_COUNT_OFFSET);
    D(STRIPES_OFFSET);
    D(INDEX_SLOTS_OFFSET);
    D(STRIPE_SLOTS_OFFSET);
    D(INDEX_BITS_OFFSET);
    D(ENTRY_SIZE_OFFSET);
    D(KEY_SIZE_OFFSET);
    D(VALUE_SIZE_OFFSET);
    D(VALUE_OFFSET_OFFSET);
    D(KEY_DESCRIPTOR_LENGTH_OFFSET);
    D(VALUE_DESCRIPTOR_LENGTH_OFFSET);
    D(HASH_FUNCTION_OFFSET);
    D(KEY_FINGERPRINT_OFFSET);
    D(VALUE_FINGERPRINT_OFFSET);
    D(MAP_ID_OFFSET);
    D(CREATED_OFFSET);
    D(CHANGE_COUNTER_OFFSET);
    D(CHANGE_WAITERS_OFFSET);
    D(FREE_HEAD_OFFSET);
    D(BUMP_OFFSET);
    D(ALLOC_OP_OFFSET);
    D(ALLOC_STRIPE_OFFSET);
    D(ALLOC_ENTRY_OFFSET);
    D(ALLOC_HEAD_BEFORE_OFFSET);
    D(ALLOC_BUMP_BEFORE_OFFSET);
    D(ALLOC_NONE);
    D(ALLOC_POP);
    D(ALLOC_PUSH);
    D(LOCKS_OFFSET);
    D(LOCK_SLOT);
    D(LOCK_OWNER_PID);
    D(LOCK_OWNER_DIED);
    D(LOCK_DEAD_OWNER_PID);
    D(STRIPE_SIZE);
    D(STRIPE_VERSION);
    D(STRIPE_COUNT);
    D(STRIPE_SPARE);
    D(STRIPE_PENDING);
    D(STRIPE_OP);
    D(STRIPE_POS);
    D(STRIPE_ENTRY);
    D(STRIPE_OTHER);
    D(STRIPE_COUNT_BEFORE);
    D(STRIPE_HOLE);
    D(STRIPE_REPAIRS);
    D(OP_NONE);
    D(OP_INSERT);
    D(OP_UPDATE);
    D(OP_REMOVE);
    D(EMPTY);
    U("MapDescriptor.TOMBSTONE", (uint64_t)(int64_t)(int32_t)IPCARC_MAP_TOMBSTONE);
    D(ENTRY_STATE);
    D(ENTRY_HASH);
    D(ENTRY_KEY);
    D(KIND_FREE);
    D(KIND_LIVE);
    D(KIND_HELD);
    D(KIND_MASK);
    D(GEN_ONE);
    U("MapHash.SEED", IPCARC_MAP_SEED);
    U("MapHash.M1", IPCARC_MAP_M1);
    U("MapHash.M2", IPCARC_MAP_M2);
    const uint32_t stripes[] = {1, 8, 64};
    for (size_t i = 0; i < sizeof stripes / sizeof stripes[0]; i++) {
        uint32_t s = stripes[i];
        printf("MapDescriptor.stripeLock(%u)=%u\n", s, ipcarc_map_stripe_lock(s));
        printf("MapDescriptor.allocatorLock(%u)=%u\n", s, ipcarc_map_allocator_lock(s));
        printf("MapDescriptor.stripesOffset(%u)=%u\n", s, ipcarc_map_stripes_offset(s));
        printf("MapDescriptor.stripe(%u,3)=%u\n", s, ipcarc_map_stripe(s, 3));
        printf("MapDescriptor.indexOffset(%u)=%u\n", s, ipcarc_map_index_offset(s));
        printf("MapDescriptor.entriesOffset(%u,1333376)=%llu\n", s, (unsigned long long)ipcarc_map_entries_offset(s, 1333376));
    }
    printf("MapDescriptor.valueOffset(4)=%u\n", ipcarc_map_value_offset(4));
    printf("MapDescriptor.valueOffset(16)=%u\n", ipcarc_map_value_offset(16));
    printf("MapDescriptor.entrySize(8,64)=%u\n", ipcarc_map_entry_size(8, 64));
    printf("MapDescriptor.entrySize(5,3)=%u\n", ipcarc_map_entry_size(5, 3));
    printf("MapDescriptor.indexBits(1000064)=%u\n", ipcarc_map_index_bits(1000064));
    printf("MapDescriptor.indexBits(1022)=%u\n", ipcarc_map_index_bits(1022));
    for (int i = 1; i < argc; i++) {
        uint8_t key[IPCARC_MAP_MAX_KEY_STRIDE] = {0};
        size_t n = strlen(argv[i]) / 2;
        for (size_t j = 0; j < n && j < sizeof key; j++) {
            unsigned v;
            sscanf(argv[i] + 2 * j, "%2x", &v);
            key[j] = (uint8_t)v;
        }
        printf("hash(%s)=0x%016llx\n", argv[i], (unsigned long long)ipcarc_map_hash(key, (uint32_t)ipcarc__align(n, 8)));
    }
    return 0;
}
