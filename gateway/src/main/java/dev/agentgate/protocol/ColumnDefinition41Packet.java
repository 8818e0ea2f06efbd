package dev.agentgate.protocol;

import io.netty.buffer.Unpooled;
import java.util.Optional;

/**
 * Describes one column of a result set (or one parameter of a prepared statement). The fixed-length block
 * is announced as 0x0c bytes; a longer block's unknown tail is skipped. COM_FIELD_LIST responses append the
 * column's default value, kept raw ({@code null} when absent or NULL: 0xFB). With MariaDB's
 * {@code MARIADB_CLIENT_EXTENDED_METADATA} negotiated, a lenenc block follows org_name: pairs of a key byte
 * (0 type name, 1 format name) and a lenenc string. It is kept raw, so an unchanged definition is written back
 * byte for byte.
 *
 * @param extendedMetadata the extended metadata block without its length, {@code null} when not negotiated
 * @param columnLength unsigned int&lt;4&gt;
 * @param columnType raw type code, see {@link #type()}
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html">Protocol::ColumnDefinition41</a>
 */
public record ColumnDefinition41Packet(
        String catalog,
        String schema,
        String table,
        String orgTable,
        String name,
        String orgName,
        int characterSet,
        long columnLength,
        int columnType,
        int flags,
        int decimals,
        byte[] defaultValues,
        byte[] extendedMetadata)
        implements MySQLPacket {

    public static final String DEFAULT_CATALOG = "def";
    private static final int FIXED_FIELDS_LENGTH = 0x0c;
    /** charset(2) + length(4) + type(1) + flags(2) + decimals(1); the remaining 2 bytes are filler. */
    private static final int KNOWN_FIXED_BYTES = 10;
    /** A COM_FIELD_LIST column whose default is NULL (or that has none) sends this instead of a string. */
    private static final int NULL_DEFAULT = 0xFB;
    /** The key of the type name in the extended metadata ({@code point}, {@code uuid}, {@code inet6}, ...). */
    public static final int EXTENDED_TYPE_NAME = 0;
    /** The key of the format name in the extended metadata ({@code json} for a JSON column). */
    public static final int EXTENDED_FORMAT_NAME = 1;

    /** A definition without extended metadata (MARIADB_CLIENT_EXTENDED_METADATA not negotiated). */
    public ColumnDefinition41Packet(
            String catalog,
            String schema,
            String table,
            String orgTable,
            String name,
            String orgName,
            int characterSet,
            long columnLength,
            int columnType,
            int flags,
            int decimals,
            byte[] defaultValues) {
        this(
                catalog,
                schema,
                table,
                orgTable,
                name,
                orgName,
                characterSet,
                columnLength,
                columnType,
                flags,
                decimals,
                defaultValues,
                null);
    }

    /** Reads a definition sent without MARIADB_CLIENT_EXTENDED_METADATA. */
    public static ColumnDefinition41Packet read(MySQLPayload payload) {
        return read(payload, false);
    }

    /** @param extendedMetadata whether MARIADB_CLIENT_EXTENDED_METADATA is negotiated on the connection */
    public static ColumnDefinition41Packet read(MySQLPayload payload, boolean extendedMetadata) {
        String catalog = payload.readStringLenenc();
        String schema = payload.readStringLenenc();
        String table = payload.readStringLenenc();
        String orgTable = payload.readStringLenenc();
        String name = payload.readStringLenenc();
        String orgName = payload.readStringLenenc();
        byte[] extended = extendedMetadata ? payload.readStringLenencBytes() : null;
        long fixedLength = payload.readIntLenenc();
        if (fixedLength < KNOWN_FIXED_BYTES) {
            throw new MalformedPacketException("ColumnDefinition41: fixed-length fields of " + fixedLength
                    + " bytes, at least " + KNOWN_FIXED_BYTES + " expected");
        }
        int characterSet = payload.readInt2();
        long columnLength = Integer.toUnsignedLong(payload.readInt4());
        int columnType = payload.readInt1();
        int flags = payload.readInt2();
        int decimals = payload.readInt1();
        payload.skipReserved((int) fixedLength - KNOWN_FIXED_BYTES);
        byte[] defaultValues = null;
        if (payload.hasRemaining() && payload.peekInt1() == NULL_DEFAULT) {
            payload.skipReserved(1);
        } else if (payload.hasRemaining()) {
            defaultValues = payload.readStringLenencBytes();
        }
        return new ColumnDefinition41Packet(
                catalog,
                schema,
                table,
                orgTable,
                name,
                orgName,
                characterSet,
                columnLength,
                columnType,
                flags,
                decimals,
                defaultValues,
                extended);
    }

    /** Whether {@code capabilityFlags} make column definitions carry extended metadata. */
    public static boolean hasExtendedMetadata(long capabilityFlags) {
        return CapabilityFlags.has(capabilityFlags, CapabilityFlags.MARIADB_CLIENT_EXTENDED_METADATA);
    }

    /** The extended metadata entry under {@code key} (e.g. {@link #EXTENDED_TYPE_NAME}), empty when absent. */
    public Optional<String> extendedMetadata(int key) {
        if (extendedMetadata == null) {
            return Optional.empty();
        }
        MySQLPayload entries = new MySQLPayload(Unpooled.wrappedBuffer(extendedMetadata));
        while (entries.hasRemaining()) {
            int entryKey = entries.readInt1();
            String value = entries.readStringLenenc();
            if (entryKey == key) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The column type, empty for a code this gateway does not know. */
    public Optional<ColumnType> type() {
        return ColumnType.fromCode(columnType);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeStringLenenc(catalog);
        payload.writeStringLenenc(schema);
        payload.writeStringLenenc(table);
        payload.writeStringLenenc(orgTable);
        payload.writeStringLenenc(name);
        payload.writeStringLenenc(orgName);
        if (extendedMetadata != null) {
            payload.writeBytesLenenc(extendedMetadata);
        }
        payload.writeIntLenenc(FIXED_FIELDS_LENGTH);
        payload.writeInt2(characterSet);
        payload.writeInt4((int) columnLength);
        payload.writeInt1(columnType);
        payload.writeInt2(flags);
        payload.writeInt1(decimals);
        payload.writeReserved(FIXED_FIELDS_LENGTH - KNOWN_FIXED_BYTES);
        if (defaultValues != null) {
            payload.writeBytesLenenc(defaultValues);
        }
    }
}
