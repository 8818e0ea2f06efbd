package dev.agentgate.recording;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * One segment file being written: a gzip stream, append only. {@link #commit()} sync-flushes the compressor and
 * forces the file to disk, so everything appended before it can be read back after a crash (a gzip stream cut after
 * a sync flush decompresses up to that point). Used by the recorder's writer thread only.
 */
final class SegmentWriter implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final GZIPOutputStream gzip;
    private final long openedNanos = System.nanoTime();
    private boolean dirty;

    private SegmentWriter(Path file, FileChannel channel, GZIPOutputStream gzip) {
        this.file = file;
        this.channel = channel;
        this.gzip = gzip;
    }

    /** Creates {@code file}, which must not exist: a segment is never written twice. */
    static SegmentWriter create(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return new SegmentWriter(
                    file, channel, new GZIPOutputStream(Channels.newOutputStream(channel), 8192, true));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    void append(byte[] line) throws IOException {
        gzip.write(line);
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /** Makes what was appended durable. */
    void commit() throws IOException {
        if (dirty) {
            gzip.flush();
            channel.force(false);
            dirty = false;
        }
    }

    /** Compressed bytes on disk so far (as of the last commit). */
    long size() throws IOException {
        return channel.size();
    }

    long ageNanos() {
        return System.nanoTime() - openedNanos;
    }

    /** Appends the closing line, ends the gzip stream and forces the file. */
    void finish(byte[] headLine) throws IOException {
        gzip.write(headLine);
        gzip.finish();
        channel.force(true);
        channel.close();
    }

    /** Closes without a head (the file stays as a segment cut short). */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
