package dev.agentgate.e2e.env;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small query helpers for assertions. */
public final class Sql {

    private Sql() {}

    /** The first row of {@code sql} as strings; fails when there is none. */
    public static List<String> row(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = rows(connection, sql);
        if (rows.isEmpty()) {
            throw new AssertionError("no row from " + sql);
        }
        return rows.get(0);
    }

    /** The first column of the first row. */
    public static String scalar(Connection connection, String sql) throws SQLException {
        return row(connection, sql).get(0);
    }

    /** All rows of {@code sql}, each column read with getString. */
    public static List<List<String>> rows(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            return rows(rs);
        }
    }

    /** The remaining rows of {@code rs}, each column read with getString. */
    public static List<List<String>> rows(ResultSet rs) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> row = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
                row.add(rs.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
