"""A lossy observer of an IpcArc ring (layout version 2), standard library only.

It watches the ring a Java writer publishes to without registering as a reader: the writer never
waits for it, and it may lose entries (it reports how many), but it never returns a torn or mixed
entry. It opens the segment read-only (python/ipcarc.py), writes nothing, holds no reference.

For each sequence s from its position: the slot's stamp must be (s // capacity) + 1 (published,
this lap); the entry's bytes are copied; after a batch of copies, one load of the write pointer w:
copies of sequences >= w - capacity were not being overwritten (the writer raises w before it
writes an entry), the older ones are discarded and counted as lost. Loads stay in program order
on x86_64 (TSO; see ipcarc.py), which this needs: it refuses to run elsewhere.

    from ipcarc_ring import RingObserver
    with RingObserver.open("/rpt_sys_shm") as ring:
        for seq, entry in ring.poll():           # validated copies, in order
            ...

Command line:
    python3 ipcarc_ring.py observe NAME SECONDS   follow the tail for that long; check every tick
    python3 ipcarc_ring.py constants              the offsets it uses (checked by RingHeaderDriftTest)
Exit codes: 0 success, 1 an error or a bad tick (one line on stderr), 2 bad usage.
"""

import struct
import sys
import time

import ipcarc

# ---- the ring (docs/ring.md), offsets relative to the payload ------------------------------------
TYPE_TAG = "ipcarc.ring/3"
MAGIC = 0x33474E4952435049  # "IPCRING3"
VERSION = 3
CAPACITY_OFFSET = 12
SLOT_SIZE_OFFSET = 16
ENTRY_SIZE_OFFSET = 20
READER_SLOTS_OFFSET = 24
ENTRY_DESCRIPTOR_LENGTH_OFFSET = 28
ENTRY_FINGERPRINT_OFFSET = 32
RING_ID_OFFSET = 40
WRITE_POINTER_OFFSET = 64
WRITER_WORD_OFFSET = 144
READERS_OFFSET = 256
READER_SLOT_SIZE = 64
SLOT_STAMP = 0
SLOT_BODY = 8
MAX_CAPACITY = 1 << 24
MAX_READERS = 64
MAX_BATCH = 256
BATCH_BYTES = 16384

# ---- the tick (docs/interop.md, "The tick") -------------------------------------------------------
TICK_DESCRIPTOR = ("io.ipcarc.examples.Tick{seq:i64,timestampNs:i64,symbol:utf8[8],price:i64,quantity:i64,"
                   "checksum:i64,reserved:i64}")
TICK_SIZE = 56
CSV_HEADER = "seq,timestamp_ns,symbol,price,quantity"
SYMBOLS = ["AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "IBM"]
_M64 = (1 << 64) - 1


def mix(z):
    """splitmix64's finalizer, with the golden-ratio increment applied to the input first."""
    z = (z + 0x9e3779b97f4a7c15) & _M64
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & _M64
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & _M64
    return z ^ (z >> 31)


def _symbol_word(index):
    return int.from_bytes(SYMBOLS[index].encode("ascii").ljust(8, b"\0"), "little")


def tick_fields(entry):
    """seq, timestamp, symbol word, price, quantity, checksum: the entry's first six u64 words."""
    return struct.unpack_from("<QqQqqQ", entry, 0)


def tick_ok(entry, seq):
    """Whether the 56 bytes are the good tick of seq (every field but the timestamp a function of seq)."""
    s, ts, sym, price, qty, checksum = tick_fields(entry)
    h = mix(seq)
    return (s == seq and sym == _symbol_word(h >> 61) and price == 1000000 + (h >> 32) % 9000000
            and qty == 1 + (h & 0xffff) % 1000
            and checksum == mix(seq ^ (ts & _M64) ^ sym ^ (price & _M64) ^ (qty & _M64)))


def _jdiv(a, b):
    """Java's integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def csv_line(entry, seq):
    """The CSV line of an entry (without newline), as the Java reporter writes it (Tick.formatCsv)."""
    _, ts, _, price, qty, _ = tick_fields(entry)
    frac = price - _jdiv(price, 10000) * 10000
    digits = "".join(chr(48 + d) for d in (_jdiv(frac, 1000), _jdiv(frac, 100) - _jdiv(frac, 1000) * 10,
                                             _jdiv(frac, 10) - _jdiv(frac, 100) * 10, frac - _jdiv(frac, 10) * 10))
    return "%d,%d,%s,%d.%s,%d" % (seq, ts, SYMBOLS[mix(seq) >> 61], _jdiv(price, 10000), digits, qty)


class RingObserver:
    """A read-only, unregistered view of a ring: validated copies of the newest entries."""

    def __init__(self, seg):
        self.seg = seg
        mm, p = seg._mm, seg.payload_offset
        descriptor = bytes(mm[ipcarc.DESCRIPTOR_OFFSET:ipcarc.DESCRIPTOR_OFFSET + seg.descriptor_length]).decode("utf-8")
        if not descriptor.startswith("bytes<%s>[" % TYPE_TAG) or seg.crash_atomic:
            raise ipcarc.IpcArcError("not a ring: name=%s, found=%s, expected=bytes<%s>[...]" % (seg.name, descriptor, TYPE_TAG))
        magic, version, cap, slot_size, entry_size, readers, d_len = struct.unpack_from("<QIIIIII", mm, p)
        fingerprint, self.ring_id = struct.unpack_from("<QQ", mm, p + ENTRY_FINGERPRINT_OFFSET)
        if magic != MAGIC or version != VERSION:
            raise ipcarc.IpcArcError("not a ring of layout version %d: name=%s, magic=0x%x" % (VERSION, seg.name, magic))
        slots_end = READERS_OFFSET + readers * READER_SLOT_SIZE + cap * slot_size
        if (cap < 2 or cap & (cap - 1) or cap > MAX_CAPACITY or not 1 <= readers <= MAX_READERS
                or slot_size != (SLOT_BODY + entry_size + 7) & ~7 or not 1 <= d_len <= ipcarc.MAX_DESCRIPTOR_BYTES
                or slots_end + ((d_len + 7) & ~7) != seg.payload_size):
            raise ipcarc.IpcArcError("inconsistent ring header: name=%s, capacity=%d, readerSlots=%d" % (seg.name, cap, readers))
        # Layout version 3 stores the entry type's descriptor after the slots.
        self.entry_descriptor = bytes(mm[p + slots_end:p + slots_end + d_len]).decode("utf-8", "replace")
        if ipcarc.fnv1a64(self.entry_descriptor) != fingerprint:
            raise ipcarc.IpcArcError("ring entry descriptor does not match its fingerprint: name=%s" % seg.name)
        self.capacity, self.slot_size, self.entry_size, self.fingerprint = cap, slot_size, entry_size, fingerprint
        self.ahead = max(1, min(64, cap // 8))
        self.entries = p + READERS_OFFSET + readers * READER_SLOT_SIZE
        self._words = memoryview(mm).cast("I")  # 4-byte words: one aligned load each
        self._pointer = p + WRITE_POINTER_OFFSET
        self.batch = max(1, min(MAX_BATCH, BATCH_BYTES // entry_size))
        self.position = 0
        self.lost = 0
        self.rejected = []  # (seq, bytes) copies the validation discarded, for the caller's statistics

    @classmethod
    def open(cls, name):
        seg = ipcarc.Segment.open(name)
        try:
            return cls(seg)
        except BaseException:
            seg.close()
            raise

    def write_pointer(self):
        """The write pointer: more than every sequence the writer has started (one aligned 8-byte load)."""
        return ipcarc._load_u64(self.seg._q, self._pointer)

    def _slot(self, seq):
        return self.entries + (seq & (self.capacity - 1)) * self.slot_size

    def _stamp_ahead(self, seq):
        """0: the slot holds seq, published; < 0: not yet; > 0: a later lap. Signed 32-bit difference."""
        d = (self._words[self._slot(seq) >> 2] - ((seq // self.capacity) + 1)) & 0xffffffff
        return d - (1 << 32) if d >= 1 << 31 else d

    def start_at_latest(self):
        """Moves the position to the newest entries: max(0, w - announce), w the write pointer.

        Everything before it is skipped (not counted lost). The writer may not have published all of
        [w - announce, w) yet; poll waits for them.
        """
        self.position = max(0, self.write_pointer() - self.ahead)

    def start_at_oldest(self):
        """Moves the position to the oldest entry that may still be in the ring: max(0, w - capacity).

        To see everything the ring still holds. Entries the writer overwrites before poll copies them
        are reported as lost (poll's step 3), never handed out. An observer holds no position in the
        ring: to resume after its own crash it keeps the next sequence it wants (e.g. one past the
        last it persisted) and sets position to it; what was overwritten meanwhile is counted lost.
        """
        self.position = max(0, self.write_pointer() - self.capacity)

    def poll(self):
        """Validated copies of the entries from the position: a list of (seq, bytes), oldest first."""
        if not ipcarc._LOADS_IN_ORDER:
            raise ipcarc.IpcArcError("lock-free ring read needs load-load fences the standard library cannot emit on"
                                     " this machine: name=%s" % self.seg.name)
        mm, size = self.seg._mm, self.entry_size
        start = p = self.position
        copies = []
        lapped = False
        while len(copies) < self.batch:
            ahead = self._stamp_ahead(p)
            if ahead != 0:
                lapped = ahead > 0
                break
            body = self._slot(p) + SLOT_BODY
            copies.append(mm[body:body + size])
            p += 1
        if not copies and not lapped:
            if ipcarc._load_u64(self.seg._q, ipcarc.STATE_OFFSET & ~7) >> 32 != ipcarc.STATE_READY:
                raise ipcarc.SegmentGoneError("ring unlinked: name=%s (its last holder closed it)" % self.seg.name)
            return []
        w = self.write_pointer()  # after the copies (TSO: loads stay in order)
        # Never hand out what the writer did not publish: after the last close the pages after the
        # first are punched (stamps, entries and the write pointer read 0), so the segment must still be
        # ready after the copies (the closer stores "unlinked" before it punches).
        state = ipcarc._load_u64(self.seg._q, ipcarc.STATE_OFFSET & ~7) >> 32
        if state != ipcarc.STATE_READY:
            raise ipcarc.SegmentGoneError("ring unlinked while reading: name=%s, state=%d (its last holder closed it)"
                                          % (self.seg.name, state))
        first = start
        if lapped or start < w - self.capacity:
            first = max(start + 1, w - self.ahead)
            self.lost += first - start
            self.rejected.extend((start + i, c) for i, c in enumerate(copies[:first - start]))
        self.position = max(first, p)
        return [(q, copies[q - start]) for q in range(first, p)]

    def close(self):
        self._words.release()
        self.seg.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def observe(name, seconds):
    """Follows the tail for seconds; prints one OBSERVED line. Exit 1 if any returned tick is bad."""
    returned = bad = polls = 0
    last = -1
    with RingObserver.open(name) as ring:
        if ring.fingerprint != ipcarc.fnv1a64(TICK_DESCRIPTOR):
            raise ipcarc.IpcArcError("ring entries are not ticks: name=%s, fingerprint=0x%x" % (name, ring.fingerprint))
        ring.start_at_latest()
        # Tells a test that the observer follows the ring from here on (it may then stop and continue it).
        print("FOLLOWING", flush=True)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            got = ring.poll()
            polls += 1
            for seq, entry in got:
                returned += 1
                if seq <= last:
                    bad += 1
                    print("ipcarc_ring.py: out of order: seq=%d after %d" % (seq, last), file=sys.stderr)
                last = seq
                if not tick_ok(entry, seq):
                    bad += 1
                    print("ipcarc_ring.py: TORN seq=%d" % seq, file=sys.stderr)
            if not got:
                time.sleep(0.0002)
            if len(ring.rejected) > 100000:
                del ring.rejected[:50000]
        torn_rejected = sum(1 for seq, c in ring.rejected if not tick_ok(c, seq))
        print("OBSERVED returned=%d lost=%d rejected=%d rejected_torn=%d bad=%d polls=%d last=%d" % (
            returned, ring.lost, len(ring.rejected), torn_rejected, bad, polls, last))
    return 0 if bad == 0 else 1


def constants():
    for key, value in [("TYPE_TAG", TYPE_TAG), ("MAGIC", MAGIC), ("VERSION", VERSION), ("CAPACITY_OFFSET", CAPACITY_OFFSET),
                       ("SLOT_SIZE_OFFSET", SLOT_SIZE_OFFSET), ("ENTRY_SIZE_OFFSET", ENTRY_SIZE_OFFSET),
                       ("READER_SLOTS_OFFSET", READER_SLOTS_OFFSET),
                       ("ENTRY_DESCRIPTOR_LENGTH_OFFSET", ENTRY_DESCRIPTOR_LENGTH_OFFSET),
                       ("ENTRY_FINGERPRINT_OFFSET", ENTRY_FINGERPRINT_OFFSET),
                       ("RING_ID_OFFSET", RING_ID_OFFSET), ("WRITE_POINTER_OFFSET", WRITE_POINTER_OFFSET),
                       ("WRITER_WORD_OFFSET", WRITER_WORD_OFFSET), ("READERS_OFFSET", READERS_OFFSET),
                       ("READER_SLOT_SIZE", READER_SLOT_SIZE), ("SLOT_STAMP", SLOT_STAMP), ("SLOT_BODY", SLOT_BODY),
                       ("MAX_CAPACITY", MAX_CAPACITY), ("MAX_READERS", MAX_READERS)]:
        print("RingDescriptor.%s=%s" % (key, value))
    print("RingReader.MAX_BATCH=%d" % MAX_BATCH)
    print("RingReader.BATCH_BYTES=%d" % BATCH_BYTES)
    print("Tick.DESCRIPTOR=%s" % TICK_DESCRIPTOR)
    print("Tick.FINGERPRINT=0x%016x" % ipcarc.fnv1a64(TICK_DESCRIPTOR))
    print("Tick.SIZE=%d" % TICK_SIZE)
    print("Tick.CSV_HEADER=%s" % CSV_HEADER)
    for seq, ts in [(0, 0), (1, 1), (2, 1764547200000000000), (63, 42), (1 << 40, -5)]:
        h = mix(seq)
        sym, price, qty = _symbol_word(h >> 61), 1000000 + (h >> 32) % 9000000, 1 + (h & 0xffff) % 1000
        entry = struct.pack("<QqQqqQQ", seq, ts, sym, price, qty, mix(seq ^ (ts & _M64) ^ sym ^ price ^ qty), 0)
        print("mix(%d)=0x%016x" % (seq, h))
        print("tick(%d,%d)=%s check=%d" % (seq, ts, csv_line(entry, seq), 1 if tick_ok(entry, seq) else 0))


def race(prefix):
    """For each line "GO r": follows the ring PREFIX-r from its oldest entry until it is gone.

    Prints READING r go after the first ticks, then GONE r returned=N bad=B (B: ticks that fail
    tick_ok: torn, or never written, such as the zeros of punched pages).
    """
    for line in sys.stdin:
        if not line.startswith("GO "):
            continue
        r = int(line.split()[1])
        returned = bad = 0
        try:
            ring = RingObserver.open("%s-%d" % (prefix, r))
        except ipcarc.IpcArcError:
            print("GONE %d returned=0 bad=0 open=failed" % r, flush=True)
            continue
        with ring:
            ring.start_at_oldest()
            while True:
                try:
                    got = ring.poll()
                except ipcarc.SegmentGoneError:
                    break
                for seq, entry in got:
                    returned += 1
                    if not tick_ok(entry, seq):
                        bad += 1
                        if bad <= 5:
                            print("BAD %d seq=%d" % (r, seq), file=sys.stderr, flush=True)
                if got and returned == len(got):
                    print("READING %d go" % r, flush=True)
        print("GONE %d returned=%d bad=%d" % (r, returned, bad), flush=True)


def main(argv):
    usage = "usage: ipcarc_ring.py observe NAME SECONDS | race PREFIX | constants"
    try:
        if len(argv) == 4 and argv[1] == "observe":
            return observe(argv[2], float(argv[3]))
        if len(argv) == 3 and argv[1] == "race":
            race(argv[2])
            return 0
        if len(argv) == 2 and argv[1] == "constants":
            constants()
            return 0
    except ValueError as e:
        print("ipcarc_ring.py: bad usage: %s (%s)" % (e, usage), file=sys.stderr)
        return 2
    except ipcarc.IpcArcError as e:
        print("ipcarc_ring.py: %s" % e, file=sys.stderr)
        return 1
    print("ipcarc_ring.py: bad usage: %s (%s)" % (" ".join(argv[1:]), usage), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
