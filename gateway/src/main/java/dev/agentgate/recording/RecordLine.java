package dev.agentgate.recording;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line of a segment: a record as {@code <64 hex chain hash> <JSON>}, or the segment's closing {@code head <JSON>}.
 * The hash covers the JSON bytes exactly as written, so the line is checked without re-serialising anything.
 *
 * @param hash the chain hash written before the record, null for a head
 * @param json the record's (or head's) JSON bytes
 */
record RecordLine(String hash, byte[] json) {

    private static final int HASH_CHARS = 64;
    private static final byte[] HEAD = "head ".getBytes(StandardCharsets.US_ASCII);

    boolean isHead() {
        return hash == null;
    }

    static byte[] record(byte[] hash, byte[] json) {
        byte[] line = new byte[HASH_CHARS + 1 + json.length + 1];
        System.arraycopy(HashChain.hex(hash).getBytes(StandardCharsets.US_ASCII), 0, line, 0, HASH_CHARS);
        line[HASH_CHARS] = ' ';
        System.arraycopy(json, 0, line, HASH_CHARS + 1, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    static byte[] head(byte[] json) {
        byte[] line = Arrays.copyOf(HEAD, HEAD.length + json.length + 1);
        System.arraycopy(json, 0, line, HEAD.length, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** The line split in its parts; null when it is neither form (damaged). */
    static RecordLine parse(byte[] line) {
        if (line.length > HEAD.length && Arrays.equals(line, 0, HEAD.length, HEAD, 0, HEAD.length)) {
            return new RecordLine(null, Arrays.copyOfRange(line, HEAD.length, line.length));
        }
        if (line.length <= HASH_CHARS + 1 || line[HASH_CHARS] != ' ') {
            return null;
        }
        String hash = new String(line, 0, HASH_CHARS, StandardCharsets.US_ASCII);
        if (!hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return null;
        }
        return new RecordLine(hash, Arrays.copyOfRange(line, HASH_CHARS + 1, line.length));
    }
}
