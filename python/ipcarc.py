"""IpcArc segments from Python, standard library only.

Attaches to a segment that Java (or C, through c/ipcarc.h) created, checks its header as
docs/design.md says, decodes its payload from the type descriptor alone, and reads the value
lock-free: the commit-word read of a crash-atomic payload or the seqlock read of a raw one.
It opens the object read-only and never takes a lock, writes nothing and holds no reference,
so it needs only read permission on /dev/shm/NAME and works whatever C library the segment's
mutexes belong to.

    from ipcarc import Segment
    with Segment.open("/counter", expected="i64") as seg:
        print(seg.read())                      # 42
        v = seg.version()                      # +2 per guard that wrote, in any process

Command line:
    python3 ipcarc.py read NAME                 the value, decoded
    python3 ipcarc.py fingerprint DESCRIPTOR... FNV-1a 64 of each descriptor
    python3 ipcarc.py layout DESCRIPTOR         size, alignment and member offsets
    python3 ipcarc.py constants                 the offsets this module uses (checked by HeaderDriftTest)
Exit codes: 0 success, 1 an IpcArc error (one line on stderr), 2 bad usage.

Ordering: the lock-free read needs the payload loads to stay between the two loads of the
commit word. On x86_64 (TSO: loads are not reordered with loads) each load below is its own
C call in CPython, so program order is kept; an 8-byte aligned load of the word is one `mov`.
Other architectures need load-load fences that the standard library cannot emit, so read()
refuses to run there (IpcArcError).
"""

import fcntl
import json
import mmap
import os
import platform
import struct
import sys
import time

# ---- the layout (version 2): every offset as docs/design.md gives it -------------------------
MAGIC = 0x312E435241435049  # "IPCARC.1" read as a little-endian u64
LAYOUT_VERSION = 2
PAGE = 4096
CACHE_LINE = 64
MAGIC_OFFSET = 0
VERSION_OFFSET = 8
STATE_OFFSET = 12
FINGERPRINT_OFFSET = 16
SEGMENT_SIZE_OFFSET = 24
PAYLOAD_OFFSET_OFFSET = 32
PAYLOAD_SIZE_OFFSET = 36
DESCRIPTOR_OFFSET_OFFSET = 40
DESCRIPTOR_LENGTH_OFFSET = 44
HOLDERS_OFFSET_OFFSET = 48
HOLDER_SLOTS_OFFSET = 52
CREATOR_PID_OFFSET = 56
PAYLOAD_MODE_OFFSET = 80
COPY_STRIDE_OFFSET = 84
MUTEX_LIBRARY_OFFSET = 96
MUTEX_LIBRARY_BYTES = 32
REFCOUNT_OFFSET = 128
SEQUENCE_OFFSET = 320  # the commit word
HOLDERS_OFFSET = 384
HOLDER_SLOTS = 128
DESCRIPTOR_OFFSET = 4480
STATE_INITIALIZING, STATE_READY, STATE_UNLINKED = 0, 1, 2
MODE_RAW, MODE_CRASH_ATOMIC = 1, 2
MAX_DESCRIPTOR_BYTES = 16384
MAX_SEGMENT_BYTES = 2 ** 31 - 4096
MAX_NAME_BYTES = 255
MAX_LAYOUT_SIZE = (2 ** 31 - 1) & ~63
OPTIMISTIC_READS = 128
UNLOCKED_READ_PATIENCE_SECONDS = 1.0  # a raw value that never stays still this long is reported (BusyError)
_LOADS_IN_ORDER = platform.machine() in ("x86_64", "AMD64")  # TSO: see the module's docstring
READY_TIMEOUT_SECONDS = 5.0
ABANDONED_AFTER_SECONDS = 2.0

# Names of the constants above as the Java code calls them: (Java key, value).
DRIFT_KEYS = [
    ("SegmentDescriptor.MAGIC", MAGIC), ("SegmentDescriptor.LAYOUT_VERSION", LAYOUT_VERSION),
    ("SegmentDescriptor.PAGE", PAGE), ("SegmentDescriptor.CACHE_LINE", CACHE_LINE),
    ("SegmentDescriptor.MAGIC_OFFSET", MAGIC_OFFSET), ("SegmentDescriptor.VERSION_OFFSET", VERSION_OFFSET),
    ("SegmentDescriptor.STATE_OFFSET", STATE_OFFSET), ("SegmentDescriptor.FINGERPRINT_OFFSET", FINGERPRINT_OFFSET),
    ("SegmentDescriptor.SEGMENT_SIZE_OFFSET", SEGMENT_SIZE_OFFSET),
    ("SegmentDescriptor.PAYLOAD_OFFSET_OFFSET", PAYLOAD_OFFSET_OFFSET),
    ("SegmentDescriptor.PAYLOAD_SIZE_OFFSET", PAYLOAD_SIZE_OFFSET),
    ("SegmentDescriptor.DESCRIPTOR_OFFSET_OFFSET", DESCRIPTOR_OFFSET_OFFSET),
    ("SegmentDescriptor.DESCRIPTOR_LENGTH_OFFSET", DESCRIPTOR_LENGTH_OFFSET),
    ("SegmentDescriptor.HOLDERS_OFFSET_OFFSET", HOLDERS_OFFSET_OFFSET),
    ("SegmentDescriptor.HOLDER_SLOTS_OFFSET", HOLDER_SLOTS_OFFSET),
    ("SegmentDescriptor.CREATOR_PID_OFFSET", CREATOR_PID_OFFSET),
    ("SegmentDescriptor.PAYLOAD_MODE_OFFSET", PAYLOAD_MODE_OFFSET),
    ("SegmentDescriptor.COPY_STRIDE_OFFSET", COPY_STRIDE_OFFSET),
    ("SegmentDescriptor.MUTEX_LIBRARY_OFFSET", MUTEX_LIBRARY_OFFSET),
    ("SegmentDescriptor.MUTEX_LIBRARY_BYTES", MUTEX_LIBRARY_BYTES),
    ("SegmentDescriptor.REFCOUNT_OFFSET", REFCOUNT_OFFSET), ("SegmentDescriptor.SEQUENCE_OFFSET", SEQUENCE_OFFSET),
    ("SegmentDescriptor.HOLDERS_OFFSET", HOLDERS_OFFSET), ("SegmentDescriptor.HOLDER_SLOTS", HOLDER_SLOTS),
    ("SegmentDescriptor.DESCRIPTOR_OFFSET", DESCRIPTOR_OFFSET),
    ("SegmentDescriptor.STATE_INITIALIZING", STATE_INITIALIZING), ("SegmentDescriptor.STATE_READY", STATE_READY),
    ("SegmentDescriptor.STATE_UNLINKED", STATE_UNLINKED), ("SegmentDescriptor.MODE_RAW", MODE_RAW),
    ("SegmentDescriptor.MODE_CRASH_ATOMIC", MODE_CRASH_ATOMIC),
    ("SegmentDescriptor.MAX_SEGMENT_BYTES", MAX_SEGMENT_BYTES),
    ("ShmLayout.MAX_DESCRIPTOR_BYTES", MAX_DESCRIPTOR_BYTES), ("ShmLayout.MAX_SIZE", MAX_LAYOUT_SIZE),
    ("SegmentNames.MAX_NAME_BYTES", MAX_NAME_BYTES), ("PosixIpcArc.OPTIMISTIC_READS", OPTIMISTIC_READS),
    ("ArcOptions.READY_TIMEOUT", int(READY_TIMEOUT_SECONDS * 1e9)),
    ("SegmentOpener.ABANDONED_AFTER_MILLIS", int(ABANDONED_AFTER_SECONDS * 1000)),
]


class IpcArcError(Exception):
    """A segment that cannot be used as asked; the message names the segment and the cause."""


class SegmentGoneError(IpcArcError):
    """The segment was removed (its last holder closed it) while it was being read."""


class BusyError(IpcArcError):
    """A raw value did not stay still long enough to be read without the lock."""


def fnv1a64(data):
    """FNV-1a, 64 bits: the type fingerprint of a descriptor's UTF-8 bytes (header offset 16)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def normalize_name(name):
    """'name' and '/name' are the segment '/name': 1 to 255 of A-Z a-z 0-9 . _ - , not '.' or '..'."""
    bare = name[1:] if name.startswith("/") else name
    if not bare:
        raise ValueError("bad segment name: name must not be empty: name=%s" % name)
    if len(bare) > MAX_NAME_BYTES:
        raise ValueError("bad segment name: longer than %d characters: length=%d" % (MAX_NAME_BYTES, len(bare)))
    for i, c in enumerate(bare):
        if not (c.isascii() and (c.isalnum() or c in "._-")):
            raise ValueError("bad segment name: only the POSIX portable filename characters A-Z a-z 0-9 . _ - are"
                             " allowed (after an optional leading '/'): name=%r, index=%d, char=U+%04X"
                             % (name, i + len(name) - len(bare), ord(c)))
    if bare in (".", ".."):
        raise ValueError("bad segment name: '.' and '..' are not allowed: name=%s" % name)
    return "/" + bare


# ---- payload layouts, from the descriptor alone (the grammar of docs/interop.md) ------------
_SCALARS = {"i8": ("b", 1), "i16": ("h", 2), "i32": ("i", 4), "i64": ("q", 8),
            "f32": ("f", 4), "f64": ("d", 8), "bool": ("B", 1), "char": ("H", 2)}


class Layout:
    """size, alignment, decode(buffer, offset) -> Python value; members for structs."""

    def __init__(self, kind, size, alignment, decode, members=None, name=None):
        self.kind, self.size, self.alignment, self._decode = kind, size, alignment, decode
        self.members, self.name = members or [], name

    def decode(self, buf, offset=0):
        return self._decode(buf, offset)


def _scalar(token):
    fmt, size = _SCALARS[token]
    code = struct.Struct("<" + fmt)
    if token == "bool":
        return Layout(token, 1, 1, lambda b, o: b[o] != 0)
    if token == "char":
        return Layout(token, 2, 2, lambda b, o: chr(code.unpack_from(b, o)[0]))
    return Layout(token, size, size, lambda b, o: code.unpack_from(b, o)[0])


def _string(capacity):
    """utf8[n]: char s[n], UTF-8 then NUL padding; the value is the bytes before the first NUL."""
    def decode(b, o):
        raw = bytes(b[o:o + capacity]).split(b"\0", 1)[0]
        try:
            return raw.decode("utf-8", "strict")
        except UnicodeDecodeError as e:
            raise ValueError("stored string is not UTF-8: capacity=%d, index=%d" % (capacity, e.start)) from None
    return Layout("utf8", capacity, 1, decode)


class EnumValue(str):
    """An enum constant's name (a str), with its ordinal."""

    def __new__(cls, name, ordinal):
        v = str.__new__(cls, name)
        v.ordinal = ordinal
        return v


def _enum(name, constants):
    """Name(A,B,...): the ordinal as uint8_t (at most 256 constants) or uint16_t (at most 65536)."""
    size = 1 if len(constants) <= 256 else 2
    code = struct.Struct("<B" if size == 1 else "<H")

    def decode(b, o):
        ordinal = code.unpack_from(b, o)[0]
        if ordinal >= len(constants):
            raise ValueError("stored enum ordinal out of range: enum=%s, ordinal=%d, constants=%d"
                             % (name, ordinal, len(constants)))
        return EnumValue(constants[ordinal], ordinal)
    layout = Layout("enum", size, size, decode, name=name)
    layout.constants = constants
    return layout


def format_value(layout, value):
    """Text like Java's ShmLayout.format: Quote{symbol="AAPL", side=BUY, price=1}."""
    if layout.kind == "struct":
        simple = layout.name.rsplit(".", 1)[-1].rsplit("$", 1)[-1]
        return "%s{%s}" % (simple, ", ".join("%s=%s" % (m, format_value(l, value[m])) for m, _, l in layout.members))
    if layout.kind == "array":
        return "[%s]" % ", ".join(format_value(layout.name, v) for v in value)
    if layout.kind == "utf8":
        return json.dumps(value, ensure_ascii=False)
    if layout.kind == "enum":
        return str(value)
    if layout.kind == "char":
        return "'%s'" % value
    if layout.kind == "bool":
        return "true" if value else "false"
    if layout.kind == "bytes":
        return value.hex()
    return repr(value)


def parse_layout(descriptor):
    """Parses a descriptor into a Layout with the C layout rules; ValueError if malformed."""
    if len(descriptor.encode("utf-8")) > MAX_DESCRIPTOR_BYTES:
        raise ValueError("descriptor too long: bytes>%d" % MAX_DESCRIPTOR_BYTES)
    pos = 0
    depth = 0

    def error(what):
        return ValueError("bad descriptor: %s at position %d: descriptor=%s" % (what, pos, descriptor))

    def word():
        nonlocal pos
        start = pos
        while pos < len(descriptor) and (descriptor[pos].isalnum() or descriptor[pos] in "_.$"):
            pos += 1
        return descriptor[start:pos]

    def expect(c):
        nonlocal pos
        if pos >= len(descriptor) or descriptor[pos] != c:
            raise error("expected '%s'" % c)
        pos += 1

    def length():
        nonlocal pos
        expect("[")
        start = pos
        while pos < len(descriptor) and descriptor[pos] in "0123456789":
            pos += 1
        if start == pos or pos - start > 9:
            raise error("expected a length")
        n = int(descriptor[start:pos])
        expect("]")
        if n < 1:
            raise error("length must be at least 1")
        return n

    def layout():
        nonlocal pos, depth
        w = word()
        if not w:
            raise error("expected a layout")
        if w == "bytes":
            tag = None
            if pos < len(descriptor) and descriptor[pos] == "<":
                end = descriptor.find(">", pos + 1)
                if end < 0:
                    raise error("missing '>'")
                tag, pos = descriptor[pos + 1:end], end + 1
            n = length()
            return Layout("bytes", n, 8, lambda b, o: bytes(b[o:o + n]), name=tag)
        element = element_layout(w)
        if element is not None:
            if pos < len(descriptor) and descriptor[pos] == "[":
                n = length()
                if element.size * n > MAX_LAYOUT_SIZE:
                    raise error("array too large")
                step = element.size
                return Layout("array", step * n, element.alignment,
                              lambda b, o: [element.decode(b, o + i * step) for i in range(n)], name=element)
            return element
        return struct_layout(w)

    def element_layout(w):
        """A scalar, a string or an enum named by w (and what follows it), else None (a struct)."""
        nonlocal pos
        if w in _SCALARS:
            return _scalar(w)
        if w == "utf8":
            return _string(length())
        if pos < len(descriptor) and descriptor[pos] == "(":
            pos += 1
            constants = []
            while True:
                c = word()
                if not c:
                    raise error("expected an enum constant")
                constants.append(c)
                if pos < len(descriptor) and descriptor[pos] == ",":
                    pos += 1
                    continue
                break
            expect(")")
            if len(constants) > 65536:
                raise error("more than 65536 enum constants")
            return _enum(w, constants)
        return None

    def struct_layout(w):
        nonlocal pos, depth
        expect("{")
        depth += 1
        if depth > 64:
            raise error("structs nested deeper than 64")
        members = []
        offset, align = 0, 1
        while True:
            member = word()
            if not member:
                raise error("expected a member name")
            expect(":")
            inner = layout()
            offset = (offset + inner.alignment - 1) & -inner.alignment
            members.append((member, offset, inner))
            offset += inner.size
            align = max(align, inner.alignment)
            if offset > MAX_LAYOUT_SIZE:
                raise error("struct too large")
            if pos < len(descriptor) and descriptor[pos] == ",":
                pos += 1
                continue
            break
        expect("}")
        depth -= 1
        size = (offset + align - 1) & -align
        struct_ = Layout("struct", size, align,
                         lambda b, o: {m: l.decode(b, o + off) for m, off, l in members}, members=members, name=w)
        if pos < len(descriptor) and descriptor[pos] == "[":
            n = length()
            if size * n > MAX_LAYOUT_SIZE:
                raise error("array too large")
            return Layout("array", size * n, align, lambda b, o: [struct_.decode(b, o + i * size) for i in range(n)],
                          name=struct_)
        return struct_

    result = layout()
    if pos != len(descriptor):
        raise error("unexpected text after the layout")
    return result


# ---- a segment, attached read-only -------------------------------------------------------
class Segment:
    """A read-only attachment: the mapping of the whole object, checked as docs/design.md says."""

    def __init__(self, name, fd, mm, size):
        self.name, self._fd, self._mm, self.size = name, fd, mm, size
        self._q = memoryview(mm).cast("Q")  # 8-byte words: one aligned load each
        h = struct.unpack_from("<QIIQQIIIIII", mm, 0)
        (_, self.version_field, _, self.fingerprint, self.segment_size, self.payload_offset, self.payload_size,
         self.descriptor_offset, self.descriptor_length, self.holders_offset, self.holder_slots) = h
        self.payload_mode, self.copy_stride = struct.unpack_from("<II", mm, PAYLOAD_MODE_OFFSET)
        lib = bytes(mm[MUTEX_LIBRARY_OFFSET:MUTEX_LIBRARY_OFFSET + MUTEX_LIBRARY_BYTES])
        self.mutex_library = lib.split(b"\0", 1)[0].decode("ascii", "replace")
        self.descriptor = None
        self.layout = None
        self.retries = 0  # read attempts that found a writer at work (and were discarded)

    @classmethod
    def open(cls, name, expected=None, ready_timeout=READY_TIMEOUT_SECONDS):
        """Opens /dev/shm/NAME read-only, waits (bounded) for a creator at work, and checks the header."""
        name = normalize_name(name)
        deadline = time.monotonic() + ready_timeout
        try:
            fd = os.open("/dev/shm" + name, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise IpcArcError("segment not found: open failed: errno=ENOENT, name=%s" % name) from None
        except PermissionError:
            raise IpcArcError("open failed: errno=EACCES, name=%s, flags=O_RDONLY" % name) from None
        seg = None
        try:
            size = cls._wait_for_header(name, fd, deadline)
            mm = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ)
            cls._wait_for_ready(name, fd, mm, deadline)
            seg = cls(name, fd, mm, size)
            seg._validate(expected)
            return seg
        except BaseException:
            if seg is not None:
                seg.close()
            else:
                os.close(fd)
            raise

    @staticmethod
    def _creator_active(fd):
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False

    @staticmethod
    def _age(fd):
        return max(0.0, time.time() - os.fstat(fd).st_mtime)

    @classmethod
    def _wait_for_header(cls, name, fd, deadline):
        while True:
            size = os.fstat(fd).st_size
            if size >= PAGE:
                if size > MAX_SEGMENT_BYTES:
                    raise IpcArcError("not an IpcArc segment: object too large: name=%s, size=%d" % (name, size))
                return size
            if size > 0:
                raise IpcArcError("not an IpcArc segment: object too small: name=%s, size=%d, min=%d (foreign or"
                                  " truncated file)" % (name, size, PAGE))
            if (not cls._creator_active(fd) and cls._age(fd) > ABANDONED_AFTER_SECONDS) or time.monotonic() > deadline:
                raise IpcArcError("not an IpcArc segment: empty object: name=%s, size=0 (foreign file, or its creator"
                                  " died before sizing it)" % name)
            time.sleep(0.001)

    @classmethod
    def _wait_for_ready(cls, name, fd, mm, deadline):
        q = memoryview(mm).cast("Q")
        try:
            cls._poll_ready(name, fd, mm, q, deadline)
        finally:
            q.release()

    @classmethod
    def _poll_ready(cls, name, fd, mm, q, deadline):
        while True:
            magic = _load_u64(q, MAGIC_OFFSET)  # read first: the creator stores it last, with release
            version, state = struct.unpack_from("<II", mm, VERSION_OFFSET)
            if magic not in (MAGIC, 0):
                raise IpcArcError("not an IpcArc segment: bad magic: name=%s, magic=0x%x (foreign file)" % (name, magic))
            if magic == MAGIC and version != LAYOUT_VERSION:
                raise IpcArcError("unsupported layout version: name=%s, version=%d, supported=%d"
                                  % (name, version, LAYOUT_VERSION))
            if magic == MAGIC and state == STATE_READY:
                return
            if magic == MAGIC and state == STATE_UNLINKED:
                raise IpcArcError("segment not found: it was unlinked: name=%s" % name)
            if magic == MAGIC and state != STATE_INITIALIZING:
                raise IpcArcError("bad state in header: name=%s, state=%d" % (name, state))
            if not cls._creator_active(fd) and (magic == MAGIC or cls._age(fd) > ABANDONED_AFTER_SECONDS):
                raise IpcArcError("creator died before the segment was ready: name=%s" % name)
            if time.monotonic() > deadline:
                raise IpcArcError("segment not ready in time: name=%s, state=%d" % (name, state))
            time.sleep(0.001)

    def _validate(self, expected):
        n = self.name
        if self.segment_size != self.size:
            raise IpcArcError("object size does not match its header: name=%s, size=%d, header=%d (truncated or"
                              " resized by another process)" % (n, self.size, self.segment_size))
        if (self.descriptor_offset != DESCRIPTOR_OFFSET or not 0 < self.descriptor_length <= MAX_DESCRIPTOR_BYTES
                or self.payload_offset != _align(DESCRIPTOR_OFFSET + self.descriptor_length, CACHE_LINE)
                or self.payload_size <= 0 or self.holders_offset != HOLDERS_OFFSET or self.holder_slots != HOLDER_SLOTS):
            raise IpcArcError("inconsistent header: name=%s, payloadOffset=%d, payloadSize=%d, descriptorOffset=%d,"
                              " descriptorLength=%d, size=%d" % (n, self.payload_offset, self.payload_size,
                                                                  self.descriptor_offset, self.descriptor_length, self.size))
        two = self.payload_mode == MODE_CRASH_ATOMIC
        last = _align(self.payload_size, CACHE_LINE) + self.payload_size if two else self.payload_size
        if ((self.payload_mode != MODE_RAW and not two)
                or self.copy_stride != (_align(self.payload_size, CACHE_LINE) if two else 0)
                or _align(self.payload_offset + last, PAGE) > self.size):
            raise IpcArcError("inconsistent payload copies: name=%s, payloadMode=%d, copyStride=%d, payloadSize=%d,"
                              " size=%d" % (n, self.payload_mode, self.copy_stride, self.payload_size, self.size))
        raw = bytes(self._mm[DESCRIPTOR_OFFSET:DESCRIPTOR_OFFSET + self.descriptor_length])
        if fnv1a64(raw) != self.fingerprint:
            raise IpcArcError("descriptor does not match its fingerprint: name=%s" % n)
        self.descriptor = raw.decode("utf-8")
        if expected is not None and (expected != self.descriptor or fnv1a64(expected) != self.fingerprint):
            raise IpcArcError("type mismatch: name=%s, expected=%s, found=%s" % (n, expected, self.descriptor))
        try:
            self.layout = parse_layout(self.descriptor)
        except ValueError as e:
            raise IpcArcError("unreadable descriptor: name=%s, cause=%s" % (n, e)) from None
        if self.layout.size != self.payload_size:
            raise IpcArcError("payload size does not match its type: name=%s, payloadSize=%d, typeSize=%d"
                              % (n, self.payload_size, self.layout.size))

    @property
    def crash_atomic(self):
        return self.payload_mode == MODE_CRASH_ATOMIC

    def version(self):
        """The commit word with its low bit cleared: +2 per guard that wrote, in any process."""
        return _load_u64(self._q, SEQUENCE_OFFSET) & ~1

    def refcount(self):
        """Open handles of all processes (this read-only attachment is not one of them)."""
        return _load_u64(self._q, REFCOUNT_OFFSET)

    def read_bytes(self):
        """A consistent copy of the payload's bytes, without the lock."""
        if not _LOADS_IN_ORDER:
            raise IpcArcError("lock-free read needs load-load fences the standard library cannot emit on %s:"
                              " name=%s (use c/ipcarc.h)" % (platform.machine(), self.name))
        mm, q, word, size = self._mm, self._q, SEQUENCE_OFFSET, self.payload_size
        first, stride = self.payload_offset, self.copy_stride
        attempts = 0
        give_up = None
        while True:
            s1 = _load_u64(q, word)
            if self.crash_atomic or s1 & 1 == 0:
                start = first + (stride if self.crash_atomic and s1 & 2 else 0)  # bit 1 names the committed copy
                data = mm[start:start + size]
                if _load_u64(q, word) == s1:
                    # Never hand out what no writer committed: after the last close the pages past the
                    # first are punched (zeros) while the commit word survives, so check that the segment
                    # was still ready after the copy (the closer stores "unlinked" before it punches).
                    state = _load_u64(q, STATE_OFFSET & ~7) >> 32
                    if state != STATE_READY:
                        raise SegmentGoneError("segment unlinked while reading: name=%s, state=%d (its last holder"
                                               " closed it; open the name again)" % (self.name, state))
                    return data
            attempts += 1
            self.retries += 1
            if attempts < OPTIMISTIC_READS:
                continue
            if not self.crash_atomic:
                # No lock here: a raw value that does not stay still is reported, never guessed.
                give_up = give_up or time.monotonic() + UNLOCKED_READ_PATIENCE_SECONDS
                if time.monotonic() > give_up:
                    raise BusyError("no stable value without the lock: name=%s, word=%d (a writer holds on, or"
                                    " died mid-update)" % (self.name, s1))
            time.sleep(0)

    def read(self):
        """The value, decoded from the descriptor: int, float, bool, str (char), list, dict or bytes."""
        return self.layout.decode(self.read_bytes(), 0)

    def close(self):
        if self._q is not None:
            self._q.release()
            self._q = None
        if self._mm is not None:
            self._mm.close()
            self._mm = None
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ------------------------------------------------------------------------------------------
# The map of ipcarc-map (layout version 1, docs/map.md): a lock-free get by key
# ------------------------------------------------------------------------------------------

MAP_TYPE_TAG = "ipcarc.map/1"
MAP_MAGIC = 0x312E50414D435049  # "IPCMAP.1"
MAP_VERSION = 1
MAP_HASH_FUNCTION = 1
MAP_CAPACITY_OFFSET, MAP_ENTRY_COUNT_OFFSET, MAP_STRIPES_OFFSET = 12, 16, 20
MAP_INDEX_SLOTS_OFFSET, MAP_STRIPE_SLOTS_OFFSET, MAP_INDEX_BITS_OFFSET = 24, 28, 32
MAP_ENTRY_SIZE_OFFSET, MAP_KEY_SIZE_OFFSET, MAP_VALUE_SIZE_OFFSET, MAP_VALUE_OFFSET_OFFSET = 36, 40, 44, 48
MAP_KEY_DESCRIPTOR_LENGTH_OFFSET, MAP_VALUE_DESCRIPTOR_LENGTH_OFFSET, MAP_HASH_FUNCTION_OFFSET = 52, 56, 60
MAP_KEY_FINGERPRINT_OFFSET, MAP_VALUE_FINGERPRINT_OFFSET = 64, 72
MAP_CHANGE_COUNTER_OFFSET = 128
MAP_LOCKS_OFFSET, MAP_LOCK_SLOT = 256, 64
MAP_STRIPE_SIZE, MAP_STRIPE_VERSION, MAP_STRIPE_COUNT = 128, 0, 64
MAP_ENTRY_STATE, MAP_ENTRY_HASH, MAP_ENTRY_KEY = 0, 4, 8
MAP_KIND_LIVE, MAP_KIND_MASK = 1, 3
MAP_SEED, MAP_M1, MAP_M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_U64 = (1 << 64) - 1

MAP_DRIFT_KEYS = [
    ("MapDescriptor.MAGIC", MAP_MAGIC), ("MapDescriptor.VERSION", MAP_VERSION),
    ("MapDescriptor.HASH_FUNCTION", MAP_HASH_FUNCTION), ("MapDescriptor.CAPACITY_OFFSET", MAP_CAPACITY_OFFSET),
    ("MapDescriptor.ENTRY_COUNT_OFFSET", MAP_ENTRY_COUNT_OFFSET), ("MapDescriptor.STRIPES_OFFSET", MAP_STRIPES_OFFSET),
    ("MapDescriptor.INDEX_SLOTS_OFFSET", MAP_INDEX_SLOTS_OFFSET),
    ("MapDescriptor.STRIPE_SLOTS_OFFSET", MAP_STRIPE_SLOTS_OFFSET),
    ("MapDescriptor.INDEX_BITS_OFFSET", MAP_INDEX_BITS_OFFSET), ("MapDescriptor.ENTRY_SIZE_OFFSET", MAP_ENTRY_SIZE_OFFSET),
    ("MapDescriptor.KEY_SIZE_OFFSET", MAP_KEY_SIZE_OFFSET), ("MapDescriptor.VALUE_SIZE_OFFSET", MAP_VALUE_SIZE_OFFSET),
    ("MapDescriptor.VALUE_OFFSET_OFFSET", MAP_VALUE_OFFSET_OFFSET),
    ("MapDescriptor.KEY_DESCRIPTOR_LENGTH_OFFSET", MAP_KEY_DESCRIPTOR_LENGTH_OFFSET),
    ("MapDescriptor.VALUE_DESCRIPTOR_LENGTH_OFFSET", MAP_VALUE_DESCRIPTOR_LENGTH_OFFSET),
    ("MapDescriptor.HASH_FUNCTION_OFFSET", MAP_HASH_FUNCTION_OFFSET),
    ("MapDescriptor.KEY_FINGERPRINT_OFFSET", MAP_KEY_FINGERPRINT_OFFSET),
    ("MapDescriptor.VALUE_FINGERPRINT_OFFSET", MAP_VALUE_FINGERPRINT_OFFSET),
    ("MapDescriptor.CHANGE_COUNTER_OFFSET", MAP_CHANGE_COUNTER_OFFSET), ("MapDescriptor.LOCKS_OFFSET", MAP_LOCKS_OFFSET),
    ("MapDescriptor.LOCK_SLOT", MAP_LOCK_SLOT), ("MapDescriptor.STRIPE_SIZE", MAP_STRIPE_SIZE),
    ("MapDescriptor.STRIPE_VERSION", MAP_STRIPE_VERSION), ("MapDescriptor.STRIPE_COUNT", MAP_STRIPE_COUNT),
    ("MapDescriptor.ENTRY_STATE", MAP_ENTRY_STATE), ("MapDescriptor.ENTRY_HASH", MAP_ENTRY_HASH),
    ("MapDescriptor.ENTRY_KEY", MAP_ENTRY_KEY), ("MapDescriptor.KIND_LIVE", MAP_KIND_LIVE),
    ("MapDescriptor.KIND_MASK", MAP_KIND_MASK), ("MapHash.SEED", MAP_SEED), ("MapHash.M1", MAP_M1), ("MapHash.M2", MAP_M2),
]


def map_hash(key):
    """The key hash of docs/map.md over a key's stored bytes (zero-padded here to a multiple of 8)."""
    key = bytes(key) + bytes(-len(key) % 8)
    h = MAP_SEED
    for i in range(0, len(key), 8):
        h ^= int.from_bytes(key[i:i + 8], "little")
        h = (h * MAP_M1) & _U64
        h ^= h >> 31
    h ^= h >> 30
    h = (h * MAP_M1) & _U64
    h ^= h >> 27
    h = (h * MAP_M2) & _U64
    return h ^ (h >> 31)


class Map:
    """A lock-free reader of a map (docs/map.md, "Lookup"): never locks, never waits, holds no reference."""

    def __init__(self, seg):
        self.seg, self.name = seg, seg.name
        mm, p = seg._mm, seg.payload_offset
        if not seg.descriptor.startswith("bytes<" + MAP_TYPE_TAG + ">["):
            raise IpcArcError("not a map: name=%s, found=%s, expected=bytes<%s>[...]" % (self.name, seg.descriptor, MAP_TYPE_TAG))
        if seg.crash_atomic or seg.payload_size < MAP_LOCKS_OFFSET:
            raise IpcArcError("map segment is not raw: name=%s" % self.name)
        magic, version = struct.unpack_from("<QI", mm, p)
        if magic != MAP_MAGIC or version != MAP_VERSION:
            raise IpcArcError("not a map of layout version %d: name=%s, magic=0x%x" % (MAP_VERSION, self.name, magic))
        (self.capacity, self.entries, self.stripes, self.index_slots, self.stripe_slots, self.index_bits, self.entry_size,
         self.key_size, self.value_size, self.value_offset, kd, vd, hash_fn) = struct.unpack_from("<13I", mm, p + 12)
        kfp, vfp = struct.unpack_from("<QQ", mm, p + MAP_KEY_FINGERPRINT_OFFSET)
        s = self.stripes
        if not 1 <= s <= 1024 or s & (s - 1) or hash_fn != MAP_HASH_FUNCTION:
            raise IpcArcError("inconsistent map header: name=%s, stripes=%d" % (self.name, s))
        r = max(8, -(-4 * self.capacity // (3 * s)))
        self.key_stride = _align(self.key_size, 8)
        self.locks, self.stripes_off = MAP_LOCKS_OFFSET, MAP_LOCKS_OFFSET + MAP_LOCK_SLOT * (s + 1)
        self.index_off = self.stripes_off + MAP_STRIPE_SIZE * s
        self.entries_off = self.index_off + _align(4 * self.index_slots, CACHE_LINE)
        descriptors = self.entries_off + self.entries * self.entry_size
        if (self.entries != self.capacity + s or self.stripe_slots != r or self.index_slots != s * r
                or self.index_bits != (self.entries + 1).bit_length()
                or self.value_offset != MAP_ENTRY_KEY + self.key_stride
                or self.entry_size != _align(self.value_offset + self.value_size, 8)
                or descriptors + _align(kd, 8) + _align(vd, 8) != seg.payload_size):
            raise IpcArcError("inconsistent map header: name=%s, capacity=%d, stripes=%d" % (self.name, self.capacity, s))
        kdesc = bytes(mm[p + descriptors:p + descriptors + kd])
        vstart = p + descriptors + _align(kd, 8)
        vdesc = bytes(mm[vstart:vstart + vd])
        if fnv1a64(kdesc) != kfp or fnv1a64(vdesc) != vfp:
            raise IpcArcError("map descriptors do not match their fingerprints: name=%s" % self.name)
        self.key_descriptor, self.value_descriptor = kdesc.decode("utf-8"), vdesc.decode("utf-8")
        self.key_layout, self.value_layout = parse_layout(self.key_descriptor), parse_layout(self.value_descriptor)
        self.mask = (1 << self.index_bits) - 1
        self._p = p
        self._i = memoryview(mm).cast("I")  # 4-byte words: one aligned load each
        self.retries = 0

    @classmethod
    def open(cls, name):
        seg = Segment.open(name)
        try:
            return cls(seg)
        except BaseException:
            seg.close()
            raise

    def key_bytes(self, key):
        """A key's stored bytes: an int for integer keys, a str for string keys, or the bytes themselves."""
        lay = self.key_layout
        if isinstance(key, (bytes, bytearray)):
            b = bytes(key)
        elif isinstance(key, str) and lay.kind == "utf8":
            b = key.encode("utf-8")
            if len(b) > self.key_size or "\0" in key:
                raise ValueError("key does not fit its capacity: capacity=%d, length=%d" % (self.key_size, len(b)))
        elif isinstance(key, int) and lay.kind in _SCALARS:
            b = struct.pack("<" + _SCALARS[lay.kind][0], key)
        else:
            raise ValueError("key %r is not of the map's key type %s" % (key, self.key_descriptor))
        return b + bytes(self.key_stride - len(b))

    def _u32(self, off):
        return self._i[(self._p + off) >> 2]

    def _version(self, stripe):
        return _load_u64(self.seg._q, self._p + self.stripes_off + MAP_STRIPE_SIZE * stripe + MAP_STRIPE_VERSION)

    def get_bytes(self, key):
        """The value's stored bytes for a key (as key_bytes makes it), or None; lock-free."""
        if not _LOADS_IN_ORDER:
            raise IpcArcError("lock-free read needs load-load fences the standard library cannot emit on %s: name=%s"
                              " (use c/ipcarc.h)" % (platform.machine(), self.name))
        kb = self.key_bytes(key)
        hash32 = map_hash(kb) >> 32
        found = self._probe(kb, hash32, False)
        while found is None or found is _RETRY:
            found = self._probe(kb, hash32, True)  # a miss counts only if no stripe it crossed moved a word
            if found is None:
                return None
        return found

    def get(self, key):
        """The value for a key, decoded from the stored descriptor, or None."""
        b = self.get_bytes(key)
        return None if b is None else self.value_layout.decode(b, 0)

    def _probe(self, kb, hash32, versioned):
        mm, p, mask, r = self.seg._mm, self._p, self.mask, self.stripe_slots
        pos = (hash32 * self.index_slots) >> 32
        tagged = (hash32 << self.index_bits) & 0xFFFFFFFF
        stripe = pos // r
        end, first, seen = (stripe + 1) * r, stripe, 1
        versions = self._version(stripe) if versioned else 0
        n = 0
        while n < self.index_slots:
            wo = self.index_off + 4 * pos
            w = self._u32(wo)
            idx = w & mask
            if idx == 0:
                break
            if idx != mask and (w & ~mask & 0xFFFFFFFF) == tagged:
                e = idx - 1
                if e >= self.entries:
                    raise IpcArcError("map damaged: name=%s, index word names no entry: pos=%d, word=0x%x" % (self.name, pos, w))
                eo = self.entries_off + e * self.entry_size
                s1 = self._u32(eo + MAP_ENTRY_STATE)
                match = (s1 & MAP_KIND_MASK == MAP_KIND_LIVE and self._u32(eo + MAP_ENTRY_HASH) == hash32
                         and mm[p + eo + MAP_ENTRY_KEY:p + eo + MAP_ENTRY_KEY + self.key_stride] == kb)
                value = mm[p + eo + self.value_offset:p + eo + self.value_offset + self.value_size] if match else None
                if self._u32(wo) != w or self._u32(eo + MAP_ENTRY_STATE) != s1:  # the word first, then the state
                    self.retries += 1
                    continue  # the entry or the word changed while we looked: the same slot again
                if match:
                    return value
            n += 1
            pos += 1
            if pos == end:
                stripe = (stripe + 1) & (self.stripes - 1)
                pos, end = stripe * r, stripe * r + r
                if versioned:
                    versions += self._version(stripe)
                    seen += 1
        if not versioned:
            return None
        again = sum(self._version((first + i) & (self.stripes - 1)) for i in range(seen))
        return None if again == versions else _RETRY

    def size(self):
        return sum(self._u32(self.stripes_off + MAP_STRIPE_SIZE * i + MAP_STRIPE_COUNT) for i in range(self.stripes))

    def close(self):
        self._i.release()
        self.seg.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_RETRY = object()


def _align(v, a):
    return (v + a - 1) & -a


def _load_u64(words, offset):
    """One aligned 8-byte load from a memoryview of format 'Q'.

    This is how Python makes an atomic 8-byte load of a shared word: indexing a memoryview cast to
    'Q' copies the element with one 8-byte move (CPython's unpack of a native 'Q' is a single
    aligned load), so it never tears; struct.unpack_from copies byte by byte and may tear.
    """
    return words[offset >> 3]


def main(argv):
    if len(argv) < 2:
        print("ipcarc.py: missing command (usage: ipcarc.py read NAME | fingerprint DESCRIPTOR... | layout"
              " DESCRIPTOR | constants | map-get NAME KEY | map-scan NAME KEYS ROUNDS | map-size NAME | map-hash HEX... | map-constants)", file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "read" and len(args) == 1:
            with Segment.open(args[0]) as seg:
                print(format_value(seg.layout, seg.read()))
        elif cmd == "fingerprint" and args:
            for d in args:
                print("fingerprint(%s)=0x%016x" % (d, fnv1a64(d)))
        elif cmd == "layout" and len(args) == 1:
            lay = parse_layout(args[0])
            members = ",".join("%s:%d" % (m, off) for m, off, _ in lay.members)
            print("size=%d alignment=%d members=%s" % (lay.size, lay.alignment, members))
        elif cmd == "constants" and not args:
            for key, value in DRIFT_KEYS:
                print("%s=%d" % (key, value))
        elif cmd == "map-constants" and not args:
            for key, value in MAP_DRIFT_KEYS:
                print("%s=%d" % (key, value))
        elif cmd == "map-hash" and args:
            for h in args:
                print("hash(%s)=0x%016x" % (h, map_hash(bytes.fromhex(h))))
        elif cmd == "map-get" and len(args) == 2:
            with Map.open(args[0]) as m:
                lay = m.key_layout
                key = args[1] if lay.kind == "utf8" else int(args[1]) if lay.kind in _SCALARS else bytes.fromhex(args[1])
                value = m.get(key)
                print("ABSENT" if value is None else "VALUE " + format_value(m.value_layout, value))
        elif cmd == "map-scan" and len(args) == 3:
            with Map.open(args[0]) as m:  # every key 0..KEYS-1, ROUNDS times, one line per value read
                for _ in range(int(args[2])):
                    for k in range(int(args[1])):
                        value = m.get(k)
                        print("ABSENT %d" % k if value is None else "VALUE %d %s" % (k, format_value(m.value_layout, value)))
                print("RETRIES %d" % m.retries)
        elif cmd == "map-size" and len(args) == 1:
            with Map.open(args[0]) as m:
                print("SIZE %d" % m.size())
        else:
            print("ipcarc.py: bad usage: %s (usage: ipcarc.py read NAME | fingerprint DESCRIPTOR... | layout"
                  " DESCRIPTOR | constants | map-get NAME KEY | map-scan NAME KEYS ROUNDS | map-size NAME | map-hash HEX... | map-constants)"
                  % " ".join(argv[1:]), file=sys.stderr)
            return 2
    except (IpcArcError, ValueError) as e:
        print("ipcarc.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
