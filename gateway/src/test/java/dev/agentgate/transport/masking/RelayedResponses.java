package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.MaskPlan;
import dev.agentgate.enforcement.masking.MaskingStrategy;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.BinaryResultsetRow;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.protocol.ResultsetColumns;
import dev.agentgate.protocol.ResultsetRow;
import dev.agentgate.protocol.TextResultsetRow;
import dev.agentgate.transport.masking.MariaDbResultSets.Packet;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Runs captured backend packets through a {@link MaskingResponse} and reads what the client would get. */
final class RelayedResponses {

    /** One result set as the client sees it: definitions and rows as text (null for SQL NULL). */
    record ResultSetView(List<ColumnDefinition41Packet> columns, List<List<String>> rows) {}

    /** Masks the columns whose org_name is in {@code names}, in every result; records the result indexes asked. */
    static final class MaskColumnsNamed implements ResponseMasking {
        final List<Integer> askedResults = new ArrayList<>();
        private final Set<String> names;
        private final MaskingStrategy strategy;

        MaskColumnsNamed(MaskingStrategy strategy, String... names) {
            this.strategy = strategy;
            this.names = Set.of(names);
        }

        @Override
        public boolean masksAnything() {
            return true;
        }

        @Override
        public MaskPlan planFor(int resultIndex, List<ColumnOrigin> columns) {
            askedResults.add(resultIndex);
            MaskPlan.Builder plan = MaskPlan.builder();
            for (int column = 0; column < columns.size(); column++) {
                if (names.contains(columns.get(column).orgName())) {
                    plan.mask(column, strategy);
                }
            }
            return plan.build();
        }
    }

    private RelayedResponses() {}

    static List<MySQLFrame> frames(List<Packet> packets) {
        return packets.stream()
                .map(packet -> new MySQLFrame(
                        packet.sequenceId(), packet.chunkCount(), Unpooled.copiedBuffer(packet.payload())))
                .toList();
    }

    /** A client that keeps a copy of each packet in {@code sent} (and releases the frame, as the channel would). */
    static Consumer<MySQLFrame> collector(List<Packet> sent) {
        return frame -> {
            sent.add(new Packet(frame.sequenceId(), frame.chunkCount(), ByteBufUtil.getBytes(frame.payload())));
            frame.release();
        };
    }

    /** Relays every frame, as {@code tracker} classifies it, through {@code response}. */
    static void relay(List<MySQLFrame> frames, CommandResponseTracker tracker, MaskingResponse response) {
        for (MySQLFrame frame : frames) {
            response.relay(tracker.accept(frame.payload()), frame);
        }
    }

    /** The result sets of a relayed response, read with a fresh tracker. */
    static List<ResultSetView> resultSets(List<Packet> packets, CommandResponseTracker tracker) {
        List<ResultSetView> resultSets = new ArrayList<>();
        List<ColumnDefinition41Packet> columns = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Packet packet : packets) {
            PacketRole role = tracker.accept(Unpooled.wrappedBuffer(packet.payload()));
            switch (role) {
                case COLUMN_DEFINITION -> columns.add(ColumnDefinition41Packet.read(payload(packet)));
                case TEXT_ROW ->
                    rows.add(values(TextResultsetRow.read(Unpooled.wrappedBuffer(packet.payload()), columns.size())));
                case BINARY_ROW -> rows.add(binaryValues(packet, columns));
                case RESULTSET_END -> {
                    resultSets.add(new ResultSetView(List.copyOf(columns), List.copyOf(rows)));
                    columns.clear();
                    rows.clear();
                }
                default -> {}
            }
        }
        if (!columns.isEmpty()) {
            // a PREPARE response, or an EXECUTE that opened a cursor: definitions without an end of rows
            resultSets.add(new ResultSetView(List.copyOf(columns), List.copyOf(rows)));
        }
        return resultSets;
    }

    static List<String> binaryValues(Packet row, List<ColumnDefinition41Packet> columns) {
        return values(BinaryResultsetRow.read(Unpooled.wrappedBuffer(row.payload()), new ResultsetColumns(columns)));
    }

    static MySQLPayload payload(Packet packet) {
        return new MySQLPayload(Unpooled.wrappedBuffer(packet.payload()));
    }

    private static List<String> values(ResultsetRow row) {
        List<String> values = new ArrayList<>();
        for (int column = 0; column < row.columnCount(); column++) {
            values.add(row.isNull(column) ? null : new String(row.textValue(column), StandardCharsets.UTF_8));
        }
        return values;
    }

    static UnpooledByteBufAllocator allocator() {
        return UnpooledByteBufAllocator.DEFAULT;
    }
}
