package dev.agentgate.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The statement type from its leading keywords. Token-based on purpose: it must give the same answer whether
 * or not JSqlParser understands the statement, so a policy never sees a different type for a parse failure.
 */
final class StatementClassifier {

    private static final Map<String, StatementType> BY_FIRST_WORD = Map.ofEntries(
            Map.entry("SELECT", StatementType.SELECT),
            Map.entry("INSERT", StatementType.INSERT),
            Map.entry("UPDATE", StatementType.UPDATE),
            Map.entry("DELETE", StatementType.DELETE),
            Map.entry("REPLACE", StatementType.REPLACE),
            Map.entry("VALUES", StatementType.VALUES),
            Map.entry("TABLE", StatementType.TABLE),
            Map.entry("TRUNCATE", StatementType.TRUNCATE_TABLE),
            Map.entry("GRANT", StatementType.GRANT),
            Map.entry("REVOKE", StatementType.REVOKE),
            Map.entry("SHOW", StatementType.SHOW),
            Map.entry("USE", StatementType.USE),
            Map.entry("CALL", StatementType.CALL),
            Map.entry("DO", StatementType.DO),
            Map.entry("LOAD", StatementType.LOAD_DATA),
            Map.entry("LOCK", StatementType.LOCK_TABLES),
            Map.entry("UNLOCK", StatementType.UNLOCK_TABLES),
            Map.entry("COMMIT", StatementType.COMMIT),
            Map.entry("ROLLBACK", StatementType.ROLLBACK),
            Map.entry("SAVEPOINT", StatementType.SAVEPOINT),
            Map.entry("RELEASE", StatementType.RELEASE_SAVEPOINT),
            Map.entry("XA", StatementType.XA),
            Map.entry("PREPARE", StatementType.PREPARE),
            Map.entry("EXECUTE", StatementType.EXECUTE),
            Map.entry("DEALLOCATE", StatementType.DEALLOCATE),
            Map.entry("HANDLER", StatementType.HANDLER),
            Map.entry("KILL", StatementType.KILL),
            Map.entry("FLUSH", StatementType.FLUSH),
            Map.entry("RESET", StatementType.RESET),
            Map.entry("PURGE", StatementType.PURGE),
            Map.entry("OPTIMIZE", StatementType.OPTIMIZE_TABLE),
            Map.entry("CHECK", StatementType.CHECK_TABLE),
            Map.entry("REPAIR", StatementType.REPAIR_TABLE),
            Map.entry("CHECKSUM", StatementType.CHECKSUM_TABLE),
            Map.entry("INSTALL", StatementType.INSTALL),
            Map.entry("UNINSTALL", StatementType.UNINSTALL),
            Map.entry("SHUTDOWN", StatementType.SHUTDOWN),
            Map.entry("CHANGE", StatementType.REPLICATION),
            Map.entry("STOP", StatementType.REPLICATION),
            Map.entry("SIGNAL", StatementType.SIGNAL),
            Map.entry("RESIGNAL", StatementType.SIGNAL));

    private static final List<String> OBJECT_KINDS = List.of(
            "TABLE",
            "VIEW",
            "INDEX",
            "DATABASE",
            "SCHEMA",
            "PROCEDURE",
            "FUNCTION",
            "TRIGGER",
            "EVENT",
            "USER",
            "ROLE",
            "SERVER",
            "TABLESPACE",
            "SEQUENCE",
            "PACKAGE");

    private static final List<String> EXPLAINABLE = List.of(
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "REPLACE",
            "WITH",
            "TABLE",
            "VALUES",
            "ANALYZE",
            "FORMAT",
            "EXTENDED",
            "PARTITIONS",
            "FOR");

    /** How far past CREATE/ALTER/DROP to look for the object kind (past OR REPLACE, DEFINER=..., ALGORITHM=...). */
    private static final int OBJECT_KIND_LOOKAHEAD = 20;

    private StatementClassifier() {}

    static StatementType classify(List<SqlToken> tokens) {
        int first = firstWord(tokens);
        if (first < 0) {
            return StatementType.OTHER;
        }
        String word = upper(tokens.get(first));
        String second = first + 1 < tokens.size() ? upper(tokens.get(first + 1)) : "";
        return switch (word) {
            case "CREATE", "ALTER", "DROP" ->
                second.equals("PREPARE") ? StatementType.DEALLOCATE : objectStatement(word, tokens, first + 1);
            case "WITH" -> mainStatementAfterWith(tokens, first + 1);
            case "BEGIN" -> second.equals("NOT") ? StatementType.OTHER : StatementType.START_TRANSACTION;
            case "START" -> second.equals("TRANSACTION") ? StatementType.START_TRANSACTION : StatementType.REPLICATION;
            case "RENAME" -> second.equals("USER") ? StatementType.RENAME_USER : StatementType.RENAME_TABLE;
            case "SET" -> second.equals("PASSWORD") ? StatementType.SET_PASSWORD : StatementType.SET;
            case "EXPLAIN", "DESCRIBE", "DESC" -> explainOrDescribe(tokens, first + 1);
            case "ANALYZE" ->
                second.equals("TABLE") || second.equals("NO_WRITE_TO_BINLOG") || second.equals("LOCAL")
                        ? StatementType.ANALYZE_TABLE
                        : StatementType.EXPLAIN;
            case "LOAD" ->
                second.equals("DATA") || second.equals("XML") ? StatementType.LOAD_DATA : StatementType.OTHER;
            default -> BY_FIRST_WORD.getOrDefault(word, StatementType.OTHER);
        };
    }

    /**
     * Whether the statement's first word is this one: then {@link #classify} gives the type that word has
     * in {@code BY_FIRST_WORD} (for USE and PREPARE: those), without upper-casing anything.
     */
    static boolean startsWithWord(List<SqlToken> tokens, String keyword) {
        int first = firstWord(tokens);
        return first >= 0 && tokens.get(first).isWord(keyword);
    }

    /** Index of the word that classifies a statement, after any opening parentheses; -1 when there is none. */
    private static int firstWord(List<SqlToken> tokens) {
        int first = 0;
        while (first < tokens.size() && tokens.get(first).kind() == SqlToken.Kind.LEFT_PAREN) {
            first++;
        }
        return first < tokens.size() && tokens.get(first).kind() == SqlToken.Kind.WORD ? first : -1;
    }

    private static StatementType objectStatement(String verb, List<SqlToken> tokens, int from) {
        for (int i = from; i < Math.min(tokens.size(), from + OBJECT_KIND_LOOKAHEAD); i++) {
            SqlToken token = tokens.get(i);
            if (token.kind() != SqlToken.Kind.WORD || !OBJECT_KINDS.contains(upper(token))) {
                continue;
            }
            String kind = switch (upper(token)) {
                case "SCHEMA" -> "DATABASE";
                case "SERVER", "TABLESPACE", "SEQUENCE", "PACKAGE" -> "OTHER";
                default -> upper(token);
            };
            try {
                return StatementType.valueOf(verb + "_" + kind);
            } catch (IllegalArgumentException noSuchCombination) {
                return StatementType.valueOf(verb + "_OTHER");
            }
        }
        return StatementType.valueOf(verb + "_OTHER");
    }

    /** WITH cte AS (...) is followed, at parenthesis depth 0, by the statement that does the work. */
    private static StatementType mainStatementAfterWith(List<SqlToken> tokens, int from) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.kind() == SqlToken.Kind.LEFT_PAREN) {
                depth++;
            } else if (token.kind() == SqlToken.Kind.RIGHT_PAREN) {
                depth--;
            } else if (depth == 0 && token.kind() == SqlToken.Kind.WORD) {
                StatementType type = BY_FIRST_WORD.get(upper(token));
                if (type == StatementType.SELECT
                        || type == StatementType.UPDATE
                        || type == StatementType.DELETE
                        || type == StatementType.INSERT
                        || type == StatementType.REPLACE) {
                    return type;
                }
            }
        }
        return StatementType.OTHER;
    }

    /** EXPLAIN/DESCRIBE of a statement is an explain; of a table name it is a describe. */
    private static StatementType explainOrDescribe(List<SqlToken> tokens, int from) {
        if (from >= tokens.size()) {
            return StatementType.OTHER;
        }
        SqlToken next = tokens.get(from);
        boolean explainsStatement = next.kind() == SqlToken.Kind.LEFT_PAREN
                || (next.kind() == SqlToken.Kind.WORD && EXPLAINABLE.contains(upper(next)));
        return explainsStatement ? StatementType.EXPLAIN : StatementType.DESCRIBE;
    }

    private static String upper(SqlToken token) {
        return token.text().toUpperCase(Locale.ROOT);
    }
}
