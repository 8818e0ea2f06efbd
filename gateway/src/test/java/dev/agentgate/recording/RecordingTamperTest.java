package dev.agentgate.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.RecordingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way of changing a recording after the fact, and where verify says it happened. */
class RecordingTamperTest {

    private static final String SESSION = "gw1-00000000000000aa";

    @TempDir
    Path dir;

    private RecordingConfig config;

    @BeforeEach
    void recordASession() throws Exception {
        config = RecordingConfig.inDirectory(dir);
        try (RecordingService service = RecordingService.start(config, "gw1", SessionIndex.NONE, SegmentArchive.NONE)) {
            SessionEventsFixture session = new SessionEventsFixture(service.recorder(), SESSION).start("alice");
            for (int i = 1; i <= 5; i++) {
                session.query("SELECT " + i);
            }
            session.end();
        }
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void anEditedRecordIsFoundByItsHash() throws Exception {
        rewrite(lines -> {
            lines.set(
                    3,
                    new String(lines.get(3), StandardCharsets.UTF_8)
                            .replace("SELECT 3", "SELECT 9")
                            .getBytes(StandardCharsets.UTF_8));
            return lines;
        });

        assertThat(verify().problems())
                .first()
                .hasToString("segment 1, record 4: the record's content does not match its hash (changed)");
    }

    @Test
    void aDeletedRecordIsFoundWhereItIsMissing() throws Exception {
        rewrite(lines -> {
            lines.remove(2);
            return lines;
        });

        assertThat(verify().problems())
                .first()
                .hasToString("segment 1, record 4: record(s) 3..3 missing before record 4 (deleted or moved)");
    }

    @Test
    void reorderedRecordsAreFoundWhereTheOrderBreaks() throws Exception {
        rewrite(lines -> {
            byte[] third = lines.remove(2);
            lines.add(3, third);
            return lines;
        });

        assertThat(verify().problems())
                .extracting(Object::toString)
                .containsExactly(
                        "segment 1, record 4: record(s) 3..3 missing before record 4 (deleted or moved)",
                        "segment 1, record 3: record 3 is out of order (record 5 expected here)");
    }

    @Test
    void aTruncatedSegmentIsFoundByItsMissingHead() throws Exception {
        rewrite(lines -> new ArrayList<>(lines.subList(0, 4)));

        assertThat(verify().problems())
                .extracting(Object::toString)
                .contains("segment 1: no signed head: the segment ends after record 4"
                        + " (cut short, or the session is still being recorded)");
    }

    @Test
    void aHeadChangedToMatchRemovedRecordsFailsItsSignature() throws Exception {
        rewrite(lines -> {
            List<byte[]> cut = new ArrayList<>(lines.subList(0, 4));
            String head = new String(lines.get(lines.size() - 1), StandardCharsets.UTF_8);
            cut.add(head.replaceFirst("\"last_record\":7", "\"last_record\":4").getBytes(StandardCharsets.UTF_8));
            return cut;
        });

        assertThat(verify().problems())
                .extracting(Object::toString)
                .contains("segment 1: the head's signature is not valid (head changed, or another key)");
    }

    private VerifyReport verify() throws IOException {
        return RecorderTest.verifier(config).verify(new RecordingReader(new LocalSegments(dir)).read(SESSION));
    }

    /** Decompresses the segment, changes its lines, and compresses it again: what anyone with the file can do. */
    private void rewrite(UnaryOperator<List<byte[]>> change) throws IOException {
        Path segment = new RecordingLayout(dir).segmentFile(SESSION, 1);
        List<byte[]> lines;
        try (InputStream in = Files.newInputStream(segment)) {
            lines = new ArrayList<>(SegmentLines.read(in).lines());
        }
        List<byte[]> changed = change.apply(lines);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(segment))) {
            for (byte[] line : changed) {
                out.write(line);
                out.write('\n');
            }
        }
    }
}
