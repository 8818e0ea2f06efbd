package dev.agentgate.protocol;

/**
 * Capability flags exchanged in the handshake; the lower 16 bits travel first, the upper 16 later.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html">Capabilities Flags</a>
 */
public final class CapabilityFlags {

    public static final long CLIENT_LONG_PASSWORD = 1L;
    public static final long CLIENT_FOUND_ROWS = 1L << 1;
    public static final long CLIENT_LONG_FLAG = 1L << 2;
    public static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
    public static final long CLIENT_NO_SCHEMA = 1L << 4;
    public static final long CLIENT_COMPRESS = 1L << 5;
    public static final long CLIENT_ODBC = 1L << 6;
    public static final long CLIENT_LOCAL_FILES = 1L << 7;
    public static final long CLIENT_IGNORE_SPACE = 1L << 8;
    public static final long CLIENT_PROTOCOL_41 = 1L << 9;
    public static final long CLIENT_INTERACTIVE = 1L << 10;
    public static final long CLIENT_SSL = 1L << 11;
    public static final long CLIENT_IGNORE_SIGPIPE = 1L << 12;
    public static final long CLIENT_TRANSACTIONS = 1L << 13;
    public static final long CLIENT_RESERVED = 1L << 14;
    public static final long CLIENT_SECURE_CONNECTION = 1L << 15;
    public static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
    public static final long CLIENT_MULTI_RESULTS = 1L << 17;
    public static final long CLIENT_PS_MULTI_RESULTS = 1L << 18;
    public static final long CLIENT_PLUGIN_AUTH = 1L << 19;
    public static final long CLIENT_CONNECT_ATTRS = 1L << 20;
    public static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    public static final long CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
    public static final long CLIENT_SESSION_TRACK = 1L << 23;
    public static final long CLIENT_DEPRECATE_EOF = 1L << 24;
    public static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
    public static final long CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1L << 26;
    public static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;
    public static final long MULTI_FACTOR_AUTHENTICATION = 1L << 28;
    public static final long CLIENT_CAPABILITY_EXTENSION = 1L << 29;
    public static final long CLIENT_SSL_VERIFY_SERVER_CERT = 1L << 30;
    public static final long CLIENT_REMEMBER_OPTIONS = 1L << 31;
    /**
     * MariaDB calls bit 0 CLIENT_MYSQL: a greeting or response without it carries MariaDB's extended capabilities in
     * the last 4 filler bytes. This gateway keeps them in bits 32-63 of a capability long, as MariaDB does.
     */
    public static final long CLIENT_MYSQL = CLIENT_LONG_PASSWORD;
    /** MariaDB: column definitions carry extended metadata (type and format name) after org_name. */
    public static final long MARIADB_CLIENT_EXTENDED_METADATA = 1L << 35;

    private CapabilityFlags() {}

    /** True when every bit of {@code flag} is set in {@code flags}. */
    public static boolean has(long flags, long flag) {
        return (flags & flag) == flag;
    }

    /** The flags both sides support. */
    public static long intersect(long serverFlags, long clientFlags) {
        return serverFlags & clientFlags;
    }

    /** The lower 16 bits (sent as int&lt;2&gt;). */
    public static int lower(long flags) {
        return (int) (flags & 0xFFFF);
    }

    /** The upper 16 bits (sent as int&lt;2&gt;). */
    public static int upper(long flags) {
        return (int) (flags >>> 16 & 0xFFFF);
    }

    public static long combine(int lower, int upper) {
        return (long) upper << 16 | lower;
    }

    /** The MariaDB extended capabilities (bits 32-63, sent as int&lt;4&gt; in the filler). */
    public static int mariaDbExtended(long flags) {
        return (int) (flags >>> 32);
    }

    /** {@code flags} with MariaDB's extended capabilities added, unless {@code flags} says CLIENT_MYSQL (no MariaDB). */
    public static long withMariaDbExtended(long flags, int extended) {
        return has(flags, CLIENT_MYSQL) ? flags : flags | Integer.toUnsignedLong(extended) << 32;
    }
}
