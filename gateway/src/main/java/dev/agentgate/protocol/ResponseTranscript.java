package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded response read back as the client saw it: OKs, errors, result sets with their column names and values
 * (text and binary protocol rows, values as text), the answer to a PREPARE. Works from the packets alone, without
 * the capabilities the session negotiated: an EOF packet is told from a result's closing OK by its length (EOF is 5
 * bytes, an OK at least 7), MariaDB's extended metadata by the byte that follows org_name.
 */
public final class ResponseTranscript {

    /** One part of a response. */
    public interface Part {}

    public record Ok(long affectedRows, long lastInsertId, int warnings, String info) implements Part {}

    public record Error(int code, String sqlState, String message) implements Part {}

    /**
     * @param characterSets each column's collation id, which says how its values are encoded
     * @param rows each row's values as the client received them (as text), null for SQL NULL
     */
    public record ResultSet(List<String> columns, List<Integer> characterSets, List<List<byte[]>> rows)
            implements Part {

        /** Column {@code column} of {@code row} decoded as a client does, by the column's character set. */
        public String text(List<byte[]> row, int column) {
            return ResponseTranscript.text(row.get(column), characterSets.get(column));
        }
    }

    public record Prepared(long statementId, int columns, int parameters) implements Part {}

    private final List<byte[]> packets;
    private final boolean binaryRows;
    private int next;

    private ResponseTranscript(List<byte[]> packets, boolean binaryRows) {
        this.packets = packets;
        this.binaryRows = binaryRows;
    }

    /**
     * @param command the command the response answers ({@code COM_QUERY}, {@code COM_STMT_EXECUTE}, ...): EXECUTE
     *     and FETCH rows are binary, a PREPARE is answered by a statement id
     * @param knownColumns columns of a FETCH (its EXECUTE's), which are not sent again; empty otherwise
     */
    public static List<Part> decode(List<byte[]> packets, String command, List<ColumnDefinition41Packet> knownColumns) {
        boolean binary = command.equals("COM_STMT_EXECUTE") || command.equals("COM_STMT_FETCH");
        ResponseTranscript reader = new ResponseTranscript(packets, binary);
        List<Part> parts = new ArrayList<>();
        if (command.equals("COM_STMT_FETCH") && !knownColumns.isEmpty()) {
            parts.add(reader.rows(knownColumns));
        }
        while (reader.next < packets.size()) {
            parts.add(command.equals("COM_STMT_PREPARE") ? reader.prepared() : reader.part());
        }
        return parts;
    }

    /** The column definitions of the first result set in {@code packets} (for a later FETCH), empty when none. */
    public static List<ColumnDefinition41Packet> columnsOf(List<byte[]> packets) {
        if (packets.isEmpty() || isOkOrErr(packets.get(0))) {
            return List.of();
        }
        int count = (int) payload(packets.get(0)).readIntLenenc();
        List<ColumnDefinition41Packet> columns = new ArrayList<>();
        for (int i = 1; i <= count && i < packets.size(); i++) {
            columns.add(column(packets.get(i)));
        }
        return columns;
    }

    private Part part() {
        byte[] packet = packets.get(next);
        int header = packet[0] & 0xFF;
        if (header == ErrPacket.HEADER) {
            next++;
            return error(packet);
        }
        if (header == OkPacket.HEADER || (header == OkPacket.EOF_HEADER && packet.length < 9)) {
            next++;
            return ok(packet);
        }
        MySQLPayload count = payload(packet);
        int columnCount = (int) count.readIntLenenc();
        next++;
        List<ColumnDefinition41Packet> columns = new ArrayList<>();
        for (int i = 0; i < columnCount && next < packets.size(); i++) {
            columns.add(column(packets.get(next++)));
        }
        skipEof();
        return rows(columns);
    }

    private ResultSet rows(List<ColumnDefinition41Packet> columns) {
        ResultsetColumns resultsetColumns = binaryRows ? new ResultsetColumns(columns) : null;
        List<List<byte[]>> rows = new ArrayList<>();
        while (next < packets.size()) {
            byte[] packet = packets.get(next);
            int header = packet[0] & 0xFF;
            if (header == ErrPacket.HEADER || (header == OkPacket.EOF_HEADER && packet.length < 9)) {
                if (header == OkPacket.EOF_HEADER) {
                    next++; // the rows' end; an ERR is read as the next part
                }
                break;
            }
            ByteBuf buffer = Unpooled.wrappedBuffer(packet);
            ResultsetRow row = binaryRows
                    ? BinaryResultsetRow.read(buffer, resultsetColumns)
                    : TextResultsetRow.read(buffer, columns.size());
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                values.add(row.textValue(i));
            }
            rows.add(values);
            next++;
        }
        return new ResultSet(
                columns.stream().map(ColumnDefinition41Packet::name).toList(),
                columns.stream().map(ColumnDefinition41Packet::characterSet).toList(),
                rows);
    }

    private Part prepared() {
        byte[] packet = packets.get(next++);
        if ((packet[0] & 0xFF) == ErrPacket.HEADER) {
            return error(packet);
        }
        MySQLPayload payload = payload(packet);
        payload.readInt1();
        long id = payload.readInt4() & 0xFFFFFFFFL;
        int columns = payload.readInt2();
        int parameters = payload.readInt2();
        for (int group : new int[] {parameters, columns}) {
            if (group > 0) {
                next += group;
                skipEof();
            }
        }
        return new Prepared(id, columns, parameters);
    }

    private void skipEof() {
        if (next < packets.size()) {
            byte[] packet = packets.get(next);
            if ((packet[0] & 0xFF) == EofPacket.HEADER && packet.length == 5) {
                next++;
            }
        }
    }

    private static Ok ok(byte[] packet) {
        MySQLPayload payload = payload(packet);
        payload.readInt1();
        long affected = payload.readIntLenenc();
        long insertId = payload.readIntLenenc();
        int warnings = 0;
        if (payload.readableBytes() >= 4) {
            payload.readInt2();
            warnings = payload.readInt2();
        }
        return new Ok(affected, insertId, warnings, "");
    }

    private static Error error(byte[] packet) {
        MySQLPayload payload = payload(packet);
        payload.readInt1();
        int code = payload.readInt2();
        String state = "";
        if (payload.hasRemaining() && payload.peekInt1() == '#') {
            payload.readInt1();
            state = payload.readStringFix(5);
        }
        return new Error(code, state, payload.readStringEof());
    }

    /** A column definition with or without MariaDB's extended metadata. */
    private static ColumnDefinition41Packet column(byte[] packet) {
        MySQLPayload payload = payload(packet);
        String catalog = payload.readStringLenenc();
        String schema = payload.readStringLenenc();
        String table = payload.readStringLenenc();
        String orgTable = payload.readStringLenenc();
        String name = payload.readStringLenenc();
        String orgName = payload.readStringLenenc();
        if (payload.peekInt1() != 0x0c) {
            payload.skipStringLenenc();
        }
        payload.readInt1();
        int charset = payload.readInt2();
        long length = payload.readInt4() & 0xFFFFFFFFL;
        int type = payload.readInt1();
        int flags = payload.readInt2();
        int decimals = payload.readInt1();
        return new ColumnDefinition41Packet(
                catalog, schema, table, orgTable, name, orgName, charset, length, type, flags, decimals, null);
    }

    private static boolean isOkOrErr(byte[] packet) {
        int header = packet[0] & 0xFF;
        return header == OkPacket.HEADER || header == ErrPacket.HEADER || header == OkPacket.EOF_HEADER;
    }

    private static MySQLPayload payload(byte[] packet) {
        return new MySQLPayload(Unpooled.wrappedBuffer(packet));
    }

    /**
     * Text of a value in a column of collation {@code collationId}: latin1 (which MySQL means as cp1252) and binary
     * by their bytes, everything else as UTF-8 (agentgate's clients talk utf8mb4).
     */
    public static String text(byte[] value, int collationId) {
        if (value == null) {
            return null;
        }
        return switch (collationId) {
            case 5, 8, 15, 31, 47, 48, 49, 94 -> new String(value, Charset.forName("windows-1252"));
            case 63 -> new String(value, StandardCharsets.ISO_8859_1);
            default -> new String(value, StandardCharsets.UTF_8);
        };
    }
}
