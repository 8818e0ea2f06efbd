package dev.agentgate.protocol;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes the parameter part of COM_STMT_EXECUTE: the NULL bitmap, the new-params-bound flag, the parameter
 * types (only sent when that flag is 1; the server keeps the last ones) and the values in the binary protocol
 * encoding. Parameters whose value was sent earlier with COM_STMT_SEND_LONG_DATA have no value (and no NULL
 * bit) in the packet; their value is the concatenated long data. Anything the gateway cannot decode exactly
 * is a {@link MalformedPacketException}: a value the policy sees must be the value the server executes.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value">Binary Protocol Value</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_send_long_data.html">COM_STMT_SEND_LONG_DATA</a>
 */
public final class BinaryParameterValues {

    private BinaryParameterValues() {}

    /**
     * @param payload positioned after the iteration count
     * @param numParams the statement's parameter count, from COM_STMT_PREPARE_OK
     * @param previousTypes the types of the last execute that sent them; empty if none did yet
     * @param longData parameter index to the bytes sent for it with COM_STMT_SEND_LONG_DATA
     */
    public static BoundParameters read(
            MySQLPayload payload, int numParams, List<ParameterType> previousTypes, Map<Integer, byte[]> longData) {
        if (numParams == 0) {
            return BoundParameters.NONE;
        }
        byte[] nullBitmap = payload.readStringFixBytes((numParams + 7) / 8);
        boolean newParamsBound = payload.readInt1() == 1;
        List<ParameterType> types = newParamsBound ? readTypes(payload, numParams) : previousTypes;
        if (types.size() != numParams) {
            throw new MalformedPacketException(
                    "COM_STMT_EXECUTE: " + numParams + " parameters but no types were ever bound for them");
        }
        List<Object> values = new ArrayList<>(numParams);
        for (int i = 0; i < numParams; i++) {
            ParameterType type = types.get(i);
            if (longData.containsKey(i)) {
                values.add(fromBytes(type, longData.get(i)));
            } else if ((nullBitmap[i / 8] & 1 << i % 8) != 0 || type.type() == ColumnType.MYSQL_TYPE_NULL) {
                values.add(null);
            } else {
                values.add(readValue(payload, type));
            }
        }
        return new BoundParameters(types, newParamsBound, values);
    }

    private static List<ParameterType> readTypes(MySQLPayload payload, int numParams) {
        List<ParameterType> types = new ArrayList<>(numParams);
        for (int i = 0; i < numParams; i++) {
            types.add(ParameterType.read(payload));
        }
        return types;
    }

    /** One value in the binary protocol encoding of {@code type}. */
    public static Object readValue(MySQLPayload payload, ParameterType type) {
        boolean unsigned = type.unsigned();
        return switch (type.type()) {
            case MYSQL_TYPE_TINY -> unsigned ? (long) payload.readInt1() : (long) (byte) payload.readInt1();
            case MYSQL_TYPE_SHORT, MYSQL_TYPE_YEAR ->
                unsigned ? (long) payload.readInt2() : (long) (short) payload.readInt2();
            case MYSQL_TYPE_LONG, MYSQL_TYPE_INT24 ->
                unsigned ? Integer.toUnsignedLong(payload.readInt4()) : (long) payload.readInt4();
            case MYSQL_TYPE_LONGLONG -> longlong(payload.readInt8(), unsigned);
            case MYSQL_TYPE_FLOAT -> Float.intBitsToFloat(payload.readInt4());
            case MYSQL_TYPE_DOUBLE -> Double.longBitsToDouble(payload.readInt8());
            case MYSQL_TYPE_DATE,
                    MYSQL_TYPE_NEWDATE,
                    MYSQL_TYPE_DATETIME,
                    MYSQL_TYPE_TIMESTAMP,
                    MYSQL_TYPE_DATETIME2,
                    MYSQL_TYPE_TIMESTAMP2 -> readDateTime(payload, type.type());
            case MYSQL_TYPE_TIME, MYSQL_TYPE_TIME2 -> readTime(payload);
            case MYSQL_TYPE_NULL -> null;
            default -> fromBytes(type, readLenencValue(payload, type));
        };
    }

    private static byte[] readLenencValue(MySQLPayload payload, ParameterType type) {
        if (!isText(type.type()) && !isBinary(type.type())) {
            throw new MalformedPacketException(
                    "COM_STMT_EXECUTE: parameter type " + type.type() + " is not supported by agentgate");
        }
        return payload.readStringLenencBytes();
    }

    /** Bytes of a string-like value: text (UTF-8) for character and decimal types, else binary. */
    private static Object fromBytes(ParameterType type, byte[] bytes) {
        if (isBinary(type.type())) {
            return bytes;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notText) {
            return bytes;
        }
    }

    private static boolean isText(ColumnType type) {
        return switch (type) {
            case MYSQL_TYPE_DECIMAL,
                    MYSQL_TYPE_NEWDECIMAL,
                    MYSQL_TYPE_VARCHAR,
                    MYSQL_TYPE_VAR_STRING,
                    MYSQL_TYPE_STRING,
                    MYSQL_TYPE_ENUM,
                    MYSQL_TYPE_SET,
                    MYSQL_TYPE_JSON -> true;
            default -> false;
        };
    }

    private static boolean isBinary(ColumnType type) {
        return switch (type) {
            case MYSQL_TYPE_TINY_BLOB,
                    MYSQL_TYPE_MEDIUM_BLOB,
                    MYSQL_TYPE_LONG_BLOB,
                    MYSQL_TYPE_BLOB,
                    MYSQL_TYPE_GEOMETRY,
                    MYSQL_TYPE_BIT -> true;
            default -> false;
        };
    }

    private static Object longlong(long value, boolean unsigned) {
        if (unsigned && value < 0) {
            return new BigInteger(Long.toUnsignedString(value));
        }
        return value;
    }

    /** Length 0, 4, 7 or 11: year, month, day [, hour, minute, second [, microsecond]]. */
    private static String readDateTime(MySQLPayload payload, ColumnType type) {
        int length = payload.readInt1();
        if (length != 0 && length != 4 && length != 7 && length != 11) {
            throw new MalformedPacketException(
                    "COM_STMT_EXECUTE: a " + type + " value has length 0, 4, 7 or 11, was " + length);
        }
        int year = length == 0 ? 0 : payload.readInt2();
        int month = length == 0 ? 0 : payload.readInt1();
        int day = length == 0 ? 0 : payload.readInt1();
        String date = String.format("%04d-%02d-%02d", year, month, day);
        boolean dateOnly = type == ColumnType.MYSQL_TYPE_DATE || type == ColumnType.MYSQL_TYPE_NEWDATE;
        if (length <= 4) {
            return dateOnly ? date : date + "T00:00:00";
        }
        int hour = payload.readInt1();
        int minute = payload.readInt1();
        int second = payload.readInt1();
        long micros = length == 11 ? Integer.toUnsignedLong(payload.readInt4()) : 0;
        return date + "T" + clock(hour, minute, second, micros);
    }

    /** Length 0, 8 or 12: is_negative, days, hour, minute, second [, microsecond]; as [-]hours:mm:ss[.ffffff]. */
    private static String readTime(MySQLPayload payload) {
        int length = payload.readInt1();
        if (length != 0 && length != 8 && length != 12) {
            throw new MalformedPacketException("COM_STMT_EXECUTE: a TIME value has length 0, 8 or 12, was " + length);
        }
        if (length == 0) {
            return "00:00:00";
        }
        boolean negative = payload.readInt1() == 1;
        long days = Integer.toUnsignedLong(payload.readInt4());
        int hour = payload.readInt1();
        int minute = payload.readInt1();
        int second = payload.readInt1();
        long micros = length == 12 ? Integer.toUnsignedLong(payload.readInt4()) : 0;
        return (negative ? "-" : "") + clock(days * 24 + hour, minute, second, micros);
    }

    private static String clock(long hours, int minute, int second, long micros) {
        String clock = String.format("%02d:%02d:%02d", hours, minute, second);
        return micros == 0 ? clock : clock + String.format(".%06d", micros);
    }
}
