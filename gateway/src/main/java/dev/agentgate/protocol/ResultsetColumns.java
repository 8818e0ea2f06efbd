package dev.agentgate.protocol;

import java.util.List;

/**
 * The column definitions of one result set with their types resolved once, so decoding its rows does not look
 * them up per row. A type code this gateway does not know is refused: its rows could not be decoded safely.
 */
public final class ResultsetColumns {

    private final List<ColumnDefinition41Packet> definitions;
    private final ColumnType[] types;
    private final int[] binaryLayouts;

    public ResultsetColumns(List<ColumnDefinition41Packet> definitions) {
        if (definitions == null || definitions.isEmpty()) {
            throw new IllegalArgumentException("a result set needs at least one column definition");
        }
        this.definitions = List.copyOf(definitions);
        this.types = new ColumnType[definitions.size()];
        this.binaryLayouts = new int[definitions.size()];
        for (int i = 0; i < types.length; i++) {
            ColumnDefinition41Packet definition = this.definitions.get(i);
            int column = i;
            types[i] = definition
                    .type()
                    .orElseThrow(() -> new MalformedPacketException("column " + column + " ('" + definition.name()
                            + "') has unknown type 0x" + Integer.toHexString(definition.columnType())));
            binaryLayouts[i] = BinaryProtocolValue.layout(types[i]);
        }
    }

    public int count() {
        return types.length;
    }

    public ColumnDefinition41Packet definition(int column) {
        return definitions.get(column);
    }

    public List<ColumnDefinition41Packet> definitions() {
        return definitions;
    }

    public ColumnType type(int column) {
        return types[column];
    }

    /** How the column's values are laid out in binary rows ({@link BinaryProtocolValue#layout}). */
    int binaryLayout(int column) {
        return binaryLayouts[column];
    }
}
