package dev.agentgate.transport.masking;

import static dev.agentgate.protocol.ColumnDefinitionFlags.ENUM_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.MULTIPLE_KEY_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.NOT_NULL_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.NO_DEFAULT_VALUE_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.PRI_KEY_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.SET_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.UNIQUE_KEY_FLAG;

import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ColumnType;

/**
 * The column definition a client sees for a masked column, so that no client breaks on a masked value:
 * <ul>
 * <li>a strategy that masks to NULL keeps the type and only loses NOT NULL;</li>
 * <li>a string or BLOB column keeps its type and charset, its length grows if masked values can be longer;</li>
 * <li>any other column (numbers, temporals, YEAR, BIT, ENUM, SET, JSON, GEOMETRY, ...) becomes a utf8mb4
 * VAR_STRING long enough for the masked text, keeping only its key flags; {@code ***} is no valid INT or DATE.</li>
 * </ul>
 * Masked columns never carry a default value (COM_FIELD_LIST), as the default could be a clear value too. MariaDB's
 * extended metadata (type name such as {@code point} or {@code uuid}, format name {@code json}) is kept only by a
 * column masked to NULL; any other masked column sends an empty block, as masked text is no valid JSON, POINT or UUID.
 */
final class MaskedColumnDefinition {

    /** utf8mb4_general_ci: known to MySQL 5.5+ and every MariaDB, unlike MySQL 8's default 255. */
    static final int UTF8MB4_GENERAL_CI = 45;

    private static final long MAX_COLUMN_LENGTH = 0xFFFF_FFFFL;
    private static final int KEY_FLAGS = PRI_KEY_FLAG | UNIQUE_KEY_FLAG | MULTIPLE_KEY_FLAG | NO_DEFAULT_VALUE_FLAG;

    private MaskedColumnDefinition() {}

    static ColumnDefinition41Packet of(ColumnDefinition41Packet column, ColumnType type, MaskingStrategy strategy) {
        if (strategy.masksToNull()) {
            return with(
                    column,
                    column.characterSet(),
                    column.columnLength(),
                    column.columnType(),
                    column.flags() & ~NOT_NULL_FLAG,
                    column.decimals(),
                    column.extendedMetadata());
        }
        long maskedLength = Math.min(MAX_COLUMN_LENGTH, strategy.maxMaskedLength(column.columnLength()));
        if (keepsType(column, type)) {
            return with(
                    column,
                    column.characterSet(),
                    Math.max(column.columnLength(), maskedLength),
                    column.columnType(),
                    column.flags() & ~NOT_NULL_FLAG,
                    column.decimals(),
                    withoutExtendedType(column));
        }
        return with(
                column,
                UTF8MB4_GENERAL_CI,
                maskedLength,
                ColumnType.MYSQL_TYPE_VAR_STRING.code(),
                column.flags() & KEY_FLAGS,
                0,
                withoutExtendedType(column));
    }

    /** An empty extended metadata block where the backend sent one (it is negotiated), else none. */
    private static byte[] withoutExtendedType(ColumnDefinition41Packet column) {
        return column.extendedMetadata() == null ? null : new byte[0];
    }

    /** Whether masked text is a valid value of the column's own type: plain strings and BLOBs, not ENUM or SET. */
    static boolean keepsType(ColumnDefinition41Packet column, ColumnType type) {
        boolean stringType = switch (type) {
            case MYSQL_TYPE_VARCHAR,
                    MYSQL_TYPE_VAR_STRING,
                    MYSQL_TYPE_STRING,
                    MYSQL_TYPE_TINY_BLOB,
                    MYSQL_TYPE_MEDIUM_BLOB,
                    MYSQL_TYPE_LONG_BLOB,
                    MYSQL_TYPE_BLOB -> true;
            default -> false;
        };
        return stringType && (column.flags() & (ENUM_FLAG | SET_FLAG)) == 0;
    }

    private static ColumnDefinition41Packet with(
            ColumnDefinition41Packet column,
            int characterSet,
            long columnLength,
            int columnType,
            int flags,
            int decimals,
            byte[] extendedMetadata) {
        return new ColumnDefinition41Packet(
                column.catalog(),
                column.schema(),
                column.table(),
                column.orgTable(),
                column.name(),
                column.orgName(),
                characterSet,
                columnLength,
                columnType,
                flags,
                decimals,
                null,
                extendedMetadata);
    }
}
