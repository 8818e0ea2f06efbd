package dev.agentgate.protocol;

import static dev.agentgate.protocol.ColumnDefinitionFlags.UNSIGNED_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.ZEROFILL_FLAG;
import static dev.agentgate.protocol.ColumnDefinitionFlags.isSet;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The per-type encoding of one non-NULL value in a binary protocol row: how many bytes it takes and what it
 * reads as in the text protocol. The textual form matters because masking acts on text: a value must mask to the
 * same result whether it arrived in a text row or a binary row, or joins on masked values would break.
 * Integers, floats and temporals have their own encodings; everything else (DECIMAL, strings, BLOBs, BIT, ENUM,
 * SET, JSON, GEOMETRY) is a string&lt;lenenc&gt; holding the text already.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html">Binary Protocol Resultset</a>
 */
public final class BinaryProtocolValue {

    /** Decimals at or above this (31 in MySQL, 39 in MariaDB) mean "not fixed": floats print in shortest form. */
    private static final int NOT_FIXED_DECIMALS = 31;

    private static final int FLOAT_SIGNIFICANT_DIGITS = 6;
    private static final int MAX_FRACTION_DIGITS = 6;

    private BinaryProtocolValue() {}

    /** {@link #layout}: a string&lt;lenenc&gt;. */
    static final int LENGTH_ENCODED = -1;
    /** {@link #layout}: a length byte (0, 4, 7 or 11; TIME 0, 8 or 12), then that many bytes. */
    static final int TEMPORAL = -2;
    /** {@link #layout}: a type that never appears in a row; a row with such a value is refused. */
    static final int NOT_IN_ROWS = -3;

    /**
     * How a value of {@code type} is laid out: its fixed number of bytes, or {@link #LENGTH_ENCODED}, {@link
     * #TEMPORAL} or {@link #NOT_IN_ROWS}; worked out once per result set column ({@link ResultsetColumns}).
     */
    static int layout(ColumnType type) {
        return switch (type) {
            case MYSQL_TYPE_NULL -> 0;
            case MYSQL_TYPE_TINY -> 1;
            case MYSQL_TYPE_SHORT, MYSQL_TYPE_YEAR -> 2;
            case MYSQL_TYPE_INT24, MYSQL_TYPE_LONG, MYSQL_TYPE_FLOAT -> 4;
            case MYSQL_TYPE_LONGLONG, MYSQL_TYPE_DOUBLE -> 8;
            case MYSQL_TYPE_TYPED_ARRAY, MYSQL_TYPE_INVALID, MYSQL_TYPE_BOOL -> NOT_IN_ROWS;
            case MYSQL_TYPE_DATE,
                    MYSQL_TYPE_NEWDATE,
                    MYSQL_TYPE_DATETIME,
                    MYSQL_TYPE_DATETIME2,
                    MYSQL_TYPE_TIMESTAMP,
                    MYSQL_TYPE_TIMESTAMP2,
                    MYSQL_TYPE_TIME,
                    MYSQL_TYPE_TIME2 -> TEMPORAL;
            default -> LENGTH_ENCODED;
        };
    }

    /** Skips one value of {@code type}, laid out as {@code layout} says, at the payload's reader index. */
    static void skip(MySQLPayload payload, ColumnType type, int layout) {
        if (checked(layout, type) >= 0) {
            payload.skipStringFix(layout);
        } else if (layout == TEMPORAL) {
            payload.skipStringFix(temporalLength(payload, type));
        } else {
            payload.skipStringLenenc();
        }
    }

    private static int checked(int layout, ColumnType type) {
        if (layout == NOT_IN_ROWS) {
            throw new MalformedPacketException("binary resultset row: column type " + type + " never appears in a row");
        }
        return layout;
    }

    /** Reads one value of {@code column}'s type and returns it as the text protocol would show it. */
    static byte[] readAsText(MySQLPayload payload, ColumnDefinition41Packet column, ColumnType type, int layout) {
        if (checked(layout, type) == LENGTH_ENCODED) {
            return payload.readStringLenencBytes();
        }
        String text;
        if (isDateLike(type)) {
            text = dateText(payload, temporalLength(payload, type), type, column.decimals());
        } else if (isTimeLike(type)) {
            text = timeText(payload, temporalLength(payload, type), column.decimals());
        } else if (type == ColumnType.MYSQL_TYPE_FLOAT) {
            text = floatText(Float.intBitsToFloat(payload.readInt4()), column.decimals());
        } else if (type == ColumnType.MYSQL_TYPE_DOUBLE) {
            text = doubleText(Double.longBitsToDouble(payload.readInt8()), column.decimals());
        } else {
            text = integerText(payload, column, type);
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isDateLike(ColumnType type) {
        return switch (type) {
            case MYSQL_TYPE_DATE,
                    MYSQL_TYPE_NEWDATE,
                    MYSQL_TYPE_DATETIME,
                    MYSQL_TYPE_DATETIME2,
                    MYSQL_TYPE_TIMESTAMP,
                    MYSQL_TYPE_TIMESTAMP2 -> true;
            default -> false;
        };
    }

    private static boolean isTimeLike(ColumnType type) {
        return type == ColumnType.MYSQL_TYPE_TIME || type == ColumnType.MYSQL_TYPE_TIME2;
    }

    /** Reads a temporal value's length byte and refuses lengths the type does not have (0/4/7/11, TIME 0/8/12). */
    private static int temporalLength(MySQLPayload payload, ColumnType type) {
        int length = payload.peekInt1();
        if (!validTemporalLength(type, length)) {
            throw new MalformedPacketException("binary resultset row: " + type + " value of length " + length);
        }
        return payload.readInt1();
    }

    /** Whether a temporal value of {@code type} may have {@code length} bytes after its length byte. */
    static boolean validTemporalLength(ColumnType type, int length) {
        return isTimeLike(type)
                ? length == 0 || length == 8 || length == 12
                : length == 0 || length == 4 || length == 7 || length == 11;
    }

    private static String integerText(MySQLPayload payload, ColumnDefinition41Packet column, ColumnType type) {
        boolean unsigned = isSet(column.flags(), UNSIGNED_FLAG);
        String digits = switch (type) {
            case MYSQL_TYPE_TINY -> Integer.toString(unsigned ? payload.readInt1() : (byte) payload.readInt1());
            case MYSQL_TYPE_SHORT -> Integer.toString(unsigned ? payload.readInt2() : (short) payload.readInt2());
            case MYSQL_TYPE_YEAR -> pad(payload.readInt2(), 4);
            case MYSQL_TYPE_INT24, MYSQL_TYPE_LONG ->
                unsigned ? Integer.toUnsignedString(payload.readInt4()) : Integer.toString(payload.readInt4());
            case MYSQL_TYPE_LONGLONG ->
                unsigned ? Long.toUnsignedString(payload.readInt8()) : Long.toString(payload.readInt8());
            default -> "";
        };
        return isSet(column.flags(), ZEROFILL_FLAG) ? leftPad(digits, column.columnLength()) : digits;
    }

    /** MySQL prints a FLOAT with 6 significant digits unless the column fixes its decimals. */
    private static String floatText(float value, int decimals) {
        if (decimals < NOT_FIXED_DECIMALS || Float.isNaN(value) || Float.isInfinite(value)) {
            return doubleText(value, decimals);
        }
        return shortest(new BigDecimal(value).round(new MathContext(FLOAT_SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN)));
    }

    private static String doubleText(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (decimals < NOT_FIXED_DECIMALS) {
            return new BigDecimal(value)
                    .setScale(decimals, RoundingMode.HALF_UP)
                    .toPlainString();
        }
        return shortest(new BigDecimal(Double.toString(value)));
    }

    /** Plain notation for moderate exponents, else MySQL's {@code 1.5e20} / {@code 1e-7} style. */
    private static String shortest(BigDecimal value) {
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        int exponent = stripped.precision() - stripped.scale() - 1;
        if (exponent >= -5 && exponent < 15) {
            return stripped.toPlainString();
        }
        BigDecimal mantissa = stripped.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    private static String dateText(MySQLPayload payload, int length, ColumnType type, int decimals) {
        StringBuilder text = new StringBuilder(26);
        text.append(pad(length == 0 ? 0 : payload.readInt2(), 4))
                .append('-')
                .append(pad(length == 0 ? 0 : payload.readInt1(), 2))
                .append('-')
                .append(pad(length == 0 ? 0 : payload.readInt1(), 2));
        if (type == ColumnType.MYSQL_TYPE_DATE || type == ColumnType.MYSQL_TYPE_NEWDATE) {
            return text.toString();
        }
        boolean hasTime = length > 4;
        text.append(' ')
                .append(pad(hasTime ? payload.readInt1() : 0, 2))
                .append(':')
                .append(pad(hasTime ? payload.readInt1() : 0, 2))
                .append(':')
                .append(pad(hasTime ? payload.readInt1() : 0, 2));
        return appendFraction(text, length == 11 ? payload.readInt4() : 0, decimals)
                .toString();
    }

    private static String timeText(MySQLPayload payload, int length, int decimals) {
        StringBuilder text = new StringBuilder(20);
        if (length == 0) {
            text.append("00:00:00");
            return appendFraction(text, 0, decimals).toString();
        }
        boolean negative = payload.readInt1() == 1;
        long hours = Integer.toUnsignedLong(payload.readInt4()) * 24 + payload.readInt1();
        int minutes = payload.readInt1();
        int seconds = payload.readInt1();
        int micros = length == 12 ? payload.readInt4() : 0;
        text.append(negative ? "-" : "")
                .append(pad(hours, 2))
                .append(':')
                .append(pad(minutes, 2))
                .append(':')
                .append(pad(seconds, 2));
        return appendFraction(text, micros, decimals).toString();
    }

    private static StringBuilder appendFraction(StringBuilder text, int micros, int decimals) {
        int digits = Math.min(decimals, MAX_FRACTION_DIGITS);
        if (digits > 0) {
            text.append('.').append(pad(micros, MAX_FRACTION_DIGITS), 0, digits);
        }
        return text;
    }

    private static String pad(long value, int width) {
        return leftPad(Long.toString(value), width);
    }

    private static String leftPad(String digits, long width) {
        return digits.length() >= width ? digits : "0".repeat((int) width - digits.length()) + digits;
    }
}
