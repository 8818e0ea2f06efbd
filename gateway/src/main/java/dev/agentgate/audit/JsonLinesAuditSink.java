package dev.agentgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.review.Playback;
import dev.agentgate.review.PlaybackLog;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIEM export: every session event but response packets, as one JSON object per line, to a file or stdout
 * ({@code audit.jsonl}). Sessions hand events over through a bounded queue and never wait: one thread of its own
 * turns them into JSON and writes them. When the writer falls {@value #CAPACITY} events behind, events are dropped
 * and counted, and an {@code events_dropped} line says how many, so a gap in the export is never silent. Playbacks of
 * recordings are exported too ({@code session_watched}), but never dropped: one that does not fit is refused.
 */
public final class JsonLinesAuditSink implements SessionEvents, PlaybackLog, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JsonLinesAuditSink.class);
    static final int CAPACITY = 10_000;
    /** The value of {@code audit.jsonl} that means standard output. */
    public static final String STDOUT = "-";
    /** Ends the writer thread once everything before it is written. */
    private static final SessionEvent END = new SessionEvent.Ended("", Instant.EPOCH, null, null);

    private final BlockingQueue<Object> queue; // session events and playbacks
    private final Writer out;
    private final AuditEventJson json;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final boolean closeOutput;

    /**
     * @param out where the lines go
     * @param capacity events that may wait to be written
     * @param closeOutput whether closing the sink closes {@code out} (not for stdout)
     */
    JsonLinesAuditSink(OutputStream out, int capacity, boolean closeOutput) {
        this.closeOutput = closeOutput;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        this.json = new AuditEventJson(mapper);
        this.writer = new Thread(this::writeUntilClosed, "audit-jsonl");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * The export {@code audit.jsonl} names: {@code "-"} for stdout, else a file lines are appended to (created when
     * missing).
     *
     * @throws IOException when the file cannot be opened: the gateway does not start without its export
     */
    public static JsonLinesAuditSink open(String jsonl) throws IOException {
        if (STDOUT.equals(jsonl)) {
            return new JsonLinesAuditSink(System.out, CAPACITY, false);
        }
        Path file = Path.of(jsonl);
        return new JsonLinesAuditSink(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), CAPACITY, true);
    }

    @Override
    public void on(SessionEvent event) {
        if (event instanceof SessionEvent.ResponsePacket) {
            return;
        }
        if (!queue.offer(event) && dropped.getAndIncrement() == 0) {
            log.warn("audit.jsonl falls behind: session events are dropped until it catches up");
        }
    }

    @Override
    public CompletableFuture<Void> watched(Playback playback) {
        return queue.offer(playback)
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IllegalStateException("audit.jsonl falls behind"));
    }

    private void writeUntilClosed() {
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    break;
                }
                if (next instanceof Playback playback) {
                    line(json.of(playback));
                } else {
                    write((SessionEvent) next);
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException failed) {
            log.error("audit.jsonl cannot be written; no more session events are exported", failed);
        }
    }

    private void write(SessionEvent event) throws IOException {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            ObjectNode gap = mapper.createObjectNode();
            gap.put("event", "events_dropped");
            gap.put("at", Instant.now().toString());
            gap.put("count", lost);
            line(gap);
        }
        ObjectNode line = json.of(event);
        if (line != null) {
            line(line);
        }
    }

    private void line(ObjectNode node) throws IOException {
        out.write(mapper.writeValueAsString(node));
        out.write('\n');
    }

    /** Writes what is queued (waiting up to 10 s), then closes the output. */
    @Override
    public void close() {
        try {
            if (queue.offer(END, 10, TimeUnit.SECONDS)) {
                writer.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            out.flush();
            if (closeOutput) {
                out.close();
            }
        } catch (IOException ignored) {
            // the writer thread already logged why the export stopped
        }
    }
}
