package dev.agentgate.protocol;

import io.netty.buffer.ByteBuf;
import java.util.OptionalInt;

/**
 * Follows the backend's response to one command packet by packet, so the relay knows where each result set
 * and row begins and ends and when the response is complete. It looks only at the first bytes of each
 * payload (never moving its reader index). Create one tracker per command sent.
 *
 * <p>Result sets: COLUMN_COUNT, that many COLUMN_DEFINITIONs, METADATA_EOF (only without CLIENT_DEPRECATE_EOF),
 * rows, then an end packet: EOF (0xFE, shorter than 9 bytes) or, under CLIENT_DEPRECATE_EOF, an OK packet with
 * header 0xFE (any 0xFE packet shorter than 0xFFFFFF bytes, since a row starting with 0xFE would be longer).
 * SERVER_MORE_RESULTS_EXISTS on an end or OK packet announces another result. A cursor opened by
 * COM_STMT_EXECUTE ends the response right after the column definitions: the EOF/0xFE packet there carries
 * SERVER_STATUS_CURSOR_EXISTS and rows come later with COM_STMT_FETCH.
 *
 * <p>COM_CHANGE_USER's authentication exchange (auth switch, more data) is not tracked here; the transport
 * handles it and the tracker sees only the final OK or ERR.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html">COM_QUERY Response</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html">COM_STMT_PREPARE</a>
 */
public final class CommandResponseTracker {

    /** PREPARE_COLUMNS is only a target for {@link #enter}: it starts the prepared statement's column definitions. */
    private enum State {
        RESULT_START,
        LOCAL_INFILE_RESULT,
        DEFINITIONS,
        DEFINITIONS_EOF,
        ROWS,
        PREPARE_START,
        PREPARE_COLUMNS,
        FIELD_LIST,
        STATISTICS,
        OK_OR_ERR,
        EOF_OK_OR_ERR,
        COMPLETE
    }

    private static final int OK_HEADER = 0x00;
    private static final int LOCAL_INFILE_HEADER = 0xFB;
    private static final int EOF_HEADER = 0xFE;
    private static final int ERR_HEADER = 0xFF;
    /** An EOF packet is 5 bytes; an OK packet with 0xFE header at least 7. */
    private static final int EOF_PACKET_LENGTH = 5;

    private final CommandType command;
    private final boolean deprecateEof;
    private final boolean cursorRequested;
    private final PacketRole rowRole;
    private State state;
    private long definitionsLeft;
    private PacketRole definitionRole;
    private State afterDefinitions;
    private int preparedColumns;
    private int lastStatusFlags = -1;

    /** A tracker for {@code command}; COM_STMT_EXECUTE with a cursor needs the three-argument constructor. */
    public CommandResponseTracker(CommandType command, long capabilityFlags) {
        this(command, capabilityFlags, false);
    }

    /**
     * @param capabilityFlags the flags negotiated with the backend (CLIENT_DEPRECATE_EOF matters)
     * @param cursorRequested for COM_STMT_EXECUTE: whether its flags asked for a cursor
     */
    public CommandResponseTracker(CommandType command, long capabilityFlags, boolean cursorRequested) {
        if (command == null) {
            throw new IllegalArgumentException("command must not be null");
        }
        this.command = command;
        this.deprecateEof = CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_DEPRECATE_EOF);
        this.cursorRequested = cursorRequested;
        boolean binary = command == CommandType.COM_STMT_EXECUTE || command == CommandType.COM_STMT_FETCH;
        this.rowRole = binary ? PacketRole.BINARY_ROW : PacketRole.TEXT_ROW;
        this.state = initialState(command);
    }

    private static State initialState(CommandType command) {
        return switch (command) {
            case COM_QUERY, COM_STMT_EXECUTE, COM_PROCESS_INFO -> State.RESULT_START;
            case COM_STMT_FETCH -> State.ROWS;
            case COM_STMT_PREPARE -> State.PREPARE_START;
            case COM_FIELD_LIST -> State.FIELD_LIST;
            case COM_STATISTICS -> State.STATISTICS;
            case COM_SET_OPTION, COM_DEBUG -> State.EOF_OK_OR_ERR;
            case COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA, COM_QUIT -> State.COMPLETE;
            default -> State.OK_OR_ERR;
        };
    }

    public CommandType command() {
        return command;
    }

    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /**
     * The kind of rows the next packets are while the response is in a result set's rows, so they may be taken as a
     * {@link MySQLFrameRun} ({@link #acceptRows}); null anywhere else.
     */
    public MySQLFrameRun.Rows rowsAhead() {
        if (state != State.ROWS) {
            return null;
        }
        return rowRole == PacketRole.BINARY_ROW ? MySQLFrameRun.Rows.BINARY : MySQLFrameRun.Rows.TEXT;
    }

    /**
     * Takes the run's packets as rows, as {@link #accept} would one by one: each is a row of the kind it admits, and
     * none ends the result set. Throws {@link IllegalStateException} where these rows cannot come ({@link #rowsAhead}).
     */
    public void acceptRows(MySQLFrameRun run) {
        if (rowsAhead() != run.rows()) {
            throw new IllegalStateException(command + " response: " + run + " in state " + state);
        }
    }

    /** Status flags of the last OK, EOF or result-set end seen; empty before the first one. */
    public OptionalInt lastStatusFlags() {
        return lastStatusFlags < 0 ? OptionalInt.empty() : OptionalInt.of(lastStatusFlags);
    }

    /** Classifies the next backend payload and advances; throws {@link MalformedPacketException} if it cannot come here. */
    public PacketRole accept(ByteBuf payload) {
        if (!payload.isReadable()) {
            throw unexpected(payload, "empty packet");
        }
        int header = payload.getUnsignedByte(payload.readerIndex());
        if (header == ERR_HEADER && state != State.COMPLETE && state != State.DEFINITIONS) {
            state = State.COMPLETE;
            return PacketRole.ERR;
        }
        return switch (state) {
            case RESULT_START -> resultStart(payload, header);
            case LOCAL_INFILE_RESULT -> okEndingResult(payload, header);
            case DEFINITIONS -> definition();
            case DEFINITIONS_EOF -> definitionsEof(payload, header);
            case ROWS -> row(payload, header);
            case PREPARE_START -> prepareOk(payload, header);
            case FIELD_LIST -> fieldListEntry(payload, header);
            case STATISTICS -> complete(PacketRole.STATISTICS);
            case EOF_OK_OR_ERR ->
                header == EOF_HEADER ? endWith(PacketRole.EOF, payload) : okEndingResult(payload, header);
            case OK_OR_ERR -> okEndingResult(payload, header);
            case PREPARE_COLUMNS, COMPLETE -> throw unexpected(payload, "packet");
        };
    }

    private PacketRole resultStart(ByteBuf payload, int header) {
        if (header == OK_HEADER) {
            return okEndingResult(payload, header);
        }
        if (header == LOCAL_INFILE_HEADER) {
            state = State.LOCAL_INFILE_RESULT;
            return PacketRole.LOCAL_INFILE_REQUEST;
        }
        long columnCount = new MySQLPayload(payload.duplicate()).readIntLenenc();
        startDefinitions(columnCount, PacketRole.COLUMN_DEFINITION, State.ROWS);
        return PacketRole.COLUMN_COUNT;
    }

    /** An OK packet: the response ends unless it announces more results. */
    private PacketRole okEndingResult(ByteBuf payload, int header) {
        if (header != OK_HEADER) {
            throw unexpected(payload, "packet");
        }
        int status = recordStatus(payload);
        boolean moreResults = ServerStatusFlags.has(status, ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS);
        state = moreResults && resultsMayChain() ? State.RESULT_START : State.COMPLETE;
        return PacketRole.OK;
    }

    private boolean resultsMayChain() {
        return state == State.RESULT_START || state == State.LOCAL_INFILE_RESULT;
    }

    private void startDefinitions(long count, PacketRole role, State next) {
        if (count == 0) {
            enter(next);
            return;
        }
        definitionsLeft = count;
        definitionRole = role;
        afterDefinitions = next;
        state = State.DEFINITIONS;
    }

    private void enter(State next) {
        if (next == State.PREPARE_COLUMNS) {
            startDefinitions(preparedColumns, PacketRole.COLUMN_DEFINITION, State.COMPLETE);
        } else {
            state = next;
        }
    }

    private PacketRole definition() {
        PacketRole role = definitionRole;
        if (--definitionsLeft == 0) {
            if (deprecateEof) {
                enter(afterDefinitions);
            } else {
                state = State.DEFINITIONS_EOF;
            }
        }
        return role;
    }

    private PacketRole definitionsEof(ByteBuf payload, int header) {
        if (header != EOF_HEADER || payload.readableBytes() >= EofPacket.MAX_LENGTH_EXCLUSIVE) {
            throw unexpected(payload, "packet instead of the EOF after definitions");
        }
        int status = recordStatus(payload);
        if (afterDefinitions == State.ROWS && cursorOpened(status)) {
            state = State.COMPLETE;
        } else {
            enter(afterDefinitions);
        }
        return PacketRole.METADATA_EOF;
    }

    private PacketRole row(ByteBuf payload, int header) {
        if (isResultSetEnd(payload, header)) {
            int status = recordStatus(payload);
            state = ServerStatusFlags.has(status, ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS) && !cursorOpened(status)
                    ? State.RESULT_START
                    : State.COMPLETE;
            return PacketRole.RESULTSET_END;
        }
        if (rowRole == PacketRole.BINARY_ROW && header != OK_HEADER) {
            throw unexpected(payload, "binary row header");
        }
        return rowRole;
    }

    private boolean isResultSetEnd(ByteBuf payload, int header) {
        int limit = deprecateEof ? MySQLFrame.MAX_CHUNK_LENGTH : EofPacket.MAX_LENGTH_EXCLUSIVE;
        return header == EOF_HEADER && payload.readableBytes() < limit;
    }

    private boolean cursorOpened(int status) {
        return cursorRequested && ServerStatusFlags.has(status, ServerStatusFlags.SERVER_STATUS_CURSOR_EXISTS);
    }

    private PacketRole prepareOk(ByteBuf payload, int header) {
        if (header != OK_HEADER) {
            throw unexpected(payload, "packet instead of COM_STMT_PREPARE_OK");
        }
        ComStmtPrepareOkPacket ok = ComStmtPrepareOkPacket.read(new MySQLPayload(payload.duplicate()));
        preparedColumns = ok.numColumns();
        startDefinitions(ok.numParams(), PacketRole.PARAMETER_DEFINITION, State.PREPARE_COLUMNS);
        return PacketRole.PREPARE_OK;
    }

    private PacketRole fieldListEntry(ByteBuf payload, int header) {
        return header == EOF_HEADER ? endWith(PacketRole.FIELD_LIST_END, payload) : PacketRole.COLUMN_DEFINITION;
    }

    private PacketRole endWith(PacketRole role, ByteBuf payload) {
        recordStatus(payload);
        return complete(role);
    }

    private PacketRole complete(PacketRole role) {
        state = State.COMPLETE;
        return role;
    }

    /** Reads the status flags of an OK packet or EOF packet (told apart by length: EOF is 5 bytes). */
    private int recordStatus(ByteBuf payload) {
        MySQLPayload reader = new MySQLPayload(payload.duplicate());
        reader.skipReserved(1);
        if (payload.readableBytes() <= EOF_PACKET_LENGTH) {
            reader.readInt2();
        } else {
            reader.readIntLenenc();
            reader.readIntLenenc();
        }
        lastStatusFlags = reader.readInt2();
        return lastStatusFlags;
    }

    private MalformedPacketException unexpected(ByteBuf payload, String what) {
        String header =
                payload.isReadable() ? String.format(" 0x%02x", payload.getUnsignedByte(payload.readerIndex())) : "";
        return new MalformedPacketException(command + " response: unexpected " + what + header + " ("
                + payload.readableBytes() + " bytes) in state " + state);
    }
}
