package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ComStmtPrepareOkPacket;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MalformedPacketException;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameRun;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The backend's response to one command whose {@link ResponseMasking} masks something, packet by packet on its way
 * to the client. A result set's COLUMN_COUNT and COLUMN_DEFINITION packets are held until its last definition, then
 * its {@link MaskPlan} is asked for: an empty plan lets the held packets and the rest of the result set through
 * untouched, any other plan makes a {@link ResultSetMasker} that rewrites the masked columns' definitions and every
 * row. Since a masked statement could echo a clear value elsewhere, errors become generic ({@link
 * WithheldDiagnostics#genericError}) and warning counts read 0, so clients do not go looking for the warnings.
 *
 * <p>Results are counted as {@link ResponseMasking} counts them: every result set, OK and ERR takes the next index.
 * The definitions of a COM_STMT_PREPARE response are result 0; a COM_FIELD_LIST response's definitions too (held
 * until its end). Sequence ids are kept; only a rewritten packet that takes another number of 16 MiB-1 chunks
 * shifts the ids of every later packet of the response by the difference.
 *
 * <p>Every frame passed to {@link #relay} is owned from then on: sent on, or released. One instance per command,
 * confined to the session's event loop.
 */
public final class MaskingResponse {

    private final ResponseMasking masking;
    private final ByteBufAllocator allocator;
    private final Consumer<MySQLFrame> client;
    private final List<MySQLFrame> held = new ArrayList<>();
    /** How many of the held packets, the last ones, are the column definitions collected so far. */
    private int definitionsHeld;

    private final boolean extendedMetadata;
    private boolean collecting;
    private boolean collectingUntilEnd;
    private long definitionsLeft;
    private int resultIndex;
    private ResultSetMasker rows;
    private int sequenceShift;
    private int nextSequenceId = -1;
    /** For an EXECUTE: the columns its PREPARE described, which its masks were planned for; else null. */
    private List<ColumnDefinition41Packet> preparedColumns;

    private List<ColumnDefinition41Packet> lastColumns = List.of();
    /** Told how many values each masked row carried masked (the gateway's metrics); by default nobody. */
    private LongConsumer maskedValues = count -> {};
    /** The session's last masked result set: a result set described alike is masked alike without planning. */
    private KnownResultSet known = new KnownResultSet();

    /**
     * @param command the command the response answers
     * @param client  where the packets the client may see go, in order (the client channel's write)
     */
    public MaskingResponse(
            CommandType command, ResponseMasking masking, ByteBufAllocator allocator, Consumer<MySQLFrame> client) {
        this(command, masking, allocator, client, false);
    }

    /**
     * @param extendedMetadata whether MARIADB_CLIENT_EXTENDED_METADATA is negotiated (definitions carry the field)
     */
    public MaskingResponse(
            CommandType command,
            ResponseMasking masking,
            ByteBufAllocator allocator,
            Consumer<MySQLFrame> client,
            boolean extendedMetadata) {
        this(masking, allocator, client, null, extendedMetadata);
        // COM_FIELD_LIST announces no column count: its definitions run to its end packet.
        collecting = collectingUntilEnd = command == CommandType.COM_FIELD_LIST;
    }

    private MaskingResponse(
            ResponseMasking masking,
            ByteBufAllocator allocator,
            Consumer<MySQLFrame> client,
            ResultSetMasker rows,
            boolean extendedMetadata) {
        if (masking == null || !masking.masksAnything()) {
            throw new IllegalArgumentException(
                    "a MaskingResponse needs a masking that masks something, was " + masking);
        }
        this.masking = masking;
        this.allocator = allocator;
        this.client = client;
        this.rows = rows;
        this.extendedMetadata = extendedMetadata;
    }

    /**
     * The response to a COM_STMT_FETCH of the cursor this (COM_STMT_EXECUTE) response opened: its rows are masked
     * as this response's last result set, whose definitions the fetched binary rows follow.
     */
    public MaskingResponse fetch() {
        return new MaskingResponse(masking, allocator, client, rows, extendedMetadata)
                .countingMaskedValues(maskedValues)
                .remembering(known);
    }

    /**
     * From now on result sets are described to and looked up in {@code session}'s memory of the last one (a
     * session's responses share one); by default this response has its own.
     */
    public MaskingResponse remembering(KnownResultSet session) {
        this.known = session;
        return this;
    }

    /** From now on {@code sink} is told how many masked values each row sent carried. */
    public MaskingResponse countingMaskedValues(LongConsumer sink) {
        this.maskedValues = sink;
        return this;
    }

    /**
     * The response to an EXECUTE whose PREPARE described {@code columns}: a first result set that describes other
     * columns (the server prepared the statement again, say for a redefined view) is masked whole.
     */
    public MaskingResponse expectingColumns(List<ColumnDefinition41Packet> columns) {
        this.preparedColumns = List.copyOf(columns);
        return this;
    }

    /** The column definitions of the last result set (of a PREPARE: its columns) as the backend sent them. */
    public List<ColumnDefinition41Packet> columnsDescribed() {
        return lastColumns;
    }

    /**
     * Relays one packet of the response, as the command's tracker classified it.
     *
     * @throws RuntimeException (typically {@code MalformedPacketException}) when a packet cannot be masked; the
     *                          frame and all held packets are released then, the response must not go on
     */
    public void relay(PacketRole role, MySQLFrame frame) {
        if (nextSequenceId < 0) {
            nextSequenceId = frame.sequenceId();
        }
        try {
            switch (role) {
                case COLUMN_COUNT -> resultSetStart(frame);
                case PREPARE_OK -> preparedStatement(frame);
                case COLUMN_DEFINITION -> definition(frame);
                case TEXT_ROW -> row(frame, false);
                case BINARY_ROW -> row(frame, true);
                case ERR -> {
                    discard();
                    result(frame, ResponsePackets.withheldError(frame.payload(), allocator));
                }
                case OK, RESULTSET_END ->
                    result(frame, ResponsePackets.withoutWarnings(role, frame.payload(), allocator));
                case FIELD_LIST_END -> fieldListEnd(frame);
                case EOF, METADATA_EOF ->
                    replace(frame, ResponsePackets.withoutWarnings(role, frame.payload(), allocator));
                default -> send(frame);
            }
        } catch (RuntimeException e) {
            if (!held.contains(frame) && frame.refCnt() > 0) {
                frame.release();
            }
            discard();
            throw e;
        }
    }

    /**
     * Whether rows may come as one run ({@link #rowsOf}): in a result set's rows, nothing held back, and sequence ids
     * unshifted (so each masked row keeps the header's id it came with).
     */
    public boolean takesRowRuns() {
        return !collecting && held.isEmpty() && sequenceShift == 0;
    }

    /**
     * The rows of {@code run}, which the command's tracker took as rows of the current result set, as the client is
     * to get them: masked as {@link #relay} masks each, or the run's own bytes where the result set masks nothing.
     * The run is owned from then on, unless this returns null: then nothing was done, and the caller relays the rows
     * one by one ({@link #takesRowRuns} said no, or a row is too long to be masked in a run).
     *
     * @throws RuntimeException when a row cannot be masked; the run and all held packets are released then
     */
    public ByteBuf rowsOf(MySQLFrameRun run) {
        if (!takesRowRuns()) {
            return null;
        }
        ByteBuf out;
        try {
            out = rows == null ? run.bytes().retain() : rows.maskRun(run);
        } catch (RuntimeException e) {
            run.release();
            discard();
            throw e;
        }
        if (out == null) {
            return null;
        }
        run.release();
        if (rows != null) {
            maskedValues.accept((long) rows.maskedColumnCount() * run.packets());
        }
        nextSequenceId = MySQLFrame.sequenceIdAfter(run.lastSequenceId());
        return out;
    }

    /** The sequence id the client expects next: where an error replacing the rest of the response goes. */
    public int nextSequenceId() {
        return Math.max(nextSequenceId, 0);
    }

    /** Releases the packets held back (the session ends in the middle of the response). */
    public void discard() {
        held.forEach(MySQLFrame::release);
        held.clear();
        definitionsHeld = 0;
        collecting = false;
    }

    private void resultSetStart(MySQLFrame frame) {
        rows = null;
        long columns = new MySQLPayload(frame.payload().duplicate()).readIntLenenc();
        held.add(frame);
        startDefinitions(columns);
    }

    private void preparedStatement(MySQLFrame frame) {
        int columns = ComStmtPrepareOkPacket.read(
                        new MySQLPayload(frame.payload().duplicate()))
                .numColumns();
        replace(frame, ResponsePackets.withoutWarnings(PacketRole.PREPARE_OK, frame.payload(), allocator));
        startDefinitions(columns);
    }

    private void startDefinitions(long columns) {
        definitionsLeft = columns;
        collecting = columns > 0;
        if (!collecting) {
            releaseHeld(new byte[0][]);
        }
    }

    private void definition(MySQLFrame frame) {
        if (!collecting) {
            send(frame);
            return;
        }
        held.add(frame);
        definitionsHeld++;
        if (!collectingUntilEnd && --definitionsLeft == 0) {
            decide();
        }
    }

    private void fieldListEnd(MySQLFrame frame) {
        if (collecting) {
            decide();
        }
        replace(frame, ResponsePackets.withoutWarnings(PacketRole.FIELD_LIST_END, frame.payload(), allocator));
    }

    /** All definitions of the result set are in: find or make what they become, and let the held packets go. */
    private void decide() {
        collecting = false;
        List<MySQLFrame> frames = List.copyOf(held.subList(held.size() - definitionsHeld, held.size()));
        definitionsHeld = 0;
        // An EXECUTE's first result is checked against its PREPARE's columns: never taken from memory.
        boolean remembered = preparedColumns == null;
        KnownResultSet.Described described = remembered ? known.find(masking, resultIndex, frames) : null;
        if (described == null) {
            described = describe(frames);
            if (remembered) {
                known.remember(masking, resultIndex, frames, described);
            }
        }
        lastColumns = described.definitions();
        rows = described.masker();
        releaseHeld(described.rewrittenDefinitions());
    }

    /** Reads the definitions, asks for the result set's plan and makes its masker and rewritten definitions. */
    private KnownResultSet.Described describe(List<MySQLFrame> frames) {
        List<ColumnDefinition41Packet> definitions = frames.stream()
                .map(frame -> ColumnDefinition41Packet.read(
                        new MySQLPayload(frame.payload().duplicate()), extendedMetadata))
                .toList();
        List<ColumnOrigin> origins = definitions.stream()
                .map(column -> new ColumnOrigin(column.schema(), column.orgTable(), column.orgName()))
                .toList();
        boolean asPrepared = preparedColumns == null
                || resultIndex > 0
                || PreparedColumns.same(preparedColumns, definitions, masking);
        MaskPlan plan = masking.planFor(asPrepared ? resultIndex : ResponseMasking.UNATTRIBUTABLE, origins);
        if (!asPrepared && !plan.masksEvery(origins.size())) {
            throw new MalformedPacketException("the result set describes other columns than its PREPARE did, and its"
                    + " masking does not mask it whole");
        }
        ResultSetMasker masker = plan.isEmpty() ? null : new ResultSetMasker(definitions, plan);
        byte[][] rewritten = new byte[definitions.size()][];
        for (int column = 0; masker != null && column < rewritten.length; column++) {
            rewritten[column] =
                    masker.rewritesColumnDefinition(column) ? serialize(masker.columnDefinition(column)) : null;
        }
        return new KnownResultSet.Described(definitions, masker, rewritten);
    }

    /**
     * Sends the held packets; the last {@code rewrittenDefinitions.length} are definitions, each sent with the
     * payload given for it, where one is.
     */
    private void releaseHeld(byte[][] rewrittenDefinitions) {
        int firstDefinition = held.size() - rewrittenDefinitions.length;
        // Every rewritten definition is made before anything is sent: a failure then leaves nothing half sent.
        ByteBuf[] replacements = new ByteBuf[held.size()];
        try {
            for (int i = firstDefinition; i < held.size(); i++) {
                byte[] rewritten = rewrittenDefinitions[i - firstDefinition];
                replacements[i] = rewritten == null
                        ? null
                        : allocator.buffer(rewritten.length, rewritten.length).writeBytes(rewritten);
            }
        } catch (RuntimeException e) {
            Arrays.stream(replacements).filter(Objects::nonNull).forEach(ByteBuf::release);
            throw e;
        }
        List<MySQLFrame> frames = List.copyOf(held);
        held.clear();
        for (int i = 0; i < frames.size(); i++) {
            replace(frames.get(i), replacements[i]);
        }
    }

    private void row(MySQLFrame frame, boolean binary) {
        if (rows == null) {
            send(frame);
            return;
        }
        ByteBuf payload = frame.payload();
        replace(frame, binary ? rows.maskBinaryRow(payload) : rows.maskTextRow(payload));
        maskedValues.accept(rows.maskedColumnCount());
    }

    /** An OK, ERR or result set end: the next packet belongs to the next result. */
    private void result(MySQLFrame frame, ByteBuf replacement) {
        replace(frame, replacement);
        resultIndex++;
    }

    private byte[] serialize(MySQLPacket packet) {
        ByteBuf payload = MySQLFrame.fromPacket(packet, 0, allocator).payload();
        try {
            return ByteBufUtil.getBytes(payload);
        } finally {
            payload.release();
        }
    }

    /** Sends {@code replacement} instead of {@code frame}'s payload; null sends the frame unchanged. */
    private void replace(MySQLFrame frame, ByteBuf replacement) {
        if (replacement == null) {
            send(frame);
            return;
        }
        MySQLFrame rewritten = MySQLFrame.of((frame.sequenceId() + sequenceShift) & 0xFF, replacement);
        sequenceShift += rewritten.chunkCount() - frame.chunkCount();
        frame.release();
        emit(rewritten);
    }

    private void send(MySQLFrame frame) {
        emit(
                sequenceShift == 0
                        ? frame
                        : new MySQLFrame(
                                (frame.sequenceId() + sequenceShift) & 0xFF, frame.chunkCount(), frame.payload()));
    }

    private void emit(MySQLFrame frame) {
        nextSequenceId = frame.nextSequenceId();
        client.accept(frame);
    }
}
