package dev.agentgate.analysis;

/**
 * Statements that change how the server reads the statements after them, which the gateway learns only from the
 * server's answer (session tracking): the rest of a batch after one of them cannot be read in advance.
 */
final class LexingChanges {

    private LexingChanges() {}

    /**
     * Whether the statement may change {@code sql_mode} or the character set: a SET of anything but user variables
     * (SET NAMES, SET sql_mode, SET @@character_set_client, ...), or what runs other statements (CALL, EXECUTE, a
     * compound statement).
     */
    static boolean mayChange(StatementText statement, StatementType type) {
        return switch (type) {
            case SET -> TokenFacts.assignsServerVariable(statement.tokens());
            case CALL, EXECUTE -> true;
            case OTHER -> statement.startsWith("BEGIN");
            default -> false;
        };
    }

    /**
     * Why the statement is refused when it names {@code session_track_system_variables} in a batch or outside a plain
     * SET (a plain SET on its own is kept tracking what the gateway needs: {@link SessionTracking}): changing what the
     * server tracks would blind the gateway to later changes of the lexing environment.
     */
    static String touchesTracking(StatementText statement, StatementType type, boolean partOfBatch) {
        if (statement.startsWith("SELECT") || statement.startsWith("SHOW")) {
            return null;
        }
        boolean alone = type == StatementType.SET
                && !partOfBatch
                && !statement.startsWith("STATEMENT")
                && !(statement.tokens().size() > 1 && statement.tokens().get(1).isWord("STATEMENT"));
        for (SqlToken token : statement.tokens()) {
            boolean name = token.isIdentifier() || token.kind() == SqlToken.Kind.SYSTEM_VARIABLE;
            if (name && !alone && SessionTracking.namesTrackingList(token.text())) {
                return "it names " + token.text() + " outside a SET of its own, and the session tracking agentgate"
                        + " follows the server with must stay as it is";
            }
        }
        return null;
    }
}
