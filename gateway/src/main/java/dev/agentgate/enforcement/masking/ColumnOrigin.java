package dev.agentgate.enforcement.masking;

import java.util.Objects;

/**
 * Where the backend says a result column comes from: the {@code schema}, {@code org_table} and {@code org_name}
 * of its column definition. MySQL fills them for a direct reference to a base table or view column and leaves
 * {@code org_table}/{@code org_name} empty for expressions, so they can add masks but never prove a column
 * harmless; that is what the gateway's own lineage is for.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html">Column Definition</a>
 */
public record ColumnOrigin(String schema, String orgTable, String orgName) {

    public ColumnOrigin {
        schema = Objects.requireNonNullElse(schema, "");
        orgTable = Objects.requireNonNullElse(orgTable, "");
        orgName = Objects.requireNonNullElse(orgName, "");
    }

    /** Whether the definition names a table column at all (expressions have no org_table/org_name). */
    public boolean isTableColumn() {
        return !orgTable.isEmpty() && !orgName.isEmpty();
    }
}
