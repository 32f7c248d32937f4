package io.ipcarc.posix.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Read-only access to the files of the shared-memory directory: their names, their attributes
 * and copies of their bytes, through plain reads (no mapping, so a truncated or foreign file
 * cannot crash the JVM, and nothing is written).
 */
public final class ShmDirectory {

    /**
     * A file's attributes, as stat reports them.
     *
     * @param regular whether it is a regular file (opening a FIFO to read it would block)
     */
    record Attributes(long inode, long size, int mode, int uid, int gid, boolean regular) {
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private ShmDirectory() {
    }

    /**
     * @return the names, with a leading slash, of the regular files of the directory, sorted
     */
    static List<String> names() {
        try (Stream<Path> files = Files.list(ShmFile.SHM_DIR)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> "/" + p.getFileName()).sorted().toList();
        } catch (IOException e) {
            throw new io.ipcarc.IpcArcException("cannot list the shared-memory directory: dir=" + ShmFile.SHM_DIR
                    + ", cause=" + e, null, e);
        }
    }

    /**
     * @param name a name with a leading slash
     * @return the file's path
     */
    static Path path(String name) {
        return ShmFile.SHM_DIR.resolve(name.substring(1));
    }

    /**
     * @param name a name with a leading slash
     * @return its attributes, not following symbolic links
     * @throws IOException if it does not exist or cannot be read
     */
    static Attributes attributes(String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path(name), "unix:ino,size,mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = ((Number) a.get("mode")).intValue();
        return new Attributes(((Number) a.get("ino")).longValue(), ((Number) a.get("size")).longValue(), mode & 07777,
                ((Number) a.get("uid")).intValue(), ((Number) a.get("gid")).intValue(), (mode & S_IFMT) == S_IFREG);
    }

    /**
     * Opens a file for reading only.
     *
     * @param name a name with a leading slash
     * @return the open channel
     * @throws IOException if it cannot be opened (AccessDeniedException for EACCES)
     */
    static FileChannel openForReading(String name) throws IOException {
        return FileChannel.open(path(name), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Copies up to {@code length} bytes from {@code position}; fewer if the file ends first.
     *
     * @param channel an open file
     * @param position where to start
     * @param length how many bytes at most
     * @return the bytes read
     * @throws IOException if the read fails
     */
    static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.max(0, length));
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                break;
            }
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }
}
