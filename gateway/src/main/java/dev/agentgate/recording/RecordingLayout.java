package dev.agentgate.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where recordings are on disk: {@code DIR/<session id>/segment-000001.jsonl.gz}, one directory per session, its
 * segments numbered from 1. The same names, under a prefix, are the object keys in S3.
 */
public final class RecordingLayout {

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{6})\\.jsonl\\.gz");

    private final Path dir;

    public RecordingLayout(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Session ids name directories: anything else (a path, {@code ..}) is refused. */
    public static String checkedSessionId(String sessionId) {
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("not a session id: '" + sessionId + "'");
        }
        return sessionId;
    }

    public Path sessionDir(String sessionId) {
        return dir.resolve(checkedSessionId(sessionId));
    }

    public static String segmentName(int segment) {
        return String.format("segment-%06d.jsonl.gz", segment);
    }

    /** The segment number in a file or object name, -1 when the name is not a segment's. */
    public static int segmentNumber(String name) {
        var matcher = SEGMENT.matcher(name);
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    public Path segmentFile(String sessionId, int segment) {
        return sessionDir(sessionId).resolve(segmentName(segment));
    }

    /** Every session with a directory here, in no particular order. */
    public List<String> sessionIds() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .map(path -> path.getFileName().toString())
                    .filter(name -> SESSION_ID.matcher(name).matches())
                    .toList();
        }
    }

    /** The session's segment files in order. */
    public List<Path> segments(String sessionId) throws IOException {
        Path sessionDir = sessionDir(sessionId);
        if (!Files.isDirectory(sessionDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(sessionDir)) {
            List<Path> segments = new ArrayList<>(
                    entries.filter(path -> segmentNumber(path.getFileName().toString()) > 0)
                            .toList());
            segments.sort(null);
            return segments;
        }
    }
}
