package dev.agentgate.enforcement.masking;

/**
 * How to see a column value's bytes when a strategy keeps part of it: as UTF-8 characters (never split inside a
 * character) or as single bytes (the binary charset, and the single-byte charsets such as latin1).
 */
public enum ValueEncoding {
    UTF8,
    BYTES;

    private static final int BINARY_COLLATION = 63;

    /** The encoding of a column whose collation id (ColumnDefinition41 character set) is {@code collationId}. */
    public static ValueEncoding forCollation(int collationId) {
        return collationId != BINARY_COLLATION && isUtf8(collationId) ? UTF8 : BYTES;
    }

    /**
     * utf8mb3 and utf8mb4 collation ids of MySQL 8 and MariaDB: MariaDB numbers a NO PAD collation 1024 above its
     * PAD SPACE twin, and its UCA 14 collations (2048 and up) are all Unicode; a result set's charset is never
     * UCS-2/UTF-16/UTF-32, so those are UTF-8 here.
     */
    private static boolean isUtf8(int id) {
        if (id >= 2048) {
            return true;
        }
        int padSpaceId = id >= 1024 ? id - 1024 : id;
        return padSpaceId == 33
                || padSpaceId == 45
                || padSpaceId == 46
                || padSpaceId == 76
                || padSpaceId == 83
                || padSpaceId >= 192 && padSpaceId <= 247
                || padSpaceId >= 255 && padSpaceId <= 323;
    }
}
