/*
 * ipcarc_tick.h - the example apps' ring entry (io.ipcarc.examples.Tick) for C: its layout, the
 * generator that makes every field but the timestamp a pure function of the sequence, the check a
 * consumer runs, and the reporters' CSV line, byte for byte as the Java reporter writes it.
 * docs/interop.md, "The tick", states the same rules; the drift test compares the constants.
 *
 * Entry (56 bytes; 64-byte ring slots with the stamp), all little-endian:
 *   +0 seq i64 | +8 timestamp_ns i64 | +16 symbol char[8] (utf8[8]: ASCII here, NUL-padded) | +24 price i64 (1e-4)
 *   +32 quantity i64 | +40 checksum u64 | +48 reserved 0
 */
#ifndef IPCARC_TICK_H
#define IPCARC_TICK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/** The Java record's descriptor: its FNV-1a 64 is the ring's entry fingerprint. */
#define IPCARC_TICK_DESCRIPTOR                                                                                                      \
    "io.ipcarc.examples.Tick{seq:i64,timestampNs:i64,symbol:utf8[8],price:i64,quantity:i64,checksum:i64,reserved:i64}"
#define IPCARC_TICK_SIZE 56u
#define IPCARC_TICK_SEQ 0
#define IPCARC_TICK_TIMESTAMP 8
#define IPCARC_TICK_SYMBOL 16
#define IPCARC_TICK_PRICE 24
#define IPCARC_TICK_QUANTITY 32
#define IPCARC_TICK_CHECKSUM 40
#define IPCARC_TICK_RESERVED 48
#define IPCARC_TICK_CSV_HEADER "seq,timestamp_ns,symbol,price,quantity"
/** The longest CSV line with its newline. */
#define IPCARC_TICK_MAX_LINE 120

static const char *const IPCARC_TICK_SYMBOLS[8] = {"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "IBM"};

/** splitmix64's finalizer (the variant with the golden-ratio increment applied to the input). */
static inline uint64_t ipcarc_tick_mix(uint64_t z) {
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/** Symbol index: the top 3 bits of mix(seq). */
static inline int ipcarc_tick_symbol_index(uint64_t h) {
    return (int)(h >> 61);
}

/** The symbol's ASCII bytes, NUL-padded, as a little-endian u64 (the entry's +16). */
static inline uint64_t ipcarc_tick_symbol_word(int index) {
    uint64_t w = 0;
    const char *s = IPCARC_TICK_SYMBOLS[index];
    for (int j = 0; s[j] != '\0'; j++) {
        w |= (uint64_t)(unsigned char)s[j] << (8 * j);
    }
    return w;
}

/** Price in units of 1e-4: 1,000,000 + (mix >> 32) mod 9,000,000 (100.0000 to 999.9999). */
static inline int64_t ipcarc_tick_price(uint64_t h) {
    return 1000000 + (int64_t)((h >> 32) % 9000000);
}

/** Quantity: 1 + (mix & 0xffff) mod 1000. */
static inline int64_t ipcarc_tick_quantity(uint64_t h) {
    return 1 + (int64_t)((h & 0xffff) % 1000);
}

/** mix(seq ^ timestamp ^ symbol word ^ price ^ quantity). */
static inline uint64_t ipcarc_tick_checksum(uint64_t seq, uint64_t ts, uint64_t sym, uint64_t price, uint64_t qty) {
    return ipcarc_tick_mix(seq ^ ts ^ sym ^ price ^ qty);
}

static inline int64_t ipcarc_tick__i64(const uint8_t *e, int off) {
    int64_t v;
    memcpy(&v, e + off, 8);
    return v;
}

/** Whether the entry is the good tick of seq (every field a function of seq, checksum right). */
static inline int ipcarc_tick_check(const uint8_t *e, uint64_t seq) {
    uint64_t h = ipcarc_tick_mix(seq);
    int64_t ts = ipcarc_tick__i64(e, IPCARC_TICK_TIMESTAMP);
    uint64_t sym = (uint64_t)ipcarc_tick__i64(e, IPCARC_TICK_SYMBOL);
    int64_t price = ipcarc_tick__i64(e, IPCARC_TICK_PRICE);
    int64_t qty = ipcarc_tick__i64(e, IPCARC_TICK_QUANTITY);
    return (uint64_t)ipcarc_tick__i64(e, IPCARC_TICK_SEQ) == seq && sym == ipcarc_tick_symbol_word(ipcarc_tick_symbol_index(h)) &&
           price == ipcarc_tick_price(h) && qty == ipcarc_tick_quantity(h) &&
           (uint64_t)ipcarc_tick__i64(e, IPCARC_TICK_CHECKSUM) ==
               ipcarc_tick_checksum(seq, (uint64_t)ts, sym, (uint64_t)price, (uint64_t)qty);
}

/**
 * Writes the CSV line of the entry delivered as seq into out (at least IPCARC_TICK_MAX_LINE
 * bytes) and returns its length: "seq,timestamp_ns,SYMBOL,price/10000.4-digit fraction,quantity\n",
 * decimal integers without leading zeros or '+' (a '-' for negatives), seq as delivered, the
 * symbol from seq, timestamp, price and quantity from the entry. Java's Tick.formatCsv.
 */
static inline int ipcarc_tick_csv(const uint8_t *e, uint64_t seq, char *out) {
    int64_t price = ipcarc_tick__i64(e, IPCARC_TICK_PRICE);
    int frac = (int)(price % 10000);
    int n = snprintf(out, IPCARC_TICK_MAX_LINE, "%lld,%lld,%s,%lld.", (long long)seq, (long long)ipcarc_tick__i64(e, IPCARC_TICK_TIMESTAMP),
                     IPCARC_TICK_SYMBOLS[ipcarc_tick_symbol_index(ipcarc_tick_mix(seq))], (long long)(price / 10000));
    out[n++] = (char)('0' + frac / 1000);
    out[n++] = (char)('0' + frac / 100 % 10);
    out[n++] = (char)('0' + frac / 10 % 10);
    out[n++] = (char)('0' + frac % 10);
    n += snprintf(out + n, (size_t)(IPCARC_TICK_MAX_LINE - n), ",%lld\n", (long long)ipcarc_tick__i64(e, IPCARC_TICK_QUANTITY));
    return n;
}

#endif /* IPCARC_TICK_H */
