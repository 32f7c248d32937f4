//! ipcarc_reporter - the seed's reporter (Migorithm/ipc-rs, `reporter ID`) against an IpcArc ring,
//! in Rust with the standard library only: a few libc functions are declared with `extern "C"`
//! (no crates are reachable here). Written from docs/interop.md and docs/ring.md alone.
//!
//! It registers as a holder of the ring's segment (the admin mutex, an OFD-lock liveness token),
//! claims reader slot ID under the segment's user mutex, then does what the seed's reporter did:
//! polls the ring every millisecond, copies the new entries, appends them to `DIR/output_ID.csv`
//! and stores its position in shared memory. Exactly once across SIGKILL and restarts: the lines
//! are written before the position is stored, and a restart cuts a partial last line and resumes
//! right after the last complete one. The CSV is byte for byte what the Java reporter writes.
//!
//!   rustc --edition 2021 -O -o ipcarc_reporter rust/ipcarc_reporter.rs
//!   ipcarc_reporter ID [--name /rpt_sys_shm] [--out DIR]     follow the ring (SIGINT/SIGTERM: stop, exit 0)
//!   ipcarc_reporter constants                                the offsets it uses (RingHeaderDriftTest)
//!
//! Limits: glibc only (the segment's mutexes are glibc pthread_mutex_t; Rust's std links glibc on
//! Linux, x86_64 and aarch64). Blocking mutex waits without a timeout.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::raw::{c_char, c_int, c_long, c_void};
use std::os::unix::fs::MetadataExt;
use std::os::unix::io::AsRawFd;
use std::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// ---- libc -------------------------------------------------------------------------------------

#[repr(C)]
struct Flock {
    l_type: i16,
    l_whence: i16,
    l_start: i64,
    l_len: i64,
    l_pid: i32,
}

extern "C" {
    fn mmap(addr: *mut c_void, len: usize, prot: c_int, flags: c_int, fd: c_int, off: i64) -> *mut c_void;
    fn munmap(addr: *mut c_void, len: usize) -> c_int;
    fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
    fn pthread_mutex_lock(m: *mut c_void) -> c_int;
    fn pthread_mutex_unlock(m: *mut c_void) -> c_int;
    fn pthread_mutex_consistent(m: *mut c_void) -> c_int;
    fn syscall(n: c_long, ...) -> c_long;
    fn signal(sig: c_int, handler: usize) -> usize;
    fn gnu_get_libc_version() -> *const c_char;
    fn __errno_location() -> *mut c_int;
}

const PROT_READ: c_int = 1;
const PROT_WRITE: c_int = 2;
const MAP_SHARED: c_int = 1;
const F_OFD_GETLK: c_int = 36;
const F_OFD_SETLK: c_int = 37;
const F_WRLCK: i16 = 1;
const F_UNLCK: i16 = 2;
const EOWNERDEAD: c_int = 130;
const SIGINT: c_int = 2;
const SIGTERM: c_int = 15;
#[cfg(target_arch = "x86_64")]
const SYS_FUTEX: c_long = 202;
#[cfg(target_arch = "aarch64")]
const SYS_FUTEX: c_long = 98;
const FUTEX_WAKE: c_int = 1;

// ---- the segment (docs/interop.md; design.md "Byte layout") --------------------------------------

const SEGMENT_MAGIC: u64 = 0x312E_4352_4143_5049; // "IPCARC.1"
const LAYOUT_VERSION: u32 = 2;
const STATE_OFFSET: usize = 12;
const FINGERPRINT_OFFSET: usize = 16;
const SEGMENT_SIZE_OFFSET: usize = 24;
const PAYLOAD_OFFSET_OFFSET: usize = 32;
const PAYLOAD_SIZE_OFFSET: usize = 36;
const DESCRIPTOR_LENGTH_OFFSET: usize = 44;
const PAYLOAD_MODE_OFFSET: usize = 80;
const MUTEX_KIND_OFFSET: usize = 88;
const MUTEX_SIZE_OFFSET: usize = 92;
const MUTEX_LIBRARY_OFFSET: usize = 96;
const REFCOUNT_OFFSET: usize = 128;
const ADMIN_MUTEX_OFFSET: usize = 192;
const USER_MUTEX_OFFSET: usize = 256;
const OWNER_PID_OFFSET: usize = 304;
const OWNER_DIED_OFFSET: usize = 312;
const DEAD_OWNER_PID_OFFSET: usize = 316;
const SEQUENCE_OFFSET: usize = 320; // the commit word
const WAITERS_OFFSET: usize = 328;
const HOLDERS_OFFSET: usize = 384;
const HOLDER_SLOTS: usize = 128;
const HOLDER_SLOT_SIZE: usize = 32;
const HOLDER_PID: usize = 0;
const HOLDER_GENERATION: usize = 4;
const HOLDER_START: usize = 8;
const HOLDER_HANDLES: usize = 16;
const HOLDER_WAITERS: usize = 24;
const DESCRIPTOR_OFFSET: usize = 4480;
const STATE_READY: u32 = 1;
const STATE_UNLINKED: u32 = 2;
const MODE_RAW: u32 = 1;
const MUTEX_KIND: u32 = 146;
const MUTEX_KIND_WORD: usize = 16;
const MUTEX_OWNER_WORD: usize = 8;
const MUTEX_LIST_PREV: usize = 24;
const MUTEX_LIST_NEXT: usize = 32;
#[cfg(target_arch = "x86_64")]
const MUTEX_SIZE: u32 = 40;
#[cfg(target_arch = "aarch64")]
const MUTEX_SIZE: u32 = 48;

// ---- the ring (docs/ring.md), offsets relative to the payload -----------------------------------

const RING_TYPE_TAG: &str = "ipcarc.ring/3";
const RING_MAGIC: u64 = 0x3347_4E49_5243_5049; // "IPCRING3"
const RING_VERSION: u32 = 3;
const CAPACITY_OFFSET: usize = 12;
const SLOT_SIZE_OFFSET: usize = 16;
const ENTRY_SIZE_OFFSET: usize = 20;
const READER_SLOTS_OFFSET: usize = 24;
const ENTRY_DESCRIPTOR_LENGTH_OFFSET: usize = 28;
const ENTRY_FINGERPRINT_OFFSET: usize = 32;
const RING_ID_OFFSET: usize = 40;
const WRITE_POINTER_OFFSET: usize = 64;
const WRITER_WORD_OFFSET: usize = 144;
const REGISTRY_VERSION_OFFSET: usize = 192;
const SLEEPERS_OFFSET: usize = 200;
const WRITER_WAITING_OFFSET: usize = 208;
const ROOM_OFFSET: usize = 212;
const READERS_OFFSET: usize = 256;
const READER_SLOT_SIZE: usize = 64;
const READER_POSITION: usize = 0;
const READER_LOST: usize = 8;
const READER_STATE: usize = 16;
const READER_BLOCKING: usize = 20;
const READER_HOLDER: usize = 24;
const READER_PID: usize = 32;
const READER_CLAIM_VERSION: usize = 36;
const SLOT_BODY: usize = 8;
const WRITER_LOSSLESS: u32 = 1;
const READER_FREE: u32 = 0;
const READER_ACTIVE: u32 = 1;
const READER_DETACHED: u32 = 2;
const MAX_BATCH: usize = 256;
const BATCH_BYTES: usize = 16384;

// ---- the tick (docs/interop.md, "The tick") --------------------------------------------------

const TICK_DESCRIPTOR: &str =
    "io.ipcarc.examples.Tick{seq:i64,timestampNs:i64,symbol:utf8[8],price:i64,quantity:i64,checksum:i64,reserved:i64}";
const TICK_SIZE: usize = 56;
const CSV_HEADER: &str = "seq,timestamp_ns,symbol,price,quantity";
const SYMBOLS: [&str; 8] = ["AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "IBM"];

static STOP: AtomicBool = AtomicBool::new(false);

/// One line on stderr. Never fails: a reporter whose stderr was closed (a parent that closed the
/// pipe after SIGTERM, as java.lang.Process.destroy does) must still stop cleanly, where
/// eprintln! would panic (exit 101) on EPIPE.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

extern "C" fn on_signal(_sig: c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn symbol_word(index: usize) -> u64 {
    let mut w = 0u64;
    for (j, b) in SYMBOLS[index].bytes().enumerate() {
        w |= (b as u64) << (8 * j);
    }
    w
}

fn i64_at(e: &[u8], off: usize) -> i64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&e[off..off + 8]);
    i64::from_le_bytes(b)
}

/// Whether the entry is the good tick of seq: every field but the timestamp a function of seq.
fn tick_ok(e: &[u8], seq: u64) -> bool {
    let h = mix(seq);
    let (ts, sym, price, qty) = (i64_at(e, 8) as u64, i64_at(e, 16) as u64, i64_at(e, 24), i64_at(e, 32));
    i64_at(e, 0) as u64 == seq
        && sym == symbol_word((h >> 61) as usize)
        && price == 1_000_000 + ((h >> 32) % 9_000_000) as i64
        && qty == 1 + ((h & 0xffff) % 1000) as i64
        && i64_at(e, 40) as u64 == mix(seq ^ ts ^ sym ^ price as u64 ^ qty as u64)
}

/// The CSV line of the entry delivered as seq, as the Java reporter writes it (Tick.formatCsv).
fn csv_line(e: &[u8], seq: u64, out: &mut Vec<u8>) {
    let price = i64_at(e, 24);
    let frac = (price % 10_000) as i32;
    let digits = [
        (b'0' as i32 + frac / 1000) as u8,
        (b'0' as i32 + frac / 100 % 10) as u8,
        (b'0' as i32 + frac / 10 % 10) as u8,
        (b'0' as i32 + frac % 10) as u8,
    ];
    let _ = write!(out, "{},{},{},{}.", seq as i64, i64_at(e, 8), SYMBOLS[(mix(seq) >> 61) as usize], price / 10_000);
    out.extend_from_slice(&digits);
    let _ = writeln!(out, ",{}", i64_at(e, 32));
}

// ---- shared words --------------------------------------------------------------------------

/// The mapping of the whole segment object.
struct Mapping {
    base: *mut u8,
    len: usize,
}

impl Mapping {
    fn u32(&self, off: usize) -> &AtomicU32 {
        assert!(off % 4 == 0 && off + 4 <= self.len);
        unsafe { &*(self.base.add(off) as *const AtomicU32) }
    }
    fn u64(&self, off: usize) -> &AtomicU64 {
        assert!(off % 8 == 0 && off + 8 <= self.len);
        unsafe { &*(self.base.add(off) as *const AtomicU64) }
    }
    fn ptr(&self, off: usize) -> *mut c_void {
        unsafe { self.base.add(off) as *mut c_void }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        unsafe {
            munmap(self.base as *mut c_void, self.len);
        }
    }
}

fn errno() -> c_int {
    unsafe { *__errno_location() }
}

fn futex_wake_all(word: &AtomicU32) {
    unsafe {
        syscall(SYS_FUTEX, word as *const AtomicU32, FUTEX_WAKE, i32::MAX, 0usize, 0usize, 0);
    }
}

fn own_library() -> String {
    unsafe {
        let p = gnu_get_libc_version();
        let mut n = 0;
        while *p.add(n) != 0 {
            n += 1;
        }
        let bytes = std::slice::from_raw_parts(p as *const u8, n);
        format!("glibc {}", String::from_utf8_lossy(bytes))
    }
}

/// Start time of this process, clock ticks since boot (field 22 of /proc/self/stat); display only.
fn start_ticks() -> u64 {
    let s = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    match s.rfind(')') {
        Some(i) => s[i + 1..].split_whitespace().nth(19).and_then(|f| f.parse().ok()).unwrap_or(0),
        None => 0,
    }
}

/// An attached, registered segment holding a ring.
struct Segment {
    name: String,
    file: File,
    inode: u64,
    m: Mapping,
    payload: usize,
    slot: Option<usize>,
    generation: u32,
}

/// The words glibc wrote into a mutex at lock, put back before unlock if another process changed them.
struct Held {
    mutex: usize,
    owner: u32,
    prev: u64,
    next: u64,
}

type Res<T> = Result<T, String>;

impl Segment {
    fn open(name: &str) -> Res<Segment> {
        let bare = name.trim_start_matches('/');
        if bare.is_empty() || bare == "." || bare == ".." || bare.len() > 255
            || !bare.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || c == b'-')
        {
            return Err(format!("bad segment name: name={}", name));
        }
        let name = format!("/{}", bare);
        let path = format!("/dev/shm/{}", bare);
        // std opens with O_CLOEXEC: an exec'ed child never shares this description (and its token).
        let file = OpenOptions::new().read(true).write(true).open(&path)
            .map_err(|e| format!("{}open failed: {}, name={}", if e.kind() == std::io::ErrorKind::NotFound { "segment not found: " } else { "" }, e, name))?;
        let meta = file.metadata().map_err(|e| format!("fstat failed: {}, name={}", e, name))?;
        let len = meta.len() as usize;
        if len < 4096 {
            return Err(format!("not an IpcArc segment (yet): name={}, size={}", name, len));
        }
        let base = unsafe { mmap(std::ptr::null_mut(), len, PROT_READ | PROT_WRITE, MAP_SHARED, file.as_raw_fd(), 0) };
        if base as isize == -1 {
            return Err(format!("mmap failed: errno={}, name={}", errno(), name));
        }
        let m = Mapping { base: base as *mut u8, len };
        let magic = m.u64(0).load(Ordering::Acquire); // pairs with the creator's release
        if magic == 0 || (magic == SEGMENT_MAGIC && m.u32(STATE_OFFSET).load(Ordering::Acquire) == 0) {
            // A creator at work (state initializing): the caller tries again (the reporter waits for its writer).
            return Err(format!("not an IpcArc segment (yet): name={}, state=initializing", name));
        }
        if magic != SEGMENT_MAGIC || m.u32(8).load(Ordering::Relaxed) != LAYOUT_VERSION {
            return Err(format!("not an IpcArc segment of layout version 2: name={}, magic=0x{:x}", name, magic));
        }
        if m.u32(STATE_OFFSET).load(Ordering::Acquire) != STATE_READY {
            return Err(format!("segment not ready: name={}", name));
        }
        let d_len = m.u32(DESCRIPTOR_LENGTH_OFFSET).load(Ordering::Relaxed) as usize;
        let payload = m.u32(PAYLOAD_OFFSET_OFFSET).load(Ordering::Relaxed) as usize;
        if m.u64(SEGMENT_SIZE_OFFSET).load(Ordering::Relaxed) != len as u64 || d_len == 0 || d_len > 16384
            || payload != (DESCRIPTOR_OFFSET + d_len + 63) & !63
        {
            return Err(format!("inconsistent header: name={}", name));
        }
        let descriptor = unsafe { std::slice::from_raw_parts(m.base.add(DESCRIPTOR_OFFSET), d_len) }.to_vec();
        if fnv1a64(&descriptor) != m.u64(FINGERPRINT_OFFSET).load(Ordering::Relaxed) {
            return Err(format!("descriptor does not match its fingerprint: name={}", name));
        }
        let prefix = format!("bytes<{}>[", RING_TYPE_TAG);
        if !descriptor.starts_with(prefix.as_bytes()) || m.u32(PAYLOAD_MODE_OFFSET).load(Ordering::Relaxed) != MODE_RAW {
            return Err(format!("not a ring: name={}, found={}", name, String::from_utf8_lossy(&descriptor)));
        }
        let lib_bytes = unsafe { std::slice::from_raw_parts(m.base.add(MUTEX_LIBRARY_OFFSET), 32) };
        let lib = String::from_utf8_lossy(lib_bytes.split(|b| *b == 0).next().unwrap_or(&[])).to_string();
        if !lib.starts_with("glibc ") || m.u32(MUTEX_KIND_OFFSET).load(Ordering::Relaxed) != MUTEX_KIND
            || m.u32(MUTEX_SIZE_OFFSET).load(Ordering::Relaxed) != MUTEX_SIZE
        {
            return Err(format!("mutexes of another C library: name={}, segment={}, process={}", name, lib, own_library()));
        }
        Ok(Segment { name, inode: meta.ino(), file, m, payload, slot: None, generation: 0 })
    }

    fn fd(&self) -> c_int {
        self.file.as_raw_fd()
    }

    /// Takes (F_WRLCK) or gives back (F_UNLCK) the OFD-lock token of holder slot i; 0 or errno.
    fn token(&self, i: usize, l_type: i16) -> c_int {
        let mut fl = Flock { l_type, l_whence: 0, l_start: (HOLDERS_OFFSET + i * HOLDER_SLOT_SIZE) as i64, l_len: HOLDER_SLOT_SIZE as i64, l_pid: 0 };
        if unsafe { fcntl(self.fd(), F_OFD_SETLK, &mut fl as *mut Flock) } == 0 { 0 } else { errno() }
    }

    /// Whether another open file description holds slot i's token (true when the kernel cannot say).
    fn token_held(&self, i: usize) -> bool {
        let mut fl = Flock { l_type: F_WRLCK, l_whence: 0, l_start: (HOLDERS_OFFSET + i * HOLDER_SLOT_SIZE) as i64, l_len: HOLDER_SLOT_SIZE as i64, l_pid: 0 };
        if unsafe { fcntl(self.fd(), F_OFD_GETLK, &mut fl as *mut Flock) } != 0 {
            return true;
        }
        fl.l_type != F_UNLCK
    }

    fn holder_id(&self) -> u64 {
        match self.slot {
            Some(i) => (self.generation as u64) << 32 | i as u64,
            None => 0,
        }
    }

    /// Whether a holder id names a live holder other than this attachment.
    fn alive_elsewhere(&self, id: u64) -> bool {
        let (i, generation) = ((id & 0xffff_ffff) as usize, (id >> 32) as u32);
        if id == 0 || id == self.holder_id() || i >= HOLDER_SLOTS || generation == 0 {
            return false;
        }
        let s = HOLDERS_OFFSET + i * HOLDER_SLOT_SIZE;
        self.m.u32(s + HOLDER_PID).load(Ordering::Acquire) != 0
            && self.m.u32(s + HOLDER_GENERATION).load(Ordering::Relaxed) == generation
            && self.token_held(i)
    }

    /// pthread_mutex_lock on a checked mutex; EOWNERDEAD made consistent (user: recorded first).
    fn lock(&self, mutex: usize) -> Res<(Held, bool)> {
        if self.m.u32(mutex + MUTEX_KIND_WORD).load(Ordering::Relaxed) != MUTEX_KIND {
            return Err(format!("mutex damaged: name={}, offset={}", self.name, mutex));
        }
        let rc = unsafe { pthread_mutex_lock(self.m.ptr(mutex)) };
        let died = rc == EOWNERDEAD;
        if died {
            if mutex == USER_MUTEX_OFFSET {
                let previous = self.m.u32(OWNER_PID_OFFSET).load(Ordering::Relaxed);
                self.m.u32(DEAD_OWNER_PID_OFFSET).store(previous, Ordering::Relaxed);
                self.m.u32(OWNER_DIED_OFFSET).store(1, Ordering::SeqCst); // BEFORE consistent
            }
            if unsafe { pthread_mutex_consistent(self.m.ptr(mutex)) } != 0 {
                unsafe { pthread_mutex_unlock(self.m.ptr(mutex)) };
                return Err(format!("pthread_mutex_consistent failed: name={}", self.name));
            }
        } else if rc != 0 {
            return Err(format!("pthread_mutex_lock failed: errno={}, name={}", rc, self.name));
        }
        let held = Held {
            mutex,
            owner: self.m.u32(mutex + MUTEX_OWNER_WORD).load(Ordering::Relaxed),
            prev: self.m.u64(mutex + MUTEX_LIST_PREV).load(Ordering::Relaxed),
            next: self.m.u64(mutex + MUTEX_LIST_NEXT).load(Ordering::Relaxed),
        };
        Ok((held, died))
    }

    /// Restores the words glibc's unlock follows, if another process changed them, then unlocks.
    fn unlock(&self, h: Held) {
        let m = h.mutex;
        if self.m.u32(m + MUTEX_KIND_WORD).load(Ordering::Relaxed) != MUTEX_KIND {
            self.m.u32(m + MUTEX_KIND_WORD).store(MUTEX_KIND, Ordering::Relaxed);
        }
        if self.m.u32(m + MUTEX_OWNER_WORD).load(Ordering::Relaxed) != h.owner {
            self.m.u32(m + MUTEX_OWNER_WORD).store(h.owner, Ordering::Relaxed);
        }
        if self.m.u64(m + MUTEX_LIST_PREV).load(Ordering::Relaxed) != h.prev {
            self.m.u64(m + MUTEX_LIST_PREV).store(h.prev, Ordering::Relaxed);
        }
        if self.m.u64(m + MUTEX_LIST_NEXT).load(Ordering::Relaxed) != h.next {
            self.m.u64(m + MUTEX_LIST_NEXT).store(h.next, Ordering::Relaxed);
        }
        unsafe { pthread_mutex_unlock(self.m.ptr(m)) };
    }

    /// The user mutex, as a guard that writes nothing (the ring's claims are made under it).
    fn lock_user(&self) -> Res<Held> {
        let (held, _) = self.lock(USER_MUTEX_OFFSET)?;
        self.m.u32(OWNER_PID_OFFSET).store(std::process::id(), Ordering::Relaxed);
        Ok(held)
    }

    /// Unlocks the user mutex: repairs a raw word a dead writer left odd, ends a recorded owner
    /// death (this guard closes normally), owner pid 0, unlock, and wakes change waiters if the word moved.
    fn unlock_user(&self, held: Held) {
        let word = self.m.u64(SEQUENCE_OFFSET).load(Ordering::Relaxed);
        let changed = word & 1 != 0;
        if changed {
            self.m.u64(SEQUENCE_OFFSET).store(word + 1, Ordering::Release);
        }
        if self.m.u32(OWNER_DIED_OFFSET).load(Ordering::Relaxed) != 0 {
            self.m.u32(DEAD_OWNER_PID_OFFSET).store(0, Ordering::Relaxed);
            self.m.u32(OWNER_DIED_OFFSET).store(0, Ordering::Relaxed);
        }
        self.m.u32(OWNER_PID_OFFSET).store(0, Ordering::Relaxed);
        self.unlock(held);
        if changed {
            fence(Ordering::SeqCst);
            if self.m.u32(WAITERS_OFFSET).load(Ordering::Relaxed) != 0 {
                futex_wake_all(self.m.u32(SEQUENCE_OFFSET));
            }
        }
    }

    fn clear_slot(&self, i: usize) {
        let s = HOLDERS_OFFSET + i * HOLDER_SLOT_SIZE;
        let w = self.m.u32(s + HOLDER_WAITERS).swap(0, Ordering::SeqCst);
        if w != 0 {
            self.m.u32(WAITERS_OFFSET).fetch_sub(w, Ordering::SeqCst);
        }
        self.m.u32(s + HOLDER_PID).store(0, Ordering::Release);
        self.m.u64(s + HOLDER_START).store(0, Ordering::Relaxed);
        self.m.u64(s + HOLDER_HANDLES).store(0, Ordering::Relaxed);
    }

    fn recount(&self) -> u64 {
        let mut sum = 0u64;
        for i in 0..HOLDER_SLOTS {
            let s = HOLDERS_OFFSET + i * HOLDER_SLOT_SIZE;
            if self.m.u32(s + HOLDER_PID).load(Ordering::Relaxed) != 0 {
                sum += self.m.u64(s + HOLDER_HANDLES).load(Ordering::Relaxed);
            }
        }
        self.m.u64(REFCOUNT_OFFSET).store(sum, Ordering::Release);
        sum
    }

    /// Clears the slots of dead holders (no token behind them), other than this attachment's own.
    fn reap(&self) -> bool {
        let mut any = false;
        for i in 0..HOLDER_SLOTS {
            if Some(i) != self.slot && self.m.u32(HOLDERS_OFFSET + i * HOLDER_SLOT_SIZE + HOLDER_PID).load(Ordering::Relaxed) != 0
                && !self.token_held(i)
            {
                self.clear_slot(i);
                any = true;
            }
        }
        any
    }

    /// Takes a reference: under the admin mutex, reap, claim a free slot with its token, recount.
    fn register(&mut self) -> Res<()> {
        let (held, died) = self.lock(ADMIN_MUTEX_OFFSET)?;
        let reaped = self.reap();
        if died || reaped {
            self.recount();
        }
        let result = if self.m.u32(STATE_OFFSET).load(Ordering::Acquire) != STATE_READY {
            Err(format!("segment not found: it was unlinked while being loaded: name={}", self.name))
        } else {
            let mut claimed = Err(format!("holder table full: name={}, slots={}", self.name, HOLDER_SLOTS));
            for i in 0..HOLDER_SLOTS {
                let s = HOLDERS_OFFSET + i * HOLDER_SLOT_SIZE;
                if self.m.u32(s + HOLDER_PID).load(Ordering::Relaxed) != 0 || self.token(i, F_WRLCK) != 0 {
                    continue;
                }
                self.m.u32(s + HOLDER_WAITERS).store(0, Ordering::SeqCst);
                self.m.u64(s + HOLDER_HANDLES).store(1, Ordering::Relaxed);
                self.m.u64(s + HOLDER_START).store(start_ticks(), Ordering::Relaxed);
                let mut generation = self.m.u32(s + HOLDER_GENERATION).load(Ordering::Relaxed).wrapping_add(1);
                if generation == 0 {
                    generation = 1;
                }
                self.m.u32(s + HOLDER_GENERATION).store(generation, Ordering::Relaxed);
                self.m.u32(s + HOLDER_PID).store(std::process::id(), Ordering::Release); // last
                self.slot = Some(i);
                self.generation = generation;
                claimed = Ok(());
                break;
            }
            if claimed.is_ok() {
                self.recount();
            }
            claimed
        };
        self.unlock(held);
        result
    }

    /// Gives the reference back; the last one unlinks the name (if it is still this object).
    fn release(&mut self) {
        let own = match self.slot {
            Some(own) => own,
            None => return,
        };
        let held = match self.lock(ADMIN_MUTEX_OFFSET) {
            Ok((held, _)) => held,
            Err(_) => return,
        };
        self.reap();
        self.clear_slot(own);
        self.token(own, F_UNLCK);
        self.slot = None;
        if self.recount() == 0 {
            self.m.u32(STATE_OFFSET).store(STATE_UNLINKED, Ordering::Release);
            let path = format!("/dev/shm{}", self.name);
            if fs::metadata(&path).map(|m| m.ino() == self.inode).unwrap_or(false) {
                let _ = fs::remove_file(&path);
            }
        }
        self.unlock(held);
    }
}

// ---- the ring reader -------------------------------------------------------------------------

struct Reader {
    seg: Segment,
    id: usize,
    slot: usize, // payload-relative offset of the reader slot
    capacity: u64,
    shift: u32,
    ahead: u64,
    slot_size: usize,
    entries: usize,
    ring_id: u64,
    position: u64,
    committed: u64,
    lost: u64,
    batch: Vec<u8>,
    batch_entries: usize,
}

impl Reader {
    fn p(&self, off: usize) -> usize {
        self.seg.payload + off
    }
    fn ru32(&self, off: usize) -> &AtomicU32 {
        self.seg.m.u32(self.p(off))
    }
    fn ru64(&self, off: usize) -> &AtomicU64 {
        self.seg.m.u64(self.p(off))
    }

    fn slot_of(&self, seq: u64) -> usize {
        self.entries + (seq & (self.capacity - 1)) as usize * self.slot_size
    }

    /// Signed distance of the slot's stamp from seq's: 0 published, < 0 not yet, > 0 lapped.
    fn stamp_ahead(&self, seq: u64) -> i32 {
        let stamp = self.ru32(self.slot_of(seq)).load(Ordering::Relaxed);
        fence(Ordering::Acquire); // the entry's loads after the stamp's
        stamp.wrapping_sub(((seq >> self.shift) as u32).wrapping_add(1)) as i32
    }

    fn attach(name: &str, id: usize) -> Res<Reader> {
        let mut seg = Segment::open(name)?;
        seg.register()?;
        let pay = seg.payload;
        let m = &seg.m;
        let payload_size = m.u32(PAYLOAD_SIZE_OFFSET).load(Ordering::Relaxed) as usize;
        let (cap, slot_size, entry_size, readers, d_len) = (
            m.u32(pay + CAPACITY_OFFSET).load(Ordering::Relaxed),
            m.u32(pay + SLOT_SIZE_OFFSET).load(Ordering::Relaxed) as usize,
            m.u32(pay + ENTRY_SIZE_OFFSET).load(Ordering::Relaxed) as usize,
            m.u32(pay + READER_SLOTS_OFFSET).load(Ordering::Relaxed) as usize,
            m.u32(pay + ENTRY_DESCRIPTOR_LENGTH_OFFSET).load(Ordering::Relaxed) as usize,
        );
        // Layout version 3: the entry type's descriptor follows the slots, padded to a multiple of 8.
        let slots_end = READERS_OFFSET + readers * READER_SLOT_SIZE + cap as usize * slot_size;
        let check = if m.u64(pay).load(Ordering::Acquire) != RING_MAGIC || m.u32(pay + 8).load(Ordering::Relaxed) != RING_VERSION {
            Err(format!("not a ring of layout version {}: name={}", RING_VERSION, seg.name))
        } else if cap < 2 || !cap.is_power_of_two() || readers < 1 || readers > 64 || slot_size != (8 + entry_size + 7) & !7
            || d_len < 1 || d_len > 16384 || slots_end + ((d_len + 7) & !7) != payload_size
        {
            Err(format!("inconsistent ring header: name={}, capacity={}, readerSlots={}", seg.name, cap, readers))
        } else if entry_size != TICK_SIZE
            || unsafe { std::slice::from_raw_parts(m.base.add(pay + slots_end), d_len) } != TICK_DESCRIPTOR.as_bytes()
        {
            let stored = unsafe { std::slice::from_raw_parts(m.base.add(pay + slots_end), d_len) };
            Err(format!("ring entries are of another type: name={}, expected={}, stored={}", seg.name, TICK_DESCRIPTOR,
                String::from_utf8_lossy(stored)))
        } else if id >= readers {
            Err(format!("reporter ID must be from 0 to {} for this ring: ID={}, name={}", readers - 1, id, seg.name))
        } else {
            Ok(())
        };
        if let Err(e) = check {
            seg.release();
            return Err(e);
        }
        let ring_id = m.u64(pay + RING_ID_OFFSET).load(Ordering::Relaxed);
        let batch_entries = (BATCH_BYTES / TICK_SIZE).clamp(1, MAX_BATCH);
        let mut r = Reader {
            seg,
            id,
            slot: READERS_OFFSET + id * READER_SLOT_SIZE,
            capacity: cap as u64,
            shift: cap.trailing_zeros(),
            ahead: ((cap / 8).min(64)).max(1) as u64,
            slot_size,
            entries: READERS_OFFSET + readers * READER_SLOT_SIZE,
            ring_id,
            position: 0,
            committed: 0,
            lost: 0,
            batch: vec![0u8; batch_entries * TICK_SIZE],
            batch_entries,
        };
        if let Err(e) = r.claim() {
            r.seg.release();
            return Err(e);
        }
        Ok(r)
    }

    fn bump_registry(&self) -> u32 {
        self.ru32(REGISTRY_VERSION_OFFSET).fetch_add(1, Ordering::SeqCst).wrapping_add(1)
    }

    fn clear_sleeper_bit(&self) {
        let word = self.ru32(SLEEPERS_OFFSET + 4 * (self.id >> 5));
        word.fetch_and(!(1u32 << (self.id & 31)), Ordering::SeqCst);
    }

    /// Claims the reader slot under the user mutex (docs/interop.md, "Reader slots").
    fn claim(&mut self) -> Res<()> {
        let held = self.seg.lock_user()?;
        let s = self.slot;
        let state = self.ru32(s + READER_STATE).load(Ordering::Relaxed);
        let holder = self.ru64(s + READER_HOLDER).load(Ordering::Relaxed);
        if state == READER_ACTIVE && self.seg.alive_elsewhere(holder) {
            let pid = self.ru32(s + READER_PID).load(Ordering::Relaxed);
            self.seg.unlock_user(held);
            return Err(format!("reader id already in use: name={}, reader={}, pid={}", self.seg.name, self.id, pid));
        }
        if state == READER_FREE {
            let w = self.ru64(WRITE_POINTER_OFFSET).load(Ordering::Acquire);
            self.ru64(s + READER_POSITION).store(w.saturating_sub(self.capacity), Ordering::Release);
            self.ru64(s + READER_LOST).store(0, Ordering::Release);
        }
        self.ru64(s + READER_HOLDER).store(self.seg.holder_id(), Ordering::Relaxed);
        self.ru32(s + READER_PID).store(std::process::id(), Ordering::Relaxed);
        self.clear_sleeper_bit(); // a previous holder killed asleep must not be woken for ever
        self.ru32(s + READER_BLOCKING).store(0, Ordering::Release);
        self.ru32(s + READER_STATE).store(READER_ACTIVE, Ordering::Release);
        let version = self.bump_registry();
        self.ru32(s + READER_CLAIM_VERSION).store(version, Ordering::Relaxed);
        self.position = self.ru64(s + READER_POSITION).load(Ordering::Acquire);
        self.committed = self.position;
        self.lost = self.ru64(s + READER_LOST).load(Ordering::Acquire);
        self.seg.unlock_user(held);
        Ok(())
    }

    /// Copies up to a batch of published entries, validates them with one load of the write
    /// pointer, and hands the good ones to `f` (docs/interop.md, "Consume").
    fn poll(&mut self, f: &mut dyn FnMut(u64, &[u8])) -> usize {
        let start = self.position;
        let mut p = start;
        let mut k = 0;
        let mut lapped = false;
        while k < self.batch_entries {
            let ahead = self.stamp_ahead(p);
            if ahead != 0 {
                lapped = ahead > 0;
                break;
            }
            let src = self.p(self.slot_of(p) + SLOT_BODY);
            for w in 0..TICK_SIZE / 8 {
                let v = self.seg.m.u64(src + 8 * w).load(Ordering::Relaxed);
                self.batch[k * TICK_SIZE + 8 * w..k * TICK_SIZE + 8 * w + 8].copy_from_slice(&v.to_le_bytes());
            }
            k += 1;
            p += 1;
        }
        if k == 0 && !lapped {
            return 0;
        }
        fence(Ordering::Acquire); // load-load: the copies before the pointer
        let w = self.ru64(WRITE_POINTER_OFFSET).load(Ordering::Acquire);
        let mut from = start;
        if lapped || start < w.saturating_sub(self.capacity) {
            from = (start + 1).max(w.saturating_sub(self.ahead));
            self.lost += from - start;
            self.ru64(self.slot + READER_LOST).store(self.lost, Ordering::Release);
            say!("reporter {}: LOST seq {}..{} ({} entries): the writer overwrote them", self.id, start, from - 1, from - start);
            self.position = from;
        }
        let mut n = 0;
        let mut q = from;
        while q < p {
            let off = (q - start) as usize * TICK_SIZE;
            f(q, &self.batch[off..off + TICK_SIZE]);
            self.position = q + 1;
            n += 1;
            q += 1;
        }
        n
    }

    /// Stores the position (release), then wakes a lossless writer waiting for room.
    fn commit(&mut self) {
        if self.position == self.committed {
            return;
        }
        self.ru64(self.slot + READER_POSITION).store(self.position, Ordering::Release);
        let backwards = self.position < self.committed;
        self.committed = self.position;
        if self.ru32(WRITER_WORD_OFFSET).load(Ordering::Relaxed) & WRITER_LOSSLESS != 0 {
            fence(Ordering::SeqCst); // Dekker with the writer's flag store
            let waiting = self.ru32(WRITER_WAITING_OFFSET);
            if waiting.load(Ordering::SeqCst) != 0 && waiting.compare_exchange(1, 0, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
                self.ru32(ROOM_OFFSET).fetch_add(1, Ordering::SeqCst);
                futex_wake_all(self.ru32(ROOM_OFFSET));
            }
        }
        if backwards {
            self.bump_registry();
        }
    }

    /// Leaves the slot DETACHED at the committed position, for a restart; then the reference goes.
    fn detach(mut self) {
        if let Ok(held) = self.seg.lock_user() {
            let s = self.slot;
            if self.ru64(s + READER_HOLDER).load(Ordering::Relaxed) == self.seg.holder_id()
                && self.ru32(s + READER_STATE).load(Ordering::Relaxed) == READER_ACTIVE
            {
                self.clear_sleeper_bit();
                self.ru32(s + READER_BLOCKING).store(0, Ordering::Release);
                self.ru32(s + READER_STATE).store(READER_DETACHED, Ordering::Release);
                self.bump_registry();
            }
            self.seg.unlock_user(held);
        }
        self.seg.release();
    }
}

// ---- the CSV ----------------------------------------------------------------------------------

/// Opens (reconciles) or creates DIR/output_ID.csv for this ring; returns the file and the last complete line's seq.
fn open_output(dir: &str, id: usize, ring_hex: &str, segment: &str) -> Res<(File, Option<u64>)> {
    let csv = format!("{}/output_{}.csv", dir, id);
    let meta = format!("{}/output_{}.ring", dir, id);
    let io = |what: &str, e: std::io::Error| format!("{} failed: {}, file={}", what, e, csv);
    fs::create_dir_all(dir).map_err(|e| io("mkdir", e))?;
    if fs::metadata(&csv).is_ok() {
        let previous = fs::read_to_string(&meta).ok().and_then(|s| s.strip_prefix("ring=").map(|r| r.split(|c: char| c == ' ' || c == '\n').next().unwrap_or("").to_string()));
        if previous.as_deref() != Some(ring_hex) {
            let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
            let tag = format!("{}-{}", previous.unwrap_or_else(|| "unknown".into()), ms);
            let aside = format!("{}/output_{}.ring-{}.csv", dir, id, tag);
            fs::rename(&csv, &aside).map_err(|e| io("rename", e))?;
            let _ = fs::rename(&meta, format!("{}/output_{}.ring-{}.ring", dir, id, tag));
            say!("reporter {}: output came from another ring; moved it aside to {}", id, aside);
        }
    }
    if fs::metadata(&csv).is_err() {
        let tmp = format!("{}/output_{}.ring.tmp", dir, id);
        fs::write(&tmp, format!("ring={} segment={}\n", ring_hex, segment)).map_err(|e| io("write", e))?;
        fs::rename(&tmp, &meta).map_err(|e| io("rename", e))?;
        let mut f = OpenOptions::new().write(true).create_new(true).open(&csv).map_err(|e| io("open", e))?;
        f.write_all(format!("{}\n", CSV_HEADER).as_bytes()).map_err(|e| io("write", e))?;
        return Ok((f, None));
    }
    let mut f = OpenOptions::new().read(true).write(true).open(&csv).map_err(|e| io("open", e))?;
    let size = f.metadata().map_err(|e| io("fstat", e))?.len();
    if size == 0 {
        f.write_all(format!("{}\n", CSV_HEADER).as_bytes()).map_err(|e| io("write", e))?;
        return Ok((f, None));
    }
    let tail = size.min(4096);
    let mut t = vec![0u8; tail as usize];
    f.seek(SeekFrom::Start(size - tail)).map_err(|e| io("seek", e))?;
    f.read_exact(&mut t).map_err(|e| io("read", e))?;
    let last_nl = match t.iter().rposition(|b| *b == b'\n') {
        Some(i) => i,
        None => {
            if size > tail {
                return Err(format!("no line end in the last 4096 bytes: file={}", csv));
            }
            f.set_len(0).map_err(|e| io("truncate", e))?;
            f.seek(SeekFrom::Start(0)).map_err(|e| io("seek", e))?;
            f.write_all(format!("{}\n", CSV_HEADER).as_bytes()).map_err(|e| io("write", e))?;
            return Ok((f, None));
        }
    };
    let complete = size - tail + last_nl as u64 + 1;
    if complete < size {
        f.set_len(complete).map_err(|e| io("truncate", e))?;
        say!("output: cut a partial last line: file={}, bytes={}", csv, size - complete);
    }
    f.seek(SeekFrom::End(0)).map_err(|e| io("seek", e))?;
    let start = t[..last_nl].iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
    let line = String::from_utf8_lossy(&t[start..last_nl]).to_string();
    if line == CSV_HEADER {
        return Ok((f, None));
    }
    let seq = line.split(',').next().unwrap_or("").parse::<u64>()
        .map_err(|_| format!("last line does not start with a sequence: file={}, line={}", csv, line))?;
    Ok((f, Some(seq)))
}

fn constants() {
    let seg: [(&str, usize); 20] = [
        ("STATE_OFFSET", STATE_OFFSET), ("FINGERPRINT_OFFSET", FINGERPRINT_OFFSET), ("SEGMENT_SIZE_OFFSET", SEGMENT_SIZE_OFFSET),
        ("PAYLOAD_OFFSET_OFFSET", PAYLOAD_OFFSET_OFFSET), ("PAYLOAD_SIZE_OFFSET", PAYLOAD_SIZE_OFFSET),
        ("DESCRIPTOR_LENGTH_OFFSET", DESCRIPTOR_LENGTH_OFFSET), ("PAYLOAD_MODE_OFFSET", PAYLOAD_MODE_OFFSET),
        ("MUTEX_KIND_OFFSET", MUTEX_KIND_OFFSET), ("MUTEX_SIZE_OFFSET", MUTEX_SIZE_OFFSET), ("MUTEX_LIBRARY_OFFSET", MUTEX_LIBRARY_OFFSET),
        ("REFCOUNT_OFFSET", REFCOUNT_OFFSET), ("ADMIN_MUTEX_OFFSET", ADMIN_MUTEX_OFFSET), ("USER_MUTEX_OFFSET", USER_MUTEX_OFFSET),
        ("OWNER_PID_OFFSET", OWNER_PID_OFFSET), ("OWNER_DIED_OFFSET", OWNER_DIED_OFFSET), ("DEAD_OWNER_PID_OFFSET", DEAD_OWNER_PID_OFFSET),
        ("SEQUENCE_OFFSET", SEQUENCE_OFFSET), ("WAITERS_OFFSET", WAITERS_OFFSET), ("HOLDERS_OFFSET", HOLDERS_OFFSET),
        ("DESCRIPTOR_OFFSET", DESCRIPTOR_OFFSET),
    ];
    for (k, v) in seg {
        println!("SegmentDescriptor.{}={}", k, v);
    }
    let more: [(&str, u64); 14] = [
        ("MAGIC", SEGMENT_MAGIC), ("LAYOUT_VERSION", LAYOUT_VERSION as u64), ("HOLDER_SLOTS", HOLDER_SLOTS as u64),
        ("HOLDER_SLOT_SIZE", HOLDER_SLOT_SIZE as u64), ("HOLDER_PID", HOLDER_PID as u64), ("HOLDER_GENERATION", HOLDER_GENERATION as u64),
        ("HOLDER_START", HOLDER_START as u64), ("HOLDER_HANDLES", HOLDER_HANDLES as u64), ("HOLDER_WAITERS", HOLDER_WAITERS as u64),
        ("STATE_READY", STATE_READY as u64), ("STATE_UNLINKED", STATE_UNLINKED as u64), ("MODE_RAW", MODE_RAW as u64),
        ("MUTEX_KIND", MUTEX_KIND as u64), ("MUTEX_KIND_WORD", MUTEX_KIND_WORD as u64),
    ];
    for (k, v) in more {
        println!("SegmentDescriptor.{}={}", k, v);
    }
    println!("RingDescriptor.TYPE_TAG={}", RING_TYPE_TAG);
    let ring: [(&str, u64); 30] = [
        ("MAGIC", RING_MAGIC), ("VERSION", RING_VERSION as u64), ("CAPACITY_OFFSET", CAPACITY_OFFSET as u64),
        ("SLOT_SIZE_OFFSET", SLOT_SIZE_OFFSET as u64), ("ENTRY_SIZE_OFFSET", ENTRY_SIZE_OFFSET as u64),
        ("READER_SLOTS_OFFSET", READER_SLOTS_OFFSET as u64),
        ("ENTRY_DESCRIPTOR_LENGTH_OFFSET", ENTRY_DESCRIPTOR_LENGTH_OFFSET as u64), ("ENTRY_FINGERPRINT_OFFSET", ENTRY_FINGERPRINT_OFFSET as u64),
        ("RING_ID_OFFSET", RING_ID_OFFSET as u64), ("WRITE_POINTER_OFFSET", WRITE_POINTER_OFFSET as u64),
        ("WRITER_WORD_OFFSET", WRITER_WORD_OFFSET as u64), ("REGISTRY_VERSION_OFFSET", REGISTRY_VERSION_OFFSET as u64),
        ("SLEEPERS_OFFSET", SLEEPERS_OFFSET as u64), ("WRITER_WAITING_OFFSET", WRITER_WAITING_OFFSET as u64),
        ("ROOM_OFFSET", ROOM_OFFSET as u64), ("READERS_OFFSET", READERS_OFFSET as u64), ("READER_SLOT_SIZE", READER_SLOT_SIZE as u64),
        ("READER_POSITION", READER_POSITION as u64), ("READER_LOST", READER_LOST as u64), ("READER_STATE", READER_STATE as u64),
        ("READER_BLOCKING", READER_BLOCKING as u64), ("READER_HOLDER", READER_HOLDER as u64), ("READER_PID", READER_PID as u64),
        ("READER_CLAIM_VERSION", READER_CLAIM_VERSION as u64), ("SLOT_BODY", SLOT_BODY as u64),
        ("WRITER_LOSSLESS", WRITER_LOSSLESS as u64), ("MAX_READERS", 64), ("SLOT_STAMP", 0), ("CACHE_LINE", 64),
        ("MAX_CAPACITY", 1 << 24),
    ];
    for (k, v) in ring {
        println!("RingDescriptor.{}={}", k, v);
    }
    println!("ReaderState.FREE={}", READER_FREE);
    println!("ReaderState.ACTIVE={}", READER_ACTIVE);
    println!("ReaderState.DETACHED={}", READER_DETACHED);
    println!("RingReader.MAX_BATCH={}", MAX_BATCH);
    println!("RingReader.BATCH_BYTES={}", BATCH_BYTES);
    println!("Tick.DESCRIPTOR={}", TICK_DESCRIPTOR);
    println!("Tick.FINGERPRINT=0x{:016x}", fnv1a64(TICK_DESCRIPTOR.as_bytes()));
    println!("Tick.SIZE={}", TICK_SIZE);
    println!("Tick.CSV_HEADER={}", CSV_HEADER);
    for (seq, ts) in [(0u64, 0i64), (1, 1), (2, 1_764_547_200_000_000_000), (63, 42), (1 << 40, -5)] {
        let h = mix(seq);
        let sym = symbol_word((h >> 61) as usize);
        let price = 1_000_000 + ((h >> 32) % 9_000_000) as i64;
        let qty = 1 + ((h & 0xffff) % 1000) as i64;
        let sum = mix(seq ^ ts as u64 ^ sym ^ price as u64 ^ qty as u64);
        let mut e = Vec::new();
        for v in [seq, ts as u64, sym, price as u64, qty as u64, sum, 0] {
            e.extend_from_slice(&v.to_le_bytes());
        }
        let mut line = Vec::new();
        csv_line(&e, seq, &mut line);
        line.pop();
        println!("mix({})=0x{:016x}", seq, h);
        println!("tick({},{})={} check={}", seq, ts, String::from_utf8_lossy(&line), tick_ok(&e, seq) as i32);
    }
}

fn run(args: &[String]) -> Result<i32, String> {
    let usage = |why: &str| {
        say!("usage error: {} (usage: ipcarc_reporter ID [--name NAME] [--out DIR] | constants)", why);
        Ok(2)
    };
    if args.len() == 1 && args[0] == "constants" {
        constants();
        return Ok(0);
    }
    let id = match args.first().and_then(|a| a.parse::<usize>().ok()).filter(|i| *i < 64) {
        Some(id) => id,
        None => return usage("reporter ID must be from 0 to 63"),
    };
    let (mut name, mut dir) = ("/rpt_sys_shm".to_string(), ".".to_string());
    let mut i = 1;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--name", Some(v)) => name = v.clone(),
            ("--out", Some(v)) => dir = v.clone(),
            _ => return usage(&format!("unknown option: {}", args[i])),
        }
        i += 2;
    }
    unsafe {
        signal(SIGINT, on_signal as *const () as usize);
        signal(SIGTERM, on_signal as *const () as usize);
    }
    let mut waited = false;
    let mut reader = loop {
        match Reader::attach(&name, id) {
            Ok(r) => break r,
            Err(e) if e.starts_with("segment not found") || e.starts_with("not an IpcArc segment (yet)") => {
                if !waited {
                    say!("reporter {}: waiting for the writer's segment {} ...", id, name);
                    waited = true;
                }
                if STOP.load(Ordering::SeqCst) {
                    return Ok(0);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    };
    let hex = format!("{:016x}", reader.ring_id);
    let (mut file, last) = match open_output(&dir, id, &hex, &reader.seg.name) {
        Ok(o) => o,
        Err(e) => {
            reader.detach();
            return Err(e);
        }
    };
    let stored = reader.position;
    if let Some(seq) = last {
        reader.position = seq + 1; // resume right after the last complete line
    }
    reader.commit();
    say!("reporter {}: ring={} name={} resuming at seq={} (stored={}, file ends at {}), output={}/output_{}.csv", id, hex,
              reader.seg.name, reader.position, stored, last.map(|s| s as i64).unwrap_or(-1), dir, id);
    let mut lines: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut bad = 0u64;
    while !STOP.load(Ordering::SeqCst) {
        let n = reader.poll(&mut |seq, e| {
            csv_line(e, seq, &mut lines);
            if !tick_ok(e, seq) {
                bad += 1;
                say!("reporter {}: BAD ENTRY seq={}", id, seq);
            }
        });
        if !lines.is_empty() {
            // The seed's order: append to the CSV, then store the position.
            file.write_all(&lines).map_err(|e| format!("write failed: {}", e))?;
            lines.clear();
        }
        reader.commit();
        if n == 0 {
            std::thread::sleep(Duration::from_millis(1)); // the seed's 1 ms poll
        }
    }
    say!("reporter {}: stopped at seq={}, lost={}, bad={}; slot kept (detached) for a restart", id, reader.position, reader.lost, bad);
    reader.detach();
    Ok(if bad == 0 { 0 } else { 1 })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match run(&args) {
        Ok(c) => c,
        Err(e) => {
            say!("ipcarc_reporter: error: {}", e);
            1
        }
    };
    std::process::exit(code);
}
