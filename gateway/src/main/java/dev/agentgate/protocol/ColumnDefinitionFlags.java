package dev.agentgate.protocol;

/**
 * Bits of {@link ColumnDefinition41Packet#flags()}.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__column__definition__flags.html">Column Definition Flags</a>
 */
public final class ColumnDefinitionFlags {

    public static final int NOT_NULL_FLAG = 1;
    public static final int PRI_KEY_FLAG = 1 << 1;
    public static final int UNIQUE_KEY_FLAG = 1 << 2;
    public static final int MULTIPLE_KEY_FLAG = 1 << 3;
    public static final int BLOB_FLAG = 1 << 4;
    public static final int UNSIGNED_FLAG = 1 << 5;
    public static final int ZEROFILL_FLAG = 1 << 6;
    public static final int BINARY_FLAG = 1 << 7;
    public static final int ENUM_FLAG = 1 << 8;
    public static final int AUTO_INCREMENT_FLAG = 1 << 9;
    public static final int TIMESTAMP_FLAG = 1 << 10;
    public static final int SET_FLAG = 1 << 11;
    public static final int NO_DEFAULT_VALUE_FLAG = 1 << 12;
    public static final int ON_UPDATE_NOW_FLAG = 1 << 13;
    public static final int NUM_FLAG = 1 << 15;

    /** The collation id of the binary character set: values are raw bytes, not text. */
    public static final int BINARY_CHARACTER_SET = 63;

    private ColumnDefinitionFlags() {}

    public static boolean isSet(int flags, int flag) {
        return (flags & flag) != 0;
    }
}
