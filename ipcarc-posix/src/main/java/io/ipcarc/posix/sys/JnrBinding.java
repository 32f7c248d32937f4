package io.ipcarc.posix.sys;

import com.kenai.jffi.MemoryIO;
import io.ipcarc.posix.sys.jnr.LibC;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The jnr-ffi binding (JDK 17 and later): {@link NativeOps} through a jnr-ffi proxy of libc, and
 * memory through jffi's {@link MemoryIO} (plain accesses) and {@link VarHandle} views of direct
 * {@link ByteBuffer}s (ordered and atomic ones).
 */
final class JnrBinding extends Binding {

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    public JnrBinding() {
        super(new Functions());
    }

    @Override
    public String name() {
        return "jnr";
    }

    @Override
    public RawMemory allocate(int size) {
        Pointer p = Memory.allocateDirect(RUNTIME, size, true);
        return new Jffi(p.address(), size, p);
    }

    @Override
    public RawMemory wrap(long address, int size) {
        return new Jffi(address, size, null);
    }

    @Override
    public RawMemory map(int fd, int size) {
        long addr = LIBC.mmap(null, size, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_SHARED, fd, 0);
        return addr == Linux.MAP_FAILED ? null : new Jffi(addr, size, null);
    }

    @Override
    public void unmap(RawMemory memory) {
        LIBC.munmap(memory.address(), memory.size());
    }

    /** {@link NativeOps} over {@link LibC}. */
    private static final class Functions implements NativeOps {
        // @formatter:off
        @Override public int shm_open(String name, int oflag, int mode) { return LIBC.shm_open(name, oflag, mode); }
        @Override public int shm_unlink(String name) { return LIBC.shm_unlink(name); }
        @Override public int ftruncate(int fd, long length) { return LIBC.ftruncate(fd, length); }
        @Override public int posix_fallocate(int fd, long offset, long length) { return LIBC.posix_fallocate(fd, offset, length); }
        @Override public int fallocate(int fd, int mode, long offset, long length) { return LIBC.fallocate(fd, mode, offset, length); }
        @Override public int fchmod(int fd, int mode) { return LIBC.fchmod(fd, mode); }
        @Override public int fstat(int fd, long statbuf) { return LIBC.fstat(fd, statbuf); }
        @Override public int flock(int fd, int operation) { return LIBC.flock(fd, operation); }
        @Override public int fcntl(int fd, int cmd, long flock) { return LIBC.fcntl(fd, cmd, flock); }
        @Override public int close(int fd) { return LIBC.close(fd); }
        @Override public int geteuid() { return LIBC.geteuid(); }
        @Override public long confstr(int name, long buf, long len) { return LIBC.confstr(name, buf, len); }
        @Override public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
            return LIBC.mmap(addr == 0 ? null : Pointer.wrap(RUNTIME, addr), length, prot, flags, fd, offset);
        }
        @Override public int munmap(long addr, long length) { return LIBC.munmap(addr, length); }
        @Override public long futex(long uaddr, int op, int val, long timeout) {
            return LIBC.syscall(Linux.SYS_FUTEX, uaddr, op, val, timeout == 0 ? null : Pointer.wrap(RUNTIME, timeout), 0, 0);
        }
        @Override public int inotify_init1(int flags) { return LIBC.inotify_init1(flags); }
        @Override public int inotify_add_watch(int fd, String path, int mask) { return LIBC.inotify_add_watch(fd, path, mask); }
        @Override public int inotify_rm_watch(int fd, int wd) { return LIBC.inotify_rm_watch(fd, wd); }
        @Override public long read(int fd, long buf, long count) { return LIBC.read(fd, buf, count); }
        @Override public int poll(long fds, long nfds, int timeout) { return LIBC.poll(fds, nfds, timeout); }
        @Override public int pthread_mutexattr_init(long attr) { return LIBC.pthread_mutexattr_init(attr); }
        @Override public int pthread_mutexattr_settype(long attr, int type) { return LIBC.pthread_mutexattr_settype(attr, type); }
        @Override public int pthread_mutexattr_setpshared(long attr, int shared) { return LIBC.pthread_mutexattr_setpshared(attr, shared); }
        @Override public int pthread_mutexattr_setrobust(long attr, int robust) { return LIBC.pthread_mutexattr_setrobust(attr, robust); }
        @Override public int pthread_mutexattr_destroy(long attr) { return LIBC.pthread_mutexattr_destroy(attr); }
        @Override public int pthread_mutex_init(long mutex, long attr) { return LIBC.pthread_mutex_init(mutex, attr); }
        @Override public int pthread_mutex_trylock(long mutex) { return LIBC.pthread_mutex_trylock(mutex); }
        @Override public int pthread_mutex_unlock(long mutex) { return LIBC.pthread_mutex_unlock(mutex); }
        @Override public int pthread_mutex_consistent(long mutex) { return LIBC.pthread_mutex_consistent(mutex); }
        @Override public int errno() { return LastError.getLastError(RUNTIME); }
        // @formatter:on
    }

    /**
     * Memory through jffi: plain accesses with {@link MemoryIO} at absolute addresses (one machine
     * load or store once compiled; a SIGBUS on a truncated object becomes an {@link InternalError}),
     * acquire loads as such a load followed by an acquire fence (no buffer checks on the read path),
     * the other ordered and atomic ones with {@link VarHandle} views of a direct {@link ByteBuffer}
     * over the same memory, bulk copies through that buffer.
     */
    private static final class Jffi extends RawMemory {
        private static final MemoryIO IO = MemoryIO.getInstance();
        private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
        private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

        private final long address;
        private final int size;
        private final ByteBuffer bb;
        /** What keeps allocated memory alive (jnr frees it when this becomes unreachable); null for mappings. */
        @SuppressWarnings({"unused", "FieldCanBeLocal"})
        private final Object owner;

        Jffi(long address, int size, Object owner) {
            this.address = address;
            this.size = size;
            this.bb = IO.newDirectByteBuffer(address, size).order(ByteOrder.nativeOrder());
            this.owner = owner;
        }

        // @formatter:off
        @Override public long address() { return address; }
        @Override public int size() { return size; }
        @Override public byte getByte(int o) { return IO.getByte(address + o); }
        @Override public void putByte(int o, byte v) { IO.putByte(address + o, v); }
        @Override public short getShort(int o) { return IO.getShort(address + o); }
        @Override public void putShort(int o, short v) { IO.putShort(address + o, v); }
        @Override public int getInt(int o) { return IO.getInt(address + o); }
        @Override public void putInt(int o, int v) { IO.putInt(address + o, v); }
        @Override public long getLong(int o) { return IO.getLong(address + o); }
        @Override public void putLong(int o, long v) { IO.putLong(address + o, v); }
        @Override public float getFloat(int o) { return IO.getFloat(address + o); }
        @Override public void putFloat(int o, float v) { IO.putFloat(address + o, v); }
        @Override public double getDouble(int o) { return IO.getDouble(address + o); }
        @Override public void putDouble(int o, double v) { IO.putDouble(address + o, v); }
        @Override public void getBytes(int o, byte[] dst, int dstOffset, int length) { bb.get(o, dst, dstOffset, length); }
        @Override public void putBytes(int o, byte[] src, int srcOffset, int length) { bb.put(o, src, srcOffset, length); }
        @Override public void copy(int from, int to, int length) { IO.copyMemory(address + from, address + to, length); }
        @Override public void fill(int o, int length, byte value) { IO.setMemory(address + o, length, value); }
        @Override public long getLongAcquire(int o) { return acquired(IO.getLong(address + o)); }
        @Override public void putLongRelease(int o, long v) { LONGS.setRelease(bb, o, v); }
        @Override public long getLongVolatile(int o) { return (long) LONGS.getVolatile(bb, o); }
        @Override public void putLongVolatile(int o, long v) { LONGS.setVolatile(bb, o, v); }
        @Override public boolean compareAndSetLong(int o, long e, long u) { return LONGS.compareAndSet(bb, o, e, u); }
        @Override public long getAndAddLong(int o, long d) { return (long) LONGS.getAndAdd(bb, o, d); }
        @Override public int getIntAcquire(int o) { return acquired(IO.getInt(address + o)); }
        @Override public void putIntRelease(int o, int v) { INTS.setRelease(bb, o, v); }
        @Override public int getIntVolatile(int o) { return (int) INTS.getVolatile(bb, o); }
        @Override public void putIntVolatile(int o, int v) { INTS.setVolatile(bb, o, v); }
        @Override public boolean compareAndSetInt(int o, int e, int u) { return INTS.compareAndSet(bb, o, e, u); }
        @Override public int getAndAddInt(int o, int d) { return (int) INTS.getAndAdd(bb, o, d); }
        // @formatter:on

        /** An acquire load: the plain load made, the loads and stores after it stay after it. */
        private static long acquired(long loaded) {
            VarHandle.acquireFence();
            return loaded;
        }

        /** An acquire load: the plain load made, the loads and stores after it stay after it. */
        private static int acquired(int loaded) {
            VarHandle.acquireFence();
            return loaded;
        }
    }
}
