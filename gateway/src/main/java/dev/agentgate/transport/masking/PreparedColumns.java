package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.ColumnOrigin;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import java.util.List;
import java.util.Objects;

/**
 * Whether an EXECUTE's result set describes the columns its PREPARE described: the masks of the PREPARE were
 * planned for those. MariaDB prepares a statement again on its own when a view or table it reads changed, and
 * then describes the new columns. Names and origins (schema, org_table, org_name) must match for every column;
 * type, length, character set and decimals too for table and view columns (those with an org_name), whose type
 * no bound value changes. A view column whose definition became an expression loses its schema; one that reads
 * another column takes that column's type and length. One change of origin is no other column: MariaDB describes a
 * merged derived table's column by the alias at PREPARE ({@code c.name}) and by its base table at EXECUTE ({@code
 * customers.name}); that is accepted where the PREPARE's origin is no base column the lineage traces the column to,
 * and the EXECUTE's origin is one. A changed base origin still counts as another column.
 */
final class PreparedColumns {

    private PreparedColumns() {}

    static boolean same(List<ColumnDefinition41Packet> prepared, List<ColumnDefinition41Packet> executed) {
        return same(prepared, executed, ResponseMasking.NONE);
    }

    /** @param masking the first result's masking, whose lineage tells a derived table's alias from a base table */
    static boolean same(
            List<ColumnDefinition41Packet> prepared, List<ColumnDefinition41Packet> executed, ResponseMasking masking) {
        if (prepared.size() != executed.size()) {
            return false;
        }
        for (int i = 0; i < prepared.size(); i++) {
            if (!same(prepared.get(i), executed.get(i), i, masking)) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(
            ColumnDefinition41Packet prepared, ColumnDefinition41Packet executed, int column, ResponseMasking masking) {
        boolean sameOrigin = (Objects.equals(prepared.schema(), executed.schema())
                                && Objects.equals(prepared.orgTable(), executed.orgTable())
                        || mergedDerivedTable(prepared, executed, column, masking))
                && Objects.equals(prepared.orgName(), executed.orgName())
                && Objects.equals(prepared.name(), executed.name());
        if (!sameOrigin || prepared.orgName() == null || prepared.orgName().isEmpty()) {
            return sameOrigin;
        }
        return prepared.columnType() == executed.columnType()
                && prepared.columnLength() == executed.columnLength()
                && prepared.characterSet() == executed.characterSet()
                && prepared.decimals() == executed.decimals();
    }

    /** The same alias, named as itself at PREPARE and as a base table the lineage traces the column to at EXECUTE. */
    private static boolean mergedDerivedTable(
            ColumnDefinition41Packet prepared, ColumnDefinition41Packet executed, int column, ResponseMasking masking) {
        return Objects.equals(prepared.table(), executed.table())
                && Objects.equals(prepared.table(), prepared.orgTable())
                && !masking.tracesTo(0, column, origin(prepared))
                && masking.tracesTo(0, column, origin(executed));
    }

    private static ColumnOrigin origin(ColumnDefinition41Packet column) {
        return new ColumnOrigin(column.schema(), column.orgTable(), column.orgName());
    }
}
