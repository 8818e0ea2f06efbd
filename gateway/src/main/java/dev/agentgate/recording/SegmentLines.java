package dev.agentgate.recording;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of one segment as they can be read: a segment cut short (a crash, a truncated copy) gives the lines
 * before the cut and says it was cut, instead of failing.
 *
 * @param lines each complete line, without its newline
 * @param cutShort whether the gzip stream ended without its trailer, was corrupt, or the last line had no newline
 */
record SegmentLines(List<byte[]> lines, boolean cutShort) {

    static SegmentLines read(InputStream compressed) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean cut = false;
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = new GZIPInputStream(compressed, 16 * 1024)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines.add(line.toByteArray());
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (EOFException | ZipException cutOrCorrupt) {
            cut = true;
        }
        return new SegmentLines(List.copyOf(lines), cut || line.size() > 0);
    }
}
