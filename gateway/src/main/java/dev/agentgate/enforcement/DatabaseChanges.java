package dev.agentgate.enforcement;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.session.SessionFacts;

/** How a statement changes the session's current database, as far as the gateway follows it. */
public final class DatabaseChanges {

    private DatabaseChanges() {}

    /** The session as it is after {@code statement} ran successfully. */
    public static SessionFacts after(StatementFacts statement, SessionFacts session) {
        String database = databaseAfter(statement, session.database());
        return database == null || database.equals(session.database()) ? session : session.withDatabase(database);
    }

    /** The current database after {@code statement} ran successfully in {@code current} (null: none). */
    public static String databaseAfter(StatementFacts statement, String current) {
        if (statement.type() == StatementType.USE && !statement.databases().isEmpty()) {
            return statement.databases().get(0);
        }
        return current;
    }
}
