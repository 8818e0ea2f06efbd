package dev.agentgate.transport.masking;

import dev.agentgate.protocol.ColumnDefinition41Packet;
import java.util.List;
import java.util.Objects;

/**
 * Whether an EXECUTE's result set describes the columns its PREPARE described: the masks of the PREPARE were
 * planned for those. MariaDB prepares a statement again on its own when a view or table it reads changed, and
 * then describes the new columns. Names and origins (schema, org_table, org_name) must match for every column;
 * type, length, character set and decimals too for table and view columns (those with an org_name), whose type
 * no bound value changes. A view column whose definition became an expression loses its schema; one that reads
 * another column takes that column's type and length.
 */
final class PreparedColumns {

    private PreparedColumns() {}

    static boolean same(List<ColumnDefinition41Packet> prepared, List<ColumnDefinition41Packet> executed) {
        if (prepared.size() != executed.size()) {
            return false;
        }
        for (int i = 0; i < prepared.size(); i++) {
            if (!same(prepared.get(i), executed.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(ColumnDefinition41Packet prepared, ColumnDefinition41Packet executed) {
        boolean sameOrigin = Objects.equals(prepared.schema(), executed.schema())
                && Objects.equals(prepared.orgTable(), executed.orgTable())
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
}
